"""Reading an audit corpus: JSON Lines of ``{"id", "author", "text"}``."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class Post:
    id: str
    author: str
    text: str


MIN_POSTS_PER_AUTHOR = 2


def load(path: Path) -> list[Post]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CorpusError(f"cannot read {path}: {error.strerror}") from error
    posts = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CorpusError(f"line {number} is not valid UTF-8 JSON") from error
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise CorpusError(f'line {number} needs "author" and "text" strings')
        author = row.get("author")
        if not isinstance(author, str | int) or author == "":
            raise CorpusError(f'line {number} needs an "author"')
        posts.append(Post(str(row.get("id", number)), str(author), row["text"]))
    return usable(posts)


def usable(posts: list[Post]) -> list[Post]:
    """Keep authors with enough posts for k-fold attribution; refuse a corpus too small."""
    counts = Counter(post.author for post in posts)
    kept = [post for post in posts if counts[post.author] >= MIN_POSTS_PER_AUTHOR]
    authors = {post.author for post in kept}
    if len(authors) < 2:
        raise CorpusError("an audit needs at least two authors with two or more posts each")
    return kept
