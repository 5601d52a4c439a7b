"""A 只读 account is offered no write actions: hidden buttons and shortcuts, forms opened as views,
ID numbers masked; a 工作队员 keeps them, and so does everyone while no accounts are set up."""

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from fupin_desktop.domain import clock, idcard
from fupin_desktop.services import accounts, plans
from fupin_desktop.services.visits import VisitForm, record_visit
from fupin_desktop.ui import households_page
from fupin_desktop.ui.household_detail import HouseholdDetailDialog
from fupin_desktop.ui.ledger_dialogs import ProjectDialog
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.visits_page import VisitsPage
from tests.services.visit_fixtures import make_village
from tests.ui.helpers import open_window

PASSWORDS = {"liming": "shuji2026", "guest": "xiang2026", "wangfang": "first123"}


@pytest.fixture
def team(db):
    """李明 (第一书记), 赵乡干 (只读, a township inspector), 王芳 (工作队员); nobody signed in."""
    with db.transaction() as s:
        accounts.create_first_account(s, username="liming", full_name="李明", password=PASSWORDS["liming"])
        accounts.create_user(s, username="guest", full_name="赵乡干", role="只读", password=PASSWORDS["guest"])
        accounts.create_user(s, username="wangfang", full_name="王芳", role="工作队员", password=PASSWORDS["wangfang"])


def sign_in(db, username: str) -> None:
    accounts.sign_in(db, username, PASSWORDS[username])


def write_widgets(w: MainWindow) -> dict[str, object]:
    """One or two write actions of every page that has some, as a user finds them."""
    s = w.settings_page
    return {
        "农户 新增农户": w.households_page.new_button, "农户 导入花名册": w.households_page.import_button,
        "农户 编辑": w.households_page.edit_button, "农户 删除": w.households_page.delete_button,
        "走访 登记走访": w.visits_page.new_button, "走访 删除": w.visits_page.delete_button,
        "走访 走访规则": w.visits_page.rules_button,
        "帮扶计划 从上年复制": w.plans_page.clone_button, "帮扶计划 保存": w.plans_page.editor.save_button,
        "防返贫监测 登记风险户": w.plans_page.monitoring_tab.report_button,
        "明白栏 登记已张贴": w.notices_page.board_tab.post_button, "公示 新建": w.notices_page.notices_tab.new_button,
        "享受政策 登记": w.notices_page.benefits_tab.add_button,
        "项目 新建项目": w.projects_page.projects_tab.new_button,
        "台账 新增问题": w.ledger_page.new_button, "考勤 登记请假": w.ledger_page.leave_button,
        "同步 导入数据包": w.sync_page.import_button, "同步 导出数据包": w.sync_page.export_button,
        "设置 保存村情": s.village_tab.save_button, "设置 添加村民组": s.groups_tab.buttons["add"],
        "设置 添加人员": s.cadres_tab.add_button, "设置 从所选备份恢复": s.backup_tab.restore_button,
        "设置 从其他备份文件恢复": s.backup_tab.restore_file_button,
    }


def shortcut(page, key: QKeySequence.StandardKey) -> QAction:  # type: ignore[no-untyped-def]
    return next(a for a in page.findChildren(QAction) if a.shortcut() == QKeySequence(key))


def visit_all_pages(window: MainWindow) -> None:
    """Every page loads once (the sync page decides there which buttons it shows)."""
    for key in window.page_keys():
        window.show_page(key)
    QApplication.processEvents()


@pytest.mark.parametrize(("username", "offered"), [("guest", False), ("wangfang", True)])
def test_write_actions_are_offered_to_writers_only(qtbot, ops, db, team, settings, username, offered):
    sign_in(db, username)
    window = open_window(qtbot, ops, settings)
    visit_all_pages(window)
    shown = {name: not widget.isHidden() for name, widget in write_widgets(window).items()}
    assert shown == dict.fromkeys(shown, offered)
    households = window.households_page
    assert shortcut(households, QKeySequence.StandardKey.New).isEnabled() is offered  # Ctrl+N too
    assert shortcut(window.visits_page, QKeySequence.StandardKey.New).isEnabled() is offered
    # looking, searching, exporting and printing stay; a copy of the whole (unmasked) database does not
    for widget in (households.search_box, households.export_button, households.detail_button,
                   households.print_button):
        assert not widget.isHidden()
    backup_tab = window.settings_page.backup_tab
    assert backup_tab.backup_button.isHidden() is not offered and backup_tab.open_button.isHidden() is not offered
    assert window.settings_page.village_tab.name_edit.isReadOnly() is not offered
    user = db.user
    assert window.user_label.text() == (user.label if offered else "赵乡干（只读）　·　只读模式")


def test_without_accounts_everything_stays_writable(qtbot, ops, settings):
    window = open_window(qtbot, ops, settings)
    visit_all_pages(window)
    assert not any(widget.isHidden() for widget in write_widgets(window).values())
    qtbot.waitUntil(lambda: window.user_label.isVisible())  # saying there is no account, not who is signed in
    assert window.user_label.text().startswith("未设账户")


def test_another_account_signing_in_after_the_lock_changes_what_is_offered(qtbot, ops, db, team, settings):
    sign_in(db, "liming")
    window = open_window(qtbot, ops, settings)
    window.show_page("sync")
    new, export = window.households_page.new_button, window.sync_page.export_button
    assert not new.isHidden() and not export.isHidden()
    sign_in(db, "guest")  # what the idle lock's sign-in dialog does, then it tells the window
    window.user_changed()
    window.sync_page.refresh()  # the page shows its village buttons again: not to a reader
    assert new.isHidden() and export.isHidden() and "只读模式" in window.user_label.text()
    sign_in(db, "liming")
    window.user_changed()
    window.sync_page.refresh()
    assert not new.isHidden() and not export.isHidden() and window.user_label.text() == "李明（第一书记）"
    assert window.sync_page.return_button.isHidden()  # still the page's own choice: a village has no return


def test_a_reader_sees_a_household_without_edit_and_with_masked_id_numbers(qtbot, ops, db, team, settings,
                                                                            households):
    sign_in(db, "guest")
    window = open_window(qtbot, ops, settings)
    window.show_page("households")
    page = window.households_page
    full = households.head_id_numbers["001"]
    shown = page.model.index(0, households_page.COL_ID_NUMBER).data()
    assert shown == idcard.mask(full) == full[:6] + "*" * 8 + full[-4:]
    page.open_household(households.ids["001"])  # a double-click, or 查看详情…
    dialog = next(w for w in page.findChildren(HouseholdDetailDialog))
    qtbot.waitExposed(dialog)
    assert dialog.edit_button.isHidden() and not dialog.print_button.isHidden()
    assert dialog.members_table.text(0, 4) == idcard.mask(full)
    history = dialog.history_table
    texts = {history.text(r, c) for r in range(history.model().rowCount())
             for c in range(history.model().columnCount())}
    assert idcard.mask(full) in texts and not any(full in t for t in texts)  # the change log shows it masked too
    dialog.close()


def test_a_writer_sees_full_id_numbers_and_may_edit(qtbot, ops, db, team, settings, households):
    sign_in(db, "wangfang")
    window = open_window(qtbot, ops, settings)
    window.show_page("households")
    page = window.households_page
    full = households.head_id_numbers["001"]
    assert page.model.index(0, households_page.COL_ID_NUMBER).data() == full
    page.open_household(households.ids["001"])
    dialog = next(w for w in page.findChildren(HouseholdDetailDialog))
    assert not dialog.edit_button.isHidden() and dialog.members_table.text(0, 4) == full
    dialog.close()


def test_a_reader_opens_a_visit_as_a_view_and_cannot_start_one(qtbot, ops, db, team):
    village = make_village(db)
    with db.transaction() as s:
        record_visit(s, None, VisitForm(village.poor, clock.today(), "帮扶责任人入户", [village.helper],
                                        notes="了解收入情况"), today=clock.today())
    sign_in(db, "guest")
    page = VisitsPage(ops)
    qtbot.addWidget(page)
    page.refresh()
    page.new_visit(village.poor)  # what a double-click on the 待走访 list does
    assert page.form_dialog is None
    page.table.selectRow(0)
    assert page.open_button.text() == "查看…"
    page.open_current()  # the button or a double-click
    form = page.form_dialog
    assert form is not None and form.windowTitle() == "编辑走访记录（只读）"
    assert form.notes_edit.toPlainText() == "了解收入情况" and form.notes_edit.isReadOnly()
    assert form.date_edit.isReadOnly() and not form.type_box.isEnabled()
    assert form.buttons.button(QDialogButtonBox.StandardButton.Save).isHidden()
    assert form.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "关闭"
    assert form.all_ok_button.isHidden() and form.add_photo_button.isHidden()
    form.close()


def test_a_reader_sees_plans_without_changing_or_creating_them(qtbot, ops, db, team, settings, households,
                                                               monkeypatch):
    year = clock.today().year
    with db.transaction() as s:
        pid = plans.create_plan(s, households.ids["001"], year)
    sign_in(db, "guest")
    window = open_window(qtbot, ops, settings)
    window.show_page("plans")
    page = window.plans_page
    page.open_plan(pid)
    editor = page.editor
    assert editor.title.text().startswith("张三明户")
    assert not editor.note.isEnabled() and not editor.exit_year.isEnabled() and editor.add_button.isHidden()
    editor.go_back()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    row = next(i for i, r in enumerate(page.shown) if r.plan_id is None)
    page.table.selectRow(row)
    page.open_selected()  # a double-click on a household without a plan: a writer would create one
    assert told and "还没有" in told[0] and page.stack.currentIndex() == 0
    with db.reading() as s:
        assert sum(r.plan_id is not None for r in plans.plan_overview(s, year)) == 1


def test_forms_opened_by_a_reader_are_views(qtbot, ops, db, team):
    sign_in(db, "guest")
    dialog = ProjectDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle().endswith("（只读）")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isHidden()



def test_a_reader_cannot_restore_even_past_the_hidden_buttons(ops, db, team):
    """Restore replaces the whole file, so the change log never sees it: DbOps refuses it itself."""
    from fupin_desktop.errors import FupinError
    from fupin_desktop.services.backup import backup_now

    made = backup_now(db)
    sign_in(db, "guest")
    with pytest.raises(FupinError, match="只读账户不能从备份恢复"):
        ops.restore(made, success=lambda _kept: pytest.fail("restored"))
