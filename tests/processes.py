"""Real child processes for the tests that kill a program or need one holding the database open
(tests/crash, tests/ui/test_one_window.py): each child imports this source tree."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from fupin_desktop.db.session import open_database
from fupin_desktop.services import backup

ROOT = Path(__file__).resolve().parents[1]

# argv: database, the program's name for db/lock.py, "window" or "cli"; prints "ready" once it holds the file
HOLDER = r"""
import sys, time
from fupin_desktop.db import lock
from fupin_desktop.db.session import mark_open
lock.this_process(sys.argv[2], window=sys.argv[3] == "window")
hold = mark_open(__import__("pathlib").Path(sys.argv[1]))
print("ready", flush=True)
time.sleep(600)
"""


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def start(script: str, *args: object) -> subprocess.Popen[str]:
    """`python -c script args…`, once it has printed "ready"."""
    proc = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env())
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    return proc


def kill(proc: subprocess.Popen[str]) -> str:
    """SIGKILL, then what the process printed that was not read yet."""
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    return rest


def make_backup(db_path: Path) -> Path:
    db = open_database(db_path)
    try:
        return backup.backup_now(db)
    finally:
        db.close()
