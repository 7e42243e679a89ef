"""Alembic environment: run migrations on the connection Momo hands over."""

from alembic import context

import momo.content.tables
import momo.context.tables
import momo.identity.tables
import momo.moderation.tables  # noqa: F401  (registers tables on the shared metadata)
from momo.storage.metadata import metadata

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
