"""Concurrent writers must not turn into 500s, against a real server.

On PostgreSQL, eight threads posting notes with five new topics each produced 33
UniqueViolation errors: the topic upsert was select-then-insert.
"""

from __future__ import annotations

import threading

from tests.security.conftest import Target
from tests.server import bucket_ends


def test_concurrent_new_topics_all_succeed(target: Target) -> None:
    people = [target.person()[0] for _ in range(8)]
    statuses: list[int] = []
    start = threading.Barrier(len(people))

    def post(client: object) -> None:
        start.wait()
        for round_ in range(5):
            response = client.post(  # type: ignore[attr-defined]
                "/api/notes",
                json={"title": f"r{round_}", "body": "#alpha #beta #gamma #delta #epsilon"},
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 40
    bucket_ends()
    reader = target.anonymous()
    topic = reader.get("/api/topics/alpha").json()
    assert len(topic["items"]) == 20 and topic["next_cursor"] is not None
