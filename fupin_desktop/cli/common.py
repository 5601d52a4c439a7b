"""What every command module shares: opening the database and printing progress.

The database layer (SQLAlchemy and the models: a second of imports) loads only when a command
opens the database, so `fupin --help` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fupin_desktop.db.session import Database


class AddCommand(Protocol):
    def __call__(self, name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        ...


def open_db(args: argparse.Namespace) -> Database:
    from fupin_desktop.db.session import open_database

    return open_database(args.db)


def status_filter(text: str | None) -> tuple[str | None, str | None]:
    """(status, attribute code) of a `--status` word: the program's own (已脱贫(享受政策)) or an official
    term (脱贫户, 监测对象, 低保户…), as the roster import reads them."""
    from fupin_desktop.domain.statuses import status_filter as read
    from fupin_desktop.errors import FupinError

    if not text:
        return None, None
    try:
        return read(text)
    except ValueError as e:
        raise FupinError(str(e)) from None


def progress(template: str) -> Callable[[int, int], None]:
    """A progress callback that prints `template` (with {done} and {total}) to stderr."""
    def show(done: int, total: int) -> None:
        print(template.format(done=done, total=total), file=sys.stderr)
    return show
