"""The one place the GUI runs database work.

Pages never open sessions themselves. They call

    ops.query(lambda s: search_households(s, query), success=self._show, parent=self)

`op` gets a read-only Session and must return plain rows (never ORM objects); `success` receives
the result on the GUI thread. Queries and writes (`ops.write`: one transaction, committed or rolled
back whole) take milliseconds and run on the GUI thread, their result at hand when the call
returns. Anything that takes longer (a slow read of a large register, backups, imports, printing)
goes to the one background runner (ui/runner.py: one worker thread, one task after another) through
`query_in_background`, `in_background` or `task`; the window stays live and the results come back on
the GUI thread.

After work that wrote, `changed` says what the transactions changed (the tables their change
log touched); the main window refreshes the pages that show them.

Known problems (FupinError) are shown to the user, or handed to `failure` when one is given.
Anything else is a bug and propagates to the crash hook installed by `app.py`.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fupin_desktop.db.session import Database, open_database
from fupin_desktop.domain import accounts
from fupin_desktop.domain.progress import Progress
from fupin_desktop.errors import FupinError
from fupin_desktop.services.backup import restore_backup
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.runner import Task, runner

T = TypeVar("T")


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
        self._closed = False  # background work asked for after close() is not started

    def _tell_changes(self, origin: QWidget | None) -> None:
        changes = self._db.take_changes()
        if changes:  # a dialog closed while its task ran is no origin any more
            self.changed.emit(changes, origin if origin is not None and shiboken6.isValid(origin) else None)

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
        self._run(self._db.reading, op, success, parent, failure)

    @property
    def user(self) -> accounts.CurrentUser | None:
        """Who signed in (None: a database without accounts)."""
        return self._db.user

    @property
    def encrypted(self) -> bool:
        return self._db.encrypted

    @property
    def file(self) -> Path | None:
        """The SQLite file in use (None for a database server)."""
        return self._db.file

    def write(self, op: Callable[[Session], T], *, success: Callable[[T], None], parent: QWidget | None = None,
              failure: Callable[[FupinError], None] | None = None) -> None:
        """Run `op` in one transaction (committed, or rolled back on any error), then `success(result)`.

        Known problems go to `failure` when given, else they are shown; nothing was written then.
        """
        if self._run(self._db.transaction, op, success, parent, failure):
            self._tell_changes(parent)

    def _run(self, session: Callable[[], AbstractContextManager[Session]], op: Callable[[Session], T],
             success: Callable[[T], None], parent: QWidget | None,
             failure: Callable[[FupinError], None] | None) -> bool:
        """`op` in a session from `session()`, then `success(result)`; False when it failed (said or given to
        `failure`)."""
        try:
            with session() as s:
                result = op(s)
        except FupinError as e:
            self._fail(e, parent, failure)
            return False
        success(result)
        return True

    def with_database(self, op: Callable[[Database], T], *, success: Callable[[T], None] = lambda _r: None,
                      parent: QWidget | None = None, failure: Callable[[FupinError], None] | None = None) -> T | None:
        """Run `op` on the database object itself (backups, the file's location, signing in) on this
        thread; also returns its result (None after a failure)."""
        try:
            result = op(self._db)
        except FupinError as e:
            self._fail(e, parent, failure)
            self._tell_changes(parent)  # e.g. the bundles imported before one that was refused
            return None
        success(result)
        self._tell_changes(parent)
        return result

    def query_in_background(self, op: Callable[[Session], T], *, success: Callable[[T], None], parent: QWidget,
                            failure: Callable[[FupinError], None] | None = None) -> Task:
        """`query` on the background runner, for reads that take seconds on a large register.

        The result is dropped when `parent` was closed and deleted meanwhile.
        """
        def read(db: Database, _progress: Progress) -> T:
            with db.reading() as session:
                return op(session)
        return self.task(read, success=success, failure=failure, parent=parent)

    def in_background(self, op: Callable[[Database], T], *, success: Callable[[T], None],
                      failure: Callable[[FupinError], None] | None = None,
                      done: Callable[[], None] | None = None, parent: QWidget | None = None) -> Task:
        """Run `op(database)` on the background runner; the callbacks run on the GUI thread.

        For work on the file through its own connection, such as a backup. `done` runs first
        whatever happened (a bug included), e.g. to close a progress dialog.
        """
        db = self._db
        return self.task(lambda _db, _progress: op(db), success=success, failure=failure, done=done, parent=parent)

    def task(self, work: Callable[[Database, Progress], T], *, success: Callable[[T], None],
             failure: Callable[[FupinError], None] | None = None, done: Callable[[], None] | None = None,
             parent: QWidget | None = None) -> Task:
        """Run `work(database, progress)` on the background runner: the returned Task reports the
        work's progress (`progressed`) and can be cancelled (the work's next step raises Cancelled,
        which goes to `failure` when given and is otherwise silent). Changes are broadcast when it ends."""
        db = self._db
        if self._closed:  # e.g. a timer of a window that has gone: the database must not be reopened
            task = Task(lambda _progress: None, success, failure, parent, self)
            task.running = False
            return task
        task = runner().run(lambda progress: work(db, progress), success=success, failure=failure, owner=parent,
                            after=lambda: self._tell_changes(parent))
        if done is not None:
            task.finished.connect(done)
        return task

    def read_task(self, work: Callable[[Session, Progress], T], *, success: Callable[[T], None],
                  failure: Callable[[FupinError], None] | None = None, parent: QWidget | None = None) -> Task:
        """`task` for long reads: `work(session, progress)` in a read-only session."""
        def read(db: Database, progress: Progress) -> T:
            with db.reading() as session:
                return work(session, progress)
        return self.task(read, success=success, failure=failure, parent=parent)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the background work queued so far (before replacing the file); its results are
        delivered later, by the event loop."""
        runner().wait(timeout)

    def shutdown(self) -> None:
        """Let the background work finish and drop its results (the window is closing)."""
        runner().shutdown()

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
        # the change log cannot refuse this one: it replaces the file
        if user is not None and not accounts.may_write(user):
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
        """Let background work finish, then close the database; no background work starts after."""
        self._closed = True
        self.shutdown()
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
