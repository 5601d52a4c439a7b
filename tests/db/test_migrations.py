"""Migrations as code: one head, an unbroken chain, no drift from the models, data survives."""

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

import fupin_desktop.db.models  # noqa: F401
from fupin_desktop.db import migrate
from fupin_desktop.db.base import Base
from fupin_desktop.db.session import make_engine, open_database
from fupin_desktop.domain.clock import CHINA
from fupin_desktop.errors import DatabaseFileError, SchemaTooNewError

pytestmark = pytest.mark.migrations  # Alembic itself for every new database here (tests/conftest.py)


def test_one_head_and_an_unbroken_chain():
    scripts = migrate._scripts()
    assert len(scripts.get_heads()) == 1
    revisions = list(scripts.walk_revisions())
    assert revisions[-1].down_revision is None
    assert all(r.down_revision for r in revisions[:-1])
    # the quick reading of the files that every start relies on agrees with Alembic
    assert migrate.head_revision() == scripts.get_heads()[0]
    assert migrate.known_revisions() == {r.revision for r in revisions}


def test_empty_database_upgraded_to_head_matches_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate.upgrade_to_head(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_the_connection_that_migrated_enforces_foreign_keys_again(tmp_path):
    """env.py turns foreign keys off for batch rebuilds; the pooled connection that ran the
    migrations must not go on writing without them (it is the one a new database's first session gets)."""
    from fupin_desktop.db.session import create_database

    db = create_database(tmp_path / "new.db", replica_name="测试")
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()


def test_data_survives_an_upgrade_and_a_backup_is_made(tmp_path, db_path):
    # Take a real database back to revision 0001 with the migrations' own downgrades.
    engine = make_engine(f"sqlite:///{db_path}")
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
        before = conn.execute(text("SELECT name FROM village")).scalar_one()
    engine.dispose()
    db = open_database(db_path)
    try:
        with db.engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
            assert conn.execute(text("SELECT name FROM village")).scalar_one() == before == "新沟村"
            assert conn.execute(text("SELECT count(*) FROM household_income")).scalar_one() == 0
    finally:
        db.close()
    backups = list((db_path.parent / "backups").glob("fupin-0001-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_database_from_a_newer_version_is_refused_untouched(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="更新版本"):
        open_database(db_path)
    assert db_path.read_bytes() == before
    assert not (db_path.parent / "backups").exists()


def test_not_a_database_is_refused_with_a_clear_message(tmp_path):
    bogus = tmp_path / "花名册.xlsx"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not a database")
    with pytest.raises(DatabaseFileError, match="不是本程序的数据库"):
        open_database(bogus)
    assert bogus.read_bytes().startswith(b"PK")


def test_missing_database_says_how_to_make_one(tmp_path):
    with pytest.raises(DatabaseFileError, match="fupin init"):
        open_database(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()


def test_corrupt_database_is_reported(db_path):
    data = bytearray(db_path.read_bytes())
    data[100:4096 * 3] = b"\xff" * (4096 * 3 - 100)  # wreck the schema pages, keep the header
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseFileError, match="已损坏"):
        open_database(db_path)


def test_backups_rotate_by_time_and_leave_other_databases_alone(tmp_path, db_path):
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    neighbour = folder / f"{db_path.stem}-old-manual-20200101T000000000000Z.db"  # backup of "<stem>-old"
    neighbour.write_bytes(b"x")
    # 60 days of backups, three a day (China time 09:00, 13:00, 20:00), written as files with those stamps
    start = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
    for day in range(60):
        for hour in (0, 4, 11):
            stamp = (start + timedelta(days=day, hours=hour)).strftime("%Y%m%dT%H%M%S%fZ")
            (folder / f"{db_path.stem}-daily-{stamp}.db").write_bytes(b"x")
    newest = migrate.backup_sqlite(db_path, label="manual")  # today: rotates the folder
    kept = migrate.backup_files(db_path)
    times = [t for _p, _l, t in kept]
    assert kept[0][0] == newest and neighbour.exists()
    old = times[1:]  # the 60 made-up days: newest 2 of the last day, then one a day, then one a week
    days = sorted({t.astimezone(CHINA).date() for t in old}, reverse=True)
    assert len(days) == len(set(days)) and days[0] == date(2026, 3, 1)
    weeks = {t.astimezone(CHINA).isocalendar()[:2] for t in times}
    assert len(weeks) == 4
    assert len(old) <= migrate.KEEP_NEWEST + migrate.KEEP_DAYS + migrate.KEEP_WEEKS
    # every kept made-up backup is the last one of its China day (20:00), except the very newest ones
    assert all(t.astimezone(CHINA).hour == 20 for t in old[2:])


def test_rotation_keeps_daily_and_weekly():
    now = datetime(2026, 3, 31, 12, tzinfo=UTC)
    times = [now - timedelta(hours=6 * i) for i in range(200)]  # four a day for 50 days
    keep = migrate.backups_to_keep(times)
    kept_days = {times[i].astimezone(CHINA).date() for i in keep}
    # 7 days (25–31 March, in ISO weeks 13 and 14) plus the newest of weeks 12 and 11 (Sundays)
    assert kept_days == {date(2026, 3, d) for d in range(25, 32)} | {date(2026, 3, 22), date(2026, 3, 15)}
    assert {0, 1, 2} <= keep


def test_a_read_only_database_gives_a_storage_message_and_keeps_the_data(db_path):
    from sqlalchemy.pool import StaticPool

    from fupin_desktop.db.models import VillagerGroup
    from fupin_desktop.db.session import Database, database_url, make_engine
    from fupin_desktop.errors import StorageError
    from fupin_desktop.services.village import current_village

    # Tests run as root, which ignores file modes; SQLite's query_only switch fails writes the same way.
    engine = make_engine(database_url(db_path))
    engine.pool = StaticPool(engine.pool._creator)
    db = Database(database_url(db_path), engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA query_only=ON")
    with pytest.raises(StorageError, match="只读"), db.transaction() as s:
        s.add(VillagerGroup(village_id=current_village(s).id, name="三组"))
    with db.reading() as s:
        assert s.query(VillagerGroup).count() == 2
    engine.dispose()
