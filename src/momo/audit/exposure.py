"""How recognisable is my writing? A private check of a draft before posting.

The draft is compared with the person's own earlier posts (read from their
vault during their session) and with a sample of the community. The answer
says how strongly the draft points back to its author and which markers do
it: pet phrases, punctuation habits, emoji runs. Nothing about it is stored.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from momo.audit.calibration import level, shipped, style_statistic
from momo.audit.views import Exposure, Marker
from momo.translation import N_, translate

MIN_OWN = 2
MIN_COMMUNITY = 20
# Pet phrases are judged only against a sample large enough to know what is common.
MIN_COMMUNITY_FOR_PHRASES = 50
# Habits worth naming; each name is an English msgid, shown in the reader's language.
PUNCTUATION = {
    "！！": N_("double exclamation marks"),
    "!!": N_("double exclamation marks"),
    "～": N_("the tilde ～"),
    "~": N_("the tilde ~"),
    "……": N_("the long ellipsis ……"),
    "...": N_("three dots ..."),
    "。。": N_("doubled full stops"),
    "？？": N_("doubled question marks"),
    "??": N_("doubled question marks"),
    "哈哈哈": N_("哈哈哈 laughter"),
    "hhh": N_("hhh laughter"),
    "233": N_("233 laughter"),
    " lol": N_("lol"),
}
EMOJI_RUN = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]{2,}")
ENDING = re.compile(r"[^\w\s]{1,3}$")  # trailing punctuation, symbols or emoji
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
WORD = re.compile(r"[a-z']{2,}")


def phrases(text: str) -> set[str]:
    """Candidate pet phrases: Chinese 2–4 character n-grams and English 1–3 word n-grams."""
    lowered = text.lower()
    found: set[str] = set()
    for run in CJK_RUN.findall(lowered):
        for size in (2, 3, 4):
            found.update(run[i : i + size] for i in range(len(run) - size + 1))
    words = WORD.findall(lowered)
    for size in (1, 2, 3):
        found.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return {p for p in found if len(p) >= 2 and not (" " not in p and p.isascii() and len(p) < 4)}


def _rate(text: str, mark: str) -> float:
    return text.count(mark) / max(1, len(text)) * 1000


def _markers(draft: str, own: Sequence[str], community: Sequence[str], locale: str) -> list[Marker]:
    found: list[Marker] = []
    own_text, crowd_text = "\n".join(own), "\n".join(community)
    for mark, name in PUNCTUATION.items():
        if mark in draft and _rate(own_text, mark) > 2 * _rate(crowd_text, mark) + 0.05:
            found.append(
                Marker(
                    kind="punctuation",
                    text=mark.strip(),
                    explanation=translate(
                        locale,
                        "You use %(habit)s far more than people here do; leaving it out makes "
                        "this post harder to trace to you.",
                        habit=translate(locale, name),
                    ),
                )
            )
    for run in set(EMOJI_RUN.findall(draft)):
        if run in own_text and crowd_text.count(run) <= max(1, len(community) // 100):
            found.append(
                Marker(
                    kind="emoji",
                    text=run,
                    explanation=translate(
                        locale,
                        "This emoji run is in your posts and rare elsewhere; another one, or "
                        "none, is harder to trace.",
                    ),
                )
            )
    found += _ending_marker(draft, own, community, locale)
    if len(community) >= MIN_COMMUNITY_FOR_PHRASES:
        found += _phrase_markers(draft, own, community, locale)
    return found[:8]


def _ending(text: str) -> str | None:
    match = ENDING.search(text.rstrip())
    return match.group(0) if match else None


def _ending_marker(
    draft: str, own: Sequence[str], community: Sequence[str], locale: str
) -> list[Marker]:
    """'You often end with ～～ — most people here don't.'"""
    ending = _ending(draft)
    if ending is None or not own:
        return []
    own_share = sum(_ending(text) == ending for text in own) / len(own)
    crowd_share = sum(_ending(text) == ending for text in community) / max(1, len(community))
    if own_share < 0.5 or sum(_ending(text) == ending for text in own) < 2 or crowd_share >= 0.15:
        return []
    return [
        Marker(
            kind="ending",
            text=ending,
            explanation=translate(
                locale,
                "You often end with %(ending)s (%(own)s%% of your posts); only %(share)s%% "
                "of posts here do. Ending another way is harder to trace.",
                ending=ending,
                own=round(100 * own_share),
                share=round(100 * crowd_share),
            ),
        )
    ]


def _phrase_markers(
    draft: str, own: Sequence[str], community: Sequence[str], locale: str
) -> list[Marker]:
    """Phrases in many of the writer's posts and almost none of the community's. An
    everyday word (周末, 番茄) is in enough community posts never to qualify."""
    crowd_docs = [phrases(text) for text in community]
    own_counts = Counter(p for text in own for p in phrases(text))
    pets = []
    for phrase in phrases(draft):
        if own_counts[phrase] < 2 or own_counts[phrase] < 0.3 * len(own):
            continue
        share = sum(phrase in doc for doc in crowd_docs) / max(1, len(crowd_docs))
        if share < 0.02:
            pets.append((phrase, share))
    # Keep the longest: "绝绝子" rather than "绝绝" and "绝子" as well.
    pets.sort(key=lambda item: (-len(item[0]), item[0]))
    kept: list[tuple[str, float]] = []
    for phrase, share in pets:
        if not any(phrase in longer for longer, _ in kept):
            kept.append((phrase, share))
    return [
        Marker(
            kind="phrase",
            text=phrase,
            explanation=translate(
                locale,
                "A pet phrase of yours: in %(own)s of your posts and %(share)s%% of others'. "
                "Saying it another way is harder to trace.",
                own=own_counts[phrase],
                share=f"{100 * share:.1f}",
            ),
        )
        for phrase, share in kept[:5]
    ]


def exposure(
    draft: str, own: Sequence[str], community: Sequence[str], locale: str = "en"
) -> Exposure:
    own = [text for text in own if text.strip()]
    community = [text for text in community if text.strip()]
    markers = _markers(draft, own, community, locale)
    calibration = shipped()
    if len(own) < MIN_OWN or len(community) < MIN_COMMUNITY:
        return Exposure(
            level="not enough history",
            chance=None,
            candidates=calibration.candidates,
            summary=translate(
                locale,
                "There is not enough to compare yet: this needs at least %(own)s earlier "
                "posts of yours and %(community)s posts by others.",
                own=MIN_OWN,
                community=MIN_COMMUNITY,
            ),
            own_posts=len(own),
            community_posts=len(community),
            markers=markers,
        )
    chance = calibration.chance(style_statistic(draft, own, community), len(own))
    return Exposure(
        level=level(chance),
        chance=round(chance, 3),
        candidates=calibration.candidates,
        summary=in_words(chance, calibration.candidates, locale),
        own_posts=len(own),
        community_posts=len(community),
        markers=markers,
    )


def in_words(chance: float, candidates: int, locale: str) -> str:
    """'About 1 in 3 chance …': odds people read, not a percentage to over-trust."""
    if chance < 0.05:
        return translate(
            locale,
            "Less than 1 in 20 chance that someone who has other writing of yours could "
            "pick you out among %(candidates)s people.",
            candidates=candidates,
        )
    if chance < 0.5:
        return translate(
            locale,
            "About 1 in %(n)s chance that someone who has other writing of yours could "
            "pick you out among %(candidates)s people.",
            n=max(2, round(1 / chance)),
            candidates=candidates,
        )
    if chance < 0.9:
        return translate(
            locale,
            "About %(tenths)s in 10 chance that someone who has other writing of yours could "
            "pick you out among %(candidates)s people.",
            tenths=round(chance * 10),
            candidates=candidates,
        )
    return translate(
        locale,
        "More than 9 in 10 chance that someone who has other writing of yours could pick "
        "you out among %(candidates)s people.",
        candidates=candidates,
    )
