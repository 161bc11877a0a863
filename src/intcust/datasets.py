"""Bundled example organisations: ``ic.datasets.email_campaign()`` and others.

See `intcust.graph.datasets` for what each example tells.
"""

from intcust.graph.datasets import email_campaign

__all__ = ["email_campaign"]
