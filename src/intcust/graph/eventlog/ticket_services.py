"""The services of a ticket log: one per (supplier, customer, deliverable), with its statistics.

`intcust.graph.eventlog.tickets.from_tickets` codes each ticket by its
supplier, customer and deliverable; `add_services` groups the tickets of
each service in one sort and adds the services to the organisation.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from intcust.graph.eventlog.mining import sketch

__all__ = ["add_services"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def add_services(
    G: nx.DiGraph,
    names: list[Hashable],
    deliverables: list[Hashable],
    codes: tuple[IntArray, IntArray, IntArray],
    keep: NDArray[np.bool_],
    done: NDArray[np.bool_],
    hours: FloatArray,
    ratings: FloatArray | None,
    targets: FloatArray | None,
    rate: float,
    max_samples: int,
) -> int:
    """Add one service per (supplier, customer, deliverable) to `G`.

    Parameters
    ----------
    G : networkx.DiGraph
        The organisation being built; its nodes are `names`.
    names, deliverables : list
        Node names and deliverable names.
    codes : (src, dst, deliverable)
        Per ticket, the supplier and customer (into `names`) and the
        deliverable (into `deliverables`).
    keep : bool array
        The tickets that count (not self-tickets).
    done, hours : arrays
        Whether each ticket is resolved, and its resolution time.
    ratings, targets : float arrays or None
        Per ticket, the rating in [0, 1] and the target (NaN where none).
    rate : float
        Periods per window: ``volume = tickets × rate``.
    max_samples : int
        Resolution times kept per service before sketching.

    Returns
    -------
    int
        The open tickets counted.
    """
    src, dst, dlv = codes
    n, k = len(names), len(deliverables)
    key = (src[keep] * n + dst[keep]) * k + dlv[keep]
    done, hours = done[keep], hours[keep]
    order = np.lexsort((hours, ~done, key))
    key, done, hours = key[order], done[order], hours[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(key)].astype(np.int64)
    resolved = np.add.reduceat(done.astype(np.int64), starts) if len(key) else starts
    mean_rating, rated = _per_service(ratings, keep, order, starts)
    target = _mode(targets, keep, order, starts, key)
    code = key[starts]
    count = ends - starts
    columns = zip(
        (code // k // n).tolist(),
        (code // k % n).tolist(),
        (code % k).tolist(),
        starts.tolist(),
        resolved.tolist(),
        (count * rate).tolist() if rate != 1.0 else count.tolist(),
        (count - resolved).tolist(),
        [math.nan] * len(starts) if target is None else target.tolist(),
        [0] * len(starts) if rated is None else rated.tolist(),
        mean_rating.tolist(),
        strict=True,
    )
    with _collector_paused():
        _build(G, names, deliverables, columns, hours, max_samples)
    return int(len(key) - resolved.sum()) if len(key) else 0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic objects are built.

    A large log makes hundreds of thousands of service dicts and
    distributions; the collector would traverse the growing heap again and
    again (about half the time of the build), though none of them can form
    a reference cycle.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build(
    G: nx.DiGraph,
    names: list[Hashable],
    deliverables: list[Hashable],
    columns: Any,
    hours: FloatArray,
    max_samples: int,
) -> None:
    """Make each service's attributes and add the edges, one per supplier-customer pair."""
    per_pair: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for u, v, d, s, r, volume, still_open, sla, n_rated, rating in columns:
        service: dict[str, Any] = {
            "deliverable": deliverables[d],
            "volume": volume,
            "open_tickets": still_open,
            "lead_time_n": r,
        }
        if r:
            lead, err = sketch(hours[s : s + r], max_samples, presorted=True)
            service.update(lead_time=lead, lead_time_error=err)
            if not math.isnan(sla):
                service["sla"] = sla
        if n_rated:
            service.update(satisfaction=rating, satisfaction_n=n_rated)
        per_pair.setdefault((u, v), []).append(service)
    for (u, v), services in per_pair.items():
        if len(services) == 1:
            G.add_edge(names[u], names[v], **services[0])
        else:
            G.add_edge(names[u], names[v], services=services)


def _per_service(
    values: FloatArray | None, keep: NDArray[np.bool_], order: IntArray, starts: IntArray
) -> tuple[FloatArray, IntArray | None]:
    """Mean of the non-NaN values of each service, and how many there were."""
    if values is None or not len(starts):
        return np.zeros(len(starts)), None
    v = values[keep][order]
    ok = ~np.isnan(v)
    count = np.add.reduceat(ok.astype(np.int64), starts)
    total = np.add.reduceat(np.where(ok, v, 0.0), starts)
    return np.divide(total, count, out=np.zeros(len(starts)), where=count > 0), count


def _mode(
    values: FloatArray | None,
    keep: NDArray[np.bool_],
    order: IntArray,
    starts: IntArray,
    key: IntArray,
) -> FloatArray | None:
    """The most frequent non-NaN value of each service (ties: the smallest), NaN if none."""
    if values is None:
        return None
    v = values[keep][order]
    seg = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(key)]))
    ok = ~np.isnan(v)
    out = np.full(len(starts), np.nan)
    if not ok.any():
        return out
    pairs, counts = np.unique(np.stack([seg[ok], v[ok]]), axis=1, return_counts=True)
    best = np.lexsort((pairs[1], -counts, pairs[0]))
    first = np.r_[True, pairs[0][best][1:] != pairs[0][best][:-1]]
    out[pairs[0][best][first].astype(np.int64)] = pairs[1][best][first]
    return out
