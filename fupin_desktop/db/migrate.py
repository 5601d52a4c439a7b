"""Schema revisions: Alembic in process, a backup before every upgrade, no files from the future."""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from fupin_desktop.db import contents, health, raw
from fupin_desktop.db.keyslots import KeySlots, keys_file
from fupin_desktop.errors import DatabaseFileError, SchemaTooNewError
from fupin_desktop.paths import backups_dir

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
# Rotation: the newest backup of each of the last 7 days and of each of the last 4 weeks (China
# time), and always the newest few of any kind, so a backup made just before an upgrade or an
# import survives a manual one made right after.
KEEP_DAYS, KEEP_WEEKS, KEEP_NEWEST = 7, 4, 3
_CHINA = timezone(timedelta(hours=8))
_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=\s*['\"]?([\w]+)['\"]?", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@cache
def _revision_chain() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files themselves: opening a database that
    is already at head (every start) then needs no Alembic, which takes a third of a second to import."""
    chain: dict[str, str | None] = {}
    for file in (MIGRATIONS / "versions").glob("*.py"):
        fields = dict(_REVISION_LINE.findall(file.read_text(encoding="utf-8")))
        chain[fields["revision"]] = None if fields.get("down_revision", "None") == "None" else fields["down_revision"]
    return chain


def known_revisions() -> frozenset[str]:
    return frozenset(_revision_chain())


def head_revision() -> str:
    chain = _revision_chain()
    heads = set(chain) - set(chain.values())
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def current_revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_tables(conn: Connection) -> bool:
    return bool(inspect(conn).get_table_names())


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        if conn.dialect.name == "sqlite":  # env.py turned them off for batch rebuilds; the pool keeps this connection
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def ensure_current(engine: Engine, *, backup_file: Path | None, upgrade: bool = True,
                   key: bytes | None = None) -> str:
    """Check the schema revision; back up and upgrade an older database. Returns the revision."""
    with engine.connect() as conn:
        rev = current_revision(conn)
        if rev is None:
            raise DatabaseFileError("该文件不是本程序的数据库（没有版本信息）。请检查路径，或用 fupin init 新建。")
    if rev not in known_revisions():
        raise SchemaTooNewError(
            f"该数据库由更新版本的扶贫工作队桌面助手创建（结构版本 {rev}），本程序无法打开。"
            "请升级本程序后再打开；数据库未做任何改动。"
        )
    if rev != head_revision() and upgrade:
        if backup_file is not None:
            backup_sqlite(backup_file, label=rev, key=key)
        upgrade_to_head(engine)
        return head_revision()
    return rev


def backup_sqlite(db_file: Path, *, label: str, key: bytes | None = None) -> Path:
    """Copy a live SQLite database (WAL included) with the online backup API; keep the newest few.
    An encrypted database (`key`) gives an encrypted backup with the same key, and its key slots
    file is copied beside the backups (`fupin.db.keys`), so the folder alone can be restored.

    Only a file that passes `quick_check` is copied (a damaged copy would rotate the good backups
    away: DatabaseDamagedError instead); what it holds is written beside the copy (db/contents.py).
    """
    if damage := health.recorded_damage(db_file):
        raise health.damaged(db_file, damage[0], record=False)
    folder = backups_dir(db_file)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
    target = folder / f"{db_file.stem}-{label}-{stamp}.db"
    partial = target.with_suffix(".part")
    src = raw.connect(db_file, key=key)
    try:
        held = _check_source(src, db_file)
        dst = raw.connect(partial, key=key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    _fsync(partial)
    if key is not None:
        KeySlots.load(keys_file(db_file)).copy_to(folder / keys_file(db_file).name)
    partial.replace(target)
    if held is not None:
        contents.write_note(target, held)
    rotate_backups(db_file)
    return target


def _check_source(src: sqlite3.Connection, db_file: Path) -> contents.Contents | None:
    """quick_check the database about to be copied and say what it holds (None: not readable as
    ours, e.g. a schema without those tables)."""
    try:
        problems = [r[0] for r in src.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as e:
        known = health.diagnose(e, db_file)
        raise (known or e) from e
    if problems != ["ok"]:
        raise health.damaged(db_file, problems[0])
    try:
        return contents.read(src)
    except sqlite3.DatabaseError:
        return None


def _fsync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def backups_to_keep(times: list[datetime]) -> set[int]:
    """Indexes (into `times`, newest first) of the backups the rotation keeps."""
    keep = set(range(min(KEEP_NEWEST, len(times))))
    days: dict[object, int] = {}
    weeks: dict[object, int] = {}
    for i, t in enumerate(times):
        local = t.astimezone(_CHINA)
        days.setdefault(local.date(), i)
        weeks.setdefault(local.isocalendar()[:2], i)
    keep.update(list(days.values())[:KEEP_DAYS])
    keep.update(list(weeks.values())[:KEEP_WEEKS])
    return keep


def rotate_backups(db_file: Path, folder: Path | None = None) -> list[Path]:
    """Delete the backups of `db_file` (in `folder`, default its backups folder) the rotation drops.
    The newest checked backup of each village is never dropped, however old: after a restore of
    the wrong village, the copy of the right one stays until a newer one of it exists."""
    found = backup_files(db_file, folder)
    keep = backups_to_keep([t for _p, _l, t in found]) | contents.last_good([p for p, _l, _t in found])
    dropped = [p for i, (p, _l, _t) in enumerate(found) if i not in keep]
    for path in dropped:
        path.unlink(missing_ok=True)
        contents.note_of(path).unlink(missing_ok=True)
    return dropped


# A backup is named {stem}-{label}-{UTC stamp}.db; labels are few and known, so a database whose
# name merely starts like ours ("xingou-old") is never mistaken for one of our backups.
_BACKUP_LABEL = r"manual|daily|weekly|before-[a-z]+|\d{4}"
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


def backup_files(db_file: Path, folder: Path | None = None) -> list[tuple[Path, str, datetime]]:
    """This database's backups (in `folder`, default its backups folder) as (file, label, time in UTC),
    newest first."""
    folder = folder or backups_dir(db_file)
    name = re.compile(rf"{re.escape(db_file.stem)}-({_BACKUP_LABEL})-(\d{{8}}T\d{{12}}Z)\.db")
    found = []
    for path in folder.iterdir() if folder.is_dir() else []:
        if match := name.fullmatch(path.name):
            time = datetime.strptime(match.group(2), _STAMP_FORMAT).replace(tzinfo=UTC)
            found.append((path, match.group(1), time))
    return sorted(found, key=lambda f: f[2], reverse=True)
