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

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from momo.audit.views import Exposure, Marker

MIN_OWN = 2
PUNCTUATION = {
    "！！": "double exclamation marks",
    "!!": "double exclamation marks",
    "～": "the tilde ～",
    "~": "the tilde ~",
    "……": "the long ellipsis ……",
    "...": "three dots ...",
    "。。": "doubled full stops",
    "？？": "doubled question marks",
    "??": "doubled question marks",
    "哈哈哈": "哈哈哈 laughter",
    "hhh": "hhh laughter",
    "233": "233 laughter",
    " lol": "lol",
}
EMOJI_RUN = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f]{2,}")
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


def _markers(draft: str, own: Sequence[str], community: Sequence[str]) -> list[Marker]:
    found: list[Marker] = []
    own_text, crowd_text = "\n".join(own), "\n".join(community)
    for mark, name in PUNCTUATION.items():
        if mark in draft and _rate(own_text, mark) > 2 * _rate(crowd_text, mark) + 0.05:
            found.append(
                Marker(
                    kind="punctuation",
                    text=mark.strip(),
                    explanation=f"You use {name} far more than the community does.",
                )
            )
    for run in set(EMOJI_RUN.findall(draft)):
        if run in own_text and crowd_text.count(run) <= max(1, len(community) // 100):
            found.append(
                Marker(
                    kind="emoji",
                    text=run,
                    explanation="This emoji run appears in your posts and rarely elsewhere.",
                )
            )
    crowd_docs = [phrases(text) for text in community]
    own_counts = Counter(p for text in own for p in phrases(text))
    pets = []
    for phrase in phrases(draft):
        if own_counts[phrase] < 2:
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
    for phrase, share in kept[:5]:
        found.append(
            Marker(
                kind="phrase",
                text=phrase,
                explanation=f"A pet phrase: in {own_counts[phrase]} of your posts, "
                f"in {100 * share:.1f}% of others'.",
            )
        )
    return found[:8]


def exposure(draft: str, own: Sequence[str], community: Sequence[str]) -> Exposure:
    own = [text for text in own if text.strip()]
    community = [text for text in community if text.strip()]
    markers = _markers(draft, own, community)
    if len(own) < MIN_OWN or len(community) < 10:
        return Exposure(
            level="not enough history",
            score=None,
            own_posts=len(own),
            community_posts=len(community),
            markers=markers,
        )
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    matrix = vectorizer.fit_transform([draft, *own, *community])
    draft_vec = matrix[0]
    own_centroid = np.asarray(matrix[1 : 1 + len(own)].mean(axis=0))
    crowd = matrix[1 + len(own) :]
    own_similarity = float(np.asarray(draft_vec @ own_centroid.T).item())
    # Compare with "pseudo-authors": random groups of community posts of the same size.
    rng = np.random.default_rng(0)
    size = min(len(own), crowd.shape[0])
    others = []
    for _ in range(50):
        pick = rng.choice(crowd.shape[0], size=size, replace=False)
        centroid = np.asarray(crowd[pick].mean(axis=0))
        others.append(float(np.asarray(draft_vec @ centroid.T).item()))
    score = float(np.mean(np.array(others) < own_similarity))
    level = "high" if score >= 0.95 else "medium" if score >= 0.8 else "low"
    return Exposure(
        level=level,
        score=round(score, 3),
        own_posts=len(own),
        community_posts=len(community),
        markers=markers,
    )
