"""Migrations as code: one head, an unbroken chain, no drift from the models, data survives."""

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

import fupin_desktop.db.models  # noqa: F401
from fupin_desktop.db import migrate
from fupin_desktop.db.base import Base
from fupin_desktop.db.session import make_engine, open_database
from fupin_desktop.errors import DatabaseFileError, SchemaTooNewError


def test_one_head_and_an_unbroken_chain():
    scripts = migrate._scripts()
    assert len(scripts.get_heads()) == 1
    revisions = list(scripts.walk_revisions())
    assert revisions[-1].down_revision is None
    assert all(r.down_revision for r in revisions[:-1])


def test_empty_database_upgraded_to_head_matches_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate.upgrade_to_head(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


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
    first = migrate.backup_sqlite(db_path, label="manual")
    for _ in range(migrate.KEEP_BACKUPS):  # by name "daily" sorts first; by time the manual one is oldest
        migrate.backup_sqlite(db_path, label="daily")
    kept = migrate.backup_files(db_path)
    assert len(kept) == migrate.KEEP_BACKUPS
    assert first.exists() is False and all(label == "daily" for _, label, _ in kept)
    assert neighbour.exists()


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
