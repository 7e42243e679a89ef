"""sanctions keep their sealed author, so appeals survive deleted content

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mod_actions", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.add_column(sa.Column("sealed_author", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mod_actions", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_column("sealed_author")
