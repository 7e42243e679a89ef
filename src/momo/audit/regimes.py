"""What each identity regime shows the public, synthesised from a seeded per-author model.

A text corpus has authors and texts but no metadata, so each author gets habits
drawn from a seeded model: the hours they post at, a home region, a phone, and
the communities whose threads they join. Each regime then exposes some of
that, the way the platform it stands for would:

- ``profile``: a persistent pseudonym, exact times, a region label, stripped images.
- ``momo-xhs``: the shared name and avatar, but a unique account id behind each,
  an IP-province label, exact times, and photos with their metadata.
- ``momo``: the shared persona, per-thread voices, times in 5-minute buckets with
  a publish jitter, no region, stripped images.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from momo.audit.corpus import Post

REGIMES = ("profile", "momo-xhs", "momo")
CHANNELS = ("identifier", "voice", "timing", "region", "image", "style")

PROVINCES = 31
DEVICES = 40
COMMUNITIES = 12
THREADS_PER_COMMUNITY_PER_100_POSTS = 2
PHOTO_SHARE = 0.4
DAY = 86400
MOMO_GRANULARITY = 300
MOMO_JITTER = 900


@dataclass
class Habits:
    hours: list[int]
    weekend_bias: float
    region: int
    device: int
    communities: list[int]


@dataclass
class PublicPost:
    """Everything an observer of one regime sees about one post, besides its text."""

    identifier: str | None
    voice: tuple[str, str] | None  # (thread, label as shown)
    thread_topic: str
    timestamp: float
    region: str | None
    image: tuple[str, str] | None  # (device, GPS region) from photo metadata
    extras: dict[str, str] = field(default_factory=dict)


def _habits(rng: random.Random) -> Habits:
    peak = rng.randrange(24)
    hours = [peak, (peak + rng.choice([1, 2, 3, 12, 13])) % 24]
    return Habits(
        hours=hours,
        weekend_bias=rng.random(),
        region=rng.randrange(PROVINCES),
        device=rng.randrange(DEVICES),
        communities=rng.sample(range(COMMUNITIES), 3),
    )


def synthesise(posts: list[Post], seed: int = 7) -> dict[str, list[PublicPost]]:
    rng = random.Random(seed)
    authors = sorted({post.author for post in posts})
    habits = {author: _habits(rng) for author in authors}
    threads_per_community = max(2, THREADS_PER_COMMUNITY_PER_100_POSTS * len(posts) // 100)
    pseudonyms = {
        author: f"user{index:04d}" for index, author in enumerate(rng.sample(authors, len(authors)))
    }
    account_ids = {author: f"{rng.getrandbits(40):010x}" for author in authors}

    # Midnight UTC: an hour habit is an hour of the clock. (The first release started
    # at 08:53:20, so a post's hour straddled two and the one-way jitter pushed posts
    # into the later one, which made Momo's jitter look like it helped the attacker.)
    base = 1_759_968_000
    facts = []
    for post in posts:
        h = habits[post.author]
        day = rng.randrange(60)
        if rng.random() < h.weekend_bias:
            day = day - day % 7 + rng.choice([5, 6])
        hour = rng.choice(h.hours) if rng.random() < 0.8 else rng.randrange(24)
        moment = base + day * DAY + hour * 3600 + rng.randrange(3600)
        community = rng.choice(h.communities) if rng.random() < 0.85 else rng.randrange(COMMUNITIES)
        thread = f"t{community}-{rng.randrange(threads_per_community)}"
        region = h.region if rng.random() < 0.9 else rng.randrange(PROVINCES)
        device = h.device if rng.random() < 0.95 else rng.randrange(DEVICES)
        photo = rng.random() < PHOTO_SHARE
        facts.append((post, moment, community, thread, region, device, photo))

    # Voices are numbered per thread in order of first appearance, as Momo does.
    voices: dict[str, dict[str, int]] = {}
    for post, _moment, _c, thread, *_ in sorted(facts, key=lambda f: f[1]):
        seen = voices.setdefault(thread, {})
        seen.setdefault(post.author, len(seen))

    views: dict[str, list[PublicPost]] = {regime: [] for regime in REGIMES}
    for post, moment, community, thread, region, device, photo in facts:
        topic = f"community-{community}"
        number = voices[thread][post.author]
        views["profile"].append(
            PublicPost(
                identifier=pseudonyms[post.author],
                voice=(thread, pseudonyms[post.author]),
                thread_topic=topic,
                timestamp=moment,
                region=f"province-{region}",
                image=None,
            )
        )
        views["momo-xhs"].append(
            PublicPost(
                identifier=account_ids[post.author],
                voice=(thread, "momo"),
                thread_topic=topic,
                timestamp=moment,
                region=f"province-{region}",
                image=(f"device-{device}", f"gps-{region}") if photo else None,
            )
        )
        jittered = moment + rng.randrange(MOMO_JITTER)
        views["momo"].append(
            PublicPost(
                identifier=None,
                voice=(thread, "OP" if number == 0 else f"Momo {number}"),
                thread_topic=topic,
                timestamp=jittered - jittered % MOMO_GRANULARITY,
                region=None,
                image=None,
            )
        )
    return views
