"""Apply Alembic migrations from inside Momo (``momo serve`` runs them at start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _run(
    engine: Engine,
    action: str,
    revision: str,
    keys: Any = None,
    index_build_memory: str | None = None,
) -> None:
    config = _config(engine)
    # A migration that moves sealed data (0003) needs the keyring; it is handed
    # over in memory and never written anywhere.
    config.attributes["keys"] = keys
    config.attributes["index_build_memory"] = index_build_memory
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            # Rebuilding a table (drop, then rename the copy) must not cascade
            # deletes into the tables that refer to it. The pragma only takes
            # effect outside a transaction, so it goes to the driver directly.
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            conn.execution_options(momo_write=True)
            config.attributes["connection"] = conn
            getattr(command, action)(config, revision)
            conn.commit()
        finally:
            if sqlite:
                conn.rollback()
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def upgrade(
    engine: Engine,
    revision: str = "head",
    *,
    keys: Any = None,
    index_build_memory: str | None = None,
) -> None:
    _run(engine, "upgrade", revision, keys, index_build_memory)


def downgrade(engine: Engine, revision: str = "base") -> None:
    _run(engine, "downgrade", revision)


def revision(engine: Engine, message: str) -> None:
    """Developer helper: autogenerate a new migration against the current schema."""
    config = _config(engine)
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message=message, autogenerate=True)
