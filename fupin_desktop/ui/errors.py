"""How the GUI shows errors: known problems as a message, bugs as a crash dialog plus a log file.

Core errors (FupinError) already carry a Chinese message that says what to do, so they are shown
as they are. Anything else reaching `sys.excepthook` is a bug: the traceback is appended to the log
file and the user gets a dialog that says where that file is.
"""

import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from fupin_desktop.errors import FupinError
from fupin_desktop.logs import current_log_file, error_report

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def show_error(parent: QWidget | None, error: FupinError) -> None:
    """A known problem: the core's own message, nothing technical."""
    QMessageBox.warning(parent, _tr("无法完成操作"), str(error))


def show_crash(details: str, log_file: Path | None) -> None:
    """A bug: apologise, say that saved data is safe and where the details went."""
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("程序出错"), _tr("程序遇到了意外错误。"),
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    steps = _tr("已保存的数据不受影响，刚才的操作可能没有完成。\n\n请这样做：\n"
                "1. 点“确定”，检查刚才录入的内容是否已保存，没有就重新录入；\n"
                "2. 如果程序不正常，关闭后重新打开；\n"
                "3. 如果再次出现，请记下当时在做什么，")
    if log_file is not None:
        info = steps + _tr("把日志文件发给县里的技术支持人员：\n{path}").format(path=log_file)
    else:
        info = steps + _tr("并把下面“详细信息”中的内容抄送技术支持人员（日志文件无法写入）。")
    box.setInformativeText(info)
    box.setDetailedText(details)
    box.exec()


def append_log(log_file: Path | None, details: str) -> bool:
    """Append one report to the log file; False when it cannot be written (read-only disk …).

    When the program's rotating log handler writes that file, the report goes through it."""
    if log_file is None:
        return False
    if current_log_file() == log_file:
        logging.getLogger("fupin.crash").critical("未处理的异常\n%s", details)
        return True
    stamp = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8") as f:
            f.write(f"--- {stamp}\n{details}\n")
    except OSError:
        return False
    return True


def install_excepthook(log_file: Path | None) -> ExceptHook:
    """Route uncaught exceptions to the log file and a dialog; returns the previous hook."""
    previous = sys.excepthook
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt) or QApplication.instance() is None:
            previous(exc_type, exc, tb)
            return
        if isinstance(exc, FupinError):  # known problem that escaped a slot: no crash report needed
            show_error(QApplication.activeWindow(), exc)
            return
        details = error_report(exc)  # no SQL parameters, no values: the log is sent to the county
        where = log_file
        written = append_log(where, details)
        sys.stderr.write(details)
        if showing:  # an error while the dialog is open (e.g. in a paint event): log only, no cascade
            return
        showing = True
        try:
            show_crash(details, where if written else None)
        finally:
            showing = False

    sys.excepthook = hook
    return previous
