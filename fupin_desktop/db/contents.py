"""What a database (or a backup of it) holds: which village, how many households. A backup is made
only of a file that passes `quick_check`, and its contents are written beside it
(`fupin-manual-….json`), so the rotation knows which copy is the last good one of each village and
a restore can say "this replaces 新沟村, 437 households, with 石桥村, 12 households"."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

UNKNOWN = "?"  # backups made before notes were written


@dataclass(frozen=True)
class Contents:
    village: str  # 新沟村（410182104201）, or 荥阳市（县级汇总，12个村）
    key: str  # what makes two databases "the same village": village:410182104201, county:410182
    households: int
    persons: int

    @property
    def county(self) -> bool:
        return self.key.startswith("county:")

    def __str__(self) -> str:
        return f"{self.village}，{self.households}户{self.persons}人"


def read(conn: sqlite3.Connection) -> Contents:
    """The contents of an open database (any schema revision this program knows)."""
    villages = conn.execute("SELECT name, code FROM village WHERE deleted_at IS NULL ORDER BY code").fetchall()
    households = conn.execute("SELECT count(*) FROM household WHERE deleted_at IS NULL").fetchone()[0]
    persons = conn.execute("SELECT count(*) FROM member m JOIN household h ON h.id = m.household_id "
                           "WHERE m.deleted_at IS NULL AND h.deleted_at IS NULL").fetchone()[0]
    try:
        role, code = conn.execute("SELECT role, village_code FROM replica WHERE is_local").fetchone() or (None, None)
    except sqlite3.OperationalError:  # an old revision without roles: a village database
        role, code = None, None
    if role == "county":
        county = conn.execute("SELECT name FROM county WHERE code = ?", (code,)).fetchone()
        name = county[0] if county else code
        return Contents(f"{name}（县级汇总，{len(villages)}个村）", f"county:{code}", households, persons)
    village = "、".join(f"{n}（{c}）" for n, c in villages) or "（无）"
    return Contents(village, "village:" + ",".join(c for _n, c in villages), households, persons)


def note_of(backup: Path) -> Path:
    return backup.with_suffix(".json")


def write_note(backup: Path, contents: Contents) -> None:
    """Written after the backup itself; a note lost in a crash only makes the backup "unknown"."""
    note_of(backup).write_text(json.dumps({**asdict(contents), "checked": True}, ensure_ascii=False),
                               encoding="utf-8")


def read_note(backup: Path) -> Contents | None:
    """What the backup's note says it holds; None for a backup without a (readable) note."""
    try:
        data = json.loads(note_of(backup).read_text(encoding="utf-8"))
        return Contents(str(data["village"]), str(data["key"]), int(data["households"]), int(data["persons"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def last_good(backups: list[Path]) -> set[int]:
    """Indexes (into `backups`, newest first) of the newest checked backup of each village — the
    last good copy the rotation must never delete — and the newest backup without a note (made by
    an older version, so nobody knows what it holds)."""
    seen: set[str] = set()
    keep = set()
    for i, path in enumerate(backups):
        contents = read_note(path)
        key = contents.key if contents is not None else UNKNOWN
        if key not in seen:
            seen.add(key)
            keep.add(i)
    return keep
