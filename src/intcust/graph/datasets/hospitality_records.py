"""The hotel's records: a staff survey of internal services and the IT desk's tickets.

They go with `intcust.graph.datasets.hospitality.hotel` and tell the rest of
its story: the staff rate IT's PMS access poorly, and four weeks of IT
tickets show why (slow, and above the 15-minute standard too often).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TICKET_COLUMNS", "hotel_survey", "hotel_tickets"]

#: The columns of a bundled ticket log that `from_tickets` reads beyond its defaults.
TICKET_COLUMNS: dict[str, Any] = {
    "agent": "agent",
    "category": "category",
    "satisfaction": "rating",
    "sla": "target",
}

# (customer, supplier, scores of its respondents): a 1-5 survey of June 2024
_SURVEY = (
    ("kitchen", "purchasing", (4, 4, 5)),
    ("kitchen", "butcher", (3, 4)),
    ("service staff", "kitchen", (4, 3, 4, 4)),
    ("reception", "housekeeping", (4, 4, 3)),
    ("reception", "IT", (2, 1, 2)),
    ("accounts", "IT", (2, 3)),
    ("accounts", "reception", (4, 5)),
    ("housekeeping", "reception", (3, 3)),
)


def hotel_survey() -> list[tuple[str, str, int, str]]:
    """The hotel staff's ratings of the internal services they receive.

    One record per respondent: ``(customer, supplier, score, date)`` on a
    1-5 scale, all of one survey wave (2024-06-03). Read it with
    `intcust.metrics.read_survey`, which averages the respondents of a
    service.

    Returns
    -------
    list of tuple
        21 records rating 8 services of `hotel`.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.hotel()
    >>> s = ic.metrics.read_survey(ic.datasets.hotel_survey(), G=G)
    >>> round(s.ratings[("IT", "reception")], 3), s.ratings[("purchasing", "kitchen")]
    (0.167, 0.8333333333333334)
    """
    return [
        (customer, supplier, score, "2024-06-03")
        for customer, supplier, scores in _SURVEY
        for score in scores
    ]


def hotel_tickets(month: int = 1) -> pd.DataFrame:
    """Four weeks of the hotel IT desk's tickets (needs pandas).

    Reception and accounts raise tickets for PMS access (about three in
    four) and password resets; two agents resolve them. PMS access has a
    15-minute target, a password reset one hour. Resolution times are
    log-normal; about six in ten tickets are rated 1-5 (the faster, the
    better), and the last few are still open. The same tickets every call
    (a fixed seed per month).

    Parameters
    ----------
    month : {1, 2}, optional
        1: June, PMS access slower than its target allows (median 13
        minutes, a long tail). 2: July, after IT placed a PMS key user at
        reception who settles most access problems on the spot (median 7
        minutes).

    Returns
    -------
    pandas.DataFrame
        Columns ``ticket``, ``requester`` (the hotel team), ``team``
        (``"IT"``), ``agent``, ``category``, ``opened``, ``resolved``
        (ISO 8601; blank while open), ``rating`` and ``target`` (hours).
        `TICKET_COLUMNS` names the optional ones for `from_tickets`.

    Raises
    ------
    ParameterError
        If `month` is not 1 or 2.

    Examples
    --------
    >>> import intcust as ic
    >>> from intcust.graph.datasets.hospitality_records import TICKET_COLUMNS
    >>> desk = ic.from_tickets(ic.datasets.hotel_tickets(), level="unit",
    ...                        time_unit="hour", period=24, **TICKET_COLUMNS)
    >>> sorted(desk.edges), desk.nodes["IT"]["servers"]
    ([('IT', 'accounts'), ('IT', 'reception')], 2)
    >>> desk.graph["tickets"]["tickets"], desk.graph["tickets"]["open"]
    (196, 3)
    """
    import pandas as pd

    from intcust.errors import ParameterError

    if month not in (1, 2) or isinstance(month, bool):
        raise ParameterError(
            f"The 'month' parameter of hotel_tickets must be 1 or 2; got {month!r}."
        )
    rng = np.random.default_rng(2023 + month)
    n = 196  # seven a day for four weeks
    start = pd.Timestamp("2024-06-03 06:00") + pd.Timedelta(weeks=4 * (month - 1))
    opened = start + pd.to_timedelta(np.sort(rng.uniform(0, 28 * 24, n)), unit="h")
    requester = np.where(rng.random(n) < 0.6, "reception", "accounts")
    pms = rng.random(n) < 0.75
    category = np.where(pms, "PMS access", "password reset")
    target = np.where(pms, 0.25, 1.0)
    median = 0.22 if month == 1 else 0.12
    hours = np.where(
        pms, rng.lognormal(np.log(median), 0.9, n), rng.lognormal(np.log(0.5), 0.6, n)
    )
    done = (opened + pd.to_timedelta(hours, unit="h")).strftime("%Y-%m-%d %H:%M:%S")
    resolved = np.where(np.arange(n) >= n - 3, "", done)
    quality = np.clip(5 - np.round(2 * hours / target), 1, 5).astype(int)
    rated = rng.random(n) < 0.6
    return pd.DataFrame(
        {
            "ticket": [f"INC{10001 + 1000 * (month - 1) + i}" for i in range(n)],
            "requester": requester,
            "team": "IT",
            "agent": np.where(rng.random(n) < 0.5, "Ivan", "Ines"),
            "category": category,
            "opened": opened.strftime("%Y-%m-%d %H:%M:%S"),
            "resolved": resolved,
            "rating": np.where(rated & (resolved != ""), quality, np.nan),
            "target": target,
        }
    )
