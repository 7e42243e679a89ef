"""Concurrent writers must not turn into 500s.

On PostgreSQL, eight threads posting notes with five new topics each produced 33
UniqueViolation errors: the topic upsert was select-then-insert.
"""

from __future__ import annotations

import threading

from momo.core import Momo
from tests.conftest import publish, viewers


def test_concurrent_new_topics_all_succeed(momo: Momo) -> None:
    people = viewers(momo, 8)
    errors: list[BaseException] = []
    start = threading.Barrier(len(people))

    def post(person: object) -> None:
        start.wait()
        for round_ in range(3):
            try:
                momo.notes.create(person, f"r{round_}", "#alpha #beta #gamma #delta #epsilon")  # type: ignore[arg-type]
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=post, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    publish(momo)
    assert sorted(momo.feeds.popular_topics()) == ["alpha", "beta", "delta", "epsilon", "gamma"]
    assert all(len(momo.feeds.topic(t, None, "en").items) == 20 for t in ("alpha", "gamma"))
