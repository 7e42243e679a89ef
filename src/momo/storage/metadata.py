from typing import Any

from sqlalchemy import MetaData

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Table options for every table that holds items or identities: on SQLite the
# rows live in a B-tree keyed by their (random) primary key, with no rowid, so
# the file keeps no record of the order in which they were written.
NO_ROWID: dict[str, Any] = {"sqlite_with_rowid": False}
