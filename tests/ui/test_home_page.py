"""首页 shows the village profile's numbers."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fupin_desktop.ui.home_page import HomePage


def cell_rows(table) -> list[list[str]]:
    """The texts shown, or the one line an empty list shows instead."""
    model = table.model()
    rows = [[table.text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]
    return rows or ([[table.placeholder()]] if table.placeholder() else [])


def test_home_page_shows_the_counts(qtbot, ops, households):
    page = HomePage(ops)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.profile_loaded) as loaded:
        page.refresh()
    assert loaded.args[0].name == "荥阳市汜水镇新沟村"

    def number(key: str) -> str:
        return page.findChild(QLabel, key).text()

    assert (number("households"), number("persons")) == ("3", "4")
    assert (number("registered_households"), number("registered_persons")) == ("1", "2")  # only 未脱贫 001
    rows = {r[0]: r[1:] for r in cell_rows(page.status_table)}
    assert rows["未脱贫"] == ["1", "2"]
    assert rows["监测户"] == ["1", "1"]
    assert rows["一般农户"] == ["1", "1"]
    assert rows["已脱贫(享受政策)"] == ["0", "0"]
    assert cell_rows(page.cause_table) == [["因病", "1"]]  # code 01, shown by its name
    assert cell_rows(page.attribute_table) == [["暂无"]]


def test_empty_village(qtbot, ops):
    page = HomePage(ops)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.findChild(QLabel, "households").text() == "0")
    qtbot.waitUntil(lambda: cell_rows(page.due_table) == [["暂无待办事项"]])


def test_due_work_is_listed_with_overdue_items_in_red(qtbot, ops, households, monkeypatch):
    from datetime import date

    from fupin_desktop.services import due

    page = HomePage(ops)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: ["档案", "1户建档立卡户未指定帮扶责任人", ""] in cell_rows(page.due_table))  # 001
    monkeypatch.setattr(due, "_SOURCES", [lambda _s, _d: [due.DueItem("走访", "入户走访第001户", date(2020, 1, 1))]])
    page.refresh()
    qtbot.waitUntil(lambda: cell_rows(page.due_table)[0][1] == "入户走访第001户")
    assert page.due_table.model().index(0, 1).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b4232c"


def test_a_long_due_list_shows_every_kind_and_counts_the_rest():
    from datetime import date

    from fupin_desktop.services.due import DueItem
    from fupin_desktop.ui.home_page import first_of_each_kind

    items = [DueItem("帮扶计划", f"措施{n}", date(2026, 1, n + 1)) for n in range(20)]
    items += [DueItem("走访", "走访", date(2026, 3, 1)), DueItem("台账", "整改", date(2026, 4, 1))]
    shown = first_of_each_kind(items, 12)
    assert len(shown) == 12 and {"走访", "台账"} <= {i.kind for i in shown}
    assert shown == [i for i in items if i in shown]  # still in the list's order
