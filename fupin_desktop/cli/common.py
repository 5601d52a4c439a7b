"""What every command module shares: opening the database (and signing in), reading secrets,
printing progress.

The database layer (SQLAlchemy and the models: a second of imports) loads only when a command
opens the database, so `fupin --help` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from fupin_desktop.domain.progress import Progress
from fupin_desktop.errors import SignInError

if TYPE_CHECKING:
    from fupin_desktop.db.session import Database

T = TypeVar("T")
CLI = "命令行"  # the change log's actor for a command's write when nobody signed in
NEED_SIGN_IN = ("本数据库已设账户，须先登录。请在终端中运行本命令（会询问登录名和密码），或在脚本中用 "
                "“fupin --user 登录名 --password-stdin …” 从标准输入读密码，或先运行 “fupin unlock” 解锁一段时间。")


class AddCommand(Protocol):
    """`command(name, func)`: the parser of command `name` (named and described in cli/commands.py)."""

    def __call__(self, name: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        ...


def open_db(args: argparse.Namespace, *, sign_in: bool = True, temporary_password_ok: bool = False) -> Database:
    """Open --db; once it has an account (always, when it is encrypted) someone signs in first, so
    the services apply that account's role to the command line as to the window."""
    from fupin_desktop.db.session import open_database

    db = open_database(args.db)
    try:
        if sign_in:
            _sign_in(db, args, temporary_password_ok=temporary_password_ok)
    except BaseException:
        db.close()
        raise
    return db


def with_db(args: argparse.Namespace, op: Callable[[Database], T]) -> T:
    """`op(database)` on --db, opened (and signed in to) for it and closed after."""
    db = open_db(args)
    try:
        return op(db)
    finally:
        db.close()


def reading(args: argparse.Namespace, op: Callable[[Any], T]) -> T:
    """`op(session)` in a read session of --db: the query a listing command prints."""
    def read(db: Database) -> T:
        with db.reading() as s:
            return op(s)
    return with_db(args, read)


def writing(args: argparse.Namespace, op: Callable[[Any], T], *, actor: str | None = None) -> T:
    """`op(session)` in one transaction of --db: all of it is written, or nothing. `actor` names the
    writer in the change log when nobody signed in (a database without accounts)."""
    def write(db: Database) -> T:
        with db.transaction(actor=actor) as s:
            return op(s)
    return with_db(args, write)


def _sign_in(db: Database, args: argparse.Namespace, *, temporary_password_ok: bool) -> None:
    from fupin_desktop.services import accounts, unlock

    if not db.locked:
        with db.reading() as s:
            if not accounts.has_accounts(s):
                return
    token = os.environ.get(unlock.ENV)
    if token and not args.password_stdin and not getattr(args, "fresh_sign_in", False):
        try:
            unlock.resume(db, token)
            return
        except SignInError:
            if not sys.stdin.isatty():
                raise
    username = username_for(args)
    password = read_secret(args, "密码：")
    if db.locked:
        accounts.unlock(db, username, password)
        with db.reading() as s:
            if not accounts.has_accounts(s):  # a restored backup from before the first account
                return
    user = accounts.sign_in(db, username, password)
    args.signed_in_password = password  # `users passwd` and `users encrypt` need it once more
    if accounts.needs_new_password(db, user.username) and not temporary_password_ok:
        accounts.sign_out(db)
        raise SignInError("您的密码是临时密码（新账户或被重设），请先运行 “fupin users passwd” 设新密码。")


def username_for(args: argparse.Namespace) -> str:
    return args.user or os.environ.get("FUPIN_USER") or _ask("登录名：")


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise SignInError(NEED_SIGN_IN)
    return input(prompt).strip()


def read_secret(args: argparse.Namespace, prompt: str) -> str:
    """A password: one line of standard input with --password-stdin, else asked without echo.
    Never from the command line itself (shell history and the process list would keep it)."""
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise SignInError("--password-stdin：标准输入中没有密码了。")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise SignInError(NEED_SIGN_IN)
    return getpass.getpass(prompt)


def read_new_secret(args: argparse.Namespace, prompt: str = "新密码：") -> str:
    """A new password (or recovery code): typed twice at a terminal, one line with --password-stdin."""
    if getattr(args, "password_stdin", False) or not sys.stdin.isatty():
        args.password_stdin = True
        return read_secret(args, prompt)
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise SignInError("两次输入的不一致，未做任何修改。")
    return first


def status_filter(text: str | None) -> tuple[str | None, str | None]:
    """(status, attribute code) of a `--status` word: the program's own (已脱贫(享受政策)) or an official
    term (脱贫户, 监测对象, 低保户…), as the roster import reads them."""
    from fupin_desktop.domain.statuses import status_filter as read

    return read(text) if text else (None, None)


def progress(template: str) -> Progress:
    """Progress that prints `template` (with {done} and {total}) to stderr (Ctrl+C stops a command)."""
    return Progress(report=lambda done, total, _message: print(template.format(done=done, total=total),
                                                                 file=sys.stderr))
