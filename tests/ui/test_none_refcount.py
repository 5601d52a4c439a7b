"""PySide6 6.12.0 drops a reference to None in QTableWidget.setItem and the items' setData; on Python
3.11 enough of them abort the program ("none_dealloc"). pyproject.toml keeps PySide6 below 6.12;
these tests fail on a version that leaks again."""

import gc
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from fupin_desktop.ui.form_widgets import MultiChoiceBox
from fupin_desktop.ui.tables import fill_table, readonly_table


def none_refs_lost(action) -> int:
    gc.collect()  # objects of earlier tests freed during the action would give None references back
    gc.disable()
    try:
        before = sys.getrefcount(None)
        action()
        return before - sys.getrefcount(None)
    finally:
        gc.enable()


def test_filling_tables_keeps_none_alive(qtbot):
    table = readonly_table(["名称", "数量"])
    qtbot.addWidget(table)
    assert none_refs_lost(lambda: fill_table(table, [["走访", 1]] * 2000, centred=(0,))) < 100  # 4000 cells


def test_choice_lists_and_list_items_keep_none_alive(qtbot):
    box = MultiChoiceBox()
    qtbot.addWidget(box)
    assert none_refs_lost(lambda: box.set_choices({str(i): f"帮扶人{i}" for i in range(2000)})) < 100

    def items() -> None:
        for i in range(2000):
            QListWidgetItem(str(i)).setData(Qt.ItemDataRole.UserRole, i)
    assert none_refs_lost(items) < 100
