"""Alembic environment: runs on the engine the workbench opened (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from workbench.store.orm import Base
from workbench.store.search import include_object

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two workbenches starting at once on a new shared database migrate one after the other.
            connection.execute(text("SELECT pg_advisory_xact_lock(7270762)"))
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
