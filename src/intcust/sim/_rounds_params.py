"""The arguments `rounds` and `monte_carlo_rounds` share, checked.

`check_rounds` (the number of rounds, against the memory the run keeps),
`feasible_period` (the period against the cycle time λ) and `parse_delays`
(``{(node, round): amount}`` as per-round arrays); each names the function
the user called in its errors.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
from numpy.typing import NDArray

from intcust._params import MAX_VALUES, check_int, check_number, parameter_error, renamed
from intcust.errors import ParameterError, UnknownNodeError, quote
from intcust.graph.compiled import CompiledOrg
from intcust.sim._engine import TIE_TOL
from intcust.sim._round_plan import round_plan
from intcust.sim.maxplus import Loop, cycle_time

FloatArray = NDArray[np.float64]


def check_rounds(C: CompiledOrg, n_rounds: object, func: str, *, k: object = None) -> int:
    """`n_rounds` as a number of rounds whose finish times, and history, `rounds` can keep.

    `k` is its name before intcust 0.2.0 (``k`` now only counts sampled
    sources): given, it warns and stands for `n_rounds`.
    """
    if k is not None:
        renamed("k", "n_rounds", func=func, depth=2)
        if n_rounds is not None:
            raise parameter_error(func, "k", "left out when 'n_rounds' is given (its new name)", k)
        n_rounds = k
    width = 2 * max(1, C.n_nodes)  # the plan and the delayed run, every node, every round
    count = check_int(
        n_rounds,
        func=func,
        param="n_rounds",
        minimum=1,
        maximum=MAX_VALUES // width,
        why=f"{C.n_nodes} finish times are kept twice per round",
    )
    depth = round_plan(C).depth
    if depth * width > MAX_VALUES:
        raise ParameterError(
            f"{func} keeps {depth} rounds of history (the largest lag is {depth - 1}) for "
            f"{C.n_nodes} nodes, more than {MAX_VALUES:,} numbers; lags must be smaller."
        )
    return count


def _period(C: CompiledOrg, period: float | None, func: str) -> float | None:
    if period is None:
        raw = C.graph.get("period")
        if raw is None:
            return None
        return check_number(raw, func=func, param="period", minimum=0.0, strict=True)
    return check_number(period, func=func, param="period", minimum=0.0, strict=True)


def feasible_period(
    C: CompiledOrg, period: float | None, estimate: str, func: str
) -> tuple[float | None, float, tuple[Loop, ...]]:
    """The period (checked against λ), λ and the critical loops."""
    per = _period(C, period, func)
    ct = cycle_time(C, period=per, estimate=estimate)
    lam = ct.cycle_time
    if per is not None and per < lam - TIE_TOL * max(1.0, lam):
        loop = ct.critical[0] if ct.critical else None
        where = f" around {loop}" if loop is not None else ""
        raise ParameterError(
            f"The 'period' parameter of {func} must be at least the cycle time "
            f"{lam:g}{where}; got {per:g}: the plan cannot be met, each round falls "
            f"{lam - per:g} further behind."
        )
    return per, lam, ct.critical


def parse_delays(
    C: CompiledOrg, delays: Mapping[tuple[Hashable, int], float] | None, k: int, func: str
) -> dict[int, FloatArray]:
    """``{(node, round): amount}`` as per-round arrays of extra finish time."""
    out: dict[int, FloatArray] = {}
    if delays is None:
        return out
    if not isinstance(delays, Mapping):
        raise ParameterError(
            f"The 'delays' parameter of {func} must be a mapping {{(node, round): amount}}; "
            f"got {type(delays).__name__}."
        )
    for key, amount in delays.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise ParameterError(
                f"The 'delays' parameter of {func} must have (node, round) keys; got {key!r}."
            )
        node, r = key
        try:
            i = C.index[node]
        except (KeyError, TypeError):
            raise UnknownNodeError(
                f"The 'delays' parameter of {func} must name nodes of the organisation; "
                f"got {quote(node)}."
            ) from None
        rr = check_int(r, func=func, param="delays", minimum=0)
        if rr >= k:
            raise ParameterError(
                f"The 'delays' parameter of {func} must name rounds 0 to {k - 1}; got {r!r}."
            )
        x = check_number(amount, func=func, param="delays", minimum=0.0)
        out.setdefault(rr, np.zeros(C.n_nodes))[i] += x
    return out
