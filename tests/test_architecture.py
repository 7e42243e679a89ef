"""Each domain owns its tables, domain code never reaches up into the web layer,
and nothing below the CLI and the web app imports the wiring in ``momo.core``.

One owner per table is what lets the per-account write rule hold in one place:
only identity can write an account's rows, and it offers no way to do so on the
item path (tests/test_forensic_unlinkability.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "momo"
DOMAINS = (
    "identity",
    "privacy",
    "content",
    "feed",
    "moderation",
    "audit",
    "storage",
    "wellbeing",
    "context",
)
OWNED_TABLES = {"momo.identity.tables": "identity", "momo.moderation.tables": "moderation"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _domain_modules() -> list[tuple[str, Path]]:
    return [
        (domain, path)
        for domain in DOMAINS
        for path in (SRC / domain).rglob("*.py")
        if "migrations" not in path.parts
    ]


def test_domain_code_never_imports_the_web_layer_or_the_wiring() -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for _, path in _domain_modules()
        for name in _imports(path)
        if name.startswith("momo.web") or name == "momo.core"
    ]
    assert not offenders, offenders


def test_only_the_owning_domain_imports_its_tables() -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for domain, path in _domain_modules()
        for name in _imports(path)
        if name in OWNED_TABLES and OWNED_TABLES[name] != domain
    ]
    assert not offenders, offenders


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from momo.identity.tables import accounts\nimport momo.core\n")
    assert {"momo.identity.tables", "momo.core"} <= _imports(module)
