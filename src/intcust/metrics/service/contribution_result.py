"""`Contribution`: the result of `contribution`, in numbers and in plain words."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from intcust.errors import UnknownNodeError
from intcust.results import NodeScores, NodeTable, html_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Contribution"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False, repr=False)
class Contribution:
    """Each player's Shapley share of what the customers receive (see `contribution`).

    Attributes
    ----------
    total : NodeScores
        The value owed to each player (stakeholder, or unit), summed over
        the customers; they add up to ``served - unattributed``.
    std_error : NodeScores
        The standard error of each total (0 where every customer was
        solved exactly).
    by_customer : NodeTable
        One column per customer (its name as text): the value of that
        customer owed to each player.
    value : dict
        What each customer receives (the sum of the value attribute over its
        blocking services).
    served : float
        The value received when everyone is present.
    unattributed : float
        The value of customers that need no player (served by no one).
    method : dict
        How each customer's share was computed: ``"exact"``, ``"sampled"``,
        ``"needs no one"`` or ``"receives nothing"``.
    n : int
        Permutations sampled (0 when every customer was solved exactly).
    level : str
        ``"person"`` or ``"unit"``: who the players are.
    value_name : str or None
        The service attribute the value is measured in.
    """

    total: NodeScores
    std_error: NodeScores
    by_customer: NodeTable
    value: dict[Hashable, float]
    served: float
    unattributed: float
    method: dict[Hashable, str]
    n: int
    level: str
    value_name: str | None

    @classmethod
    def build(
        cls,
        *,
        players: tuple[Hashable, ...],
        customers: tuple[Hashable, ...],
        worth: FloatArray,
        alone: NDArray[np.bool_],
        phi: FloatArray,
        variance: FloatArray,
        exact: NDArray[np.bool_],
        n: int,
        level: str,
        value: str | None,
    ) -> Contribution:
        """The result from the arrays of `contribution` (players × customers)."""
        total = phi.sum(axis=1)
        order = sorted(range(len(players)), key=lambda i: (-total[i], i))
        names = [str(c) for c in customers]
        rows = {players[i]: dict(zip(names, phi[i].tolist(), strict=True)) for i in order}
        method = {}
        for j, c in enumerate(customers):
            if worth[j] <= 0:
                method[c] = "receives nothing"
            elif alone[j]:
                method[c] = "needs no one"
            else:
                method[c] = "exact" if exact[j] else "sampled"
        unit = "unit" if level == "unit" else "stakeholder"
        return cls(
            total=NodeScores(
                ((players[i], float(total[i])) for i in order),
                name="contribution",
                description=f"value the customers receive owed to each {unit} (Shapley value)",
            ),
            std_error=NodeScores(
                ((players[i], float(np.sqrt(variance[i]))) for i in order),
                name="std_error",
                description="standard error of the sampled contribution (0 when exact)",
            ),
            by_customer=NodeTable(
                rows,
                columns=names,
                name="contribution by customer",
                description=f"value of each customer owed to each {unit}",
            ),
            value=dict(zip(customers, worth.tolist(), strict=True)),
            served=float(worth.sum()),
            unattributed=float(worth[alone].sum()),
            method=method,
            n=n,
            level=level,
            value_name=value,
        )

    @property
    def exact(self) -> bool:
        """Whether every customer's share was computed exactly."""
        return "sampled" not in self.method.values()

    @property
    def share(self) -> NodeScores:
        """Each player's fraction of the attributed value (``total / (served - unattributed)``)."""
        base = self.served - self.unattributed
        return NodeScores(
            ((k, v / base if base > 0 else 0.0) for k, v in self.total.items()),
            name="share",
            description="fraction of the value the customers receive owed to each player",
        )

    def explain(self, player: Hashable) -> str:
        """One sentence on what `player` contributes, in plain words.

        Raises
        ------
        UnknownNodeError
            If `player` is not a player of the game.
        """
        if player not in self.total:
            raise UnknownNodeError(
                f"The 'player' parameter of explain must name a player of the game "
                f"(a {'unit' if self.level == 'unit' else 'stakeholder'} that is not a "
                f"customer); got {player!r}."
            )
        what = "services" if self.value_name is None else f"units of {self.value_name}"
        x = self.total[player]
        share = self.share[player]
        text = (
            f"Of the {_num(self.served)} {what} the customers receive, {_num(x)} "
            f"({share:.0%}) are owed to {player}"
        )
        se = self.std_error[player]
        return text + (f" (± {_num(se)} standard error)." if se > 0 else ".")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (node names as text)."""
        return {
            "level": self.level,
            "value": self.value_name,
            "served": self.served,
            "unattributed": self.unattributed,
            "exact": self.exact,
            "n": self.n,
            "customers": {
                str(c): {"value": v, "method": self.method[c]} for c, v in self.value.items()
            },
            "contribution": {str(k): v for k, v in self.total.items()},
            "std_error": {str(k): v for k, v in self.std_error.items()},
            "by_customer": {str(k): dict(r) for k, r in self.by_customer.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per player: contribution, share, std_error and one column per customer."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "contribution": pd.Series(dict(self.total), dtype=float),
                "share": pd.Series(dict(self.share), dtype=float),
                "std_error": pd.Series(dict(self.std_error), dtype=float),
            }
        )
        frame = frame.join(self.by_customer.to_frame())
        frame.index.name = self.level
        return frame

    def __repr__(self) -> str:
        top = ", ".join(f"{k!s} {_num(v)}" for k, v in self.total.top(3))
        how = "exact" if self.exact else f"sampled, n={self.n}"
        who = "units" if self.level == "unit" else "stakeholders"
        return (
            f"Contribution({len(self.total)} {who}, served {_num(self.served)}, "
            f"{how}; top: {top or 'none'})"
        )

    def _repr_html_(self) -> str:
        share = self.share
        rows = [[k, v, share[k], self.std_error[k]] for k, v in self.total.items()]
        return html_table(
            rows,
            [self.level, "contribution", "share", "std_error"],
            caption=f"Of {_num(self.served)} received by the customers, owed to each "
            f"{self.level} (Shapley value)",
        )


def _num(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 or abs(x) >= 100 else f"{x:,.3g}"
