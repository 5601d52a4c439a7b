"""设置 on a real database: village profile, 村民组, cadres, backups, restore, font size."""

from datetime import date

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QRadioButton

from fupin_desktop.db.models import Household
from fupin_desktop.services import backup
from fupin_desktop.services.cadres import CadreForm, list_cadres, save_cadre
from fupin_desktop.services.village import add_group, group_names, village_settings
from fupin_desktop.ui import errors, font_size, permissions
from fupin_desktop.ui.settings_page import SettingsPage
from tests.services.visit_fixtures import jpeg
from tests.ui.helpers import open_window


@pytest.fixture
def page(qtbot, ops, settings) -> SettingsPage:
    widget = SettingsPage(ops, settings)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    """Messages the page shows through ui.errors.show_error."""
    shown: list[str] = []
    monkeypatch.setattr(errors.QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))
    return shown


@pytest.fixture(autouse=True)
def standard_font():
    """Tests that change the app-wide font size put it back."""
    yield
    font_size.apply(font_size.STANDARD)


def cells(table) -> list[list[str]]:
    model = table.model()
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())] for r in range(model.rowCount())]


def read(db, op):
    with db.reading() as s:
        return op(s)


# -- 村情 -------------------------------------------------------------------------------------------

def test_village_tab_saves_the_profile_and_incomes(page, ops, db):
    tab = page.village_tab
    assert tab.name_edit.text() == "新沟村" and tab.code_label.text() == "410182104201"
    tab.designation_box.setCurrentText("省级贫困村")
    tab.tag_boxes["美丽乡村"].setChecked(True)
    tab.numbers["households_total"].setText("437")
    tab.numbers["population_total"].setText("1688")
    tab.numbers["area_km2"].setText("3.02")
    tab.add_income_row("2024", "5.6万", "光伏电站")
    with_signal = []
    ops.changed.connect(lambda changes, _origin: with_signal.append(changes))
    tab.save_button.click()
    v = read(db, village_settings)
    assert (v.designation, v.tags, v.households_total, v.area_km2) == ("省级贫困村", ("美丽乡村",), 437, 3.02)
    assert [(i.year, i.amount_fen) for i in v.incomes] == [(2024, 5_600_000)]
    assert with_signal and with_signal[0].village
    assert cells(tab.income_table) == [["2024", "56,000.00", "光伏电站"]]


def test_village_tab_shows_the_core_errors_under_the_inputs(qtbot, page, db):
    tab = page.village_tab
    tab.name_edit.setText("")
    tab.numbers["households_total"].setText("400")
    tab.numbers["population_total"].setText("300")
    tab.add_income_row("2023", "很多")
    tab.save_button.click()
    assert tab._errors["name"].text() == "村名不能为空" and not tab._errors["name"].isHidden()
    assert "总人口不应少于总户数" in tab._errors["population_total"].text()
    assert "2023年：金额“很多”不是数字" in tab.income_errors.text()
    assert read(db, village_settings).name == "新沟村"  # nothing saved


# -- 村民组 ------------------------------------------------------------------------------------------

def test_groups_tab_adds_moves_and_refuses_to_delete_a_group_with_households(monkeypatch, page, db, households,
                                                                            warnings):
    tab = page.groups_tab
    tab.refresh()  # the households came after the page
    assert cells(tab.table) == [["一组", "2"], ["二组", "1"]]
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("三组", True))
    tab.buttons["add"].click()
    assert [r[0] for r in cells(tab.table)] == ["一组", "二组", "三组"]
    assert tab.selected_id() == tab._rows[2].id  # the new group is selected
    tab.buttons["up"].click()
    assert read(db, group_names) == ["一组", "三组", "二组"]
    tab.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    tab.buttons["delete"].click()
    assert warnings == ["“一组”还有2户，不能删除。请先把这些户调到其他村民组。"]
    assert read(db, group_names) == ["一组", "三组", "二组"]


# -- 工作队与帮扶人 -----------------------------------------------------------------------------------

def test_adding_a_cadre_with_an_invalid_phone_shows_the_message_and_saves_nothing(qtbot, page, db):
    tab = page.cadres_tab
    tab.add_button.click()
    dialog = tab.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.setText("李明")
    dialog.role_box.setCurrentText("帮扶责任人")
    dialog.phone_edit.setText("1380013800")
    dialog.phone_edit.editingFinished.emit()  # leaving the field checks it at once
    assert dialog.errors["phone"].text() == "手机号应为以1开头的11位数字，现为10位"
    assert dialog.errors["phone"].isVisibleTo(dialog)
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible() and dialog.saved_id is None
    assert read(db, list_cadres) == []
    dialog.phone_edit.setText("13800138000")
    dialog.phone_edit.textEdited.emit("13800138000")
    assert dialog.errors["phone"].isHidden()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()
    assert [(c.name, c.role, c.phone) for c in read(db, list_cadres)] == [("李明", "帮扶责任人", "13800138000")]
    qtbot.waitUntil(lambda: cells(tab.table) and cells(tab.table)[0][0] == "李明")


def test_retiring_a_helper_with_households_asks_who_takes_them_over(monkeypatch, qtbot, page, db, households):
    with db.transaction() as s:
        li = save_cadre(s, None, CadreForm("李明", "帮扶责任人", started_on=date(2024, 1, 1)))
        save_cadre(s, None, CadreForm("王芳", "帮扶责任人", started_on=date(2024, 2, 1)))
        s.get(Household, households.ids["001"]).helper_id = li
    tab = page.cadres_tab
    tab.refresh()
    assert [(r[0], r[6]) for r in cells(tab.table)] == [("李明", "1"), ("王芳", "0")]
    asked: list[str] = []

    def pick(_parent, _title, label, items, *_a):
        asked.append(label)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    tab.table.selectRow(0)
    tab.retire_button.click()
    assert "李明还是1户的帮扶责任人" in asked[0]
    assert [(c.name, c.households) for c in read(db, list_cadres)] == [("王芳", 1)]
    assert li not in [c.id for c in tab.rows]


def test_a_cadre_photo_is_chosen_checked_saved_and_removed(monkeypatch, qtbot, page, db, tmp_path, warnings):
    with db.transaction() as s:
        save_cadre(s, None, CadreForm("李明", "第一书记", started_on=date(2024, 1, 1)))
    tab = page.cadres_tab
    tab.refresh()
    assert cells(tab.table)[0][7] == "无"
    chosen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (chosen[-1], "")))
    save = lambda d: d.buttons.button(d.buttons.StandardButton.Save).click()  # noqa: E731

    tab.table.selectRow(0)
    tab.edit_button.click()
    dialog = tab.dialog
    assert dialog.photo_label.pixmap().isNull() and dialog.photo_label.text() == "无照片"
    assert not dialog.remove_photo_button.isEnabled()
    bad = tmp_path / "scan.jpg"
    bad.write_bytes(b"a text file named like a photo")
    chosen.append(str(bad))
    dialog.choose_photo_button.click()
    assert warnings == ["“scan.jpg”不是图片文件，或文件已损坏，无法作为照片添加。"]
    assert dialog.new_photo is None and dialog.photo_label.pixmap().isNull()  # nothing changed
    chosen.append(str(jpeg(tmp_path / "liming.jpg", (600, 800))))
    dialog.choose_photo_button.click()
    assert not dialog.photo_label.pixmap().isNull() and dialog.remove_photo_button.isEnabled()
    save(dialog)
    assert not dialog.isVisible()
    (saved,) = read(db, list_cadres)
    assert saved.photo is not None and saved.photo.file_name == "liming.jpg"
    qtbot.waitUntil(lambda: cells(tab.table)[0][7] == "有")

    tab.table.selectRow(0)
    tab.edit_button.click()
    dialog = tab.dialog
    assert not dialog.photo_label.pixmap().isNull()  # the saved photo's thumbnail
    dialog.remove_photo_button.click()
    assert dialog.photo_label.pixmap().isNull() and not dialog.remove_photo_button.isEnabled()
    dialog.reject()  # 取消: the photo stays
    assert read(db, list_cadres)[0].photo is not None
    tab.table.selectRow(0)
    tab.edit_button.click()
    tab.dialog.remove_photo_button.click()
    save(tab.dialog)
    assert read(db, list_cadres)[0].photo is None
    qtbot.waitUntil(lambda: cells(tab.table)[0][7] == "无")


def test_a_reader_is_not_offered_the_photo_buttons(page):
    page.cadres_tab.add_button.click()
    dialog = page.cadres_tab.dialog
    assert dialog.choose_photo_button.isVisibleTo(dialog) and dialog.remove_photo_button.isVisibleTo(dialog)
    permissions.apply(dialog, False)  # what a 只读 account gets
    assert dialog.choose_photo_button.isHidden() and dialog.remove_photo_button.isHidden()


# -- 数据与备份 -----------------------------------------------------------------------------------------

def test_backup_tab_shows_the_folder_and_opens_it(monkeypatch, page, db):
    tab = page.backup_tab
    assert tab.folder_label.text() == str(db.file.parent) and tab.file_label.text() == "fupin.db"
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    tab.open_button.click()
    assert [u.toLocalFile() for u in opened] == [str(db.file.parent)]


def test_backup_now_updates_the_list_and_the_status_bar(qtbot, ops, settings, db):
    window = open_window(qtbot, ops, settings, "settings")
    tab = window.settings_page.backup_tab
    assert window.backup_label.text() == "最近备份：从未备份"
    assert cells(tab.table) == [] and tab.table.placeholder() == "还没有备份"
    tab.backup_button.click()
    qtbot.waitUntil(lambda: len(tab.rows) == 1)
    made = backup.list_backups(db)[0]
    assert window.backup_label.text() == f"最近备份：{made.local_time:%Y-%m-%d %H:%M}"
    assert cells(tab.table)[0][:2] == [f"{made.local_time:%Y-%m-%d %H:%M}", "手动备份"]
    assert tab.backup_button.isEnabled() and tab.backup_button.text() == "立即备份"


def test_restore_asks_then_reopens_the_database_with_the_old_data(monkeypatch, qtbot, ops, settings, db):
    old = backup.backup_now(db)
    with db.transaction() as s:
        add_group(s, "三组")
    window = open_window(qtbot, ops, settings, "settings")
    tab = window.settings_page.backup_tab
    questions: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _p, _t, text, *a: questions.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Ok)
    tab.restore(old)
    qtbot.waitUntil(lambda: window.settings_page.groups_tab.table.model().rowCount() == 2)
    assert "新沟村（410182104201）" in questions[0] and "当前数据会先自动备份" in questions[0]
    assert [r[0] for r in cells(window.settings_page.groups_tab.table)] == ["一组", "二组"]
    names: list[list[str]] = []
    ops.query(group_names, success=names.append)  # the reopened database
    assert names == [["一组", "二组"]]
    assert {r.kind for r in tab.rows} == {"手动备份", "恢复前自动备份"}
    ops.close()  # the reopened database; the fixture's own was released for the swap


def test_a_backup_of_another_village_is_confirmed_naming_both(monkeypatch, qtbot, ops, settings, db, tmp_path):
    from fupin_desktop.services.setup import init_village

    other = init_village(tmp_path / "other" / "fupin.db", village_code="410182104299", village_name="石桥村",
                         township="汜水镇", county="荥阳市")
    theirs = backup.backup_now(other)
    other.close()
    window = open_window(qtbot, ops, settings, "settings")
    tab = window.settings_page.backup_tab
    asked: list[tuple[str, str]] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: asked.append((title, text)) or answer[0])
    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Ok)
    tab.restore(theirs)
    qtbot.waitUntil(lambda: bool(asked) and tab._progress is None)
    title, text = asked[0]
    assert title == "从备份恢复另一个村的数据"
    assert "另一个村的数据：石桥村（410182104299），0户0人" in text and "当前数据库是 新沟村（410182104201）" in text
    assert ops.with_database(lambda db: read(db, group_names)) == ["一组", "二组"]  # said no: nothing changed
    answer[0] = QMessageBox.StandardButton.Yes
    tab.restore(theirs)
    qtbot.waitUntil(lambda: len(asked) == 2 and tab._progress is None, timeout=30_000)
    qtbot.waitUntil(lambda: any(r.kind == "恢复前自动备份" for r in tab.rows), timeout=30_000)
    assert ops.with_database(lambda db: read(db, lambda s: village_settings(s).name)) == "石桥村"  # confirmed
    ops.close()


def test_refused_restore_changes_nothing(monkeypatch, qtbot, page, ops, db, tmp_path, warnings):
    bogus = tmp_path / "not-a-backup.db"
    bogus.write_bytes(b"hello" * 1000)
    page.backup_tab.restore(bogus)
    qtbot.waitUntil(lambda: bool(warnings))
    assert page.backup_tab._progress is None
    assert warnings == ["文件 not-a-backup.db 不是本程序的数据库备份。当前数据库未做任何改动。"]
    assert read(db, group_names) == ["一组", "二组"]


# -- 显示 -------------------------------------------------------------------------------------------

def test_font_size_applies_at_once_and_is_remembered(qtbot, ops, settings):
    window = open_window(qtbot, ops, settings, "settings")
    title = window.home_page._title
    before = title.font().pointSizeF()
    window.settings_page.display_tab.findChild(QRadioButton, "font_xlarge").click()
    assert QApplication.font().pointSizeF() == 15.0
    assert settings.value("display/font_size") == "xlarge"
    qtbot.waitUntil(lambda: window.settings_page.village_tab.name_edit.font().pointSizeF() == 15.0)
    assert title.font().pointSizeF() == pytest.approx(before * 15.0 / 10.5)  # hand-sized text grows too
    window.close()
    font_size.apply(font_size.STANDARD)
    again = open_window(qtbot, ops, settings, "settings")  # the next start uses the remembered size
    assert QApplication.font().pointSizeF() == 15.0
    assert again.settings_page.display_tab.current() == "xlarge"
