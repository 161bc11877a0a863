"""`ServiceCatalogue`: the rows of `service_catalogue`, and their exports (CSV, HTML, JSON)."""

from __future__ import annotations

import csv
import html
import io
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intcust.errors import ParameterError
from intcust.graph.io.codec import encode_cell, place
from intcust.graph.io.files import write_text
from intcust.results import html_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "ServiceCatalogue"]

#: The columns of the catalogue, in order.
COLUMNS = (
    "supplier",
    "unit",
    "deliverable",
    "customers",
    "volume",
    "lead_time_p50",
    "lead_time_p90",
    "sla",
    "compliance",
    "satisfaction",
    "single_point_of_failure",
    "measured",
    "blocking",
)


def _text(value: Any) -> Any:
    """A cell as JSON: names as text, lists of names as lists of text."""
    if isinstance(value, tuple):
        return [str(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _cell(value: Any, where: Callable[[], str]) -> str:
    """The CSV text of one value: names as text, lists of names joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        value = "; ".join(map(str, value))
    elif not isinstance(value, bool | int | float):
        value = str(value)
    return encode_cell(value, where)


@dataclass(frozen=True)
class ServiceCatalogue:
    """The service catalogue: one row per supplier and deliverable (see `service_catalogue`)."""

    rows: tuple[dict[str, Any], ...]  #: one mapping of `COLUMNS` per service, in graph order
    notes: tuple[str, ...] = ()  #: what a log changed, in plain words

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, supplier: Hashable, deliverable: Hashable) -> dict[str, Any]:
        """The row of `supplier`'s service `deliverable`.

        Raises
        ------
        ParameterError
            If the catalogue has no such row.
        """
        for r in self.rows:
            if r["supplier"] == supplier and r["deliverable"] == deliverable:
                return r
        raise ParameterError(
            f"The catalogue has no service {deliverable!r} of {supplier!r}; its services are "
            f"{[(r['supplier'], r['deliverable']) for r in self.rows][:10]}."
        )

    def by_supplier(self, supplier: Hashable) -> list[dict[str, Any]]:
        """The rows of one supplier: its standard operating procedure."""
        return [r for r in self.rows if r["supplier"] == supplier]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``columns``, ``services`` (one list of values each), ``notes``."""
        return {
            "columns": list(COLUMNS),
            "services": [{c: _text(r[c]) for c in COLUMNS} for r in self.rows],
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per service (needs pandas)."""
        import pandas as pd

        return pd.DataFrame([dict(r) for r in self.rows], columns=list(COLUMNS))

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """The catalogue as CSV text, written to `path` if given.

        Customers are joined by ``"; "``; an unknown value is an empty cell.
        Cells follow the rule of `intcust.write_csv`: a text a spreadsheet
        would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a
        tab or a carriage return) or read as a number is written JSON-quoted,
        so the cell starts with ``"`` and stays text.

        Raises
        ------
        WriteError
            If `path` cannot be written; a file already there is left as it was
            (the new one replaces it atomically).

        Examples
        --------
        >>> import intcust as ic
        >>> G = ic.org_graph()
        >>> ic.add_service(G, "=HYPERLINK(1)", "b", deliverable="+cmd")
        >>> text = ic.metrics.service_catalogue(G).to_csv()
        >>> header, row = csv.reader(io.StringIO(text))
        >>> row[:4]
        ['"=HYPERLINK(1)"', '', '"+cmd"', 'b']
        """
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in self.rows:
            service = place("service", (r["supplier"], r["deliverable"]))
            writer.writerow([_cell(r[c], place("column", c, service)) for c in COLUMNS])
        text = buf.getvalue()
        if path is not None:
            write_text(path, text, func="ServiceCatalogue.to_csv")
        return text

    def to_html(self, *, title: str = "Service catalogue") -> str:
        """A standalone HTML page holding the whole catalogue (every name escaped)."""
        body = html_table(
            [[r[c] for c in COLUMNS] for r in self.rows],
            COLUMNS,
            caption="one row per supplier and deliverable",
            max_rows=len(self.rows),
        )
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        t = html.escape(title)
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{t}</title>\n</head>\n<body>\n<h1>{t}</h1>\n{body}\n{notes}\n</body>\n</html>\n"
        )

    def __repr__(self) -> str:
        spof = sum(1 for r in self.rows if r["single_point_of_failure"])
        with_sla = sum(1 for r in self.rows if r["sla"] is not None)
        return (
            f"ServiceCatalogue({len(self.rows)} services, {with_sla} with an SLA, "
            f"{spof} single points of failure)"
        )

    def _repr_html_(self) -> str:
        return html_table(
            [[r[c] for c in COLUMNS] for r in self.rows], COLUMNS, caption=repr(self)
        )
