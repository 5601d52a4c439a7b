"""Where the program keeps its files: the user data folder unless --db says otherwise."""

from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "FupinDesktop"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def default_database() -> Path:
    return data_dir() / "fupin.db"


def backups_dir(db_file: Path) -> Path:
    """Backups live beside the database, so a copied data folder carries its backups."""
    return db_file.parent / "backups"


def attachments_dir(db_file: Path) -> Path:
    """Photos and documents live beside the database, content-addressed (shared safely by databases)."""
    return db_file.parent / "attachments"
