import pytest
from hypothesis import given
from hypothesis import strategies as st

from momo.identity import account_keys


def test_keys_are_grouped_long_and_unique() -> None:
    keys = {account_keys.generate() for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        groups = key.split("-")
        assert groups[0] == "mo" and len(groups) == 9 and all(len(g) == 4 for g in groups[1:])
    assert account_keys.KEY_BYTES * 8 >= 128


def test_typing_is_forgiving() -> None:
    key = account_keys.generate()
    canonical = account_keys.normalize(key)
    sloppy = key.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert account_keys.normalize(sloppy) == canonical


@given(st.text(max_size=60))
def test_garbage_is_rejected_cleanly(text: str) -> None:
    try:
        account_keys.normalize(text)
    except account_keys.MalformedAccountKey:
        return
    assert len(text) >= 32


def test_hash_needs_the_pepper() -> None:
    normalized = account_keys.normalize(account_keys.generate())
    assert account_keys.key_hash(b"a" * 32, normalized) != account_keys.key_hash(
        b"b" * 32, normalized
    )
    with pytest.raises(account_keys.MalformedAccountKey):
        account_keys.normalize("mo-1234")
