"""The N+2 plan editor: the household's members on the left, the measures on the right with the
measure form below them, the validator's findings live at the bottom.

Edits stay in memory (the measures list) and are checked on every change with the same rules the
CLI and the county use (services.plans.check_draft → domain.plan_rules); 保存 writes them in one
transaction. Workflow buttons move the plan 草稿 → 已提交 → 已审核 → 执行中 → 已完结.
"""

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain import plan_rules as rules
from fupin_desktop.domain.money import parse_yuan, yuan
from fupin_desktop.domain.plan_rules import Finding, MeasureForm
from fupin_desktop.errors import InputError
from fupin_desktop.services import plans as plan_service
from fupin_desktop.services.cadres import list_cadres
from fupin_desktop.services.plans import CatalogueEntry, PlanDetail, PlanHeader
from fupin_desktop.ui import fit, permissions
from fupin_desktop.ui.form_widgets import ERROR_COLOUR, ErrorLabel, OptionalDateEdit, ok_cancel
from fupin_desktop.ui.lists import Column, RowsView, splitter
from fupin_desktop.ui.tables import heading

WARNING_COLOUR = "#a15c00"
HOUSEHOLD = "全户"


class CataloguePicker(QDialog):
    """The 转扶搬保救 catalogue as a tree; the chosen entry is `selected()`."""

    def __init__(self, entries: list[CatalogueEntry], *, person: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("从措施目录选择"))
        fit.fit_to_screen(self, QSize(560, 560))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("输入名称筛选，如 培训、低保、信贷"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("措施"), self.tr("层级"), self.tr("编码")])
        self.tree.setColumnWidth(0, 320)
        by_family: dict[str, QTreeWidgetItem] = {}
        for family in rules.FAMILIES:
            item = QTreeWidgetItem([f"{family}　{rules.FAMILY_NAMES[family]}"])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(item)
            by_family[family] = item
        fits = (rules.LEVEL_PERSON, rules.LEVEL_EITHER) if person else (rules.LEVEL_HOUSEHOLD, rules.LEVEL_EITHER)
        for e in entries:
            parent_item = by_family.get(e.family)
            if parent_item is None:
                continue
            item = QTreeWidgetItem([e.name, e.level, e.code])
            item.setData(0, Qt.ItemDataRole.UserRole, e)
            item.setToolTip(0, e.note or "")
            if e.level not in fits:
                item.setDisabled(True)
                item.setToolTip(0, self.tr("该措施是{level}措施，不适用于当前对象").format(level=e.level))
            parent_item.addChild(item)
        self.tree.expandAll()
        hint = QLabel(self.tr("为成员 {who} 添加对人措施").format(who="") if person else
                      self.tr("添加对户措施（左侧选中成员可添加对人措施）"))
        self.hint = hint
        buttons = ok_cancel(self, self.tr("添加"))
        self.tree.itemDoubleClicked.connect(lambda item, _c: self.accept() if self.selected() else None)
        self.filter.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        text = text.strip()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                child = top.child(j)
                child.setHidden(bool(text) and text not in child.text(0) and text.upper() not in child.text(2))

    def select_code(self, code: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                child = top.child(j)
                if child.text(2) == code and not child.isDisabled():
                    self.tree.setCurrentItem(child)
                    return True
        return False

    def selected(self) -> CatalogueEntry | None:
        item = self.tree.currentItem()
        if item is None or item.isDisabled():
            return None
        return item.data(0, Qt.ItemDataRole.UserRole)


class MeasureEditor(QGroupBox):
    """The 五对 fields of the selected measure. `changed` fires with the edited measure."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("措施详情（五对）"))
        self._measure: MeasureForm | None = None
        self._loading = False
        self.kind = QLabel()
        self.target_member = QComboBox()
        self.target = QLineEdit()
        self.target.setPlaceholderText(self.tr("具体目标，如“1人稳定就业”“年增收2000元”"))
        self.responsible = QComboBox()
        self.responsible.setEditable(True)
        self.unit = QLineEdit()
        self.start = OptionalDateEdit(self.tr("计划开始"))
        self.deadline = OptionalDateEdit(self.tr("完成时限"))
        self.multi_year = QCheckBox(self.tr("跨年度措施"))
        self.completed = OptionalDateEdit(self.tr("已完成"))
        self.funded = QCheckBox(self.tr("资金措施（对账）"))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("元，如 2000 或 5万"))
        self.amount_error = ErrorLabel()
        self.fund_source = QComboBox()
        self.fund_source.setEditable(True)
        self.fund_source.addItems(["", *rules.FUND_SOURCES])
        self.disbursed = OptionalDateEdit(self.tr("已拨付"))
        self.payee = QLineEdit()
        self.payee.setPlaceholderText(self.tr("收款人（一卡通）"))
        grid = QGridLayout(self)
        left, right = QFormLayout(), QFormLayout()
        left.addRow(self.tr("措施"), self.kind)
        left.addRow(self.tr("对象（对人）"), self.target_member)
        left.addRow(self.tr("目标（对事）"), self.target)
        left.addRow(self.tr("责任人（对责）"), self.responsible)
        left.addRow(self.tr("责任单位"), self.unit)
        left.addRow(self.tr("时间（对时）"), self.start)
        left.addRow("", self.deadline)
        left.addRow("", self.multi_year)
        right.addRow(self.tr("完成"), self.completed)
        right.addRow(self.tr("资金"), self.funded)
        right.addRow(self.tr("金额"), self.amount)
        right.addRow("", self.amount_error)
        right.addRow(self.tr("资金来源"), self.fund_source)
        right.addRow(self.tr("拨付"), self.disbursed)
        right.addRow(self.tr("收款人"), self.payee)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        for w in (self.target, self.unit, self.amount, self.payee):
            w.textEdited.connect(self._emit)
        for box in (self.target_member, self.responsible, self.fund_source):
            box.currentTextChanged.connect(self._emit)
        for d in (self.start, self.deadline, self.completed, self.disbursed):
            d.changed.connect(self._emit)
        for c in (self.multi_year, self.funded):
            c.toggled.connect(self._emit)
        self.setEnabled(False)

    def set_people(self, members: list[tuple[object, str]], responsible: list[str]) -> None:
        self._loading = True
        self.target_member.clear()
        self.target_member.addItem(HOUSEHOLD, None)
        for member_id, name in members:
            self.target_member.addItem(name, member_id)
        self.responsible.clear()
        self.responsible.addItems(["", *responsible])
        self._loading = False

    def load(self, m: MeasureForm | None) -> None:
        self._loading = True
        self._measure = m
        self.setEnabled(m is not None)
        if m is not None:
            self.kind.setText(f"{m.family}·{m.type_name}（{m.type_code}，{m.level}）")
            index = next((i for i in range(self.target_member.count())
                          if self.target_member.itemData(i) == m.member_id), 0)
            self.target_member.setCurrentIndex(index)
            self.target.setText(m.target or "")
            self.responsible.setCurrentText(m.responsible_person or "")
            self.unit.setText(m.responsible_unit or "")
            self.start.set_value(m.planned_start)
            self.deadline.set_value(m.deadline)
            self.multi_year.setChecked(m.multi_year)
            self.completed.set_value(m.completed_on)
            self.funded.setChecked(m.funded)
            self.amount.setText(yuan(m.amount_fen))
            self.amount_error.set_error(None)
            self.fund_source.setCurrentText(m.fund_source or "")
            self.disbursed.set_value(m.disbursed_on)
            self.payee.setText(m.payee or "")
        self._loading = False

    def _emit(self, *_args: object) -> None:
        if self._loading or self._measure is None:
            return
        amount = self._measure.amount_fen
        text = self.amount.text().strip()
        try:
            amount = parse_yuan(text) if text else None
            self.amount_error.set_error(None)
        except InputError as e:
            self.amount_error.set_error(str(e))
        self._measure = replace(
            self._measure, member_id=self.target_member.currentData(), target=self.target.text(),
            responsible_person=self.responsible.currentText(), responsible_unit=self.unit.text(),
            planned_start=self.start.value(), deadline=self.deadline.value(), multi_year=self.multi_year.isChecked(),
            completed_on=self.completed.value(), funded=self.funded.isChecked(), amount_fen=amount,
            fund_source=self.fund_source.currentText(), disbursed_on=self.disbursed.value(), payee=self.payee.text())
        self.changed.emit(self._measure)


class PlanEditor(QWidget):
    """One household's plan. `closed` when the user goes back."""

    closed = Signal()

    def __init__(self, ops, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._ops = ops
        self.detail: PlanDetail | None = None
        self.measures: list[MeasureForm] = []
        self._names: dict[object, str] = {}  # member id → name, for the measures' 对象
        self._counts: dict[object, int] = {}  # member id → measures for that member
        self._today = clock.today()
        self.findings: list[Finding] = []
        self._catalogue: list[CatalogueEntry] = []
        self._cadres: list[str] = []
        self.dirty = False
        self.back_button = QPushButton(self.tr("← 返回计划列表"))
        self.title = heading("")
        self.status_label = QLabel()
        self.save_button = QPushButton(self.tr("保存"))
        self.submit_button = QPushButton(self.tr("提交"))
        self.approve_button = QPushButton(self.tr("审核通过"))
        self.start_button = QPushButton(self.tr("开始执行"))
        self.close_button = QPushButton(self.tr("完结"))
        self.delete_button = QPushButton(self.tr("删除草稿"))
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        top.addWidget(self.title)
        top.addStretch(1)
        for b in (self.save_button, self.submit_button, self.approve_button, self.start_button, self.close_button,
                  self.delete_button):
            top.addWidget(b)
            permissions.write_action(b)

        # members
        self.members_table = RowsView([
            Column(self.tr("姓名"), lambda m: m.name), Column(self.tr("关系"), lambda m: m.relation),
            Column(self.tr("年龄"), lambda m: m.age, "right"),
            Column(self.tr("措施"), lambda m: self._counts.get(m.id, 0), "right",
                   colour=lambda m: ERROR_COLOUR if not self._counts.get(m.id) else None),  # 一人至少一策
            Column(self.tr("情况"), self._situation, tooltip=True),
        ], browse=False)
        confirm = QGroupBox(self.tr("计划信息与双认定"))
        self.team_by = QLineEdit()
        self.team_by.setPlaceholderText(self.tr("帮扶责任人/工作队确认人"))
        self.team_on = OptionalDateEdit(self.tr("已确认"))
        self.household_by = QLineEdit()
        self.household_by.setPlaceholderText(self.tr("农户签字（或按手印）人"))
        self.household_on = OptionalDateEdit(self.tr("已签字"))
        self.exit_year = QSpinBox()
        self.exit_year.setRange(2013, 2100)
        self.exit_year.setSpecialValueText(self.tr("未填"))  # the minimum stands for "not set"
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("备注"))
        form = QFormLayout(confirm)
        form.addRow(self.tr("计划脱贫年度"), self.exit_year)
        form.addRow(self.tr("备注"), self.note)
        form.addRow(self.tr("工作队"), self.team_by)
        form.addRow("", self.team_on)
        form.addRow(self.tr("农户"), self.household_by)
        form.addRow("", self.household_on)
        # On a 1366×768 laptop the measures need the height: the household's side shows members or
        # the plan's signatures (tabs), and the findings, whole, under them.
        self.findings_list = QListWidget()
        self.findings_list.setWordWrap(True)
        self.findings_label = heading(self.tr("检查结果"))
        self.household_tabs = QTabWidget()
        self.household_tabs.addTab(self.members_table, self.tr("家庭成员（N）"))
        self.household_tabs.addTab(confirm, self.tr("计划信息与双认定"))
        confirm.setTitle("")
        confirm.setFlat(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.household_tabs, 1)
        left_layout.addWidget(self.findings_label)
        left_layout.addWidget(self.findings_list, 1)

        # measures
        self.add_button = QPushButton(self.tr("从目录添加措施…"))
        self.remove_button = QPushButton(self.tr("删除措施"))
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)  # at 特大 on one line it would widen the window beyond the screen
        bar = QHBoxLayout()
        bar.addWidget(heading(self.tr("帮扶措施（N+2）")))
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        self.measures_table = RowsView([
            Column(self.tr("对象"), lambda m: HOUSEHOLD if m.member_id is None
                   else self._names.get(m.member_id, self.tr("（已不在本户）")), "centre"),
            Column(self.tr("大类"), lambda m: m.family, "centre"), Column(self.tr("措施"), lambda m: m.type_name),
            Column(self.tr("目标"), lambda m: m.target), Column(self.tr("责任人"), lambda m: m.responsible_person),
            Column(self.tr("完成时限"), lambda m: m.deadline and m.deadline.isoformat(), "centre",
                   tooltip=lambda m: self.tr("已逾期") if self._overdue(m) else None),
            Column(self.tr("完成"), lambda m: m.completed_on and m.completed_on.isoformat(), "centre"),
            Column(self.tr("金额(元)"), lambda m: yuan(m.amount_fen), "right"),
        ], colour=lambda m: ERROR_COLOUR if self._overdue(m) else None, key=lambda _m: None, browse=False,
            empty_text=self.tr("还没有措施：点“从目录添加措施…”"))  # rows by position: new measures have no id
        self.measure_form = MeasureEditor()
        self.measure_form.setTitle("")
        self.measure_form.setFlat(True)
        self.progress_list = QListWidget()
        self.progress_button = QPushButton(self.tr("添加进展…"))
        progress = QWidget()
        progress_layout = QVBoxLayout(progress)
        progress_layout.addWidget(self.progress_list, 1)
        progress_layout.addWidget(self.progress_button, 0, Qt.AlignmentFlag.AlignRight)
        permissions.write_action(self.add_button, self.remove_button, self.progress_button)
        self.measure_tabs = QTabWidget()
        details = fit.scrolled(self.measure_form)  # scrolls only at 特大, where the measures keep their six rows
        self.measure_tabs.addTab(details, self.tr("措施详情（五对）"))
        self.measure_tabs.addTab(progress, self.tr("进展记录"))
        self.measure_tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(bar)
        rows = self.measures_table.verticalHeader()
        self.measures_table.setMinimumHeight(self.measures_table.horizontalHeader().sizeHint().height()
                                             + 6 * rows.defaultSectionSize() + 2 * self.measures_table.frameWidth()
                                             + self.measures_table.horizontalScrollBar().sizeHint().height())
        right_layout.addWidget(self.measures_table, 1)
        right_layout.addWidget(self.measure_tabs)

        split = splitter(left, right, stretch=(2, 5), sizes=[400, 900])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(split, 1)

        self.back_button.clicked.connect(self.go_back)
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(lambda: self._step(plan_service.submit_plan, "已提交"))
        self.approve_button.clicked.connect(self._approve)
        self.start_button.clicked.connect(lambda: self._step(lambda s, pid: plan_service.start_plan(s, pid), "执行中"))
        self.close_button.clicked.connect(lambda: self._step(plan_service.close_plan, "已完结"))
        self.delete_button.clicked.connect(self.delete_draft)
        self.add_button.clicked.connect(self.pick_measure)
        self.remove_button.clicked.connect(self.remove_measure)
        self.progress_button.clicked.connect(self.add_progress)
        self.measures_table.current_changed.connect(lambda _m: self._measure_selected())
        self.measure_form.changed.connect(self._measure_edited)
        self.findings_list.itemActivated.connect(self._finding_activated)
        self.findings_list.itemClicked.connect(self._finding_activated)
        for w in (self.team_by, self.household_by, self.note):
            w.textEdited.connect(self._header_edited)
        self.exit_year.valueChanged.connect(self._header_edited)
        for d in (self.team_on, self.household_on):
            d.changed.connect(self._header_edited)

    # -- loading ------------------------------------------------------------------------------

    def open_plan(self, plan_id) -> None:  # type: ignore[no-untyped-def]
        def load(s):  # type: ignore[no-untyped-def]
            return (plan_service.get_plan(s, plan_id), plan_service.catalogue(s),
                    [c.name for c in list_cadres(s)])

        self._ops.query(load, success=self._loaded, parent=self)

    def _loaded(self, result) -> None:  # type: ignore[no-untyped-def]
        detail, catalogue, cadres = result
        self._cadres = cadres or self._cadres
        cadres = self._cadres
        self.detail = detail
        self._catalogue = catalogue
        self.measures = list(detail.measures)
        responsible = list(dict.fromkeys([*(n for n in [detail.helper] if n), *cadres]))
        self.measure_form.set_people([(m.id, m.name) for m in detail.members], responsible)
        h = detail.header
        for w, v in ((self.team_by, h.team_confirmed_by), (self.household_by, h.household_signer),
                     (self.note, h.note)):
            w.setText(v or "")
        self.exit_year.blockSignals(True)
        self.exit_year.setValue(h.planned_exit_year or self.exit_year.minimum())
        self.exit_year.blockSignals(False)
        self.team_on.set_value(h.team_confirmed_on)
        self.household_on.set_value(h.household_confirmed_on)
        self.title.setText(self.tr("{head}户　{year}年帮扶计划").format(head=detail.head_name, year=detail.year))
        self.members_table.set_rows(detail.members)
        self.dirty = False
        self._show_status()
        self._refill_measures()
        self._revalidate()

    @staticmethod
    def _situation(m) -> str:  # type: ignore[no-untyped-def]
        parts = [m.schooling_stage and f"在读{m.schooling_stage}" if m.schooling_stage != "辍学" else "辍学",
                 m.employment_status, None if m.health in (None, "健康") else m.health,
                 None if m.labour_ability in (None, "有劳动能力") else m.labour_ability]
        return "、".join(p for p in parts if p)

    def _show_status(self) -> None:
        d = self.detail
        if d is None:
            return
        text = self.tr("户编号 {number} · {group} · {status} · 帮扶责任人 {helper} · 计划状态：{plan}").format(
            number=d.household_number, group=d.group or "", status=d.household_status, helper=d.helper or "未指定",
            plan=d.status if d.version == 1 else f"{d.status}（第{d.version}版）")
        self.status_label.setText(text + (self.tr("（有未保存的修改）") if self.dirty else ""))
        editable = self._editable()
        self.save_button.setEnabled(editable and self.dirty)
        self.submit_button.setEnabled(d.status == rules.DRAFT and not self.dirty)
        self.approve_button.setEnabled(d.status == rules.SUBMITTED and not self.dirty)
        self.start_button.setEnabled(d.status == rules.APPROVED and not self.dirty)
        self.close_button.setEnabled(d.status in (rules.APPROVED, rules.EXECUTING) and not self.dirty)
        self.delete_button.setEnabled(d.status == rules.DRAFT)
        for w in (self.add_button, self.remove_button, self.measure_form, self.team_by, self.household_by,
                  self.team_on, self.household_on, self.exit_year, self.note):
            w.setEnabled(editable and (w is not self.measure_form or self._current_row() is not None))

    def _editable(self) -> bool:
        """The plan's fields can be changed: it is not closed, and the user may write (a reader sees
        the plan with its fields disabled)."""
        return self.detail is not None and self.detail.status != rules.CLOSED and permissions.can_write(self._ops)

    # -- measures -----------------------------------------------------------------------------

    def _member_names(self) -> dict[object, str]:
        return {m.id: m.name for m in self.detail.members} if self.detail else {}

    def _refill_measures(self, select: int | None = None, *, reload_form: bool = True) -> None:
        self._names, self._today = self._member_names(), clock.today()
        self.measures_table.blockSignals(True)
        self.measures_table.set_rows(self.measures)
        if select is not None and 0 <= select < len(self.measures):
            self.measures_table.selectRow(select)
        self.measures_table.blockSignals(False)
        if reload_form:
            self._measure_selected()
        counts = {m.id: 0 for m in self.detail.members} if self.detail else {}
        for m in self.measures:
            if m.member_id in counts:
                counts[m.member_id] += 1
        self._counts = counts
        self.members_table.rows_model.refresh_column(3)
        household = sum(m.member_id is None for m in self.measures)
        n = len(self.detail.members) if self.detail else 0
        self.count_label.setText(self.tr("共{total}条：对人{person}条、对户{household}条；N+2 = {need}").format(
            total=len(self.measures), person=len(self.measures) - household, household=household, need=n + 2))

    def _overdue(self, m: MeasureForm) -> bool:
        return bool(m.deadline and not m.completed_on and m.deadline < self._today)

    def _current_row(self) -> int | None:
        if self.measures_table.current() is None:
            return None
        r = self.measures_table.currentIndex().row()
        return r if r < len(self.measures) else None

    def _measure_selected(self) -> None:
        r = self._current_row()
        self.measure_form.load(self.measures[r] if r is not None else None)
        if self.detail is not None:
            self.measure_form.setEnabled(r is not None and self._editable())
        self.progress_list.clear()
        m = self.measures[r] if r is not None else None
        if m is not None and m.id is not None and self.detail is not None:
            for p in self.detail.progress.get(m.id, ()):
                self.progress_list.addItem(f"{p.noted_on:%Y-%m-%d}　{p.note}" + (f"（{p.author}）" if p.author else ""))
        self.progress_button.setEnabled(m is not None and m.id is not None)

    def _measure_edited(self, m: MeasureForm) -> None:
        r = self._current_row()
        if r is None:
            return
        self.measures[r] = m
        self._changed(select=r, reload_form=False)

    def _selected_member(self):  # type: ignore[no-untyped-def]
        return self.members_table.current()

    def pick_measure(self, *, code: str | None = None) -> bool:
        """Choose a catalogue entry (for the member selected on the left, else the household) and add it.

        With `code`, the entry is chosen without showing the dialog (used by tests and shortcuts).
        """
        member = self._selected_member()
        picker = CataloguePicker(self._catalogue, person=member is not None, parent=self)
        if member is not None:
            picker.hint.setText(self.tr("为成员 {name} 添加对人措施").format(name=member.name))
        if code is not None:
            if not picker.select_code(code):
                return False
        elif picker.exec() != QDialog.DialogCode.Accepted:
            return False
        entry = picker.selected()
        if entry is None or self.detail is None:
            return False
        year = self.detail.year
        today = clock.today()
        start = today if today.year == year else date(year, 1, 1)
        self.measures.append(MeasureForm(
            type_code=entry.code, family=entry.family, type_name=entry.name, level=entry.level,
            member_id=member.id if member is not None else None, responsible_person=self.detail.helper,
            planned_start=start, deadline=date(year, 12, 31)))
        self._changed(select=len(self.measures) - 1)
        return True

    def remove_measure(self) -> None:
        r = self._current_row()
        if r is None:
            return
        del self.measures[r]
        self._changed(select=min(r, len(self.measures) - 1))

    def _header(self) -> PlanHeader:
        base = self.detail.header if self.detail else PlanHeader()
        exit_year = self.exit_year.value()
        return replace(base, planned_exit_year=None if exit_year == self.exit_year.minimum() else exit_year,
                       note=self.note.text(), team_confirmed_by=self.team_by.text(),
                       team_confirmed_on=self.team_on.value(),
                       household_signer=self.household_by.text(), household_confirmed_on=self.household_on.value())

    def _header_edited(self, *_args: object) -> None:
        self._changed()

    def _changed(self, select: int | None = None, *, reload_form: bool = True) -> None:
        self.dirty = True
        if select is not None:
            self._refill_measures(select, reload_form=reload_form)
        self._revalidate()
        self._show_status()

    # -- findings -----------------------------------------------------------------------------

    def _revalidate(self) -> None:
        if self.detail is None:
            return
        self.findings = plan_service.check_draft(self.detail, self._header(), self.measures)
        self.findings_list.clear()
        for f in self.findings:
            item = QListWidgetItem(str(f))
            item.setForeground(QBrush(QColor(ERROR_COLOUR if f.is_error else WARNING_COLOUR)))
            item.setData(Qt.ItemDataRole.UserRole, f)
            self.findings_list.addItem(item)
        errors = sum(f.is_error for f in self.findings)
        if not self.findings:
            self.findings_list.addItem(self.tr("符合N+2各项规则"))
        self.findings_label.setText(self.tr("检查结果：{e}个错误，{w}个提醒").format(
            e=errors, w=len(self.findings) - errors))

    def _finding_activated(self, item: QListWidgetItem) -> None:
        f = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(f, Finding) or self.detail is None:
            return
        if f.measure_index is not None:
            self.measures_table.selectRow(f.measure_index)
        elif f.member_id is not None:
            for r, m in enumerate(self.detail.members):
                if m.id == f.member_id:
                    self.members_table.selectRow(r)

    # -- writes -------------------------------------------------------------------------------

    def save(self) -> bool:
        if self.detail is None:
            return False
        pid, header, measures = self.detail.id, self._header(), list(self.measures)
        saved: list[bool] = []

        def done(detail: PlanDetail) -> None:
            saved.append(True)
            keep = self._current_row()
            self._loaded((detail, self._catalogue, []))
            if keep is not None:
                self.measures_table.selectRow(keep)

        self._ops.write(lambda s: plan_service.save_plan(s, pid, header, measures), success=done, parent=self)
        return bool(saved)

    def _step(self, op, label: str) -> None:  # type: ignore[no-untyped-def]
        if self.detail is None:
            return
        pid = self.detail.id
        self._ops.write(lambda s: op(s, pid), success=lambda _r: self._after_step(), parent=self)

    def _after_step(self) -> None:
        if self.detail is not None:
            self.open_plan(self.detail.id)

    def _approve(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("审核"), self.tr("审核人："))
        if ok:
            self._step(lambda s, pid: plan_service.approve_plan(s, pid, name), "已审核")

    def add_progress(self) -> None:
        r = self._current_row()
        if r is None or self.measures[r].id is None or self.detail is None:
            return
        text, ok = QInputDialog.getText(self, self.tr("添加进展"), self.tr("进展情况："))
        if not ok:
            return
        mid, author = self.measures[r].id, self.detail.helper
        self._ops.write(lambda s: plan_service.add_progress(s, mid, text, author=author),
                        success=lambda _r: self._reload_keep(r), parent=self)

    def _reload_keep(self, row: int) -> None:
        if self.detail is None:
            return
        if self.dirty:
            return
        self._ops.query(lambda s: plan_service.get_plan(s, self.detail.id),  # type: ignore[union-attr]
                        success=lambda d: (self._loaded((d, self._catalogue, [])), self.measures_table.selectRow(row)),
                        parent=self)

    def delete_draft(self, *, confirm: bool = True) -> None:
        if self.detail is None:
            return
        if confirm and QMessageBox.question(self, self.tr("删除草稿"), self.tr("删除这份草稿计划及其全部措施？")) \
                != QMessageBox.StandardButton.Yes:
            return
        pid = self.detail.id

        def done(_r: object) -> None:
            self.dirty = False
            self.closed.emit()

        self._ops.write(lambda s: plan_service.delete_plan(s, pid), success=done, parent=self)

    def go_back(self) -> None:
        if self.dirty:
            answer = QMessageBox.question(
                self, self.tr("未保存"), self.tr("计划有未保存的修改，是否保存？"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        self.dirty = False
        self.closed.emit()

