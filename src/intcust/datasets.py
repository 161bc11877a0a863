"""Bundled example organisations, and a generator of synthetic ones.

``ic.datasets.email_campaign()``, ``hotel()``, ``call_center()``,
``company()`` and ``weekly_planning()`` tell classic internal-customer cases;
``generate_org(n)`` builds an organisation of any size. See `intcust.graph.datasets` and
`intcust.graph.generators`.
"""

from intcust.graph.datasets import (
    call_center,
    company,
    email_campaign,
    hotel,
    weekly_planning,
)
from intcust.graph.generators import generate_org

__all__ = [
    "call_center",
    "company",
    "email_campaign",
    "generate_org",
    "hotel",
    "weekly_planning",
]
