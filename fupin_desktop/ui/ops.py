"""The one place the GUI runs database work.

Pages never open sessions themselves. They call

    ops.query(lambda s: search_households(s, query), success=self._show, parent=self)

`op` gets a read-only Session and must return plain rows (never ORM objects); `success` receives
the result on the GUI thread. Today `op` runs synchronously on the GUI thread because the queries
take milliseconds; a later issue moves it to a single worker thread without changing any caller,
which is why results come back through a callback instead of a return value.

Writes go through `ops.write` (one transaction, committed or rolled back whole); work on the file
itself (backups, restore) runs on a worker thread through `ops.in_background`.

Known problems (FupinError) are shown to the user, or handed to `failure` when one is given.
Anything else is a bug and propagates to the crash hook installed by `app.py`.
"""

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fupin_desktop.db.session import Database, open_database
from fupin_desktop.domain import accounts
from fupin_desktop.errors import FupinError
from fupin_desktop.services.backup import restore_backup
from fupin_desktop.ui.errors import show_error

T = TypeVar("T")


class _Job(QObject):
    """One piece of work on a worker thread; its outcome comes back to the GUI thread by a queued signal.

    Every job is held in `_RUNNING` (touched only on the GUI thread) until its thread has ended, so
    the last reference to the callbacks (and to the widgets they are bound to) is always dropped
    on the GUI thread. A widget released on a worker thread would be destroyed there: a crash.
    """

    finished = Signal(object, object)  # result, exception

    def __init__(self, op: Callable[[], Any], success: Callable[[Any], None],
                 failure: Callable[[FupinError], None] | None, done: Callable[[], None] | None,
                 writes: bool) -> None:
        super().__init__()  # created on the GUI thread, so it lives there
        self._op, self._success, self._failure, self._done = op, success, failure, done
        self.writes = writes  # closing the program waits for it; a long read is abandoned
        self.abandoned = False  # the program is closing: nobody is left to deliver to
        self.thread = threading.Thread(target=self._run, name="fupin-background", daemon=True)
        self.finished.connect(self._deliver)

    def start(self) -> None:
        _RUNNING.add(self)
        self.thread.start()

    def _run(self) -> None:
        try:
            result, error = self._op(), None
        except BaseException as e:  # handed to the GUI thread, which decides
            result, error = None, e
        if not self.abandoned:
            self.finished.emit(result, error)

    @Slot(object, object)
    def _deliver(self, result: object, error: BaseException | None) -> None:
        self.thread.join()  # it has just emitted its last signal: the join is immediate
        # dropped once this slot has returned: a QObject must not be deleted inside its own event
        QTimer.singleShot(0, lambda: _RUNNING.discard(self))
        if self._done is not None:
            self._done()
        if error is None:
            self._success(result)
        elif isinstance(error, FupinError) and self._failure is not None:
            self._failure(error)
        elif isinstance(error, FupinError):
            show_error(None, error)
        else:
            raise error  # a bug: to the crash hook, on the GUI thread


_RUNNING: set[_Job] = set()
READS_AT_CLOSE_S = 3


class DbOps(QObject):
    """The GUI's handle on the open database: queries, writes and file-level work.

    Signals:
        changed(Changes, QWidget | None): after work that wrote, what it changed (the tables its
            transactions touched) and the widget it was done for; the main window broadcasts it.
    """

    changed = Signal(object, object)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    def _tell_changes(self, origin: QWidget | None) -> None:
        changes = self._db.take_changes()
        if changes:
            self.changed.emit(changes, origin)

    @property
    def location(self) -> str:
        """Where the data lives, for the status bar: the file, or the URL without its password."""
        if self._db.file is not None:
            return str(self._db.file)
        return make_url(self._db.url).render_as_string(hide_password=True)

    def query(self, op: Callable[[Session], T], *, success: Callable[[T], None],
              parent: QWidget | None = None, failure: Callable[[FupinError], None] | None = None) -> None:
        """Run `op` in a read-only session, then pass its result to `success`.

        Args:
            op: runs with the session; returns plain rows.
            success: called with the result once the session is closed.
            parent: the widget an error message belongs to.
            failure: called instead of the default error message when `op` raises a FupinError.
        """
        try:
            with self._db.reading() as session:
                result = op(session)
        except FupinError as e:
            self._fail(e, parent, failure)
            return
        success(result)

    @property
    def database(self) -> Database:
        """The open database, for dialogs that run their own sessions on a worker thread."""
        return self._db

    @property
    def file(self) -> Path | None:
        """The SQLite file in use (None for a database server)."""
        return self._db.file

    def write(self, op: Callable[[Session], T], *, success: Callable[[T], None], parent: QWidget | None = None,
              failure: Callable[[FupinError], None] | None = None) -> None:
        """Run `op` in one transaction (committed, or rolled back on any error), then `success(result)`.

        Known problems go to `failure` when given, else they are shown; nothing was written then.
        """
        try:
            with self._db.transaction() as session:
                result = op(session)
        except FupinError as e:
            self._fail(e, parent, failure)
            return
        success(result)
        self._tell_changes(parent)

    def with_database(self, op: Callable[[Database], T], *, success: Callable[[T], None],
                      parent: QWidget | None = None, failure: Callable[[FupinError], None] | None = None) -> None:
        """Run `op` on the database object itself (backups, the file's location) on this thread."""
        try:
            result = op(self._db)
        except FupinError as e:
            self._fail(e, parent, failure)
            self._tell_changes(parent)  # e.g. the bundles imported before one that was refused
            return
        success(result)
        self._tell_changes(parent)

    def query_in_background(self, op: Callable[[Session], T], *, success: Callable[[T], None], parent: QWidget,
                            failure: Callable[[FupinError], None] | None = None) -> None:
        """`query` on a worker thread, for reads that take seconds on a large register; the window stays live.

        The result is dropped when `parent` was closed and deleted meanwhile.
        """
        def read(db: Database) -> T:
            with db.reading() as session:
                return op(session)

        def deliver(result: T) -> None:
            if shiboken6.isValid(parent):
                success(result)
        self.in_background(read, success=deliver, failure=failure, writes=False)

    def in_background(self, op: Callable[[Database], T], *, success: Callable[[T], None],
                      failure: Callable[[FupinError], None] | None = None,
                      done: Callable[[], None] | None = None, writes: bool = True) -> None:
        """Run `op(database)` on a worker thread; the callbacks run on the GUI thread.

        For work on the file through its own connection, such as a backup. `done` runs first
        whatever happened (a bug included), e.g. to close a progress dialog. Closing the program
        waits for the job unless it only reads (`writes=False`).
        """
        db = self._db

        def finished() -> None:
            if done is not None:
                done()
            self._tell_changes(None)
        _Job(lambda: op(db), success, failure, finished, writes).start()

    def wait(self, timeout: float | None = None, *, reads: bool = True) -> None:
        """Wait for background jobs (before replacing the file; before closing, without `reads`).

        Their results are delivered later, by the event loop.
        """
        for job in list(_RUNNING):
            if job.writes or reads:
                job.thread.join(timeout)

    def restore(self, backup: Path, *, success: Callable[[Path], None],
                failure: Callable[[FupinError], None] | None = None, done: Callable[[], None] | None = None,
                other_village: bool = False) -> None:
        """Replace the database file by `backup` (checked first) on a worker thread.

        `success` gets the copy of the replaced data; the caller must then `reopen()`. On failure
        the database is unchanged and keeps working. Keep the GUI from querying meanwhile (a modal
        progress dialog): the file must have no open connection while it is swapped. Refused while
        another program has the file open; `other_village` confirms a backup of another village.
        """
        file = self._db.file
        if file is None:
            raise FupinError("当前数据库不是本机文件，不能从备份文件恢复。")
        user = self._db.user
        if not accounts.may_write(user):  # the change log cannot refuse this one: it replaces the file
            raise FupinError(f"{user.role}账户不能从备份恢复数据。请让第一书记或工作队员操作。")
        self.wait()
        self._db.engine.dispose()  # let go of the file (Windows cannot rename over an open file)
        mine, key = self._db.hold, self._db.key
        self.in_background(lambda _db: restore_backup(file, backup, key=key, mine=mine, other_village=other_village),
                           success=success, failure=failure, done=done)

    def reopen(self) -> None:
        """Open the database file again (after a restore: it also upgrades an older backup)."""
        old = self._db
        target = old.file if old.file is not None else old.url
        self.wait()
        old.engine.dispose()
        hold, old.hold = old.hold, None  # still ours: no other window can slip in meanwhile
        self._db = open_database(target, hold=hold, key=old.key)
        self._db.user = old.user  # still signed in (a restored file may not know the account: next sign-in)

    def close(self) -> None:
        """Let writes finish; give reads a moment, then abandon them (seconds on a large register, and
        nobody needs their results now)."""
        self.wait(reads=False)
        self.wait(READS_AT_CLOSE_S)
        for job in _RUNNING:
            job.abandoned = True
        self._db.close()

    @staticmethod
    def _fail(error: FupinError, parent: QWidget | None, failure: Callable[[FupinError], None] | None) -> None:
        if failure is not None:
            failure(error)
        else:
            show_error(parent, error)


def within(widget: QWidget | None, ancestor: QWidget) -> bool:
    """`widget` is `ancestor` or inside it (a dialog counts as inside the widget it was opened from)."""
    while widget is not None:
        if widget is ancestor:
            return True
        widget = widget.parentWidget()
    return False
