"""Page 帮扶计划: the village's plans of a year by status, overdue measures in red; double-click a
household to open its plan in the editor (or create it); clone last year's plans; the compliance
report of the N+2 rules.
"""

from PySide6.QtCore import QSize
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain import plan_rules as rules
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.plan_rules import RULE_TITLES
from fupin_desktop.domain.rows import CADRES, HOUSEHOLDS, NOTICES, PLANS, REFERENCE, REGISTERS, VILLAGE, Changes
from fupin_desktop.services import plans as plan_service
from fupin_desktop.services.plans import ComplianceReport, PlanOverviewRow
from fupin_desktop.services.text import name_initials
from fupin_desktop.ui import fit, permissions
from fupin_desktop.ui.form_widgets import ERROR_COLOUR
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.monitoring_tab import ExitTab, MonitoringTab
from fupin_desktop.ui.ops import within
from fupin_desktop.ui.plan_editor import WARNING_COLOUR, PlanEditor
from fupin_desktop.ui.registers_tab import RegistersTab
from fupin_desktop.ui.tables import heading

NO_PLAN = "无计划"
ALL = "全部"


class ComplianceDialog(QDialog):
    """How many plans comply, the errors by rule, and every violation with its household."""

    def __init__(self, report: ComplianceReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{year}年帮扶计划合规检查").format(year=report.year))
        fit.fit_to_screen(self, QSize(980, 640))
        line = (self.tr("扶贫标准 {amount}元").format(amount=yuan(report.poverty_line_fen))
                if report.poverty_line_fen is not None else self.tr("本年度未配置扶贫标准"))
        summary = QLabel(self.tr(
            "应有计划 {households} 户，已有计划 {plans} 份，其中合规 {ok} 份（无错误）；缺计划 {missing} 户；"
            "错误 {errors} 条，提醒 {warnings} 条。{line}").format(
            households=report.households, plans=report.plans, ok=report.compliant, missing=report.without_plan,
            errors=report.errors, warnings=report.warnings, line=line))
        summary.setWordWrap(True)
        self.by_rule = RowsView([Column(self.tr("规则"), lambda r: r[0], "centre"),
                                 Column(self.tr("内容"), lambda r: RULE_TITLES.get(r[0], "")),
                                 Column(self.tr("违反的计划数"), lambda r: r[1], "right")],
                                key=lambda _r: None, browse=False, stretch_last=False,
                                empty_text=self.tr("没有违反错误规则的计划"))
        self.by_rule.set_rows(sorted(report.by_rule.items()))  # (rule, plans) pairs
        self.by_rule.setMaximumHeight(180)
        self.violations = RowsView([
            Column(self.tr("户编号"), lambda v: v.household_number), Column(self.tr("户主"), lambda v: v.head_name),
            Column(self.tr("村民组"), lambda v: v.group, "centre"), Column(self.tr("规则"), lambda v: v.rule, "centre"),
            Column(self.tr("级别"), lambda v: v.severity, "centre"), Column(self.tr("问题"), lambda v: v.message),
        ], colour=lambda v: ERROR_COLOUR if v.severity == rules.ERROR else WARNING_COLOUR, key=lambda _v: None,
            browse=False, empty_text=self.tr("全部计划符合N+2规则"))
        self.violations.set_rows(report.violations)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(heading(self.tr("按规则")))
        layout.addWidget(self.by_rule)
        layout.addWidget(heading(self.tr("全部问题")))
        layout.addWidget(self.violations, 1)
        layout.addWidget(buttons)


class PlansPage(QWidget):
    """Overview ↔ editor in one page."""

    shows = PLANS | HOUSEHOLDS | REGISTERS | VILLAGE | CADRES | REFERENCE | NOTICES
    HEADERS = ("户编号", "户主", "村民组", "户状态", "人口", "计划状态", "措施", "错误", "提醒", "逾期", "最近到期")

    def __init__(self, ops, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._ops = ops
        self.rows: list[PlanOverviewRow] = []
        self.year = QSpinBox()
        self.year.setRange(plan_service.FIRST_PLAN_YEAR, clock.today().year + 1)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(self.tr("年"))
        self.status_filter = QComboBox()
        self.status_filter.addItems([ALL, NO_PLAN, *rules.PLAN_STATUSES, self.tr("有逾期"), self.tr("有错误")])
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("搜索：户主姓名、拼音首字母或户编号末几位"))
        self.search_box.setClearButtonEnabled(True)
        self.open_button = QPushButton(self.tr("打开/新建计划"))
        self.clone_button = QPushButton(self.tr("从上年复制…"))
        self.check_button = QPushButton(self.tr("合规检查"))
        permissions.write_action(self.clone_button)
        self.summary = QLabel()
        def red_without_plan(r: PlanOverviewRow) -> str | None:
            return ERROR_COLOUR if r.errors or not r.plan_id else None

        self.table = RowsView([
            Column(self.tr("户编号"), lambda r: r.household_number), Column(self.tr("户主"), lambda r: r.head_name),
            Column(self.tr("村民组"), lambda r: r.group, "centre"),
            Column(self.tr("户状态"), lambda r: r.household_status, "centre"),
            Column(self.tr("人口"), lambda r: r.members, "right"),
            Column(self.tr("计划状态"), lambda r: r.status, "centre", colour=red_without_plan),
            Column(self.tr("措施"), lambda r: r.measures or "", "right", sort=lambda r: r.measures),
            Column(self.tr("错误"), lambda r: r.errors or "", "right", sort=lambda r: r.errors,
                   colour=red_without_plan),
            Column(self.tr("提醒"), lambda r: r.warnings or "", "right", sort=lambda r: r.warnings),
            Column(self.tr("逾期"), lambda r: r.overdue or "", "right", sort=lambda r: r.overdue),
            Column(self.tr("最近到期"), lambda r: r.next_deadline and r.next_deadline.isoformat(), "centre"),
        ], colour=lambda r: ERROR_COLOUR if r.overdue else None, key=lambda r: r.household_id,
            sortable=True, empty_text=self.tr("没有符合条件的农户"))  # a header click sorts, e.g. by 逾期
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度")))
        bar.addWidget(self.year)
        bar.addWidget(QLabel(self.tr("筛选")))
        bar.addWidget(self.status_filter)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.clone_button)
        bar.addWidget(self.check_button)
        overview = QWidget()
        ol = QVBoxLayout(overview)
        ol.addWidget(heading(self.tr("帮扶计划（N+2）")))
        ol.addLayout(bar)
        ol.addWidget(self.summary)
        ol.addWidget(self.table, 1)
        self.editor = PlanEditor(ops)
        self.stack = QStackedWidget()
        self.stack.addWidget(overview)
        self.stack.addWidget(self.editor)
        self.monitoring_tab = MonitoringTab(ops)
        self.exit_tab = ExitTab(ops)
        self.registers_tab = RegistersTab(ops)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.stack, self.tr("帮扶计划"))  # fits 1366×768 without scrolling (tests/ui/test_fit.py)
        self.tabs.addTab(self.monitoring_tab, self.tr("防返贫监测"))
        self.tabs.addTab(self.exit_tab, self.tr("退出程序"))
        self.tabs.addTab(self.registers_tab, self.tr("搬迁·信贷"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.status_filter.currentTextChanged.connect(lambda _t: self._fill())
        self.search_box.textChanged.connect(lambda _t: self._fill())
        self.search_box.returnPressed.connect(self._open_only_match)
        self.table.row_activated.connect(lambda _row: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.clone_button.clicked.connect(self.clone_last_year)
        self.check_button.clicked.connect(self.show_compliance)
        self.editor.closed.connect(self._back)

    def changes_made(self, changes: Changes, origin: QWidget | None) -> None:
        """Data changed: the tabs that show it reload, except the one that wrote (it has updated itself)."""
        if not within(origin, self):
            self.mark_stale()
            return
        for tab in (self.monitoring_tab, self.exit_tab, self.registers_tab):
            if changes.touches(tab.shows) and not within(origin, tab):
                tab.refresh()
        if not within(origin, self.stack):  # the overview shows 户状态 too
            self._load_overview()

    def mark_stale(self) -> None:
        """Data changed elsewhere: reload now if the page is shown, else the next time it is."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        self.monitoring_tab.refresh()
        self.exit_tab.refresh()
        self.registers_tab.refresh()
        self._load_overview()

    def _load_overview(self) -> None:
        if self.stack.currentWidget() is self.editor:
            return  # the editor keeps its own state; the list reloads when the user goes back
        year = self.year.value()
        self._ops.query(lambda s: plan_service.plan_overview(s, year), success=self._show, parent=self)

    def _show(self, rows: list[PlanOverviewRow]) -> None:
        self.rows = rows
        with_plan = [r for r in rows if r.plan_id]
        ok = sum(r.errors == 0 for r in with_plan)
        overdue = sum(r.overdue for r in rows)
        by_status = "，".join(f"{s}{n}" for s in rules.PLAN_STATUSES if (n := sum(r.status == s for r in rows)))
        self.summary.setText(self.tr(
            "应有计划 {n} 户：已有 {plans} 份（{by_status}），无错误 {ok} 份；无计划 {missing} 户；"
            "逾期措施 {overdue} 条").format(
            n=len(rows), plans=len(with_plan), by_status=by_status or "—", ok=ok, missing=len(rows) - len(with_plan),
            overdue=overdue))
        self._fill()

    def _fill(self) -> None:
        f = self.status_filter.currentText()
        if f == ALL:
            shown = self.rows
        elif f == self.tr("有逾期"):
            shown = [r for r in self.rows if r.overdue]
        elif f == self.tr("有错误"):
            shown = [r for r in self.rows if r.errors or not r.plan_id]
        else:
            shown = [r for r in self.rows if r.status == f]
        text = self.search_box.text().strip()
        if text:
            shown = [r for r in shown if self._matches(r, text)]
        self.table.set_rows(shown)

    def _matches(self, r: PlanOverviewRow, text: str) -> bool:
        """As the 农户 search: part of the head's name, pinyin initials, or the number's last digits."""
        if text.isdigit():
            return r.household_number.endswith(text)
        if text.isascii():
            return name_initials(r.head_name).startswith(text.lower())
        return text in r.head_name

    def _open_only_match(self) -> None:
        """Enter in the search box opens the plan when one household is left."""
        if len(self.table.rows) == 1:
            self.table.select(self.table.rows[0].household_id)
            self.open_selected()

    @property
    def shown(self) -> list[PlanOverviewRow]:
        return self.table.rows

    def selected_row(self) -> PlanOverviewRow | None:
        return self.table.current()

    def open_household(self, household_id) -> None:  # type: ignore[no-untyped-def]
        """The household's plan of the year on show (from 农户): opened, or offered to be made."""
        self.tabs.setCurrentIndex(0)
        if self.stack.currentWidget() is self.editor:
            if self.editor.detail is not None and self.editor.detail.household_id == household_id:
                return
            self.editor.go_back()  # asks about unsaved changes; stays when the user cancels
            if self.stack.currentWidget() is self.editor:
                return
        self.status_filter.setCurrentText(ALL)
        self.search_box.clear()
        if self.table.select(household_id, centre=True):
            self.open_selected()
            return
        QMessageBox.information(self, self.tr("帮扶计划"), self.tr(
            "这一户不是建档立卡户或监测户，不需要{year}年的帮扶计划。").format(year=self.year.value()))

    def open_selected(self) -> None:
        r = self.selected_row()
        if r is None:
            return
        if r.plan_id is not None:
            self.open_plan(r.plan_id)
            return
        year, hid = self.year.value(), r.household_id
        if not permissions.can_write(self._ops):  # a reader opens plans but does not create them
            QMessageBox.information(self, self.tr("帮扶计划"), self.tr(
                "{household}还没有{year}年的帮扶计划。").format(
                household=household_name(r.household_number, r.head_name), year=year))
            return
        self._ops.query(lambda s: plan_service.find_plan(s, hid, year - 1),
                        success=lambda last: self._ask_how(hid, year, last is not None), parent=self)

    def _ask_how(self, household_id, year: int, has_last: bool) -> None:  # type: ignore[no-untyped-def]
        clone = False
        if has_last:
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("新建计划"),
                              self.tr("该户有{y}年的计划。复制上年计划（措施保留、时限顺延一年）还是新建空白计划？").format(
                                  y=year - 1), parent=self)
            copy = box.addButton(self.tr("复制上年计划"), QMessageBox.ButtonRole.AcceptRole)
            blank = box.addButton(self.tr("新建空白计划"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() not in (copy, blank):
                return
            clone = box.clickedButton() is copy
        self.create_for(household_id, year, clone=clone)

    def create_for(self, household_id, year: int, *, clone: bool = False) -> None:  # type: ignore[no-untyped-def]
        """Create the household's plan for `year`, empty or as a copy of the year before, and open it."""
        if clone:
            self._ops.write(lambda s: plan_service.clone_plan(s, household_id, year - 1, year)[0],
                            success=self._created, parent=self)
        else:
            self._ops.write(lambda s: plan_service.create_plan(s, household_id, year), success=self._created,
                            parent=self)

    def _created(self, plan_id) -> None:  # type: ignore[no-untyped-def]
        self.open_plan(plan_id)

    def open_plan(self, plan_id) -> None:  # type: ignore[no-untyped-def]
        self.stack.setCurrentWidget(self.editor)
        self.editor.open_plan(plan_id)

    def _back(self) -> None:
        self.stack.setCurrentIndex(0)
        self.refresh()

    def clone_last_year(self) -> None:
        to_year = self.year.value()
        from_year = to_year - 1
        answer = QMessageBox.question(self, self.tr("从上年复制"), self.tr(
            "把{src}年的帮扶计划复制为{dst}年的草稿？\n已有{dst}年计划的户不复制；完成情况、拨付和进展记录不复制，"
            "完成时限顺延一年。").format(src=from_year, dst=to_year))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._ops.write(lambda s: plan_service.clone_year(s, from_year, to_year), success=self._cloned, parent=self)

    def _cloned(self, result: plan_service.CloneResult) -> None:
        QMessageBox.information(self, self.tr("从上年复制"), self.tr(
            "已复制 {n} 份计划；{skip} 户已有本年度计划未复制；{none} 户上年没有计划。"
            "{dropped}").format(n=result.created, skip=result.skipped_existing, none=result.skipped_without_source,
                                dropped=self.tr("已迁出成员的{k}条措施未复制。").format(k=result.dropped_measures)
                                if result.dropped_measures else ""))
        self.refresh()

    def show_compliance(self) -> None:
        year = self.year.value()
        self._ops.query(lambda s: plan_service.compliance_report(s, year),
                        success=lambda report: ComplianceDialog(report, self).exec(), parent=self)

    def is_editing(self) -> bool:
        return self.stack.currentWidget() is self.editor and self.editor.dirty

    def focus_household(self, household_id) -> None:  # type: ignore[no-untyped-def]
        self.table.select(household_id, centre=True)

