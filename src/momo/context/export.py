"""Context notes in the public and research exports: the notes and their
statuses, never a rater, a rating row or an author."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from momo.context.service import ContextNoteService

DATA_DICTIONARY = """
## context_notes.jsonl (one context note per line)
| field | type | meaning |
| --- | --- | --- |
| context_id | string | random public id |
| note_id | string | the post it adds context to |
| date | string | UTC date written, `YYYY-MM-DD` |
| body | string | the context, personal data masked in the research export |
| sources | list of strings | the source links given |
| reason | string | `misleading`, `missing_context`, `outdated`, `satire` or `other` |
| status | string | `helpful` (shown under the post), `not_helpful` or `needs_more_ratings` |
| rating_count | integer | ratings in the current fitting window |

Ratings themselves are not exported: they exist only under rater pseudonyms that
change every epoch and are erased afterwards (docs/context-notes.md).
"""


def write_context_notes(
    service: ContextNoteService, out_dir: Path, mask: Callable[[str], str] = lambda s: s
) -> int:
    count = 0
    with (out_dir / "context_notes.jsonl").open("w", encoding="utf-8") as handle:
        for view in service.all_public():
            record = {
                "context_id": view.id,
                "note_id": view.note_id,
                "date": view.time[:10],
                "body": mask(view.body),
                "sources": view.sources,
                "reason": view.reason,
                "status": view.status,
                "rating_count": view.rating_count,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
