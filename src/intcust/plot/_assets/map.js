/* The interactive organisation map of intcust.plot.explore.
 *
 * Every map on the page is a div.intcust-map holding its data in a JSON script
 * element of class icm-data. Names and every other
 * text of the organisation reach the page only through textContent and canvas
 * labels, never as markup. Positions come from Python; no layout runs here.
 */
(function () {
  "use strict";

  var SELECTED = "#d62728";
  var SUPPLIER = "#08519c";
  var CUSTOMER = "#e6550d";
  var MATCH = "#ffbf00";
  var SHAPES = {
    person: "ellipse", team: "hexagon", department: "rectangle", unit: "round-rectangle",
    external: "diamond"
  };
  var SIZES = { person: 18, team: 22, department: 26, unit: 26, external: 30 };
  var SHAPE_TEXT = [
    ["person", "person", "\u25CF"], ["team", "team", "\u2B22"],
    ["department", "department", "\u25A0"], ["unit", "unit (size: members)", "\u25A0"],
    ["external", "external customer", "\u25C6"]
  ];
  /* beyond this many services, edges are drawn as fast straight lines without heads */
  var FAST_EDGES = 4000;
  /* most names listed under suppliers or customers in the side panel */
  var LIST_MAX = 40;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function fmt(v) {
    if (v === null || v === undefined) { return "\u2013"; }
    if (v === "inf") { return "\u221E"; }
    if (v === "-inf") { return "\u2212\u221E"; }
    if (typeof v === "number") {
      if (Number.isInteger(v)) { return v.toLocaleString("en-US"); }
      var a = Math.abs(v);
      if (a !== 0 && (a < 0.001 || a >= 1e7)) { return v.toExponential(2); }
      return String(Number(v.toPrecision(4)));
    }
    return String(v);
  }

  function hex(c) {
    return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
  }

  function ramp(stops, t) {
    var x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    var i = Math.min(Math.floor(x), stops.length - 2);
    var f = x - i;
    var a = hex(stops[i]);
    var b = hex(stops[i + 1]);
    var rgb = [0, 1, 2].map(function (k) { return Math.round(a[k] + (b[k] - a[k]) * f); });
    return "rgb(" + rgb.join(",") + ")";
  }

  function row(table, label, value) {
    var tr = el("tr");
    tr.appendChild(el("td", null, label));
    tr.appendChild(el("td", null, value));
    table.appendChild(tr);
  }

  function start(root) {
    root.setAttribute("data-started", "true");
    var data = JSON.parse(root.querySelector("script.icm-data").textContent);
    var N = data.nodes.name.length;
    var M = data.edges.s.length;
    var groupOf = new Array(N);
    var nodeColor = new Array(N);
    var hidden = {};
    var colorBy = -1;

    root.querySelector(".icm-title").textContent = data.title;
    if (data.note) {
      var note = el("div", "icm-note", data.note);
      root.insertBefore(note, root.querySelector(".icm-body"));
    }

    /* groups for the unit toggles: each unit, then "(no unit)", then the customers */
    var groups = data.units.map(function (u, i) {
      return { label: u, color: data.unitColors[i], count: 0 };
    });
    var NO_UNIT = groups.length;
    var CUSTOMERS = groups.length + 1;
    groups.push({ label: "(no unit)", color: data.colors.noUnit, count: 0 });
    groups.push({ label: "external customers", color: data.colors.external, count: 0 });
    for (var i = 0; i < N; i += 1) {
      var kind = data.nodes.kind[i];
      var u = data.nodes.unit[i];
      groupOf[i] = kind === "external" ? CUSTOMERS : (u < 0 ? NO_UNIT : u);
      groups[groupOf[i]].count += data.nodes.members ? data.nodes.members[i] : 1;
    }

    var elements = [];
    for (i = 0; i < N; i += 1) {
      kind = data.nodes.kind[i];
      elements.push({
        group: "nodes",
        data: {
          id: "n" + i, i: i, label: data.nodes.name[i], color: groups[groupOf[i]].color,
          shape: SHAPES[kind] || "ellipse",
          size: data.nodes.size ? data.nodes.size[i] : (SIZES[kind] || 14)
        },
        position: { x: data.nodes.x[i], y: data.nodes.y[i] }
      });
    }
    var soft = {};
    data.edges.soft.forEach(function (k) { soft[k] = true; });
    for (var k = 0; k < M; k += 1) {
      elements.push({
        group: "edges",
        data: { id: "e" + k, k: k, source: "n" + data.edges.s[k], target: "n" + data.edges.t[k],
                w: data.edges.w[k] },
        classes: soft[k] ? "soft" : ""
      });
    }
    var fast = M > FAST_EDGES;
    var big = N > 1500;
    var canvas = root.querySelector(".icm-canvas");
    var cy = window.cytoscape({
      container: canvas,
      elements: elements,
      layout: { name: "preset", fit: true, padding: 30 },
      minZoom: 0.02,
      maxZoom: 6,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      pixelRatio: big ? 1 : "auto",
      style: [
        { selector: "node", style: {
          "background-color": "data(color)", shape: "data(shape)", width: "data(size)",
          height: "data(size)", label: "data(label)", "font-size": 10,
          "min-zoomed-font-size": 8, "text-valign": "center", "text-halign": "right",
          "text-margin-x": 3, color: "#222", "border-width": 1, "border-color": "#ffffff",
          "text-background-color": "#ffffff", "text-background-opacity": 0.6,
          "text-background-padding": 1 } },
        { selector: "node[shape = 'diamond']", style: { "border-color": "#1a5e1a" } },
        { selector: "edge", style: {
          width: "data(w)", "line-color": "#9a9a9a", opacity: 0.5,
          "curve-style": fast ? "haystack" : "straight",
          "target-arrow-shape": fast ? "none" : "triangle", "target-arrow-color": "#9a9a9a",
          "arrow-scale": 0.8 } },
        { selector: "edge.soft", style: { "line-style": "dashed", opacity: 0.35 } },
        { selector: ".hidden", style: { display: "none" } },
        { selector: "node.faded", style: { opacity: 0.15, "text-opacity": 0 } },
        { selector: "edge.faded", style: { opacity: 0.04 } },
        { selector: "edge.in, edge.out", style: {
          opacity: 1, "curve-style": "straight", "target-arrow-shape": "triangle",
          "z-index": 9, width: "mapData(w, 0, 4, 1.5, 4)" } },
        { selector: "edge.in", style: { "line-color": SUPPLIER, "target-arrow-color": SUPPLIER } },
        { selector: "edge.out", style: { "line-color": CUSTOMER, "target-arrow-color": CUSTOMER } },
        { selector: "node.supplier", style: {
          "border-width": 4, "border-color": SUPPLIER, "min-zoomed-font-size": 0, "z-index": 9 } },
        { selector: "node.customer", style: {
          "border-width": 4, "border-color": CUSTOMER, "min-zoomed-font-size": 0, "z-index": 9 } },
        { selector: "node.focus", style: {
          "border-width": 5, "border-color": SELECTED, "min-zoomed-font-size": 0, "z-index": 10,
          "font-weight": "bold" } },
        { selector: "node.match", style: {
          "border-width": 5, "border-color": MATCH, "min-zoomed-font-size": 0, "z-index": 11,
          "font-size": 13, "font-weight": "bold" } }
      ]
    });
    var nodes = cy.nodes();

    /* --- colours: by unit or by a metric passed in --- */
    var legendBox = root.querySelector(".icm-legend-color");
    function paint() {
      legendBox.textContent = "";
      if (colorBy < 0) {
        cy.batch(function () {
          nodes.forEach(function (n) { n.data("color", groups[groupOf[n.data("i")]].color); });
        });
        legendBox.appendChild(el("div", "icm-empty", "colour: unit (see Units)"));
        return;
      }
      var metric = data.metrics[colorBy];
      var lo = Infinity;
      var hi = -Infinity;
      metric.values.forEach(function (v) {
        if (typeof v === "number") { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      });
      var span = hi > lo ? hi - lo : 1;
      cy.batch(function () {
        nodes.forEach(function (n) {
          var v = metric.values[n.data("i")];
          n.data("color", typeof v === "number" ? ramp(data.colors.viridis, (v - lo) / span)
            : (v === "inf" ? data.colors.viridis[data.colors.viridis.length - 1] : data.colors.noValue));
        });
      });
      legendBox.appendChild(el("b", null, metric.name));
      var bar = el("div", "icm-ramp");
      bar.style.background = "linear-gradient(to right," + data.colors.viridis.join(",") + ")";
      legendBox.appendChild(bar);
      var ends = el("div", "icm-ramp-ends");
      ends.appendChild(el("span", null, fmt(lo === Infinity ? null : lo)));
      ends.appendChild(el("span", null, fmt(hi === -Infinity ? null : hi)));
      legendBox.appendChild(ends);
      if (metric.description) { legendBox.appendChild(el("div", "icm-empty", metric.description)); }
    }
    var select = root.querySelector(".icm-color");
    select.appendChild(el("option", null, "unit")).value = "-1";
    data.metrics.forEach(function (m, j) { select.appendChild(el("option", null, m.name)).value = String(j); });
    select.disabled = data.metrics.length === 0;
    select.value = String(data.colorBy);
    colorBy = data.colorBy;
    select.addEventListener("change", function () { colorBy = Number(select.value); paint(); });

    /* --- what a node is: for the tooltip and the side panel --- */
    function describe(i, box) {
      box.appendChild(el("b", null, data.nodes.name[i]));
      var table = el("table");
      data.fields.forEach(function (f) {
        var v = f.values[i];
        if (v !== null && v !== undefined && v !== "") { row(table, f.label, v); }
      });
      data.metrics.forEach(function (m) {
        var v = m.values[i];
        if (v !== null && v !== undefined) { row(table, m.name, fmt(v)); }
      });
      data.texts.forEach(function (m) {
        var v = m.values[i];
        if (v !== null && v !== undefined && v !== "") { row(table, m.name, v); }
      });
      var b = data.bottlenecks[String(i)];
      if (b) { row(table, "bottleneck", "rank " + b.rank + ", score " + fmt(b.score)); }
      box.appendChild(table);
      if (b && b.reasons.length) {
        var ul = el("ul", "icm-reasons");
        b.reasons.forEach(function (r) { ul.appendChild(el("li", null, r)); });
        box.appendChild(ul);
      }
    }

    var tip = root.querySelector(".icm-tip");
    cy.on("mouseover", "node", function (evt) {
      var n = evt.target;
      tip.textContent = "";
      describe(n.data("i"), tip);
      var p = n.renderedPosition();
      tip.style.display = "block";
      var x = p.x + 14;
      var w = canvas.clientWidth;
      if (x + tip.offsetWidth > w) { x = Math.max(0, p.x - 14 - tip.offsetWidth); }
      tip.style.left = x + "px";
      tip.style.top = Math.max(0, p.y - 10) + "px";
    });
    cy.on("mouseout", "node", function () { tip.style.display = "none"; });
    cy.on("viewport", function () { tip.style.display = "none"; });

    /* --- click: the node, its suppliers and its customers --- */
    var info = root.querySelector(".icm-info");
    function listEdges(edges, end) {
      if (!edges.length) { return el("div", "icm-empty", "none"); }
      var ul = el("ul");
      edges.slice(0, LIST_MAX).forEach(function (e) {
        var k = e.data("k");
        var d = data.edges.d[k];
        var text = e[end]().data("label") + (d >= 0 ? " \u2013 " + data.deliverables[d] : "")
          + " (volume " + fmt(data.edges.v[k]) + ")";
        ul.appendChild(el("li", null, text));
      });
      if (edges.length > LIST_MAX) {
        ul.appendChild(el("li", null, "\u2026 " + (edges.length - LIST_MAX) + " more"));
      }
      return ul;
    }
    function clearFocus() {
      cy.elements().removeClass("focus supplier customer in out faded");
      info.textContent = "";
      info.appendChild(el("div", "icm-empty", "Click a node to see its suppliers and customers."));
    }
    function focusNode(n) {
      cy.batch(function () {
        cy.elements().removeClass("focus supplier customer in out").addClass("faded");
        var inward = n.incomers("edge");
        var outward = n.outgoers("edge");
        inward.removeClass("faded").addClass("in");
        outward.removeClass("faded").addClass("out");
        inward.sources().removeClass("faded").addClass("supplier");
        outward.targets().removeClass("faded").addClass("customer");
        n.removeClass("faded supplier customer").addClass("focus");
      });
      info.textContent = "";
      describe(n.data("i"), info);
      var inward = n.incomers("edge").toArray();
      var outward = n.outgoers("edge").toArray();
      info.appendChild(el("h4", null, "Suppliers (" + inward.length + ")"));
      info.appendChild(listEdges(inward, "source"));
      info.appendChild(el("h4", null, "Customers (" + outward.length + ")"));
      info.appendChild(listEdges(outward, "target"));
    }
    cy.on("tap", "node", function (evt) { focusNode(evt.target); });
    cy.on("tap", function (evt) { if (evt.target === cy) { clearFocus(); } });

    /* --- search --- */
    var search = root.querySelector(".icm-search");
    var status = root.querySelector(".icm-status");
    var lower = data.nodes.name.map(function (s) { return String(s).toLowerCase(); });
    var matches = [];
    var at = 0;
    function show(n) {
      /* the node itself in the middle (cy.center would count its label too) */
      var z = Math.max(cy.zoom(), 1.2);
      var p = n.position();
      cy.viewport({ zoom: z, pan: { x: cy.width() / 2 - p.x * z, y: cy.height() / 2 - p.y * z } });
    }
    function find(query) {
      var q = String(query).trim().toLowerCase();
      matches = [];
      at = 0;
      cy.batch(function () {
        nodes.removeClass("match");
        if (!q) { return; }
        for (var j = 0; j < N; j += 1) {
          if (lower[j].indexOf(q) >= 0 && !hidden[groupOf[j]]) { matches.push(nodes[j]); }
        }
        /* exact names first */
        matches.sort(function (a, b) {
          return (lower[b.data("i")] === q) - (lower[a.data("i")] === q);
        });
        matches.forEach(function (n) { n.addClass("match"); });
      });
      status.textContent = !q ? "" : matches.length === 0 ? "no match"
        : matches.length === 1 ? "1 match" : matches.length + " matches";
      if (matches.length) { show(matches[0]); }
      return matches.map(function (n) { return data.nodes.name[n.data("i")]; });
    }
    search.addEventListener("input", function () { find(search.value); });
    search.addEventListener("keydown", function (evt) {
      if (evt.key === "Enter" && matches.length) {
        at = (at + 1) % matches.length;
        show(matches[at]);
        focusNode(matches[at]);
      }
    });

    /* --- unit toggles --- */
    var unitsBox = root.querySelector(".icm-units");
    var checks = [];
    function applyHidden() {
      cy.batch(function () {
        nodes.forEach(function (n) {
          if (hidden[groupOf[n.data("i")]]) { n.addClass("hidden"); } else { n.removeClass("hidden"); }
        });
      });
    }
    groups.forEach(function (g, j) {
      if (!g.count) { return; }
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.addEventListener("change", function () { hidden[j] = !box.checked; applyHidden(); });
      checks.push(box);
      var sw = el("span", "icm-swatch");
      sw.style.background = g.color;
      label.appendChild(box);
      label.appendChild(sw);
      label.appendChild(el("span", null, g.label));
      label.appendChild(el("span", "icm-count", g.count));
      label.title = g.label;
      unitsBox.appendChild(label);
    });
    function setAll(on) {
      groups.forEach(function (g, j) { hidden[j] = !on; });
      checks.forEach(function (c) { c.checked = on; });
      applyHidden();
    }
    root.querySelector(".icm-all").addEventListener("click", function () { setAll(true); });
    root.querySelector(".icm-none").addEventListener("click", function () { setAll(false); });
    root.querySelector(".icm-fit").addEventListener("click", function () { cy.fit(undefined, 30); });

    /* --- the fixed legend: shapes and lines --- */
    var legend = root.querySelector(".icm-legend");
    SHAPE_TEXT.forEach(function (s) {
      if (data.nodes.kind.indexOf(s[0]) < 0) { return; }
      legend.appendChild(el("span", null, s[2]));
      legend.appendChild(el("span", null, s[1]));
    });
    [["\u2501", "blocking service (width: volume)"], ["\u2504", "non-blocking or lagged"],
     ["\u25CB", "search match", MATCH], ["\u25CB", "selected", SELECTED],
     ["\u25CB", "its suppliers", SUPPLIER], ["\u25CB", "its customers", CUSTOMER]
    ].forEach(function (s) {
      var mark = el("span", null, s[0]);
      if (s[2]) { mark.style.color = s[2]; mark.style.fontWeight = "bold"; }
      legend.appendChild(mark);
      legend.appendChild(el("span", null, s[1]));
    });

    clearFocus();
    paint();
    root.intcustMap = { cy: cy, search: find, select: focusNode, paint: paint };
    cy.ready(function () {
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () {
          root.setAttribute("data-nodes", String(cy.nodes().length));
          root.setAttribute("data-edges", String(cy.edges().length));
          root.setAttribute("data-ready", "true");
        });
      });
    });
  }

  var roots = document.querySelectorAll(".intcust-map:not([data-started])");
  for (var r = 0; r < roots.length; r += 1) {
    try {
      start(roots[r]);
    } catch (err) {
      roots[r].setAttribute("data-error", String(err));
      throw err;
    }
  }
}());
