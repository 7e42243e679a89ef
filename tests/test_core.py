"""The Momo object's own operations."""

from __future__ import annotations

import pytest

from momo.core import Momo
from momo.errors import NotFound
from tests.conftest import publish, viewers


def test_deleting_an_account_with_its_items_is_all_or_nothing(
    momo: Momo, monkeypatch: pytest.MonkeyPatch
) -> None:
    author, other = viewers(momo, 2)
    note_id = momo.notes.create(author, "mine", "")
    publish(momo)
    momo.comments.add(author, note_id, "also mine")

    def fail(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(momo.comments, "erase", fail)
    with pytest.raises(RuntimeError):
        momo.delete_account(author, keep_notes=False)
    assert momo.accounts.resolve(author.token) is not None, "the account is still there"
    assert momo.notes.page(note_id, other, "en").title == "mine", "and so is its note"
    monkeypatch.undo()
    momo.delete_account(author, keep_notes=False)
    assert momo.accounts.resolve(author.token) is None
    with pytest.raises(NotFound):
        momo.notes.page(note_id, other, "en")
