"""Service standards: SLA compliance, feedback breakdown points and before/after comparison."""
