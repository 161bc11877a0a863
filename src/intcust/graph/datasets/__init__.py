"""Bundled example organisations, written from classic internal-customer cases.

Each function builds a fresh, valid organisation, so examples can change it
freely. Durations are in days unless the graph's ``time_unit`` says otherwise.
One module per story: `marketing` (the e-mail campaign), `hospitality` (the
hotel and its call centre, with the hotel's survey and tickets in
`hospitality_records`), `firm` (the company) and `planning` (a recurring loop).
"""

from intcust.graph.datasets.firm import company
from intcust.graph.datasets.hospitality import call_center, hotel
from intcust.graph.datasets.hospitality_records import hotel_survey, hotel_tickets
from intcust.graph.datasets.marketing import email_campaign
from intcust.graph.datasets.planning import weekly_planning

__all__ = [
    "call_center",
    "company",
    "email_campaign",
    "hotel",
    "hotel_survey",
    "hotel_tickets",
    "weekly_planning",
]
