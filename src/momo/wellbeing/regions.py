"""Regions with default crisis lines (their numbers are in crisis_lines.toml)."""

from enum import StrEnum


class CrisisRegion(StrEnum):
    mainland_china = "cn"
    hong_kong = "hk"
    taiwan = "tw"
    international = "intl"
