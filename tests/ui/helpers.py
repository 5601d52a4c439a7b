"""Opening the GUI the way the tests need it: the main window on screen, a page on the sample data."""

from typing import TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from fupin_desktop.ui.households_page import HouseholdsPage
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps

T = TypeVar("T", bound=QWidget)


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
