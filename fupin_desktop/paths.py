"""Where the program keeps its files: the user data folder (or the one chosen in the first-run
wizard) unless --db says otherwise."""

import json
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "FupinDesktop"
DATABASE_NAME = "fupin.db"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def location_file() -> Path:
    """Remembers the data folder chosen at first run (a small JSON file in the user's config folder)."""
    return user_config_path(APP_NAME, appauthor=False) / "location.json"


def chosen_data_folder() -> Path | None:
    try:
        folder = json.loads(location_file().read_text(encoding="utf-8")).get("data_folder")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(folder) if folder else None


def remember_data_folder(folder: Path) -> None:
    file = location_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps({"data_folder": str(folder)}, ensure_ascii=False), encoding="utf-8")


def default_database() -> Path:
    return (chosen_data_folder() or data_dir()) / DATABASE_NAME


def backups_dir(db_file: Path) -> Path:
    """Backups live beside the database, so a copied data folder carries its backups."""
    return db_file.parent / "backups"


def attachments_dir(db_file: Path) -> Path:
    """Photos and documents live beside the database, content-addressed (shared safely by databases)."""
    return db_file.parent / "attachments"
