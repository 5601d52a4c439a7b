"""What a run killed half-way leaves beside the database, removed at the next start by the first
program to open the file (while nobody else has it open, so nothing in progress is touched):
half-written backups (`backups/*.part`, SQLite's `*.part-journal`), the copy a restore was
checking (`fupin.db.restore-XXXX`), temporary files of printing into the data folder (`.~*.tmp`).
"""

import logging
from pathlib import Path

from fupin_desktop.paths import backups_dir

log = logging.getLogger(__name__)


def leftovers(db_file: Path) -> list[Path]:
    found = list(backups_dir(db_file).glob(f"{db_file.stem}-*.part*"))
    found += db_file.parent.glob(f"{db_file.name}.restore-*")
    found += db_file.parent.glob(".~*.tmp")
    return sorted(p for p in found if p.is_file())


def clean(db_file: Path) -> list[Path]:
    """Remove the leftovers of killed runs; returns what was removed."""
    removed = []
    for path in leftovers(db_file):
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            continue
    if removed:
        log.info("removed what an interrupted run left: %s", [p.name for p in removed])
    return removed
