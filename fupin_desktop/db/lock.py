"""Who has a database file open: one marker file per process, held locked while it is open.

Beside `fupin.db` the folder `fupin.db.open/` holds

- `gate`: locked for a moment by whoever opens the file, and for the whole swap by a restore or a
  replace, so nobody opens the file half-way through a swap and a swap never starts while
  someone is opening it;
- one `<pid>-<random>.json` per open database (GUI window, CLI command, test), locked by its
  owner for as long as the file is open and deleted when it is closed. It says who: program,
  process, user, since when.

The operating system drops a lock when its process dies (power cut, kill, crash), so a marker
that can be locked belongs to a run that ended without closing the file: `acquire` removes it
and reports `crashed`, and that start checks the file first. A restore or replace takes the
gate and goes ahead only when no live marker other than the caller's own is left; a second
window is refused while one is open. Locks are `flock` on POSIX and `msvcrt.locking` on Windows,
both dropped by the OS with the process. A folder where the markers cannot be written (a
read-only stick) gets no hold: nothing can be written there anyway.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from fupin_desktop.errors import DatabaseBusyError

WINDOW = "窗口"
GATE_WAIT_S = 30.0  # a restore of a large register holds the gate for seconds
_CHINA = timezone(timedelta(hours=8))
_program = {"name": "程序", "window": False}  # what this process is; the GUI and the CLI say so at start


def this_process(name: str, *, window: bool = False) -> None:
    """Say what this process is ("窗口", "命令 fupin backup"); a window excludes other windows."""
    _program.update(name=name, window=window)


@dataclass(frozen=True)
class Holder:
    """Someone who has the database open."""

    program: str
    pid: int
    user: str
    host: str
    since: datetime  # UTC
    window: bool

    def __str__(self) -> str:
        since = self.since.astimezone(_CHINA).strftime("%m-%d %H:%M")
        program = f"另一个程序（{self.program}）" if self.program != "程序" else "另一个程序"
        who = "另一个窗口" if self.window else program
        return f"{who}（进程{self.pid}，用户{self.user}，{since}起）"


def folder(db_file: Path) -> Path:
    return db_file.with_name(f"{db_file.name}.open")


class Hold:
    """This process's marker: the database is open here. `release()` when it is closed."""

    def __init__(self, db_file: Path, path: Path, fd: int, crashed: bool) -> None:
        self.db_file, self.path, self._fd = db_file, path, fd
        self.crashed = crashed  # a run before ended without closing the file

    def release(self) -> None:
        if self._fd < 0:
            return
        if os.name != "nt":
            with suppress(OSError):
                self.path.unlink()  # before unlocking: nobody mistakes it for a crashed run's
        with suppress(OSError):
            _unlock(self._fd)
        os.close(self._fd)
        self._fd = -1
        if os.name == "nt":  # Windows deletes no file that is still open
            with suppress(OSError):
                self.path.unlink()

    @property
    def held(self) -> bool:
        return self._fd >= 0


def acquire(db_file: Path, *, wait: float = GATE_WAIT_S, when_alone: Callable[[], object] | None = None) -> Hold | None:
    """Mark `db_file` open by this process. Raises DatabaseBusyError when a window wants a file
    another window has open, or a restore holds the gate longer than `wait` seconds. None when
    the folder cannot be written. `when_alone` runs (gate held) when nobody else has it open."""
    here = folder(db_file)
    try:
        here.mkdir(exist_ok=True)
    except OSError:
        return None
    with _gate(db_file, wait, "正在被另一个程序恢复或替换"):
        crashed = _clear_stale(db_file)
        live = others(db_file)
        if _program["window"] and (windows := [h for h in live if h.window]):
            raise DatabaseBusyError(f"{windows[0]}正在使用数据库 {db_file.name}。同一个数据库只能在一个窗口中打开，"
                                    "请切换到那个窗口（或关闭它后再打开）。")
        if not live and when_alone is not None:
            when_alone()
        path = here / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except OSError:
            return None
        _lock(fd, wait=0)
        me = {"program": _program["name"], "pid": os.getpid(), "user": _user(), "host": socket.gethostname(),
              "since": datetime.now(UTC).isoformat(), "window": _program["window"]}
        with suppress(OSError):  # a full disk: the marker still holds, it only cannot say who
            os.write(fd, json.dumps(me, ensure_ascii=False).encode())
        return Hold(db_file, path, fd, crashed)


def others(db_file: Path, mine: Hold | None = None) -> list[Holder]:
    """The live holders of `db_file` other than `mine` (markers of dead runs are skipped)."""
    found = []
    for path in sorted(folder(db_file).glob("*.json")):
        if mine is not None and path == mine.path:
            continue
        if _alive(path):
            found.append(_read(path))
    return found


@contextmanager
def exclusive(db_file: Path, *, mine: Hold | None = None, wait: float = 0.0, doing: str = "恢复") -> Iterator[None]:
    """Hold the gate while nobody but `mine` has `db_file` open (waiting up to `wait` seconds for
    the others to close it); otherwise raise DatabaseBusyError naming who has it open."""
    with suppress(OSError):
        folder(db_file).mkdir(exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        with _gate(db_file, wait, "正在被另一个程序恢复或替换"):
            _clear_stale(db_file)
            live = others(db_file, mine)
            if not live:
                yield
                return
        if time.monotonic() >= deadline:
            raise DatabaseBusyError(f"{live[0]}正在使用数据库 {db_file.name}，{doing}已取消，数据库未做任何改动。"
                                    f"请先关闭{'那个窗口' if live[0].window else '该程序'}，再{doing}。")
        time.sleep(0.1)


def _clear_stale(db_file: Path) -> bool:
    """Remove the markers of runs that ended without closing the file (and the older single
    `fupin.db.in-use` marker); True when there were any. Called with the gate held."""
    crashed = False
    legacy = db_file.with_name(f"{db_file.name}.in-use")
    if legacy.exists():
        with suppress(OSError):
            legacy.unlink()
        crashed = True
    for path in folder(db_file).glob("*.json"):
        if not _alive(path):
            with suppress(OSError):
                path.unlink()
            crashed = True
    return crashed


def _alive(marker: Path) -> bool:
    """Whether the marker's owner still holds its lock (the OS dropped it if the owner died)."""
    try:
        fd = os.open(marker, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # Windows: a file open in another process cannot be opened for writing
    try:
        _lock(fd, wait=0)
    except DatabaseBusyError:
        return True
    else:
        _unlock(fd)
        return False
    finally:
        os.close(fd)


def _read(marker: Path) -> Holder:
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        return Holder(program=str(data["program"]), pid=int(data["pid"]), user=str(data["user"]),
                      host=str(data["host"]), since=datetime.fromisoformat(data["since"]),
                      window=bool(data["window"]))
    except (OSError, ValueError, KeyError, TypeError):  # just being written
        pid = marker.name.split("-")[0]
        return Holder("程序", int(pid) if pid.isdigit() else 0, "?", "?", datetime.now(UTC), False)


@contextmanager
def _gate(db_file: Path, wait: float, busy: str) -> Iterator[None]:
    path = folder(db_file) / "gate"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a read-only folder: nobody can swap the file there either
        yield
        return
    try:
        try:
            _lock(fd, wait=wait)
        except DatabaseBusyError:
            raise DatabaseBusyError(f"数据库 {db_file.name} {busy}，请稍后再试。") from None
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "?"


def _retrying(attempt: Callable[[], None], *, wait: float, busy: type[OSError]) -> None:
    """`attempt()` again every 50 ms while it raises `busy` (another process holds the lock), for up to
    `wait` seconds; then the database is busy."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return attempt()
        except busy:
            if time.monotonic() >= deadline:
                raise DatabaseBusyError("locked") from None
            time.sleep(0.05)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows (mypy reads this test, not os.name)
    import msvcrt

    _AT = 1 << 20  # a byte past the marker's text: Windows locks are mandatory, the text stays readable

    def _lock(fd: int, *, wait: float) -> None:
        def attempt() -> None:
            os.lseek(fd, _AT, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            os.lseek(fd, 0, os.SEEK_SET)
        _retrying(attempt, wait=wait, busy=OSError)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _AT, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int, *, wait: float) -> None:
        _retrying(lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB), wait=wait, busy=BlockingIOError)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
