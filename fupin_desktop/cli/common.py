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


def progress(template: str) -> Callable[[int, int], None]:
    """A progress callback that prints `template` (with {done} and {total}) to stderr."""
    def show(done: int, total: int) -> None:
        print(template.format(done=done, total=total), file=sys.stderr)
    return show
