"""明白栏/公示 and 项目资金 pages with their editors, driven like a user on a real database."""

from datetime import date

from PySide6.QtWidgets import QDialog

from fupin_desktop.domain import clock
from fupin_desktop.services.benefits import benefit_totals
from fupin_desktop.services.notices import post_notice
from fupin_desktop.ui.ledger_dialogs import BenefitDialog, NoticeDialog, ProjectDialog, SpendingDialog
from fupin_desktop.ui.notices_page import NoticesPage
from fupin_desktop.ui.projects_page import ProjectsPage
from tests.ui.helpers import open_page


def cells(table):
    model = table.model()
    return [[table.text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_a_benefit_is_entered_with_the_standard_amount_and_bad_amounts_are_refused(qtbot, ops, db, households):
    hid = households.ids["001"]
    dialog = BenefitDialog(ops, household_id=hid)
    qtbot.addWidget(dialog)
    dialog.policy_box.setCurrentIndex(dialog.policy_box.findData("P09"))  # 农村低保, household of 2
    assert dialog.amount_edit.text() == "17520.00"  # 730 元 × 12 months × 2 persons (郑州市 2020 standard)
    assert "730.00元/人/月" in dialog.basis.text()
    dialog.amount_edit.setText("-5")
    dialog.save()
    assert dialog.error.text() == "金额：金额不能为负数" and dialog.result() != QDialog.DialogCode.Accepted
    dialog.amount_edit.setText("8760")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with db.reading() as s:
        assert benefit_totals(s, hid, clock.today().year).transfer_fen == 876000
    page = open_page(qtbot, NoticesPage, ops)
    assert cells(page.benefits_tab.table)[0][1:6] == ["001", "张三明", "（全户）", "农村低保", "8,760.00"]
    states = {row[0]: row[5] for row in cells(page.board_tab.table)}
    assert states == {"001": "未张贴", "003": "未张贴"}  # 002 is an ordinary household without policies


def test_boards_are_posted_and_previewed(qtbot, ops, households, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    page = open_page(qtbot, NoticesPage, ops)
    tab = page.board_tab
    tab.table.selectRow(0)
    assert "第001户 张三明" in tab.preview.toPlainText() and "12317" in tab.preview.toPlainText()
    tab.table.clearSelection()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    tab.post_selected()  # nothing selected: asked first, and "no" posts nothing
    assert "全部 2 户" in asked[0] and getattr(tab, "dialog", None) is None
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.post_selected()  # "yes": every household listed
    tab.dialog.save()
    assert [row[5] for row in cells(tab.table)] == ["已是最新", "已是最新"]
    tab.show_village()
    assert "村级明白栏" in tab.preview.toPlainText()


def test_a_posted_notice_is_corrected_as_a_new_version(qtbot, ops, db, households):
    page = NoticesPage(ops)
    qtbot.addWidget(page)
    tab = page.notices_tab
    dialog = NoticeDialog(ops, parent=page)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("2026年防止返贫监测对象识别名单公示")
    dialog.body_edit.setPlainText("拟将下列农户纳入监测对象，公示7天。")
    dialog.save()  # 贫困户识别名单 with nobody listed
    assert "至少要列出一户" in dialog.error.text()
    for row in range(dialog.items_list.count()):
        if dialog.items_list.item(row).text().startswith("003"):
            dialog.items_list.item(row).setCheckState(dialog.items_list.item(row).checkState().Checked)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    tab.refresh()
    tab.table.selectRow(0)
    with db.transaction() as s:
        post_notice(s, tab.selected().id, clock.today())
    tab.refresh()
    tab.table.selectRow(0)
    assert cells(tab.table)[0][6] == "公示中" and not tab.post_button.isEnabled()
    tab.edit()
    correction = tab.dialog
    assert correction.windowTitle() == "更正公示（另起新版本）"
    correction.title_edit.setText("2026年防止返贫监测对象识别名单公示（更正）")
    correction.save()
    assert "更正原因" in correction.error.text()
    correction.reason_edit.setText("标题漏写年份")
    correction.save()
    assert correction.result() == QDialog.DialogCode.Accepted
    tab._done()
    tab.table.selectRow(0)
    assert "第2版（草稿）" in tab.view.toPlainText() and "第1版（公示中）" in tab.view.toPlainText()


def test_projects_refuse_spending_over_budget_without_reason(qtbot, ops, households):
    page = open_page(qtbot, ProjectsPage, ops)
    dialog = ProjectDialog(ops, parent=page)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("三组生产道路硬化")
    dialog.fund_edits["县级财政"][0].setText("26万")
    for edit in list(dialog.step_edits.values())[:5]:
        edit.set_value(date(2026, 3, 1))
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    tab = page.projects_tab
    tab.refresh()
    tab.table.selectRow(0)
    assert tab.spend_button.isEnabled() and "县级财政" in tab.view.toPlainText()
    spending = SpendingDialog(ops, tab.detail.row.id, ["县级财政"], parent=page)
    qtbot.addWidget(spending)
    spending.amount_edit.setText("270000")
    spending.save()
    assert "超出县级财政预算10,000.00元，须填写超预算原因" in spending.error.text()
    spending.reason_edit.setText("路面加宽，村民代表会议同意追加")
    spending.save()
    assert spending.result() == QDialog.DialogCode.Accepted
    tab._done()
    assert cells(tab.table)[0][5:7] == ["260,000.00", "270,000.00"]


def test_beneficiaries_and_assets_of_a_project(qtbot, ops, db, households):
    from fupin_desktop.services.projects import FundForm, ProjectForm, StepForm, save_project

    steps = [StepForm(step, date(2025, 3, 1)) for step in ("村民会议议事", "方案公示", "乡镇审核", "县级审批")]
    with db.transaction() as s:
        save_project(s, None, ProjectForm(2025, "基础设施", "三组生产道路硬化", "一事一议",
                                          [FundForm("县级财政", 26_000_000)], steps))
    page = open_page(qtbot, ProjectsPage, ops)
    tab = page.projects_tab
    tab.table.selectRow(0)
    tab.edit_beneficiaries()
    dialog = tab.dialog
    dialog.how_edit.setText("出行便利")
    for row in range(dialog.list.count()):
        if dialog.list.item(row).text().startswith(("001", "003")):
            dialog.list.item(row).setCheckState(dialog.list.item(row).checkState().Checked)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    tab.table.selectRow(0)
    tab.add_asset()
    asset = tab.dialog
    asset.name_edit.setText("三组生产道路1.2公里")
    asset.kind_box.setCurrentText("公益性资产")
    asset.value_edit.setText("26万")
    asset.save()
    assert "产权归属" in asset.error.text()  # whose it is must be said (确权)
    asset.owner_edit.setText("新沟村股份经济合作社")
    asset.phone_edit.setText("139")
    asset.save()
    assert "手机号应为" in asset.error.text()
    asset.phone_edit.setText("13903710123")
    asset.save()
    assert asset.result() == QDialog.DialogCode.Accepted
    page.refresh()
    assert cells(tab.table)[0][7:9] == ["2", "1"]
    assert cells(page.assets_tab.table)[0][0] == "三组生产道路1.2公里"


def test_editing_a_benefit_shows_its_household_and_member(qtbot, ops, db, households):
    from fupin_desktop.services.benefits import BenefitForm, list_benefits, member_choices, save_benefit

    hid = households.ids["001"]
    with db.transaction() as s:
        wife = next(m.id for m in member_choices(s, hid) if m.label.startswith("李秀英"))
        save_benefit(s, None, BenefitForm(hid, 2026, "P11", 144000, member_id=wife))
        (row,) = list_benefits(s)
    dialog = BenefitDialog(ops, benefit_id=row.id, form=row.form())
    qtbot.addWidget(dialog)
    assert dialog.household_box.currentText().startswith("001 张三明") and not dialog.household_box.isEnabled()
    assert dialog.member_box.currentText() == "李秀英（配偶）"
    assert dialog.amount_edit.text() == "1440.00" and dialog.policy_box.currentData() == "P11"
    other = BenefitDialog(ops, household_id=households.ids["003"])
    qtbot.addWidget(other)
    assert other.household_box.currentText().startswith("003 赵大力")


def test_the_board_tab_prints_the_boards(qtbot, ops, households, db_path):
    from PySide6.QtWidgets import QApplication

    from fupin_desktop.ui.pdf_preview import PdfPreview

    page = open_page(qtbot, NoticesPage, ops)
    tab = page.board_tab
    tab.table.selectRow(0)
    tab.print_button.click()
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreview) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=20_000)
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreview) and w.isVisible())
    assert preview.path.parent == db_path.parent / "打印" and preview.path.name.endswith("_1户.pdf")
    preview.close()
    ops.wait()


def test_empty_lower_panes_say_what_to_do(qtbot, ops, households):
    from fupin_desktop.ui.projects_page import ProjectsPage

    page = open_page(qtbot, NoticesPage, ops)
    assert not page.notices_tab.view.toPlainText() and "点一条公示" in page.notices_tab.view.placeholderText()
    assert "点左边的一户" in page.board_tab.preview.placeholderText()
    projects = open_page(qtbot, ProjectsPage, ops)
    pane = projects.findChild(type(page.notices_tab.view))
    assert not pane.toPlainText() and "点一个项目" in pane.placeholderText()
