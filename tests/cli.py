"""Running the `fupin` command in tests.

`fupin(...)` calls `fupin_desktop.cli.main(argv)` in this process: what a user sees (stdout,
stderr, exit code) without starting an interpreter and importing everything again (≈ 2–3 s a
call on these cores). Its standard input is the given text (or empty, never a terminal, as in a
script); the process-wide state a command may touch (working folder, environment, the program's
name in db/lock.py) is put back afterwards, and a command that leaves its database open fails the
test (in a real process the exit would have hidden it).

`fupin_process(...)` starts the real program, for what only a process shows: start-up, argparse's
exits, a pipe closed early, the encoding of the console, a password read from a pipe. Tests
that use it are marked `process`.
"""

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

process = pytest.mark.process


@dataclass(frozen=True)
class Result:
    """What a run printed and returned (the fields of subprocess.CompletedProcess the tests read)."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def fupin(*args: object, check: bool = True, input_: str | None = None, cwd: Path | None = None,
          env: dict[str, str] | None = None) -> Result:
    from fupin_desktop.cli import main
    from fupin_desktop.db import lock

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    program, environ, folder, stdin = dict(lock._program), dict(os.environ), os.getcwd(), sys.stdin
    held = _held(argv, cwd)
    try:
        if env is not None:
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.StringIO(input_ or "")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as e:  # argparse: --help, --version, a usage error
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        left_open = _held(argv, cwd) - held
    finally:
        sys.stdin = stdin
        os.chdir(folder)
        if os.environ != environ:
            os.environ.clear()
            os.environ.update(environ)
        lock._program.clear()
        lock._program.update(program)
    result = Result(argv, code, out.getvalue(), err.getvalue())
    assert not left_open, f"fupin {' '.join(argv)} left the database open: {sorted(left_open)}"
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def _held(argv: list[str], cwd: Path | None) -> set[str]:
    """This process's open markers of the --db file (db/lock.py): one per open Database."""
    from fupin_desktop.db import lock

    if "--db" not in argv[:-1]:
        return set()
    path = Path(argv[argv.index("--db") + 1])
    if "://" in str(path):
        return set()
    path = (cwd or Path.cwd()) / path
    return {p.name for p in lock.folder(path).glob(f"{os.getpid()}-*.json")}


def fupin_process(*args: object, check: bool = True, input_: str | None = None, cwd: Path | None = None,
                  env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real program in a process of its own."""
    result = subprocess.run([sys.executable, "-m", "fupin_desktop.cli", *map(str, args)], capture_output=True,
                            text=True, timeout=timeout, input=input_, cwd=cwd,
                            env=None if env is None else {**os.environ, **env})
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result
