"""Alembic environment: run in process on the connection the program hands over."""

from alembic import context
from sqlalchemy import text

import fupin_desktop.db.models  # noqa: F401  (registers every table)
from fupin_desktop.db.base import Base, UtcDateTime


def render_item(type_, obj, autogen_context):
    """Migrations stay free of app imports: UtcDateTime is stored as a plain DateTime."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("fupin migrations run in process: use fupin_desktop.db.migrate, not the alembic CLI")

sqlite = connection.dialect.name == "sqlite"
if sqlite:
    # Batch mode recreates tables; foreign keys must be off meanwhile (a no-op inside a transaction
    # on SQLite, so migrations that rebuild tables must keep FK-consistent data themselves).
    connection.execute(text("PRAGMA foreign_keys=OFF"))
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=sqlite,
    compare_type=True,
    render_item=render_item,
    include_object=config.attributes.get("include_object"),
)
with context.begin_transaction():
    context.run_migrations()
