"""Result types: per-node scores and tables that keep node names, and their JSON form.

`NodeScores` is a ``dict`` (node -> float), so it drops into networkx and JSON
code unchanged; `NodeTable` holds several numbers per node, as a read-only
mapping of rows. Both render as a compact table in Jupyter and convert to
pandas on request (pandas is imported only then).

Every result's ``to_dict()`` is strict JSON in one encoding, written by
`json_ready` (see `intcust._json_form` and ``docs/guide/results.md``); every
result renders in Jupyter by `html_table` (see `intcust._html_table`). Their
public names are imported from here.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from intcust._html_table import _fmt, html_table
from intcust._json_form import INFINITY, json_key, json_ready
from intcust.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["INFINITY", "NodeScores", "NodeTable", "Row", "html_table", "json_key", "json_ready"]


class Row(dict[str, Any]):
    """One row of a `NodeTable`: a ``dict`` that refuses changes."""

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("a row of a NodeTable is read-only; copy it with dict(row) to change it")

    __setitem__ = __delitem__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __reduce__(self) -> tuple[type[Row], tuple[dict[str, Any]]]:
        return (Row, (dict(self),))


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

    def to_dict(self) -> dict[str, Any]:
        """node -> value as strict JSON data (infinity and keys as `json_ready` writes them)."""
        return {json_key(k): json_ready(v) for k, v in self.items()}

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


class NodeTable(Mapping[Hashable, Row]):
    """Several values per node: a read-only mapping node -> row (column -> value).

    A row reads like a ``dict`` but cannot be changed; ``to_dict()`` gives
    plain, JSON-ready dicts.

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
        # plain dicts of numbers are not tracked by the garbage collector, which keeps
        # large tables cheap to build; a read-only Row is made on each look-up
        self._by_row: dict[Hashable, dict[str, Any]] | None = {n: dict(r) for n, r in rows.items()}
        self._nodes: tuple[Hashable, ...] = tuple(self._by_row)
        self._by_column: dict[str, list[Any] | np.ndarray[Any, Any]] | None = None
        if columns is None:
            first: Mapping[str, Any] = next(iter(self._by_row.values()), {})
            columns = list(first)
        self.columns: tuple[str, ...] = tuple(columns)
        for node, row in self._by_row.items():
            if set(row) != set(self.columns):
                raise ParameterError(
                    f"row of node {node!r} must have the columns {list(self.columns)}; "
                    f"got {list(row)}"
                )
        self.name = name
        self.description = description

    @classmethod
    def from_columns(
        cls,
        nodes: Sequence[Hashable],
        data: Mapping[str, Sequence[Any] | np.ndarray[Any, Any]],
        *,
        name: str = "table",
        description: str = "",
    ) -> NodeTable:
        """A table from one sequence of values per column, in node order.

        Rows are made only when they are read, so a large table of arrays
        costs nothing to build.

        Examples
        --------
        >>> t = NodeTable.from_columns(["a", "b"], {"in": [1, 0], "out": [2, 5]})
        >>> t["b"]["out"], t.columns
        (5, ('in', 'out'))
        """
        table = cls.__new__(cls)
        table._nodes = tuple(nodes)
        # an array column stays an array (a private copy) until it is read
        table._by_column = {
            c: np.array(v) if isinstance(v, np.ndarray) else list(v) for c, v in data.items()
        }
        table._by_row = None
        for c, values in table._by_column.items():
            if len(values) != len(table._nodes):
                raise ParameterError(
                    f"column {c!r} must have one value per node ({len(table._nodes)}); "
                    f"got {len(values)}"
                )
        table.columns = tuple(data)
        table.name = name
        table.description = description
        return table

    def _values(self, column: str) -> list[Any]:
        """One column's values as Python objects (an array column is converted once)."""
        assert self._by_column is not None
        values = self._by_column[column]
        if isinstance(values, np.ndarray):
            values = self._by_column[column] = values.tolist()
        return values

    @property
    def _rows(self) -> dict[Hashable, dict[str, Any]]:
        if self._by_row is None:
            cols = self.columns
            values = [self._values(c) for c in cols]
            self._by_row = (
                dict(
                    zip(
                        self._nodes,
                        (dict(zip(cols, t, strict=True)) for t in zip(*values, strict=True)),
                        strict=True,
                    )
                )
                if cols
                else {key: {} for key in self._nodes}
            )
        return self._by_row

    def _position(self) -> dict[Hashable, int]:
        index: dict[Hashable, int] | None = getattr(self, "_index", None)
        if index is None:
            index = self._index = dict(zip(self._nodes, range(len(self._nodes)), strict=True))
        return index

    def __getitem__(self, node: Hashable) -> Row:
        if self._by_row is None:
            assert self._by_column is not None
            i = self._position()[node]
            return Row({c: self._values(c)[i] for c in self.columns})
        return Row(self._by_row[node])

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, node: object) -> bool:
        if self._by_row is None:
            return node in self._position()
        return node in self._by_row

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
        if self._by_column is not None:
            values = self._values(name)
            if all(type(x) is float for x in values):  # the common case: an array's floats
                return NodeScores(zip(self._nodes, values, strict=True), name=name)
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

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """node -> {column: value}, as plain strict JSON data (see `json_ready`)."""
        return {json_key(n): json_ready(r) for n, r in self._rows.items()}

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
