"""Fragility: single points of failure, bus factors, key players and queueing load."""
