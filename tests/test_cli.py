"""The momo command: demo seeding, public export and roles."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from momo.cli import app
from momo.config import Settings
from momo.core import Momo

runner = CliRunner()


def test_demo_then_public_export(tmp_path: Path) -> None:
    data = tmp_path / "data"
    seeded = runner.invoke(
        app, ["demo", "--notes", "25", "--accounts", "12", "--data-dir", str(data)]
    )
    assert seeded.exit_code == 0, seeded.output
    assert "seeded 25 notes" in seeded.output
    out = tmp_path / "export"
    exported = runner.invoke(app, ["export", "--public", str(out), "--data-dir", str(data)])
    assert exported.exit_code == 0, exported.output
    lines = (out / "notes.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 25
    records = [json.loads(line) for line in lines]
    assert all(r["persona"]["name"] == "Momo" for r in records)
    assert sum(len(r["comments"]) for r in records) > 0
    keys = _keys(records)
    for forbidden in ("sealed", "account", "tag", "viewer", "time_ago"):
        # Keys, not text: a random public id may well begin with "tag".
        assert not any(key.startswith(forbidden) for key in keys), forbidden
    assert any(r["images"] for r in records)
    assert len({r["topics"][0] for r in records if r["topics"]}) > 3, "a varied community"


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_export_needs_a_kind(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "x"), "--data-dir", str(tmp_path)])
    assert result.exit_code == 2


def test_admin_grant_and_revoke_read_the_key_from_stdin(tmp_path: Path) -> None:
    data = tmp_path / "data"
    momo = Momo(Settings(data_dir=data))
    momo.migrate()
    created = momo.accounts.create()
    momo.close()
    key = created.account_key + "\n"
    granted = runner.invoke(
        app, ["admin", "grant", "moderator", "--data-dir", str(data)], input=key
    )
    assert granted.exit_code == 0, granted.output
    assert created.account_key not in granted.output
    momo = Momo(Settings(data_dir=data))
    viewer = momo.accounts.resolve(momo.accounts.sign_in(created.account_key))
    assert viewer is not None and viewer.is_moderator
    momo.close()
    revoked = runner.invoke(app, ["admin", "revoke", "--data-dir", str(data)], input=key)
    assert revoked.exit_code == 0
    bad = runner.invoke(app, ["admin", "grant", "overlord", "--data-dir", str(data)], input=key)
    assert bad.exit_code == 1 and "role must be" in bad.output
    unknown = runner.invoke(
        app, ["admin", "grant", "admin", "--data-dir", str(data)], input="mo-0000\n"
    )
    assert unknown.exit_code == 1


def test_the_account_key_is_never_an_argument(tmp_path: Path) -> None:
    """argv lands in shell history and in every other user's process list."""
    for command in (["admin", "grant", "moderator"], ["admin", "revoke"]):
        result = runner.invoke(
            app, [*command, "--account-key", "mo-0000", "--data-dir", str(tmp_path)]
        )
        assert result.exit_code == 2 and "No such option" in result.output


def test_client_signup_solves_the_proof_of_work(tmp_path: Path) -> None:
    from tests.server import running_server

    with running_server(tmp_path, {"MOMO_POW_DIFFICULTY": "12"}) as server:
        result = runner.invoke(app, ["client", "signup", "--server", server.base_url])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("mo-")
