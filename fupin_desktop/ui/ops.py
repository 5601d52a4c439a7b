"""The one place the GUI runs database work.

Pages never open sessions themselves. They call

    ops.query(lambda s: search_households(s, query), success=self._show, parent=self)

`op` gets a read-only Session and must return plain rows (never ORM objects); `success` receives
the result on the GUI thread. Today `op` runs synchronously on the GUI thread because the queries
take milliseconds; a later issue moves it to a single worker thread without changing any caller,
which is why results come back through a callback instead of a return value.

Known problems (FupinError) are shown to the user, or handed to `failure` when one is given.
Anything else is a bug and propagates to the crash hook installed by `app.py`.
"""

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QWidget
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from fupin_desktop.db.session import Database
from fupin_desktop.errors import FupinError
from fupin_desktop.ui.errors import show_error

T = TypeVar("T")


class DbOps:
    """Runs read-only queries for the GUI against one open database."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
            if failure is not None:
                failure(e)
            else:
                show_error(parent, e)
            return
        success(result)
