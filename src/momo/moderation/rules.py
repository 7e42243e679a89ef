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
# Both give the hidden author a strike: "remove" also hides the content,
# "sanction" leaves it up. The moderator never picks the consequence.
SANCTIONS = ("remove", "sanction")
ACTIONS = (
    "remove",
    "restore",
    "lock",
    "unlock",
    "slow_mode",
    "sanction",
    "dismiss",
    "undamp",
)

# What the server does to an account for its next strike, by how many strikes
# (not overturned) it already has: warn first, then mute for longer, then ban.
# The server decides through the seal, so no moderator learns that two items
# share an author from the consequence, and none sees a per-account count.
ESCALATION: tuple[tuple[str, int | None], ...] = (
    ("warning", None),
    ("mute", 1),
    ("mute", 7),
    ("mute", 30),
    ("ban", None),
)


def next_step(strikes_in_effect: int) -> tuple[str, int | None]:
    """The step (warning, mute or ban) and mute days for an account's next strike."""
    return ESCALATION[min(strikes_in_effect, len(ESCALATION) - 1)]


AUTOMATIC = ("damp",)

IN_EFFECT, UPHELD, OVERTURNED = "in_effect", "upheld", "overturned"
