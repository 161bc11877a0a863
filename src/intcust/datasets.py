"""Bundled example organisations, and a generator of synthetic ones.

``ic.datasets.email_campaign()``, ``hotel()``, ``call_center()``,
``company()`` and ``weekly_planning()`` tell classic internal-customer cases
(the hotel with its staff survey, ``hotel_survey()``, and its IT tickets,
``hotel_tickets()``);
``generate_org(n)`` builds an organisation of any size. See `intcust.graph.datasets` and
`intcust.graph.generators`.
"""

from intcust.graph.datasets import (
    call_center,
    company,
    email_campaign,
    hotel,
    hotel_survey,
    hotel_tickets,
    weekly_planning,
)
from intcust.graph.generators import generate_org

#: The names of the bundled example organisations (each a function returning one).
EXAMPLES = ("call_center", "company", "email_campaign", "hotel", "weekly_planning")

__all__ = [
    "EXAMPLES",
    "call_center",
    "company",
    "email_campaign",
    "generate_org",
    "hotel",
    "hotel_survey",
    "hotel_tickets",
    "weekly_planning",
]
