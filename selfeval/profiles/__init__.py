"""Profiles: scoring policy (weights, tolerances, which review checks run), as ``*.toml``."""
