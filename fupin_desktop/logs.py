"""The log file: `logs/fupin.log` in the data folder (beside the database), rotated at 1 MB, five
old files kept. The GUI and the CLI both call `setup_logging`; a folder that cannot be written
(read-only stick, full disk) leaves logging on stderr only, never stops the program."""

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "fupin.log"
MAX_BYTES, KEEP_FILES = 1_000_000, 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_handler: logging.Handler | None = None


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
    handler.setFormatter(logging.Formatter(_FORMAT))
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
