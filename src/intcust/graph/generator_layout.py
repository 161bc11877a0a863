"""The layout of a synthetic organisation: where people sit and whom they serve.

`generate_org` places people 0..n-1 in value-stream order, by department,
then team, then position (`_Units`), and draws their person-to-person
services on that layout: mostly within the team or department, some from
earlier stages, with feedback ties back for a share of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def _split(total: int, parts: int) -> IntArray:
    """Start offsets of `parts` contiguous, near-equal blocks of `total` items (length parts+1)."""
    return (np.arange(parts + 1, dtype=np.int64) * total) // parts


@dataclass(frozen=True)
class _Units:
    """People 0..n-1 in value-stream order: by department, then team, then position."""

    dept_start: IntArray  #: people of department d: dept_start[d]:dept_start[d+1]
    team_start: IntArray  #: people of team t: team_start[t]:team_start[t+1]
    dept: IntArray  #: department of each person
    team: IntArray  #: team of each person
    stage: IntArray  #: value-stream stage of each person
    stage_start: IntArray  #: people of stage s: stage_start[s]:stage_start[s+1]
    team_names: list[str]
    dept_names: list[str]

    @property
    def n_stages(self) -> int:
        return len(self.stage_start) - 1

    @classmethod
    def build(cls, n: int, n_dept: int, size: int) -> _Units:
        dept_start = _split(n, n_dept)
        n_teams = _split(max(n_dept, math.ceil(n / size)), n_dept)
        starts = [
            dept_start[d] + _split(int(dept_start[d + 1] - dept_start[d]), int(k))[:-1]
            for d, k in enumerate(np.diff(n_teams).tolist())
        ]
        team_start = np.unique(np.concatenate([*starts, [n]]))  # drop empty teams
        team = np.repeat(np.arange(len(team_start) - 1), np.diff(team_start))
        dept = np.repeat(np.arange(n_dept), np.diff(dept_start))
        n_stages = min(n_dept, 6)
        stage = (dept * n_stages) // n_dept
        first_team = np.searchsorted(team_start, dept_start[:-1])
        team_names = [
            f"D{d + 1}/T{t - first_team[d] + 1}"
            for d, t in zip(dept[team_start[:-1]], range(len(team_start) - 1), strict=True)
        ]
        return cls(
            dept_start=dept_start,
            team_start=team_start,
            dept=dept,
            team=team,
            stage=stage,
            stage_start=np.searchsorted(stage, np.arange(n_stages + 1)),
            team_names=team_names,
            dept_names=[f"D{d + 1}" for d in range(n_dept)],
        )


def _draw_services(rng: np.random.Generator, units: _Units, m: int) -> IntArray:
    """`m` random services as keys ``supplier * n + customer``, self-loops left out.

    Suppliers: 60 % from the customer's team, 20 % from its department, 20 %
    from earlier stages (anyone, in the first stage).
    """
    n = len(units.team)
    cust = rng.integers(0, n, m)
    pick = rng.random(m)
    team, dept, stage = units.team[cust], units.dept[cust], units.stage[cust]
    in_team = pick < 0.6
    lo = np.where(in_team, units.team_start[team], units.dept_start[dept])
    hi = np.where(in_team, units.team_start[team + 1], units.dept_start[dept + 1])
    early = pick >= 0.8
    lo[early] = 0
    hi[early] = np.where(stage[early] > 0, units.stage_start[stage[early]], n)
    sup: IntArray = lo + (rng.random(m) * (hi - lo)).astype(np.int64)
    key: IntArray = (sup * n + cust)[sup != cust]
    return key


def _direct_services(
    rng: np.random.Generator, units: _Units, per_person: float
) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
    """Person-to-person services (unique, sorted) and whether each one gates work.

    Draws that repeat a service are topped up, a few rounds at most, so the
    count comes close to ``per_person * n`` even in small teams.
    """
    n = len(units.team)
    target = round(per_person * n) if n > 1 else 0
    key = np.zeros(0, dtype=np.int64)
    for _ in range(4):
        need = target - len(key)
        if need <= 0:
            break
        key = _unique(np.concatenate([key, _draw_services(rng, units, need)]))
    sup, cust = key // n, key % n
    same_team = units.team[sup] == units.team[cust]
    blocking = (same_team & (sup < cust)) | (units.stage[sup] < units.stage[cust])
    return sup, cust, blocking


def _feedback(
    rng: np.random.Generator, n: int, sup: IntArray, cust: IntArray, share: float
) -> tuple[IntArray, IntArray]:
    """Reverse ties for a `share` of the services, skipping those already present.

    `sup` and `cust` are sorted by ``sup * n + cust``, as `_direct_services` returns them.
    """
    pick = rng.random(len(sup)) < share
    key = sup * n + cust
    back = _unique(cust[pick] * n + sup[pick])
    if len(key):
        pos = np.minimum(np.searchsorted(key, back), len(key) - 1)
        back = back[key[pos] != back]
    return back // n, back % n


def _unique(x: IntArray) -> IntArray:
    """The sorted distinct values of `x` (a sort beats numpy's hash-based unique here)."""
    x = np.sort(x)
    return x[np.concatenate([[True], x[1:] != x[:-1]])] if len(x) else x
