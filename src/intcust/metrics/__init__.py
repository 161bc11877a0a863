"""Metrics: pure functions of an organisation returning NodeScores, NodeTable or a report.

Centrality and structure (organisational network analysis), bottlenecks and
service standards, all on the supplier -> customer direction.
"""

__all__: list[str] = []
