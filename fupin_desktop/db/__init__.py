"""Storage: SQLAlchemy models, engine and sessions, the change log, and Alembic migrations."""
