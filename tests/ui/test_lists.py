"""The one list: declared columns over typed rows, selection kept across a refresh, buttons that
need a row, sorting in memory, the detail of the selected row."""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from fupin_desktop.ui.lists import Column, ListPage, RowsModel, RowsView


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    amount: int | None
    late: bool = False


COLUMNS = [
    Column("名称", lambda r: r.name, tooltip=True),
    Column("金额", lambda r: r.amount, "right", colour=lambda r: "#a15c00" if r.amount == 0 else None,
           sort=lambda r: r.amount or 0),
]
ROWS = [Item(1, "甲", 30), Item(2, "乙", None, late=True), Item(3, "丙", 0)]


def view(qtbot, **kw) -> RowsView:
    v = RowsView(COLUMNS, colour=lambda r: "#b4232c" if r.late else None, **kw)
    qtbot.addWidget(v)
    v.set_rows(ROWS)
    return v


def test_the_model_passes_qt_checks_and_shows_the_declared_columns(qtmodeltester):
    model = RowsModel(COLUMNS, colour=lambda r: "#b4232c" if r.late else None)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    assert [model.text(r, 1) for r in range(3)] == ["30", "", "0"]  # None shows empty
    assert model.headerData(1, Qt.Orientation.Horizontal) == "金额"
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignRight | \
        Qt.AlignmentFlag.AlignVCenter
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b4232c"  # the row's colour
    assert model.index(2, 1).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#a15c00"  # the cell's
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "甲"
    assert model.index(1, 1).data(RowsModel.SortRole) == 0
    assert model.index(2, 0).data(RowsModel.RowRole) is ROWS[2]


def test_the_selection_stays_on_the_same_row_across_a_refresh(qtbot):
    v = view(qtbot)
    seen = []
    v.current_changed.connect(seen.append)
    assert v.select(3)
    assert v.current() == ROWS[2] and seen[-1] == ROWS[2]
    v.set_rows([Item(0, "新", 1), *ROWS])  # a row came in above it
    assert v.current() == ROWS[2] and v.currentIndex().row() == 3 and seen[-1] == ROWS[2]
    v.set_rows(ROWS[:2])  # it went away
    assert v.current() is None and seen[-1] is None
    assert not v.select(99)


def test_buttons_that_need_a_row_follow_the_selection(qtbot):
    v = view(qtbot)
    button = QPushButton()
    qtbot.addWidget(button)
    v.needs_row(button)
    assert not button.isEnabled()
    v.selectRow(1)
    assert button.isEnabled()
    v.clearSelection()
    assert not button.isEnabled()


def test_an_empty_list_says_so_and_activation_gives_the_row(qtbot):
    v = view(qtbot, empty_text="暂无记录")
    assert v.placeholder() == ""
    activated = []
    v.row_activated.connect(activated.append)
    v.doubleClicked.emit(v.model().index(1, 0))
    assert activated == [ROWS[1]]
    v.set_rows([])
    assert v.placeholder() == "暂无记录"


def test_a_sortable_list_sorts_by_the_declared_key_and_keeps_the_rows_order_until_asked(qtbot):
    v = view(qtbot, sortable=True)
    assert v.shown_rows() == ROWS
    v.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [r.id for r in v.shown_rows()] == [2, 3, 1]  # None sorts as 0, before 30
    v.select(1)
    v.set_rows(list(reversed(ROWS)))
    assert v.current() == ROWS[0] and v.text(2, 0) == "甲"  # still sorted, still selected
    assert v.rows == list(reversed(ROWS))


class Page(ListPage):
    def __init__(self, ops):
        super().__init__(ops, RowsView(COLUMNS))
        self.details: list[object] = []

    def reader(self):
        return lambda _s: ROWS

    def detail_reader(self, row):
        return lambda _s: f"详情{row.id}"

    def show_detail(self, detail):
        self.details.append(detail)


def test_a_list_page_reads_its_rows_and_the_selected_rows_detail(qtbot, ops):
    page = Page(ops)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: len(page.table.rows) == 3)
    page.table.selectRow(1)
    qtbot.waitUntil(lambda: page.detail == "详情2")
    page.refresh()  # the row stays selected and its detail is read again
    qtbot.waitUntil(lambda: page.details.count("详情2") == 2 and page.detail == "详情2")
    page._detail_loaded(1, "详情1")  # a late answer for a row no longer selected is dropped
    assert page.detail == "详情2"
