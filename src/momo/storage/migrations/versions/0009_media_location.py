"""images may live in S3-compatible object storage once published

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("media", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.add_column(
            sa.Column("location", sa.String(16), nullable=False, server_default="database")
        )


def downgrade() -> None:
    with op.batch_alter_table("media", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_column("location")
