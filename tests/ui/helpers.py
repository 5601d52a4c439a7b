"""Opening the GUI the way the tests need it: the main window on screen, a page on the sample data."""

from PySide6.QtCore import QSettings

from fupin_desktop.ui.households_page import HouseholdsPage
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps


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
