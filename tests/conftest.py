"""Shared fixtures: each test gets its own real SQLite file under tmp_path."""

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from fupin_desktop.db.models import VillagerGroup  # noqa: E402
from fupin_desktop.db.session import Database, open_database  # noqa: E402
from fupin_desktop.services import village  # noqa: E402
from fupin_desktop.services.setup import init_village  # noqa: E402


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with reference data, one village and two 村民组; built once, copied per test."""
    path = tmp_path_factory.mktemp("template") / "fupin.db"
    db = init_village(path, village_code="410182104201", village_name="新沟村", township="汜水镇", county="荥阳市")
    with db.transaction(actor="测试") as s:
        v = village.current_village(s)
        s.add_all([VillagerGroup(village_id=v.id, name="一组", sort_order=1),
                   VillagerGroup(village_id=v.id, name="二组", sort_order=2)])
    with db.engine.connect() as conn:  # fold the WAL in so a plain file copy is complete
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def db_path(_template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "fupin.db"
    shutil.copy(_template_db, path)
    return path


def _drain_background() -> None:
    """Let the GUI's background tasks finish and drop their results (ui/runner.py), if the GUI was
    loaded: no task of a finished test may outlive it (or its database)."""
    runner = sys.modules.get("fupin_desktop.ui.runner")
    if runner is not None:
        runner.drain()


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    database: Database = open_database(db_path)
    yield database
    _drain_background()  # before the database closes under a task still reading it
    database.close()


@pytest.fixture(autouse=True)
def _no_background_task_outlives_its_test():  # type: ignore[no-untyped-def]
    yield
    _drain_background()


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the real cost (64 MiB, 3 passes) takes ≈ 0.1–0.2 s per hash on these shared
    cores; tests hash dozens of times, so they use the same algorithm at minimum cost
    (tests/services/test_accounts.py checks the real parameters)."""
    from argon2 import PasswordHasher

    from fupin_desktop.services import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(autouse=True)
def _quick_key_slots(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for the key slots' argon2id (bench/bench_security.py measures the real cost)."""
    from fupin_desktop.db import keyslots

    monkeypatch.setattr(keyslots, "KDF", keyslots.Kdf(time_cost=1, memory_kib=8, parallelism=1))
