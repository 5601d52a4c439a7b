"""Opening a database: SQLite file or SQLAlchemy URL, pragmas, migrations, the local replica.

An encrypted file (db/cipher.py) opens *locked*: the Database exists, knows its key slots, and
gets an engine once a password or recovery code has unwrapped the key (services.accounts.sign_in,
`unlock`). Nothing is created at import time; tests pass a path under tmp_path, the CLI passes --db.
"""

import getpass
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from fupin_desktop.db import changelog, cipher, health, leftovers, lock, migrate
from fupin_desktop.db.changelog import to_json
from fupin_desktop.db.keyslots import KeySlots, keys_file
from fupin_desktop.db.models import Replica
from fupin_desktop.domain.accounts import CurrentUser
from fupin_desktop.domain.rows import Changes
from fupin_desktop.errors import DatabaseFileError, StorageError

SQLITE_MAGIC = health.SQLITE_MAGIC
SQLITE_CACHE_KIB = 64 * 1024  # the default 2 MiB thrashes on a 50,000-household register


def database_url(target: str | Path) -> str:
    """A filesystem path becomes a sqlite URL; anything with '://' is taken as a URL."""
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    if not isinstance(dbapi_conn, sqlite3.Connection):  # SQLCipher: its key is set, now keep its log quiet
        cur.execute(cipher.QUIET)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def make_engine(url: Any) -> Engine:
    # hide_parameters: an error's text must never carry the row's values (ID numbers, names) into a log
    engine = create_engine(url, json_serializer=to_json, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _check_sqlite_file(path: Path) -> None:
    problem = health.header_problem(path)
    if problem:  # a wiped header: damage, for which a backup is offered
        raise health.damaged(path, problem)
    if problem == "":
        raise DatabaseFileError(
            f"文件 {path} 不是本程序的数据库（也不是SQLite数据库）。请检查 --db 指定的路径，"
            "或从备份恢复。文件未做任何改动。"
        )


class Database:
    """An open database: engine, session factory (with the change log), local replica."""

    def __init__(self, url: str, engine: Engine | None, *, slots: KeySlots | None = None, key: bytes | None = None):
        self.url = url
        self.file = sqlite_file(url)
        self.slots = slots  # the key slots of an encrypted file; None: plain SQLite
        self.key = key  # the database key once unlocked (kept in memory only)
        self.engine: Engine = engine  # type: ignore[assignment]  # None while locked
        if engine is not None:
            self._attach(engine)
        self.replica_id: uuid.UUID | None = None
        self.actor = getpass.getuser()  # who writes when nobody has signed in (CLI, scripts, tests)
        self.user: CurrentUser | None = None  # the signed-in account (GUI), set by services.accounts
        self.hold: lock.Hold | None = None  # this process's "open" marker (db/lock.py)
        self._changes: set[str] = set()  # tables written since take_changes (transactions may run on a worker)
        self._changes_lock = threading.Lock()

    def _attach(self, engine: Engine) -> None:
        self.engine = engine
        if self.key is not None and self.file is not None:
            cipher.remember_key(self.file, self.key)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        changelog.install(self._sessions)

    @property
    def locked(self) -> bool:
        """Encrypted and not yet unlocked: nothing can be read until a password unwraps the key."""
        return self.engine is None

    @property
    def encrypted(self) -> bool:
        return self.slots is not None

    def unlock(self, key: bytes) -> None:
        """Open the encrypted file with its key (upgrading an older schema after a backup, as any open)."""
        if not self.locked:
            return
        assert self.file is not None and self.slots is not None
        if not self.slots.matches(key):
            raise DatabaseFileError("密钥与该数据库不符。")
        engine = make_engine(cipher.engine_url(self.file, key))
        try:
            # a damaged file is not upgraded: the upgrade would write to it
            migrate.ensure_current(engine, backup_file=self.file, key=key,
                                   upgrade=not health.recorded_damage(self.file))
        except (DatabaseError, OperationalError) as e:
            engine.dispose()
            raise _wrap_db_errors(self.file, self.file, e) from e
        except BaseException:
            engine.dispose()
            raise
        self.key = key
        self._attach(engine)
        self.local_replica_id()

    def _need_key(self) -> None:
        if self.locked:
            raise DatabaseFileError("数据库已加密，请先登录。")

    @contextmanager
    def transaction(self, *, actor: str | None = None) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error. A file
        that failed its integrity check is not written to (db/health.py).

        Work outside the database that must follow the outcome (the key slots file) registers
        callables in `session.info["on_commit"]` / `["on_rollback"]`.

        The tables its change log touched are added, once committed, to the Changes that
        `take_changes` hands to whoever shows them (the GUI broadcasts them after each job)."""
        self._need_key()
        if damage := health.recorded_damage(self.file):
            raise health.damaged(self.file, damage[0], record=False)
        after: dict[str, list[Any]] = {"on_commit": [], "on_rollback": []}
        changed: set[str] = set()  # filled by changelog.touched
        try:
            with self._sessions.begin() as session:
                session.info["replica_id"] = self.local_replica_id()
                # whoever signed in is the actor; a label ("命令行", "演示数据") only names unsigned work
                session.info["actor"] = self.user.username if self.user else (actor or self.actor)
                session.info["user"] = self.user  # services check roles against it (see changelog.record)
                session.info["database"] = self
                session.info.update(after)
                session.info["changed_tables"] = changed
                yield session
        except BaseException as e:
            for undo in after["on_rollback"]:
                undo()
            if isinstance(e, DatabaseError | sqlite3.DatabaseError) and (known := health.diagnose(e, self.file)):
                raise known from e
            raise
        with self._changes_lock:
            self._changes |= changed
        for done in after["on_commit"]:
            done()

    def take_changes(self) -> Changes:
        """What the transactions committed since the last call changed (and forget it)."""
        with self._changes_lock:
            tables, self._changes = frozenset(self._changes), set()
        return Changes(tables)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries; closing it discards anything it wrote (objects stay readable)."""
        self._need_key()
        try:
            with self._sessions() as session:
                session.info["user"] = self.user
                yield session
        except (DatabaseError, sqlite3.DatabaseError) as e:
            if known := health.diagnose(e, self.file):
                raise known from e
            raise

    def local_replica_id(self) -> uuid.UUID:
        if self.replica_id is None:
            with self._sessions() as s:
                rid = s.scalar(select(Replica.id).where(Replica.is_local))
            if rid is None:
                raise DatabaseFileError("数据库缺少本机副本信息，可能不是用 fupin init 创建的。请从备份恢复。")
            self.replica_id = rid
        return self.replica_id

    def close(self) -> None:
        if self.file is not None and self.key is not None:
            cipher.forget_key(self.file)
        if self.engine is None:  # locked: never opened
            if self.hold is not None:
                self.hold.release()
                self.hold = None
            return
        try:
            if self.engine.dialect.name == "sqlite" and not health.recorded_damage(self.file):
                with self.engine.connect() as conn:  # keeps the query planner's statistics fresh
                    conn.exec_driver_sql("PRAGMA optimize")
        except (DatabaseError, sqlite3.DatabaseError):
            pass  # a full disk or a damaged file: closing must still let go of the file
        finally:
            self.engine.dispose()
            self.creation_done()  # closed normally: whoever created it is done with it
            if self.hold is not None:
                self.hold.release()
                self.hold = None

    def creation_done(self) -> None:
        """A new database is complete (init, demo, county): no longer redone by the next init/demo."""
        if self.file is not None and _unfinished(self.file).exists():
            _unfinished(self.file).unlink()

    def discard(self) -> None:
        """Close and delete a database that was just created but could not be filled."""
        self.close()
        if self.file is not None:
            _remove_sqlite(self.file)
            keys_file(self.file).unlink(missing_ok=True)


def storage_error(e: Exception, file: Path | None = None) -> StorageError | None:
    """The user's version of a storage failure SQLite reports (disk full, read-only, locked …),
    or None if it is not one (damage included: see health.diagnose)."""
    known = health.diagnose(e, file)
    return known if isinstance(known, StorageError) else None


def refused_by_database(e: BaseException) -> bool:
    """Whether the database (not our code) refused the work: the CLI's bug report says so."""
    return isinstance(e, SQLAlchemyError)


def _remove_sqlite(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def _wrap_db_errors(target: str | Path, path: Path | None, e: Exception) -> Exception:
    known = health.diagnose(e, path)
    if known is not None:
        return known
    return DatabaseFileError(f"数据库 {target} 无法读取（{e.__class__.__name__}）。请检查 --db 指定的路径。")


def _unfinished(path: Path) -> Path:
    """Present while init/demo fills a new database; left behind, the creation was interrupted."""
    return path.with_name(f"{path.name}.unfinished")


def interrupted_creation(path: Path) -> bool:
    """The file is what an init/demo that was killed left behind (and nobody is filling it now)."""
    return _unfinished(path).exists() and not lock.others(path)


def remove_interrupted(path: Path) -> None:
    """Delete what an interrupted init/demo left, so it can be redone."""
    with lock.exclusive(path, doing="重新新建"):
        _remove_sqlite(path)
        _unfinished(path).unlink(missing_ok=True)


def create_database(target: str | Path, *, replica_name: str) -> Database:
    """Create a new database at head with its local replica. Refuses to touch existing data."""
    url = database_url(target)
    path = sqlite_file(url)
    hold = None
    if path is not None:
        if path.exists() and interrupted_creation(path):
            remove_interrupted(path)  # a killed init/demo: start again
        if path.exists() and path.stat().st_size > 0:
            raise DatabaseFileError(f"数据库 {path} 已存在，不会覆盖。如需重建，请先移走或改名该文件。")
        path.parent.mkdir(parents=True, exist_ok=True)
        _unfinished(path).touch()
        hold = lock.acquire(path)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if migrate.current_revision(conn) is not None or migrate.has_tables(conn):
                raise DatabaseFileError(f"数据库 {target} 中已有数据，不会覆盖。")
        migrate.upgrade_to_head(engine)
        db = Database(url, engine)
        db.hold = hold
        with db._sessions.begin() as s:
            s.add(Replica(id=uuid.uuid4(), name=replica_name, is_local=True))
        return db
    except BaseException as e:
        engine.dispose()
        if hold is not None:
            hold.release()
        if path is not None:  # leave nothing half-made behind
            _remove_sqlite(path)
            _unfinished(path).unlink(missing_ok=True)
        if isinstance(e, (DatabaseError, OperationalError)) and (known := health.diagnose(e, path)):
            raise known from e
        raise


def mark_open(path: Path) -> lock.Hold | None:
    """Mark the file open by this process (db/lock.py); the first to open it after a kill cleans up."""
    return lock.acquire(path, when_alone=lambda: leftovers.clean(path))


def open_database(target: str | Path, *, upgrade: bool = True, hold: lock.Hold | None = None,
                  key: bytes | None = None) -> Database:
    """Open an existing database, refusing newer schemas and upgrading older ones after a backup.

    The file is marked open by this process (`hold`, taken here unless the caller already has
    it); after a run that ended without closing it, the file is checked first, and damage
    found is recorded so that nothing writes to it (db/health.py). An encrypted file comes back
    locked unless its `key` is given (see `Database.unlock`).
    """
    url = database_url(target)
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            demo = Path("demo") / "xingou.db"  # what `bootstrap.sh run` made in the checkout
            other = demo.is_file() and demo.resolve() != path.resolve()
            hint = f"；本目录有演示村，可加 --db {demo} 打开它" if other else ""
            raise DatabaseFileError(
                f"数据库 {path} 不存在。请先运行 “fupin init …” 新建，或运行 “fupin demo” 生成演示村{hint}。"
            )
        if interrupted_creation(path):
            raise DatabaseFileError(f"数据库 {path} 的新建（fupin init 或 fupin demo）被中断，内容不完整。"
                                    "请重新运行 fupin init 或 fupin demo：会先清除这个不完整的文件。")
        spare = path.parent / "backups" / keys_file(path).name
        if cipher.is_encrypted(path) and not keys_file(path).exists() and spare.exists():
            raise DatabaseFileError(f"数据库已加密，但它旁边的密钥文件 {keys_file(path).name} 不见了。"
                                    f"备份文件夹里有一份：请把 {spare} 复制到数据库旁边后重试。数据库未做任何改动。")
        if cipher.is_encrypted(path) and keys_file(path).exists():
            db = Database(url, None, slots=KeySlots.load(keys_file(path)))
            db.hold = hold or mark_open(path)
            if key is not None:
                try:
                    db.unlock(key)
                except BaseException:
                    db.close()
                    raise
            return db
        _check_sqlite_file(path)
        hold = hold or mark_open(path)
    try:
        if path is not None and hold is not None and hold.crashed and not health.recorded_damage(path):
            health.integrity_problems(path, quick=True)  # recorded when damaged
        engine = make_engine(url)
    except BaseException:
        if hold is not None:
            hold.release()
        raise
    try:
        # a damaged file is not upgraded: the upgrade would write to it
        migrate.ensure_current(engine, backup_file=path, upgrade=upgrade and not health.recorded_damage(path))
        db = Database(url, engine)
        db.hold = hold
        db.local_replica_id()
        return db
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as e:
        engine.dispose()
        if hold is not None:
            hold.release()
        raise _wrap_db_errors(target, path, e) from e
    except BaseException:
        engine.dispose()
        if hold is not None:
            hold.release()
        raise
