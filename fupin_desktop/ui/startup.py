"""Opening the database at start, once the window has painted: a damaged file and its backup, the
first-run wizard, signing in (which unlocks an encrypted file), the offer to encrypt; then the
window's database work (idle lock, hourly backups, the integrity check after a clean exit).

`app.main()` imports this module after the first paint: it loads SQLAlchemy, the models and the
services, which take most of a start.
"""

import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from fupin_desktop import paths
from fupin_desktop.db import health, lock
from fupin_desktop.db.cipher import is_encrypted
from fupin_desktop.db.session import (
    Database,
    database_url,
    interrupted_creation,
    mark_open,
    open_database,
    remove_interrupted,
    sqlite_file,
)
from fupin_desktop.domain.clock import CHINA
from fupin_desktop.errors import DatabaseDamagedError, FupinError
from fupin_desktop.logs import log_folder, setup_logging
from fupin_desktop.services import accounts, security
from fupin_desktop.services.backup import daily_backup, integrity_problems, newest_good_backup, replace_damaged
from fupin_desktop.ui.errors import install_excepthook
from fupin_desktop.ui.first_run import FirstRunWizard
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.sign_in import IdleLock, SignInDialog, show_recovery_code

log = logging.getLogger(__name__)


def run(app: QApplication, target: str, settings: QSettings, *, first_run: bool,
        window: MainWindow | None) -> int:
    """Open `target`, sign in, and run the window (`window`: already painted, saying that it opens
    the village; None: made here, e.g. after the first-run wizard). Returns main()'s exit code."""
    file = sqlite_file(database_url(target))
    log_file = setup_logging(log_folder(file, paths.data_dir()))
    log.info("starting on %s", target)
    previous_hook = install_excepthook(log_file)
    try:
        database = _open(target, file, first_run=first_run)
        if database is None:
            return 2
        if database is CANCELLED:
            return 1
        if database.file is not None and database.file != file:  # the wizard's folder: the log goes there too
            install_excepthook(setup_logging(log_folder(database.file, paths.data_dir())))
        ops = DbOps(database)  # after a restore it holds the reopened database, so close through it
        try:
            if not _sign_in(database, settings):
                return 1
            _bound_sqlite_memory(database)  # (an encrypted database has an engine only once signed in)
            if window is None:
                window = MainWindow(ops, settings=settings)
            else:
                window.open(ops)
            _add_accounts(window, ops, settings)
            _keep_daily_backups(window, ops)
            window.show()
            if database.file is not None:
                _check_in_background(window, ops, database.file)
            if os.environ.get("FUPIN_QUIT_WHEN_SHOWN"):  # start-up benchmarks and the frozen-build test
                QTimer.singleShot(0, lambda: (print("window shown", flush=True), app.quit()))
            return app.exec()
        finally:
            ops.close()
    finally:
        if window is not None and window.opening:  # it never got its database: no window stays behind
            window.close()
            window.deleteLater()
            QCoreApplication.sendPostedEvents(window, QEvent.Type.DeferredDelete)
        sys.excepthook = previous_hook


CANCELLED: Any = object()
SQLITE_HEAP_BYTES = 24 * 2**20


def _bound_sqlite_memory(database: Database) -> None:
    """One bound for SQLite's memory in the whole program. Each connection may cache 64 MiB of pages
    (db/session.py), and the GUI reads on several (its own, the home page's and the search index's
    worker threads): at 50,000 households that alone came to ~200 MB. Over this soft limit SQLite
    reuses cached pages instead of allocating more, so one busy connection still gets its cache."""
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA soft_heap_limit={SQLITE_HEAP_BYTES}")


def _open(target: str, file: Path | None, *, first_run: bool) -> Database | None:
    """The open database; None after showing why it cannot be opened; CANCELLED if set-up was."""
    title = QCoreApplication.translate("app", "无法打开数据库")
    try:
        if file is not None and file.exists() and first_run and interrupted_creation(file):
            remove_interrupted(file)  # a set-up killed half-way: the wizard runs again
        if file is not None and not file.exists() and first_run:
            wizard = FirstRunWizard(file.parent)
            if not wizard.exec() or wizard.database is None:
                if wizard.database is not None:
                    wizard.database.close()
                return CANCELLED
            paths.remember_data_folder(wizard.database.file.parent if wizard.database.file else file.parent)
            return wizard.database
        return _open_existing(target, file)
    except FupinError as e:  # another window has it open, a full or read-only disk …: nothing to restore
        QMessageBox.critical(None, title, str(e))
        return None


def _open_existing(target: str, file: Path | None) -> Database | None:
    """Open the file, after a crash or power cut checking it first (after a clean exit it is checked
    on a worker thread once the window is up: quick_check reads the whole file, seconds for a large
    register). Damage, found now or recorded before, is offered the newest good backup."""
    hold = mark_open(file) if file is not None and file.exists() else None
    try:
        if file is not None and file.exists():
            problems = health.recorded_damage(file)
            if not problems and (header := health.header_problem(file)):
                problems = [header]
            if not problems and hold is not None and hold.crashed and not is_encrypted(file):
                # (an encrypted file can be checked only once signed in: then on a worker thread)
                problems = integrity_problems(file, quick=True)  # `fupin check` runs the full check
            if problems and not _offer_backup(file, problems, hold):
                return None
        try:
            return open_database(target, hold=hold)
        except DatabaseDamagedError as e:  # found while opening
            if file is None or not _offer_backup(file, [str(e)], hold):
                return None
            return open_database(target, hold=hold)
    except BaseException:
        if hold is not None:
            hold.release()
        raise


def _check_in_background(window: MainWindow, ops: DbOps, file: Path) -> None:
    """quick_check while the user works; damage it finds is recorded (nothing writes to the file
    any more) and reported; the next start offers the newest good backup."""

    def found(problems: list[str]) -> None:
        if not problems:
            return
        log.error("integrity check failed for %s: %s", file, problems)
        health.record_damage(file, problems)
        tr = QCoreApplication.translate
        QMessageBox.critical(window, tr("app", "数据库已损坏"),
                             tr("app", "检查发现数据库文件已损坏（{problem}）。\n\n请不要再录入，关闭程序后重新打开："
                                       "程序会在启动时提供用最近的完好备份恢复。").format(problem=problems[0]))
    ops.in_background(lambda _db: integrity_problems(file, quick=True), success=found,
                      failure=lambda e: log.warning("integrity check failed to run: %s", e))


def _offer_backup(file: Path, problems: list[str], hold: lock.Hold | None) -> bool:
    """The database is damaged: offer the newest good backup. True when it was put in place."""
    log.error("integrity check failed for %s: %s", file, problems)
    tr = QCoreApplication.translate
    good = newest_good_backup(file)
    if good is None:
        QMessageBox.critical(None, tr("app", "数据库已损坏"),
                             tr("app", "数据库文件 {file} 已损坏（{problem}），也没有找到可用的备份。\n"
                                       "请不要删除这个文件；如有U盘上的备份，可用命令 “fupin restore 备份文件” 恢复，"
                                       "或联系县里的技术人员。").format(file=file, problem=problems[0]))
        return False
    when = good.last_change.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if good.last_change else "?"
    answer = QMessageBox.question(
        None, tr("app", "数据库已损坏"),
        tr("app", "数据库文件已损坏（{problem}）。\n\n找到最近的完好备份：{name}\n{village}，{households}户，"
                  "最后修改于 {when}。\n\n用这个备份恢复吗？此后录入的内容需要重新录入；损坏的文件会改名保留，"
                  "不会删除。").format(problem=problems[0], name=good.path.name, village=good.village,
                                    households=good.households, when=when))
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        damaged = replace_damaged(file, good.path, mine=hold)
    except FupinError as e:
        QMessageBox.critical(None, tr("app", "恢复失败"), str(e))
        return False
    log.warning("damaged database moved to %s, restored %s", damaged, good.path)
    return True


def _sign_in(database: Database, settings: QSettings) -> bool:
    """When the database has accounts, ask for a password; False when the person gave up."""
    if not database.locked:
        with database.reading() as s:
            if not accounts.has_accounts(s):
                return True
    if database.user is not None:  # signed in by the first-run wizard
        return True
    dialog = SignInDialog(database, settings)
    if not dialog.exec() or dialog.user is None:
        return False
    if security.plain_with_accounts(database) and dialog.user.can_manage_users:
        _offer_encryption(database, dialog.password_used)
    return True


def _offer_encryption(database: Database, password: str) -> None:
    """A database that got its accounts before encryption existed: the first secretary encrypts it."""
    tr = QCoreApplication.translate
    answer = QMessageBox.question(
        None, tr("app", "加密数据库"),
        tr("app", "本村数据库还没有加密：笔记本或U盘丢失时，任何人都能读出全村的身份证号。\n\n现在加密吗？"
                  "（几秒钟；会发给您新的恢复码。其他账户之后需要您在“设置 → 账户”中重设一次密码。）"))
    if answer != QMessageBox.StandardButton.Yes:
        return
    try:
        code = security.encrypt_existing(database, password=password)
    except FupinError as e:
        QMessageBox.critical(None, tr("app", "加密失败"), str(e))
        return
    show_recovery_code(None, code, again=True)


def _keep_daily_backups(window: MainWindow, ops: DbOps) -> QTimer:
    """The day's backup also when the program stays open for days (checked hourly)."""
    timer = QTimer(window)
    timer.setInterval(3600 * 1000)

    def made(backup: Path | None) -> None:
        if backup is not None:
            window.show_last_backup()

    def check() -> None:
        if ops.file is not None:
            ops.in_background(daily_backup, success=made, failure=lambda e: log.warning("daily backup failed: %s", e))
    timer.timeout.connect(check)
    timer.start()
    return timer


def _add_accounts(window: MainWindow, ops: DbOps, settings: QSettings) -> IdleLock | None:
    """锁定 (Ctrl+L) and the idle lock; after unlocking, the window shows (and offers what it may
    do to) whoever signed in."""
    if ops.user is None:
        return None
    minutes: list[int] = []
    ops.query(accounts.idle_lock_minutes, success=minutes.append)  # synchronous: the answer is here now
    if not minutes:
        return None
    lock = IdleLock(window, ops, minutes[0], settings)
    lock.unlocked.connect(lambda _user: window.user_changed())
    window.idle_minutes_changed.connect(lock.set_minutes)  # (设置 → 账户, once that page is built)
    action = QAction(QCoreApplication.translate("app", "锁定"), window)
    action.setShortcut(QKeySequence("Ctrl+L"))
    action.triggered.connect(lock.lock)
    window.addAction(action)
    window.idle_lock = lock  # type: ignore[attr-defined]
    return lock
