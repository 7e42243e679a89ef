"""`momo privacy scan`: the JSON Lines contract, and bad lines that do not stop it."""

from __future__ import annotations

import json
import subprocess
import sys


def run(stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "momo", "privacy", "scan"],
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def test_contract() -> None:
    lines = [
        {"id": 1, "text": "邮箱bob@example.com谢谢，电话138 1234 5678"},
        {"id": "b", "text": "nothing to see"},
        {"id": None, "text": ""},
    ]
    result = run("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode())
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert out[0] == {
        "id": 1,
        "findings": [
            {"start": 2, "end": 17, "kind": "email", "text": "bob@example.com"},
            {"start": 22, "end": 35, "kind": "phone", "text": "138 1234 5678"},
        ],
    }
    assert out[1] == {"id": "b", "findings": []}
    assert out[2] == {"id": None, "findings": []}


def test_bad_lines_get_errors_and_the_rest_is_scanned() -> None:
    stdin = (
        b'not json\n\xff\xfe\xfd\n{"id": 7}\n'
        + json.dumps({"id": 9, "text": "QQ 12345678"}).encode()
        + b"\n"
    )
    result = run(stdin)
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert "not valid JSON" in out[0]["error"]
    assert "UTF-8" in out[1]["error"]
    assert out[2]["id"] == 7 and "text" in out[2]["error"]
    assert out[3] == {
        "id": 9,
        "findings": [{"start": 3, "end": 11, "kind": "qq", "text": "12345678"}],
    }
    assert b"could not be scanned" in result.stderr


def test_a_megabyte_line() -> None:
    text = "今天天气不错。" * 140_000 + "电话13812345678"
    result = run((json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n").encode())
    assert result.returncode == 0
    (line,) = result.stdout.decode().splitlines()
    assert json.loads(line)["findings"][0]["kind"] == "phone"
