from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from momo.core import Momo
from tests.conftest import new_client, sign_up


@dataclass
class Person:
    client: TestClient
    key: str


@pytest.fixture
def people(app, momo: Momo):  # type: ignore[no-untyped-def]
    """A factory of signed-in people; moderator=True grants the role like the CLI does."""

    def make(moderator: bool = False, probation: bool = False) -> Person:
        client = new_client(app)
        key = sign_up(client)
        if moderator:
            momo.accounts.set_role(key, "moderator")
        if not probation:
            account_id = momo.accounts.find_by_key(key)
            from sqlalchemy import update

            from momo.identity.tables import accounts

            with momo.db.write() as conn:
                conn.execute(
                    update(accounts).where(accounts.c.id == account_id).values(probation_until=0)
                )
        return Person(client, key)

    return make


def act(moderator: Person, target_id: str, action: str = "sanction", target_type: str = "note"):  # type: ignore[no-untyped-def]
    """A moderator's action through the API, with the rule every test here uses."""
    return moderator.client.post(
        "/api/mod/actions",
        json={"target_type": target_type, "target_id": target_id, "action": action, "rule": "spam"},
    )
