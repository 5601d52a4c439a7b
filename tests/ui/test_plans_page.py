"""The 帮扶计划 page: overview, creating a plan, adding a measure in the editor clears the violation."""

from datetime import date

from fupin_desktop.domain import clock
from fupin_desktop.domain.plan_rules import MeasureForm
from fupin_desktop.domain.progress import QUIET
from fupin_desktop.services import plans
from fupin_desktop.ui.plans_page import PlansPage
from tests.ui.helpers import open_page


def _rule1(editor) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.message for f in editor.findings if f.rule == 1]


def test_adding_a_measure_in_the_editor_clears_the_violation(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    year = clock.today().year
    page = PlansPage(ops)
    qtbot.addWidget(page)
    page.year.setValue(year)
    page.refresh()
    # 001 (未脱贫) and 003 (监测户) need plans; 002 (一般农户) does not
    assert [(r.household_number, r.status) for r in page.rows] == [("001", "无计划"), ("003", "无计划")]
    page.table.selectRow(0)
    page.open_selected()  # creates the plan and opens the editor
    editor = page.editor
    assert page.stack.currentWidget() is editor and editor.detail is not None
    assert sorted(_rule1(editor)) == ["张三明没有对人措施（一人至少一策）", "李秀英没有对人措施（一人至少一策）"]

    editor.members_table.selectRow(0)  # 张三明
    assert editor.pick_measure(code="Z08")  # 农村实用技术培训, a person-level measure
    assert editor.measures[-1].member_id == editor.detail.members[0].id
    assert _rule1(editor) == ["李秀英没有对人措施（一人至少一策）"]
    assert editor.dirty and editor.save_button.isEnabled()

    editor.members_table.selectRow(1)  # 李秀英
    assert editor.pick_measure(code="BZ09")
    assert _rule1(editor) == []
    # household measures: with a member selected, a 户-only entry is refused by the picker
    assert not editor.pick_measure(code="F02")
    editor.members_table.clearSelection()
    assert editor.pick_measure(code="F02") and editor.pick_measure(code="F10")
    assert not any(f.rule in (1, 2, 3) for f in editor.findings)

    editor.save()
    assert not editor.dirty
    with db.reading() as s:
        saved = plans.get_plan(s, editor.detail.id)
    assert [m.type_code for m in saved.measures] == ["Z08", "BZ09", "F02", "F10"]
    editor.go_back()
    assert page.stack.currentIndex() == 0
    assert page.rows[0].status == "草稿" and page.rows[0].measures == 4


def test_editing_the_form_updates_the_measure_and_the_findings(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    year = clock.today().year
    with db.transaction() as s:
        pid = plans.create_plan(s, households.ids["003"], year)
        head = plans.get_plan(s, pid).members[0].id
        plans.save_plan(s, pid, plans.PlanHeader(), [MeasureForm(
            type_code="Z07", family="转", type_name="雨露计划短期技能培训", member_id=head, level="人",
            responsible_person="王志强", target="培训", planned_start=date(year, 1, 1), deadline=date(year, 12, 31))])
    page = PlansPage(ops)
    qtbot.addWidget(page)
    page.open_plan(pid)
    editor = page.editor
    editor.measures_table.selectRow(0)
    assert editor.measure_form.isEnabled()
    editor.measure_form.responsible.setCurrentText("")
    assert any("未填写责任人" in f.message for f in editor.findings)
    editor.measure_form.responsible.setCurrentText("李四")
    assert not any("未填写责任人" in f.message for f in editor.findings)
    assert editor.measures[0].responsible_person == "李四"
    editor.measure_form.amount.setText("-5")
    editor.measure_form.amount.textEdited.emit("-5")
    assert editor.measure_form.amount_error.text() == "金额不能为负数"


def test_statistics_page_draws_its_charts(qtbot, ops, households) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.ui.statistics_page import StatisticsPage

    page = open_page(qtbot, StatisticsPage, ops)
    assert page.stats is not None
    status = page.cards["status"]
    assert status.chart.series() and status.table.model().rowCount() == len(page.stats.by_status)
    assert status.table.text(0, 0) == "未脱贫" and status.table.text(0, 1) == "1"


def test_monitoring_tab_screens_and_confirms_a_case(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.db.models import HouseholdIncome
    from fupin_desktop.services.lines import set_poverty_line
    from fupin_desktop.ui.monitoring_tab import MonitoringTab

    year = clock.today().year - 1
    with db.transaction() as s:  # 002 王小红 (一般农户), 1 person, 5000 yuan: below 1.5 × 4000
        s.add(HouseholdIncome(household_id=households.ids["002"], year=year, persons=1, wage_fen=500_000))
        set_poverty_line(s, year, 400_000, "河南省")
    tab = open_page(qtbot, MonitoringTab, ops)
    assert [c.household_number for c in tab.report.candidates] == ["002"]
    tab.register()
    assert tab.report.candidates == [] and [c.status for c in tab.report.cases] == ["疑似"]
    tab.cases.selectRow(0)
    tab._advance("甄别中")
    tab.cases.selectRow(0)
    tab._advance("确认", category="边缘易致贫户", decided_by="村两委会议")
    case = tab.report.cases[0]
    assert (case.status, case.category, case.decided_by) == ("确认", "边缘易致贫户", "村两委会议")
    assert tab.lowest.text(0, 3) == "王小红"


def test_monitoring_tab_shows_the_printed_five_lowest(qtbot, ops, db) -> None:  # type: ignore[no-untyped-def]
    """The screen's 五最低 is the printout's (tests/reports: test_the_printed_five_lowest_is_the_screens_register):
    income-year persons, shared ranks for ties, the tie at the 5th place kept, the same figures."""
    from fupin_desktop.ui.monitoring_tab import MonitoringTab
    from tests.services.test_monitoring import FIVE_LOWEST_ONE, FIVE_LOWEST_TWO, YEAR, five_lowest_village

    with db.transaction() as s:
        five_lowest_village(s)
    tab = open_page(qtbot, MonitoringTab, ops)
    tab.year.setValue(YEAR)
    tab.refresh()
    shown = [tuple(tab.lowest.text(row, col) for col in (0, 1, 2, 5, 6))
             for row in range(tab.lowest.model().rowCount())]
    expected = [(group if i == 0 else "", str(rank), number, str(persons), f"{pc:,}")
                for group, rows in (("一组", FIVE_LOWEST_ONE), ("二组", FIVE_LOWEST_TWO))
                for i, (rank, number, persons, pc) in enumerate(rows)]
    assert shown == expected and all(tab.lowest.text(r, 1) for r in range(len(shown)))
    assert "1户未登记2025年收入" in tab.lowest_note.text()


def test_exit_tab_checks_and_proposes(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.ui.monitoring_tab import ExitTab

    tab = open_page(qtbot, ExitTab, ops)
    assert tab.household.count() == 2  # 001 未脱贫, 003 监测户
    tab.check()
    states = {tab.items.text(r, 0): tab.items.text(r, 1) for r in range(tab.items.model().rowCount())}
    assert states["收入超过扶贫标准"] == "待核实" and states["不愁吃、不愁穿"] == "待核实"
    assert "贫困发生率" in tab.village.text()


def test_plan_header_fields_save_and_a_draft_can_be_deleted(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    year = clock.today().year
    with db.transaction() as s:
        pid = plans.create_plan(s, households.ids["001"], year)
    page = PlansPage(ops)
    qtbot.addWidget(page)
    page.open_plan(pid)
    editor = page.editor
    editor.exit_year.setValue(year + 1)
    editor.note.setText("重点关注")
    editor.note.textEdited.emit("重点关注")
    editor.save()
    with db.reading() as s:
        header = plans.get_plan(s, pid).header
    assert (header.planned_exit_year, header.note) == (year + 1, "重点关注")
    assert editor.delete_button.isEnabled()
    editor.delete_draft(confirm=False)
    assert page.stack.currentIndex() == 0
    with db.reading() as s:
        assert plans.find_plan(s, households.ids["001"], year) is None


def test_report_dialog_needs_a_reason_and_a_valid_amount(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.services.benefits import household_choices
    from fupin_desktop.ui.monitoring_tab import ReportDialog

    with db.reading() as s:
        dialog = ReportDialog(household_choices(s))
    qtbot.addWidget(dialog)
    assert dialog.household.count() == 3
    dialog._accept()
    assert dialog.error.text() == "请至少选择一项风险原因" and dialog.result() == 0
    dialog.reasons["大额医疗支出"].setChecked(True)
    dialog.medical.setText("三万")
    dialog._accept()
    assert "不是数字" in dialog.error.text()
    dialog.medical.setText("3万")
    dialog._accept()
    assert dialog.result() == 1 and dialog.medical_fen == 3_000_000


def test_new_plan_can_be_a_copy_of_last_year(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    year = clock.today().year
    hid = households.ids["003"]
    with db.transaction() as s:
        pid = plans.create_plan(s, hid, year - 1)
        head = plans.get_plan(s, pid).members[0].id
        plans.save_plan(s, pid, plans.PlanHeader(), [MeasureForm(
            type_code="Z07", family="转", type_name="雨露计划短期技能培训", member_id=head, level="人",
            responsible_person="王志强", planned_start=date(year - 1, 3, 1), deadline=date(year - 1, 10, 31),
            completed_on=date(year - 1, 9, 1))])
    page = PlansPage(ops)
    qtbot.addWidget(page)
    page.create_for(hid, year, clone=True)
    editor = page.editor
    assert page.stack.currentWidget() is editor and editor.detail.year == year
    (m,) = editor.measures
    assert (m.type_code, m.deadline, m.completed_on) == ("Z07", date(year, 10, 31), None)


def test_exit_tab_shows_the_dual_confirmation_and_the_village_checklist(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.db.models import ExitProcedure
    from fupin_desktop.services import exits
    from fupin_desktop.ui.exit_dialogs import VillageChecklistDialog
    from fupin_desktop.ui.monitoring_tab import ExitTab

    today = clock.today()
    with db.transaction() as s:  # a procedure as a migrated database may hold it (the check is the service's)
        s.add(ExitProcedure(household_id=households.ids["001"], year=today.year - 1, proposed_on=today))
    tab = open_page(qtbot, ExitTab, ops)
    assert tab.table.text(0, 9) == "未登记" and "核查项目达标 0/11 项" in tab.village.text()
    with db.transaction() as s:
        pid = exits.list_procedures(s)[0].id
        exits.confirm_by_government(s, pid, today, "汜水镇人民政府")
        exits.confirm_by_household(s, pid, today, "张三明", "按手印")
    tab.refresh()
    assert tab.table.text(0, 9) == "已完成"
    dialog = VillageChecklistDialog(tab.village_report)
    qtbot.addWidget(dialog)
    dialog.states[0].setCurrentText("未达标")
    dialog.table.item(0, 4).setText("二组道路损毁")
    assert dialog.changed_items() == [("通硬化路", "未达标", None, None, "二组道路损毁")]


def test_registers_tab_lists_relocations_and_loans(qtbot, ops, db, households) -> None:  # type: ignore[no-untyped-def]
    from datetime import date, timedelta

    from fupin_desktop.domain.registers import LoanForm, RelocationForm
    from fupin_desktop.services import loans, relocation
    from fupin_desktop.ui.registers_tab import RegistersTab

    today = clock.today()
    with db.transaction() as s:
        relocation.save_relocation(s, households.ids["001"], RelocationForm(
            site="雨露社区", house_area_m2=50, members_moved=2, moved_on=today - timedelta(days=30)))
        loans.save_loan(s, households.ids["001"], LoanForm(
            borrower="张三明", bank="荥阳农商银行", amount_fen=3_000_000, term_months=36, rate_bp=435,
            lent_on=date(today.year - 3, today.month, 1)))
    tab = open_page(qtbot, RegistersTab, ops)
    assert tab.relocations.text(0, 2) == "雨露社区"
    assert tab.relocations.text(0, 9) == "拆旧复垦、交回宅基证"
    assert tab.loan_table.text(0, 1) == "张三明" and tab.loan_table.text(0, 3) == "30,000"
    tab.due_only.setChecked(True)
    assert tab.loan_table.model().rowCount() == 1  # due this month: within 90 days
    tab.loan_table.selectRow(0)
    tab._loan_event(repaid=True)
    assert tab.loan_table.placeholder() == "暂无未还清的贷款"


def test_exit_sheet_job_writes_the_selected_exit(db, households, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.db.models import ExitProcedure
    from fupin_desktop.ui.printing import exit_sheet_job

    year = clock.today().year - 1
    with db.transaction() as s:
        s.add(ExitProcedure(household_id=households.ids["001"], year=year, proposed_on=clock.today()))
    with db.reading() as s:
        (path,) = exit_sheet_job(tmp_path / "exit.pdf", "001", year)(s, QUIET)
    assert path.read_bytes().startswith(b"%PDF")
