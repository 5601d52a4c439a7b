"""The log file: `logs/fupin.log` in the data folder (beside the database), rotated at 1 MB, five
old files kept. The GUI calls `setup_logging`; a folder that cannot be written (read-only stick,
full disk) leaves logging on stderr only, never stops the program.

The log and crash reports are sent to the county, so they carry no personal data: the engine
hides SQL parameters (db/session.make_engine), `error_report` keeps only the traceback's code
locations and error types, and every line written is scrubbed of ID and phone numbers.
"""

import logging
import logging.handlers
import re
import traceback
from pathlib import Path

LOG_NAME = "fupin.log"
MAX_BYTES, KEEP_FILES = 1_000_000, 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_handler: logging.Handler | None = None
# 18-digit ID numbers (also 15-digit old ones) and mobile numbers, wherever they appear in a line
_PERSONAL = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15}|1[3-9][0-9]{9})(?![0-9])")


def scrub(text: str) -> str:
    """`text` with ID and phone numbers replaced by a placeholder."""
    return _PERSONAL.sub("[已隐去]", text)


class _ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def error_report(exc: BaseException) -> str:
    """A bug report for the log and the crash dialog: where it happened and what kind of error,
    never the values. An exception's message may quote the data that caused it (SQL parameters,
    a name in a KeyError), so only messages of errors known to carry none are kept."""
    lines = []
    for e in _chain(exc):
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_list(traceback.extract_tb(e.__traceback__))
        kind = type(e).__qualname__
        if type(e).__module__ != "builtins":
            kind = f"{type(e).__module__}.{kind}"
        lines.append(f"{kind}: {_safe_message(e)}\n")
    return scrub("".join(lines))


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and e not in seen and len(seen) < 10:
        seen.append(e)
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
    return seen[::-1]


def _safe_message(e: BaseException) -> str:
    from sqlalchemy.exc import StatementError

    if isinstance(e, StatementError):  # the SQL text names tables and columns; parameters are left out
        return f"{type(e.orig).__name__}: {_first_line(str(e.orig))} [SQL: {_first_line(e.statement or '')}]"
    if type(e).__module__ in ("sqlite3", "sqlcipher3.dbapi2", "sqlcipher3"):
        return _first_line(str(e))  # "UNIQUE constraint failed: member.id" …: names, not values
    if isinstance(e, _NAMES_ONLY):
        return _first_line(str(e))
    return "（错误内容可能含个人信息，未记录）"


# errors whose messages name code (attributes, types, modules), not data
_NAMES_ONLY = (AttributeError, NameError, ImportError, NotImplementedError, RecursionError, ZeroDivisionError,
               IndexError, TypeError)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:300] if text.strip() else ""


def log_folder(db_file: Path | None, fallback: Path) -> Path:
    """Where the log goes: the database's folder, or the user data folder for a database server."""
    return (db_file.parent if db_file is not None else fallback) / "logs"


def setup_logging(folder: Path, *, level: int = logging.INFO) -> Path | None:
    """Send the program's log records to a rotating file in `folder`; returns the file or None."""
    global _handler
    stop_logging()
    root = logging.getLogger()
    file = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(file, maxBytes=MAX_BYTES, backupCount=KEEP_FILES,
                                                       encoding="utf-8", delay=False)
    except OSError:
        logging.getLogger(__name__).warning("cannot write the log file in %s", folder)
        return None
    handler.setFormatter(_ScrubbingFormatter(_FORMAT))
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    _handler = handler
    logging.getLogger(__name__).info("log started")
    return file


def current_log_file() -> Path | None:
    if isinstance(_handler, logging.handlers.RotatingFileHandler):
        return Path(_handler.baseFilename)
    return None


def stop_logging() -> None:
    """Close the log file (at exit)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        try:
            _handler.close()  # flushes: fails on a full disk, which must not turn an exit into a crash
        except OSError:
            pass
        _handler = None
