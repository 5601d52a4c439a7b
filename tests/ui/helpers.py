"""Opening the GUI the way the tests need it: the program started as a person starts it, the main
window on screen, a page on the sample data."""

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from fupin_desktop.ui import app as app_module
from fupin_desktop.ui.households_page import HouseholdsPage
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps

T = TypeVar("T", bound=QWidget)


def start_app(monkeypatch, settings: QSettings, *args: str,  # type: ignore[no-untyped-def]
              event_loop: Callable[[QApplication], int] = lambda _app: 0) -> int:
    """`app.main(*args)` with the test's settings; `event_loop` runs in place of Qt's (by default it
    returns at once, leaving the windows open: `close_main_windows()`)."""
    monkeypatch.setattr("fupin_desktop.ui.main_window.default_settings", lambda: settings)
    monkeypatch.setattr(QApplication, "exec", event_loop)
    return app_module.main(*args)


def answer_yes(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every QMessageBox.question is answered 是; returns the questions asked."""
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    return asked


def close_main_windows() -> None:
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            w.close()


def open_window(qtbot, ops: DbOps, settings: QSettings, page: str | None = None,  # type: ignore[no-untyped-def]
                *, backup_at_start: bool = False, **options) -> MainWindow:
    """The main window shown and exposed, on `page` if given; no day's backup unless asked for."""
    window = MainWindow(ops, settings=settings, backup_at_start=backup_at_start, **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if page is not None:
        window.show_page(page)
    return window


def open_households_page(qtbot, ops: DbOps) -> HouseholdsPage:  # type: ignore[no-untyped-def]
    """The 农户 page at a laptop's size, loaded."""
    page = HouseholdsPage(ops)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.refresh()
    return page


def open_page(qtbot, page_class: type[T], ops: DbOps) -> T:  # type: ignore[no-untyped-def]
    """A page (or tab) of the main window on its own, loaded."""
    page = page_class(ops)
    qtbot.addWidget(page)
    page.refresh()  # type: ignore[attr-defined]
    return page
