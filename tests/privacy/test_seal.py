import os

import pytest

from momo.privacy.seal import SealBroken, Sealer


def test_sealing_the_same_author_twice_gives_unrelated_bytes() -> None:
    sealer = Sealer(os.urandom(32))
    first = sealer.seal("account-1", "note", "n1")
    second = sealer.seal("account-1", "note", "n1")
    assert first != second
    assert b"account-1" not in first
    assert sealer.open(first, "note", "n1") == "account-1"
    assert sealer.open(second, "note", "n1") == "account-1"


def test_a_seal_moved_to_another_item_does_not_open() -> None:
    sealer = Sealer(os.urandom(32))
    sealed = sealer.seal("account-1", "note", "n1")
    with pytest.raises(SealBroken):
        sealer.open(sealed, "note", "n2")
    with pytest.raises(SealBroken):
        sealer.open(sealed, "comment", "n1")


def test_a_seal_does_not_open_under_another_key() -> None:
    sealed = Sealer(os.urandom(32)).seal("account-1", "note", "n1")
    with pytest.raises(SealBroken):
        Sealer(os.urandom(32)).open(sealed, "note", "n1")
