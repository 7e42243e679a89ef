"""The vocabulary of moderation: report reasons (by severity), actions, outcomes."""

from __future__ import annotations

# Lower is more urgent: a privacy leak or doxxing harms someone right now.
REASONS: dict[str, int] = {
    "privacy": 0,
    "illegal": 1,
    "harassment": 2,
    "misinformation": 3,
    "spam": 4,
    "other": 5,
}
SURGE = "surge"  # the rule recorded when the system damps a pile-on
TARGET_TYPES = ("note", "comment")

# Actions on content or threads, and sanctions that reach the hidden author.
THREAD_ACTIONS = ("lock", "unlock", "slow_mode", "undamp")
CONTENT_ACTIONS = ("remove", "restore", "dismiss")
SANCTIONS = ("remove", "warn", "mute", "ban")
ACTIONS = (
    "remove",
    "restore",
    "lock",
    "unlock",
    "slow_mode",
    "warn",
    "mute",
    "ban",
    "dismiss",
    "undamp",
)
AUTOMATIC = ("damp",)

IN_EFFECT, UPHELD, OVERTURNED = "in_effect", "upheld", "overturned"
