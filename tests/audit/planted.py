"""Texts with a known answer: filler words any author might use, plus what the test
plants (a marker word, a signature line)."""

from __future__ import annotations

FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "it",
    "that",
    "was",
    "for",
    "on",
    "are",
    "with",
    "as",
    "at",
    "be",
    "this",
    "have",
]
