"""农户 page against a real database: search as you type, filters, SQL sorting, paging, details."""

import uuid

import pytest
from PySide6.QtCore import QPoint, Qt

from fupin_desktop.services.households import delete_household
from fupin_desktop.ui import errors, households_page
from fupin_desktop.ui.household_detail import HouseholdDetailDialog
from fupin_desktop.ui.households_page import HouseholdsPage
from tests.ui.helpers import open_households_page, open_page


@pytest.fixture
def page(qtbot, ops, households) -> HouseholdsPage:
    return open_households_page(qtbot, ops)


def heads(page: HouseholdsPage) -> list[str]:
    return [page.model.row_at(r).head_name for r in range(page.model.rowCount())]


def search(qtbot, page: HouseholdsPage, text: str, expected: list[str]) -> None:
    """Type (set) the text and wait for the debounced search to show `expected`."""
    page.search_box.setText(text)  # keyClicks with Chinese crashes Qt; setText emits textChanged too
    qtbot.waitUntil(lambda: heads(page) == expected)


def test_lists_all_households_sorted_by_number(page):
    assert heads(page) == ["张三明", "王小红", "赵大力"]
    assert page.page_label.text() == "共3户，第1/1页"
    groups = [page.group_box.itemText(i) for i in range(page.group_box.count())]
    assert groups == ["全部村民组", "一组", "二组"]


def test_search_by_pinyin_initials(qtbot, page):
    search(qtbot, page, "zsm", ["张三明"])
    assert page.page_label.text() == "共1户，第1/1页"


def test_search_by_id_fragment(qtbot, page, households):
    fragment = households.head_id_numbers["002"][6:14]  # the birth date 19850615
    search(qtbot, page, fragment, ["王小红"])


def test_search_by_chinese_name_finds_other_members_too(qtbot, page):
    search(qtbot, page, "秀英", ["张三明"])  # 李秀英 is 张三明's wife


def test_the_first_keystroke_searches_at_once_and_fast_typing_waits_for_the_pause(qtbot, page):
    page.search_box.setText("z")
    assert heads(page) == ["张三明", "赵大力"]  # at once
    page.search_box.setText("zd")
    page.search_box.setText("zdl")
    assert heads(page) == ["张三明", "赵大力"]  # not yet: typing goes on
    qtbot.waitUntil(lambda: heads(page) == ["赵大力"])


def test_no_match_says_so(qtbot, page):
    search(qtbot, page, "不存在的人", [])
    assert page.page_label.text() == "没有找到符合条件的农户"


def test_an_empty_register_says_so(qtbot, ops):
    page = open_page(qtbot, HouseholdsPage, ops)
    assert page.page_label.text() == "本村还没有登记农户"
    assert not page.prev_button.isEnabled() and not page.next_button.isEnabled()


def test_filters(page):
    page.group_box.setCurrentIndex(page.group_box.findData("一组"))
    assert heads(page) == ["张三明", "赵大力"]
    page.status_box.setCurrentIndex(page.status_box.findData("监测户"))
    assert heads(page) == ["赵大力"]
    page.group_box.setCurrentIndex(0)
    page.status_box.setCurrentIndex(0)
    assert len(heads(page)) == 3


def test_clicking_a_header_sorts_in_sql(qtbot, page):
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))

    click(households_page.COL_MEMBERS)
    assert page.query().sort == "members"
    assert heads(page)[-1] == "张三明"  # the only household with two persons
    click(households_page.COL_MEMBERS)
    assert page.query().descending
    assert heads(page)[0] == "张三明"
    click(households_page.COL_PHONE)  # not sortable in SQL: the sort stays as it was
    assert (page.query().sort, page.query().descending) == ("members", True)
    assert header.sortIndicatorSection() == households_page.COL_MEMBERS


def test_paging(page):
    page.PAGE_SIZE = 2
    page.reload()
    assert heads(page) == ["张三明", "王小红"]
    assert page.page_label.text() == "共3户，第1/2页"
    assert not page.prev_button.isEnabled() and page.next_button.isEnabled()
    page.next_button.click()
    assert heads(page) == ["赵大力"]
    assert page.page_label.text() == "共3户，第2/2页"
    assert page.prev_button.isEnabled() and not page.next_button.isEnabled()
    page.prev_button.click()
    assert heads(page) == ["张三明", "王小红"]


def test_refresh_after_the_last_page_emptied_goes_back(page, db, households):
    page.PAGE_SIZE = 2
    page.reload()
    page.next_button.click()
    with db.transaction() as s:
        delete_household(s, households.ids["003"])
    page.refresh()
    assert heads(page) == ["张三明", "王小红"]
    assert page.page_label.text() == "共2户，第1/1页"


def test_double_click_opens_the_details(qtbot, page):
    page.show()
    qtbot.waitExposed(page)
    index = page.model.index(0, households_page.COL_HEAD)
    rect = page.table.visualRect(index)
    # Qt 6's QTest double click sends no press first; the view only reports a double click on
    # the item it saw pressed, as with a real mouse.
    qtbot.mousePress(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = page.findChild(HouseholdDetailDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "农户详情 — 第001户 张三明"
    members = dialog.members_table
    names = [members.text(r, 0) for r in range(members.model().rowCount())]
    assert names == ["张三明", "李秀英"]
    assert [members.text(1, c) for c in (1, 2)] == ["配偶", "女"]
    assert members.text(0, 4) == dialog.view.detail.members[0].id_number
    dialog.close()


def test_a_deleted_household_shows_a_message_not_a_crash(monkeypatch, page, db, households):
    shown: list[str] = []
    monkeypatch.setattr(errors.QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    with db.transaction() as s:
        delete_household(s, households.ids["002"])
    page.open_household(households.ids["002"])  # a deleted household still opens, marked deleted
    dialog = page.findChild(HouseholdDetailDialog)
    assert dialog is not None and dialog.view.detail.deleted
    dialog.close()
    page.open_household(uuid.uuid4())
    assert shown == ["找不到该户，可能已被删除，请刷新"]


def test_cause_filter_and_the_cause_column(qtbot, page):
    assert page.table.isColumnHidden(households_page.COL_CAUSE)  # hidden until asked for
    page.cause_box.setCurrentIndex(page.cause_box.findData("01"))
    qtbot.waitUntil(lambda: heads(page) == ["张三明"])
    assert page.cause_box.currentText() == "01 因病"
    page.show_column(households_page.COL_CAUSE, True)
    assert not page.table.isColumnHidden(households_page.COL_CAUSE)
    assert page.model.index(0, households_page.COL_CAUSE).data() == "因病"


def test_column_choice_is_remembered(qtbot, ops, households, settings):
    first = HouseholdsPage(ops, settings=settings)
    qtbot.addWidget(first)
    first.show_column(households_page.COL_PHONE, False)
    first.show_column(households_page.COL_ATTRIBUTES, True)
    again = HouseholdsPage(ops, settings=settings)
    qtbot.addWidget(again)
    hidden = {c for c in range(again.model.columnCount()) if again.table.isColumnHidden(c)}
    assert hidden == {households_page.COL_PHONE, households_page.COL_CAUSE}
    assert not again.columns_menu.actions()[households_page.COL_PHONE].isChecked()


def test_export_writes_what_the_list_shows(qtbot, page, monkeypatch, tmp_path):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    page.status_box.setCurrentIndex(page.status_box.findData("监测户"))
    qtbot.waitUntil(lambda: heads(page) == ["赵大力"])
    target = tmp_path / "监测户.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    page.export_list()
    task = page._export_task
    qtbot.waitUntil(lambda: not task.running)
    book = openpyxl.load_workbook(target, read_only=True)
    numbers = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert numbers == ["003"]


def test_import_button_opens_the_roster_dialog_and_refreshes_after_an_import(qtbot, page):
    from fupin_desktop.ui.roster_dialog import RosterImportDialog

    page.import_button.click()
    dialog = page.findChild(RosterImportDialog)
    assert dialog is not None and dialog.isVisible()
    page.model.set_rows([])
    dialog.imported.emit(None)
    assert page.model.rowCount() == 3  # reloaded
    dialog.close()
