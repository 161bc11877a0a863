"""Result types: per-node scores and tables that keep node names.

`NodeScores` is a ``dict`` (node -> float), so it drops into networkx and JSON
code unchanged; `NodeTable` holds several numbers per node. Both render as a
compact table in Jupyter and convert to pandas on request (pandas is imported
only then).
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from intcust.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NodeScores", "NodeTable", "html_table"]

_HTML_ROWS = 20


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.6g}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def html_table(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    *,
    caption: str = "",
    max_rows: int = _HTML_ROWS,
) -> str:
    """Render rows as a small HTML table, showing at most `max_rows` of them.

    Parameters
    ----------
    rows : sequence of sequences
        The cells, row by row.
    columns : sequence of str
        The column headers.
    caption : str, optional
        A caption above the table.
    max_rows : int, optional
        Rows beyond this are summarised in one line.

    Returns
    -------
    str
        An HTML fragment; every cell is escaped.

    Examples
    --------
    >>> html_table([["a", 1.0]], ["node", "score"])[:7]
    '<table>'
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = []
    for row in rows[:max_rows]:
        cells = "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    if len(rows) > max_rows:
        body.append(
            f'<tr><td colspan="{len(columns)}">… {len(rows) - max_rows} more rows</td></tr>'
        )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class NodeScores(dict[Hashable, float]):
    """One number per node: a ``dict`` with a name and a few conveniences.

    Parameters
    ----------
    scores : mapping or iterable of (node, value) pairs
        The values, one per node.
    name : str, optional
        What the number is (a column name in frames and tables).
    description : str, optional
        One sentence on its meaning and direction, shown in Jupyter.

    Examples
    --------
    >>> s = NodeScores({"a": 1.0, "b": 3.0, "c": 2.0}, name="load")
    >>> s.top(2)
    [('b', 3.0), ('c', 2.0)]
    >>> s["a"]
    1.0
    """

    name: str
    description: str

    def __init__(
        self,
        scores: Mapping[Hashable, float] | Iterable[tuple[Hashable, float]] = (),
        *,
        name: str = "score",
        description: str = "",
    ) -> None:
        super().__init__(scores)
        self.name = name
        self.description = description

    def top(self, k: int = 10, *, ascending: bool = False) -> list[tuple[Hashable, float]]:
        """The `k` highest (or lowest) scores, ties broken by node order.

        Parameters
        ----------
        k : int, optional
            How many to return.
        ascending : bool, optional
            Return the lowest scores instead.

        Returns
        -------
        list of (node, value)
        """
        if not isinstance(k, int) or isinstance(k, bool) or k < 0:
            raise ParameterError(f"The 'k' parameter of top must be an int >= 0; got {k!r}.")
        sign = 1.0 if ascending else -1.0
        order = sorted(enumerate(self.items()), key=lambda t: (sign * float(t[1][1]), t[0]))
        return [item for _, item in order[:k]]

    def to_dict(self) -> dict[Hashable, float]:
        """A plain ``dict`` copy (JSON-ready when the nodes are strings)."""
        return dict(self)

    def to_frame(self) -> pd.DataFrame:
        """A one-column ``pandas.DataFrame`` indexed by node (needs pandas)."""
        import pandas as pd

        frame = pd.DataFrame({self.name: pd.Series(dict(self), dtype=float)})
        frame.index.name = "node"
        return frame

    def __repr__(self) -> str:
        shown = ", ".join(f"{k!r}: {_fmt(v)}" for k, v in list(self.items())[:5])
        more = f", … {len(self) - 5} more" if len(self) > 5 else ""
        return f"NodeScores({self.name!r}, {{{shown}{more}}})"

    def _repr_html_(self) -> str:
        rows = [list(item) for item in self.top(len(self))]
        return html_table(rows, ["node", self.name], caption=self.description or self.name)


class NodeTable(Mapping[Hashable, dict[str, Any]]):
    """Several values per node: node -> row (column -> value).

    Parameters
    ----------
    rows : mapping of node to mapping of column to value
        One row per node; every row has the same columns.
    columns : sequence of str, optional
        The column order; by default that of the first row.
    name : str, optional
        What the table is.
    description : str, optional
        One sentence on its meaning, shown in Jupyter.

    Examples
    --------
    >>> t = NodeTable({"a": {"in": 1, "out": 2}, "b": {"in": 0, "out": 5}})
    >>> t["b"]["out"]
    5
    >>> t.column("out").top(1)
    [('b', 5.0)]
    >>> t.columns
    ('in', 'out')
    """

    def __init__(
        self,
        rows: Mapping[Hashable, Mapping[str, Any]],
        *,
        columns: Sequence[str] | None = None,
        name: str = "table",
        description: str = "",
    ) -> None:
        self._rows: dict[Hashable, dict[str, Any]] = {n: dict(r) for n, r in rows.items()}
        if columns is None:
            first = next(iter(self._rows.values()), {})
            columns = list(first)
        self.columns: tuple[str, ...] = tuple(columns)
        for node, row in self._rows.items():
            if set(row) != set(self.columns):
                raise ParameterError(
                    f"row of node {node!r} must have the columns {list(self.columns)}; "
                    f"got {list(row)}"
                )
        self.name = name
        self.description = description

    def __getitem__(self, node: Hashable) -> dict[str, Any]:
        return self._rows[node]

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def column(self, name: str) -> NodeScores:
        """One numeric column as `NodeScores`.

        Raises
        ------
        ParameterError
            If the table has no such column.
        """
        if name not in self.columns:
            raise ParameterError(
                f"The 'name' parameter of column must be one of {list(self.columns)}; "
                f"got {name!r}."
            )
        bad = [
            n
            for n, r in self._rows.items()
            if isinstance(r[name], bool) or not isinstance(r[name], numbers.Real)
        ]
        if bad:
            raise ParameterError(
                f"column {name!r} of {self.name} is not numeric for {len(bad)} node(s), "
                f"e.g. {bad[0]!r}: {self._rows[bad[0]][name]!r}; read it with to_dict() "
                "or to_frame() instead"
            )
        return NodeScores({n: float(r[name]) for n, r in self._rows.items()}, name=name)

    def to_dict(self) -> dict[Hashable, dict[str, Any]]:
        """node -> {column: value}, as plain dicts."""
        return {n: dict(r) for n, r in self._rows.items()}

    def to_frame(self) -> pd.DataFrame:
        """A ``pandas.DataFrame`` with one row per node (needs pandas)."""
        import pandas as pd

        frame = pd.DataFrame.from_dict(self._rows, orient="index", columns=list(self.columns))
        frame.index.name = "node"
        return frame

    def __repr__(self) -> str:
        more = f", … {len(self.columns) - 4} more" if len(self.columns) > 4 else ""
        return f"NodeTable({self.name!r}, {len(self)} nodes; columns: {', '.join(self.columns[:4])}{more})"

    def _repr_html_(self) -> str:
        rows = [[n, *(r[c] for c in self.columns)] for n, r in self._rows.items()]
        return html_table(rows, ["node", *self.columns], caption=self.description or self.name)
