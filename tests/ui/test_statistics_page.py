"""The 统计 page fits a village laptop (at 1366×768 the main window is about 1230×690) with every
字号, also one chosen while the program runs."""

import pytest
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtWidgets import QRadioButton, QScrollArea

from fupin_desktop.ui import font_size
from fupin_desktop.ui.main_window import MainWindow


def open_statistics(qtbot, ops, settings) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ops, settings=settings, backup_at_start=False)
    qtbot.addWidget(window)
    window.resize(1230, 690)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("statistics")
    qtbot.waitUntil(lambda: window.statistics_page.stats is not None)
    return window


@pytest.mark.parametrize("size", list(font_size.SIZES))
def test_needs_no_horizontal_scrolling(qtbot, ops, settings, households, size) -> None:  # type: ignore[no-untyped-def]
    settings.setValue(font_size.SETTING, size)
    try:
        page = open_statistics(qtbot, ops, settings).statistics_page
        qtbot.wait(50)  # the layout settles after the tables filled
        scroll = page.findChild(QScrollArea)
        assert scroll.horizontalScrollBar().maximum() == 0
        assert scroll.widget().width() <= scroll.viewport().width()
    finally:
        font_size.apply(font_size.STANDARD)


def test_a_font_size_chosen_later_refits_it(qtbot, ops, settings, households) -> None:  # type: ignore[no-untyped-def]
    window = open_statistics(qtbot, ops, settings)
    try:
        window.show_page("settings")
        window.settings_page.display_tab.findChild(QRadioButton, "font_large").click()
        window.show_page("statistics")
        card = window.statistics_page.cards["cause"]
        table = card.table
        assert table.height() >= table.horizontalHeader().height() + table.verticalHeader().length()
        axis = next(a for a in card.chart.axes() if isinstance(a, QBarCategoryAxis))
        assert axis.labelsFont().pointSizeF() == 12.5
    finally:
        font_size.apply(font_size.STANDARD)
