"""PySide6 6.12.0 drops a reference to None in QTableWidget.setItem and the items' setData; on Python
3.11 enough of them abort the program ("none_dealloc"). pyproject.toml keeps PySide6 below 6.12;
these tests fail on a version that leaks again."""

import gc
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem, QTableWidget, QTableWidgetItem

from fupin_desktop.ui.form_widgets import MultiChoiceBox
from fupin_desktop.ui.lists import Column, RowsView


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
    table = QTableWidget(2000, 2)  # the editors' grids
    qtbot.addWidget(table)

    def fill() -> None:
        for r in range(2000):
            for c, text in enumerate(("走访", "1")):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(r, c, item)
    assert none_refs_lost(fill) < 100  # 4000 cells


def test_the_list_model_keeps_none_alive(qtbot):
    view = RowsView([Column("名称", lambda r: r[0], "centre"), Column("数量", lambda r: r[1])], key=lambda _r: None)
    qtbot.addWidget(view)
    view.resize(400, 2000)
    # a paint asks every shown cell for a dozen roles, most of them answered with None
    assert none_refs_lost(lambda: (view.set_rows([("走访", None)] * 2000), view.grab())) < 100


def test_choice_lists_and_list_items_keep_none_alive(qtbot):
    box = MultiChoiceBox()
    qtbot.addWidget(box)
    assert none_refs_lost(lambda: box.set_choices({str(i): f"帮扶人{i}" for i in range(2000)})) < 100

    def items() -> None:
        for i in range(2000):
            QListWidgetItem(str(i)).setData(Qt.ItemDataRole.UserRole, i)
    assert none_refs_lost(items) < 100
