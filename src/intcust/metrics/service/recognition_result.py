"""`Recognition`: the table of `recognition`, with each column's definition and source."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from intcust.errors import UnknownNodeError
from intcust.metrics.service.contribution_result import Contribution
from intcust.results import NodeTable, html_table

__all__ = ["Recognition"]


class Recognition(NodeTable):
    """The facts behind recognition, one row per stakeholder or unit (see `recognition`).

    A `NodeTable` (node -> row), ranked by `rank_by`, whose ``to_dict`` is
    node -> {column: value}. Each column's definition and source is in
    `sources`; there is no composite score.

    Attributes
    ----------
    sources : dict
        column -> what it measures and which function it comes from.
    rank_by : str
        The column the rows are ordered by (largest first).
    level : str
        ``"person"`` or ``"unit"``.
    notes : tuple of str
        What a log or sampling changed, in plain words.
    contribution : Contribution
        The full contribution result (per customer, standard errors,
        `Contribution.explain`).
    scenarios : int
        Monte Carlo scenarios behind ``criticality``.
    criticality_by_customer : NodeTable
        The Monte Carlo criticality of each row for each paying customer
        (one column per customer, and ``"makespan"``); ``criticality`` is
        its largest value over the customers.
    """

    def __init__(
        self,
        rows: Mapping[Hashable, Mapping[str, Any]],
        *,
        columns: Sequence[str],
        sources: dict[str, str],
        rank_by: str,
        level: str,
        notes: tuple[str, ...],
        contribution: Contribution,
        scenarios: int,
        criticality_by_customer: NodeTable,
    ) -> None:
        what = "team" if level == "unit" else "stakeholder"
        super().__init__(
            rows,
            columns=columns,
            name="recognition",
            description=f"what each {what} contributes, side by side; ranked by {rank_by}",
        )
        self.sources = sources
        self.rank_by = rank_by
        self.level = level
        self.notes = notes
        self.contribution = contribution
        self.scenarios = scenarios
        self.criticality_by_customer = criticality_by_customer

    def hidden(self) -> list[Hashable]:
        """The hidden contributors, in rank order."""
        return [k for k, row in self.items() if row["hidden"]]

    def why(self, node: Hashable) -> str:
        """The row of `node` in plain words.

        Raises
        ------
        UnknownNodeError
            If `node` has no row.
        """
        if node not in self:
            raise UnknownNodeError(
                f"The 'node' parameter of why must name a row of the table; got {node!r}."
            )
        r = self[node]
        parts = [self.contribution.explain(node).rstrip(".")] if r["contribution"] else []
        parts.append(f"critical in {r['criticality']:.0%} of {self.scenarios:,} scenarios")
        if r["reliability"] is not None:
            parts.append(f"meets its SLAs {r['reliability']:.0%} of the time")
        if r["satisfaction"] is not None:
            parts.append(f"rated {r['satisfaction']:.2f} of 1 by its internal customers")
        s = "" if r["reach"] == 1 else "s"
        parts.append(f"serves {r['reach']} internal customer{s}")
        if r["visibility"]:
            s = "" if r["visibility"] == 1 else "s"
            parts.append(f"deals directly with {r['visibility']} paying customer{s} or manager{s}")
        else:
            parts.append("deals directly with no paying customer and no manager")
        text = "; ".join(parts)
        if r["hidden"]:
            text += ": a hidden contributor"
        return f"{node}: {text[0].lower()}{text[1:]}."

    def __repr__(self) -> str:
        what = "units" if self.level == "unit" else "stakeholders"
        return (
            f"Recognition({len(self)} {what}, ranked by {self.rank_by}; "
            f"hidden contributors: {', '.join(map(str, self.hidden())) or 'none'})"
        )

    def _repr_html_(self) -> str:
        rows = [[k, *(r[c] for c in self.columns)] for k, r in self.items()]
        table = html_table(rows, [self.level, *self.columns], caption=self.description)
        defs = html_table(
            [[c, self.sources[c]] for c in self.columns], ["column", "definition and source"]
        )
        return table + defs
