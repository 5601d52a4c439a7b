"""Shared fixtures: each test gets its own real SQLite file under tmp_path; the demo village is
built once per session (per size) and copied into the tests that need it."""

import contextlib
import gc
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from fupin_desktop.db.models import VillagerGroup  # noqa: E402
from fupin_desktop.db.session import Database, open_database  # noqa: E402
from fupin_desktop.services import village  # noqa: E402
from fupin_desktop.services.setup import init_village  # noqa: E402

TESTS = Path(__file__).parent
GUI_FIXTURES = {"qtbot", "qapp"}


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """A .venv made before pytest-timeout joined the test extras still runs (without timeouts)
    instead of stopping at pyproject's `timeout` keys; `bootstrap.sh install` brings the plugin."""
    if not pluginmanager.hasplugin("timeout"):
        parser.addini("timeout", "per-test timeout (needs pytest-timeout)")
        parser.addini("timeout_method", "how a timeout stops the test (needs pytest-timeout)")


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.hasplugin("timeout"):
        config.addinivalue_line("markers", "timeout(seconds): per-test timeout (needs pytest-timeout)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`gui` on every test that starts Qt (it uses qtbot/qapp or lives in tests/ui), so
    `-m "not gui"` runs the headless core alone."""
    ui = TESTS / "ui"
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())) or ui in item.path.parents:
            item.add_marker(pytest.mark.gui)


def pytest_collection_finish(session: pytest.Session) -> None:  # noqa: ARG001
    gc.collect()
    gc.freeze()  # what the test modules imported stays: the collection after each test walks only what tests made


# How long a GUI test waits for a condition or a signal before it fails. A wait ends as soon as the
# condition holds, so only a failing test pays for the length; pytest-qt's 5 s failed tests on
# loaded CI machines (the idle lock, the household picker's matches, the home page's due list).
WAIT_MS = 30_000


class PatientQtBot(QtBot):
    """pytest-qt's qtbot with WAIT_MS as the default timeout of its waits."""

    def waitUntil(self, callback: Callable[[], bool | None], *, timeout: int = WAIT_MS) -> None:  # noqa: N802
        super().waitUntil(callback, timeout=timeout)

    def waitSignal(self, signal: Any, *, timeout: int = WAIT_MS, **kw: Any) -> Any:  # noqa: N802
        return super().waitSignal(signal, timeout=timeout, **kw)

    def waitSignals(self, signals: Any, *, timeout: int = WAIT_MS, **kw: Any) -> Any:  # noqa: N802
        return super().waitSignals(signals, timeout=timeout, **kw)

    def waitCallback(self, *, timeout: int = WAIT_MS, **kw: Any) -> Any:  # noqa: N802
        return super().waitCallback(timeout=timeout, **kw)

    def waitExposed(self, widget: Any, *, timeout: int = WAIT_MS) -> Any:  # noqa: N802
        return super().waitExposed(widget, timeout=timeout)


@pytest.fixture
def qtbot(qapp: Any, request: pytest.FixtureRequest) -> PatientQtBot:
    return PatientQtBot(request)


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """An empty SQLite database taken to head by the real Alembic migrations, made on first use."""
    from fupin_desktop.db import migrate
    from fupin_desktop.db.session import database_url, make_engine

    alembic = migrate.upgrade_to_head  # taken before _migrate_by_copy replaces it
    made: list[Path] = []

    def template() -> Path:
        if not made:
            path = tmp_path_factory.mktemp("migrated") / "head.db"
            engine = make_engine(database_url(path))
            alembic(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            made.append(path)
        return made[0]

    return template


@pytest.fixture(autouse=True)
def _migrate_by_copy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                     _migrated_template: Callable[[], Path]) -> None:
    """Taking an empty SQLite file to head costs ≈ 0.5–1 s of Alembic on these cores, and the tests
    make hundreds of databases (villages, counties, second laptops): each gets a page-for-page copy
    of one database the same migrations made at the start of the session (SQLite's backup API).
    Tests marked `migrations` (tests/db/test_migrations.py), real processes, PostgreSQL and
    encrypted files run Alembic itself."""
    if request.node.get_closest_marker("migrations"):
        return
    import sqlite3

    from fupin_desktop.db import migrate

    alembic = migrate.upgrade_to_head

    def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
        if revision == "head" and engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                target = conn.connection.driver_connection
                if isinstance(target, sqlite3.Connection) and not migrate.has_tables(conn):
                    with contextlib.closing(sqlite3.connect(_migrated_template())) as source:
                        source.backup(target)
                    return
        alembic(engine, revision)

    monkeypatch.setattr(migrate, "upgrade_to_head", upgrade_to_head)


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
    return copy_database(_template_db, tmp_path / "fupin.db")


DemoCopy = Callable[..., Path]


@pytest.fixture(scope="session")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> DemoCopy:
    """`demo_copy(target, households=None)`: a copy of the demo village of that size at `target`.
    Each size is built once per session (as `fupin demo` builds it) and never changed."""
    from fupin_desktop.services.demo import build_demo

    built: dict[int | None, Path] = {}

    def copy(target: Path, households: int | None = None) -> Path:
        if households not in built:
            path = tmp_path_factory.mktemp(f"demo-template-{households or 'default'}") / "xingou.db"
            build_demo(path, households=households)
            built[households] = path
        return copy_database(built[households], target)

    return copy


def copy_database(source: Path, target: Path) -> Path:
    """A closed database file with everything that belongs to it: the files named after it
    (`x.db.keys` key slots, a WAL) and the folders beside it (attachments/, keys/). Not the open
    markers (`x.db.open/`), which belong to the processes that had it open."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    for item in source.parent.iterdir():
        if item == source or item.name.endswith(".open"):
            continue
        if item.name.startswith((f"{source.name}.", f"{source.name}-")):
            shutil.copy2(item, target.with_name(target.name + item.name[len(source.name):]))
        elif item.is_dir():
            shutil.copytree(item, target.parent / item.name, dirs_exist_ok=True)
    return target


@pytest.fixture
def demo_path(demo_copy: DemoCopy, tmp_path: Path) -> Path:
    """A copy of the default demo village (新沟村, 437 households) of this test's own."""
    return demo_copy(tmp_path / "demo" / "xingou.db")


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
    runner = sys.modules.get("fupin_desktop.ui.runner")
    if runner is not None:
        # Once Qt is loaded, garbage is collected here only, on the GUI thread, as the app's GuiCollector
        # does: a collection that happened to start on the worker thread would delete a finished test's
        # widgets there, and Qt crashes. Only what the thresholds ask for: a full collection after every
        # test cost three minutes of the suite.
        gc.disable()
        runner.collect_as_thresholds_ask()


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
