"""The e-mail campaign: a small marketing team and its paying customers."""

from __future__ import annotations

import networkx as nx

from intcust.graph.builders import add_service, add_stakeholder, org_graph
from intcust.graph.durations import PERT, Triangular

__all__ = ["email_campaign"]


def email_campaign() -> nx.DiGraph:
    """A marketing team sending an e-mail campaign.

    The designer designs and codes the e-mail and hands it to the sender; the
    list keeper supplies the cleaned mailing list; the sender schedules the
    send-out, the campaign run delivers it, and the external customers
    receive it, due on day 5. When the designer is late, everyone after them
    waits; the list keeper has float to spare. The sender's open-rate report
    back to the designer is an information tie that gates nothing.

    Returns
    -------
    networkx.DiGraph
        5 stakeholders and 5 services; ``time_unit="day"``. Point durations
        are the modes of PERT and triangular estimates.

    Examples
    --------
    >>> import intcust as ic
    >>> G = ic.datasets.email_campaign()
    >>> sorted(G.successors("designer"))
    ['sender']
    >>> G.nodes["customers"]["kind"], G.nodes["customers"]["due"]
    ('external', 5.0)
    """
    G = org_graph(name="E-mail campaign", time_unit="day")
    add_stakeholder(
        G,
        "designer",
        unit="Marketing",
        employment="full-time",
        role="e-mail designer and coder",
        work=PERT(1.0, 2.0, 4.0),
    )
    add_stakeholder(
        G,
        "list keeper",
        unit="Marketing",
        employment="part-time",
        role="mailing-list manager",
        work=PERT(0.5, 1.0, 2.0),
    )
    add_stakeholder(
        G,
        "sender",
        unit="Marketing",
        employment="full-time",
        role="e-mail marketing specialist",
        work=Triangular(0.25, 0.5, 1.0),
    )
    add_stakeholder(
        G,
        "campaign",
        kind="team",
        unit="Marketing",
        role="send-out run of the e-mail service",
        work=0.5,
    )
    add_stakeholder(G, "customers", kind="external", due=5.0)
    add_service(
        G,
        "designer",
        "sender",
        deliverable="email design",
        lead_time=0.5,
        volume=4,
        satisfaction=0.8,
    )
    add_service(G, "list keeper", "sender", deliverable="mailing list", volume=4, sla=1.0)
    add_service(G, "sender", "campaign", deliverable="scheduled send", volume=4)
    add_service(
        G,
        "campaign",
        "customers",
        deliverable="campaign e-mail",
        lead_time=Triangular(0.0, 0.5, 1.0),
        volume=20_000,
    )
    add_service(G, "sender", "designer", deliverable="open-rate report", blocking=False, volume=4)
    return G
