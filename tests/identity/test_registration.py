"""Sock-puppet controls: proof-of-work, invites, closed sign-up, probation, ban evasion."""

from __future__ import annotations

from fastapi.testclient import TestClient

from momo.config import RegistrationPolicy
from momo.core import Momo
from momo.identity.proof_of_work import leading_zero_bits, solve, work
from tests.conftest import PG_URL, empty_postgres, new_client, sign_up, solved_pow


def test_pow_math() -> None:
    assert leading_zero_bits(b"\x00\x0f") == 12
    assert leading_zero_bits(b"\x80") == 0
    nonce = solve("challenge", 10)
    assert work("challenge", nonce) >= 10


def test_open_registration_needs_a_fresh_solved_challenge(client: TestClient) -> None:
    missing = client.post("/api/accounts")
    assert missing.status_code == 422 and "proof-of-work" in missing.json()["error"]["message"]
    challenge = client.get("/api/pow").json()
    assert challenge["difficulty"] == 8 and challenge["policy"] == "open"
    wrong = client.post(
        "/api/accounts",
        json={"pow": {"challenge": challenge["challenge"], "nonce": "not-a-solution-0"}},
    )
    if work(challenge["challenge"], "not-a-solution-0") < 8:
        assert wrong.status_code == 422
    forged = client.post(
        "/api/accounts", json={"pow": {"challenge": "abc.9999999999.sig", "nonce": "1"}}
    )
    assert forged.status_code == 422
    answer = solved_pow(client)
    assert client.post("/api/accounts", json={"pow": answer}).status_code == 201
    replay = client.post("/api/accounts", json={"pow": answer})
    assert replay.status_code == 422 and "already used" in replay.json()["error"]["message"]


def test_expired_challenges_are_refused(client: TestClient, clock) -> None:  # type: ignore[no-untyped-def]
    answer = solved_pow(client)
    clock.advance(3600)
    response = client.post("/api/accounts", json={"pow": answer})
    assert response.status_code == 422 and "expired" in response.json()["error"]["message"]


def test_invite_only_registration(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    inviter = new_client(app)
    inviter_key = sign_up(inviter)
    momo.settings.registration = RegistrationPolicy.invite
    assert inviter.post("/api/invites").status_code == 403, "probation: no invites yet"
    account_id = momo.accounts.find_by_key(inviter_key)
    from sqlalchemy import update

    from momo.identity.tables import accounts

    with momo.db.write() as conn:
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(probation_until=0))
    code = inviter.post("/api/invites").json()["code"]
    newcomer = new_client(app)
    assert newcomer.post("/api/accounts").status_code == 422
    assert newcomer.post("/api/accounts", json={"invite_code": "inv-nope"}).status_code == 403
    assert newcomer.post("/api/accounts", json={"invite_code": code}).status_code == 201
    assert new_client(app).post("/api/accounts", json={"invite_code": code}).status_code == 403


def test_closed_registration(client: TestClient, momo: Momo) -> None:
    momo.settings.registration = RegistrationPolicy.closed
    assert client.post("/api/accounts", json={"pow": solved_pow(client)}).status_code == 403
    assert (
        "closed"
        in client.get("/signup", headers={"accept": "text/html", "accept-language": "en"}).text
    )


def test_new_accounts_are_in_probation_and_ban_evasion_starts_over(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    client = new_client(app)
    sign_up(client)
    for i in range(5):
        assert client.post("/api/notes", json={"title": f"n{i}", "body": ""}).status_code == 201
    limited = client.post("/api/notes", json={"title": "sixth", "body": ""})
    assert limited.status_code == 429
    # a banned person's way back is a fresh proof-of-work and a fresh probation
    fresh = new_client(app)
    sign_up(fresh)
    viewer = momo.accounts.resolve(fresh.cookies.get("momo_session"))
    assert viewer is not None and viewer.probation_until > momo.time.now()


def test_difficulty_zero_turns_pow_off(settings, clock) -> None:  # type: ignore[no-untyped-def]
    from momo.web.app import create_app

    if PG_URL:
        empty_postgres(str(settings.database_url))
    momo = Momo(settings.model_copy(update={"pow_difficulty": 0}), clock=clock)
    client = TestClient(create_app(momo))
    assert client.get("/api/pow").json()["difficulty"] == 0
    assert client.post("/api/accounts").status_code == 201
    momo.close()


def test_sign_up_without_javascript_says_why_it_cannot_finish(client) -> None:  # type: ignore[no-untyped-def]
    html = {"accept": "text/html", "accept-language": "en"}
    form = client.get("/signup", headers=html).text
    assert 'data-testid="signup-nojs"' in form and "needs JavaScript" in form
    challenge = client.get("/api/pow").json()["challenge"]
    response = client.post(
        "/signup", data={"challenge": challenge, "nonce": ""}, headers=html, follow_redirects=False
    )
    assert response.status_code == 422
    assert "JavaScript" in response.text and "invite" in response.text


def test_an_invite_also_opens_an_open_server_without_the_puzzle(app, momo: Momo) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from momo.identity.tables import accounts

    inviter = new_client(app)
    account_id = momo.accounts.find_by_key(sign_up(inviter))
    with momo.db.write() as conn:
        conn.execute(update(accounts).where(accounts.c.id == account_id).values(probation_until=0))
    code = inviter.post("/api/invites").json()["code"]
    assert momo.settings.registration == RegistrationPolicy.open
    newcomer = new_client(app)
    assert newcomer.post("/api/accounts", json={"invite_code": "inv-nope"}).status_code == 403
    assert newcomer.post("/api/accounts", json={"invite_code": code}).status_code == 201
    assert new_client(app).post("/api/accounts", json={"invite_code": code}).status_code == 403
