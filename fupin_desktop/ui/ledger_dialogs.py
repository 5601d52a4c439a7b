"""Editors of 享受政策, 公示, 项目资金台账: small forms whose rules are the services' own.

Each dialog builds a service call from its fields and runs it in one transaction through DbOps; a
ValidationError's Chinese messages show in red under the form and nothing is saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.money import parse_yuan, yuan
from fupin_desktop.domain.notices import (
    APPROVAL_MODES,
    APPROVAL_STEPS,
    ASSET_KINDS,
    COLLECTIVE_INCOME_SOURCES,
    FUND_SOURCES,
    NOTICE_KINDS,
    NOTICE_LISTS,
    NOTICE_PLACES,
    OBJECTION_OUTCOMES,
    PROJECT_TYPES,
)
from fupin_desktop.errors import FupinError, InputError, ValidationError
from fupin_desktop.services.benefits import (
    BenefitForm,
    household_choices,
    list_policies,
    member_choices,
    policy_default,
    save_benefit,
)
from fupin_desktop.services.notices import NoticeForm, NoticeItemForm, ObjectionForm, record_objection, save_notice
from fupin_desktop.services.projects import (
    AssetForm,
    CollectiveIncomeForm,
    FundForm,
    ProjectForm,
    SpendingForm,
    StepForm,
    add_spending,
    list_assets,
    list_projects,
    save_asset,
    save_collective_income,
    save_project,
    set_beneficiaries,
)
from fupin_desktop.ui import fit, permissions
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import ErrorLabel, OptionalDateEdit, YearBox, date_edit, day_of

if TYPE_CHECKING:  # ops gives the work a session; this page only names it
    from sqlalchemy.orm import Session


def find_data(box: QComboBox, value: object) -> int:
    """The index whose data equals `value` (QComboBox.findData compares Python objects by identity)."""
    return next((i for i in range(box.count()) if box.itemData(i) == value), -1)


def text_or_none(edit: QLineEdit) -> str | None:
    return edit.text().strip() or None


class FormDialog(QDialog):
    """A form in a scroll area, a red message area and 保存/取消. Subclasses give `operation()`:
    the service call to run, or raise InputError for a field typed wrong.

    For a user who may only look, the form shows as a view (permissions.restrict), e.g. after a
    double-click on a list."""

    def __init__(self, ops: Any, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        body = QWidget()
        body.setLayout(self.form)
        scroll = fit.scrolled(body, self)
        self.error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 40))

    def showEvent(self, event: QShowEvent) -> None:
        permissions.restrict(self, self._ops)  # once the subclass has built its fields
        super().showEvent(event)

    def operation(self) -> Callable[[Session], Any]:
        raise NotImplementedError

    def save(self) -> None:
        try:
            op = self.operation()
        except InputError as e:
            self.error.set_error(str(e))
            return
        self._ops.write(op, success=self._saved, failure=self._failed, parent=self)

    def _saved(self, value: Any) -> None:
        self.result_value = value
        self.accept()

    def _failed(self, error: FupinError) -> None:
        if isinstance(error, ValidationError):
            self.error.set_error("；".join(str(e) for e in error.errors))
        else:
            show_error(self, error)


def _amount(edit: QLineEdit, label: str = "金额") -> int:
    try:
        return parse_yuan(edit.text() or "0")
    except InputError as e:
        raise InputError(f"{label}：{e}") from None


class BenefitDialog(FormDialog):
    """登记/修改一条享受政策. The amount is prefilled from the catalogue's standard for the year."""

    def __init__(self, ops: Any, *, benefit_id: uuid.UUID | None = None, form: BenefitForm | None = None,
                 household_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ops, "修改享受政策" if benefit_id else "登记享受政策", parent)
        self._benefit_id = benefit_id
        self.household_box = QComboBox(self)
        self.household_box.setEditable(True)
        self.household_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.member_box = QComboBox(self)
        self.year_box = YearBox(self)
        self.policy_box = QComboBox(self)
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setPlaceholderText("元，如 8760 或 0.876万")
        self.basis = QLabel(self)
        self.basis.setWordWrap(True)
        self.basis.setStyleSheet("color: palette(placeholder-text);")
        self.standard_button = QPushButton("按标准填入", self)
        self.from_edit = OptionalDateEdit("填写", self)
        self.to_edit = OptionalDateEdit("填写", self)
        self.payer_edit = QLineEdit(self)
        self.paid_edit = OptionalDateEdit("已发放", self)
        self.proof_edit = QLineEdit(self)
        self.proof_edit.setPlaceholderText("一卡通流水号、批次、文件号或收据号")
        self.note_edit = QLineEdit(self)
        for label, widget in (("户", self.household_box), ("享受人", self.member_box), ("年度", self.year_box),
                              ("政策", self.policy_box), ("金额（元）", self.amount_edit), ("", self.basis),
                              ("", self.standard_button), ("享受期限自", self.from_edit), ("至", self.to_edit),
                              ("发放单位", self.payer_edit), ("发放日期", self.paid_edit), ("凭证", self.proof_edit),
                              ("备注", self.note_edit)):
            self.form.addRow(label, widget)
        self._suggested: int | None = None
        self._amount_is_suggestion = form is None  # typed amounts are never overwritten
        self.amount_edit.textEdited.connect(lambda _t: setattr(self, "_amount_is_suggestion", False))
        self._payer_is_default = form is None
        self.payer_edit.textEdited.connect(lambda _t: setattr(self, "_payer_is_default", False))
        self._form = form
        self._initial_household = form.household_id if form else household_id
        self.year_box.set_year(form.year if form else clock.today().year)
        if form is not None:
            self.amount_edit.setText(yuan(form.amount_fen, grouping=False))
            self.from_edit.set_value(form.period_from)
            self.to_edit.set_value(form.period_to)
            self.payer_edit.setText(form.payer or "")
            self.paid_edit.set_value(form.paid_on)
            self.proof_edit.setText(form.proof or "")
            self.note_edit.setText(form.note or "")
        ops.query(lambda s: (household_choices(s), list_policies(s)), success=self._fill_lists, parent=self)
        self.household_box.currentIndexChanged.connect(lambda _i: self._load_members())
        for signal in (self.policy_box.currentIndexChanged, self.year_box.currentIndexChanged,
                       self.member_box.currentIndexChanged):
            signal.connect(lambda *_a: self._show_standard())
        self.from_edit.changed.connect(self._show_standard)
        self.to_edit.changed.connect(self._show_standard)
        self.standard_button.clicked.connect(self._fill_standard)
        self.policy_box.currentIndexChanged.connect(lambda _i: self._default_payer())
        self._default_payer()

    def _fill_lists(self, lists: tuple[list[Any], list[Any]]) -> None:
        households, policies = lists
        self._policies = {p.code: p for p in policies}
        for p in policies:
            self.policy_box.addItem(f"{p.category}·{p.name}", p.code)
        for h in households:
            self.household_box.addItem(h.label, h.id)
        completer = QCompleter([h.label for h in households], self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.household_box.setCompleter(completer)
        if self._initial_household is not None:
            self.household_box.setCurrentIndex(max(0, find_data(self.household_box, self._initial_household)))
            self.household_box.setEnabled(self._benefit_id is None)
        if self._form is not None:
            self.policy_box.setCurrentIndex(max(0, self.policy_box.findData(self._form.policy_code)))
        self._load_members()

    def _load_members(self) -> None:
        hid = self.household_box.currentData()
        if hid is None:
            return
        self._ops.query(lambda s: member_choices(s, hid), success=self._fill_members, parent=self)

    def _fill_members(self, members: list[Any]) -> None:
        self.member_box.clear()
        self.member_box.addItem("（全户）", None)
        for m in members:
            self.member_box.addItem(m.label, m.id)
        if self._form is not None and self._form.member_id is not None:
            self.member_box.setCurrentIndex(max(0, find_data(self.member_box, self._form.member_id)))
        self._show_standard()

    def _default_payer(self) -> None:
        policy = getattr(self, "_policies", {}).get(self.policy_box.currentData())
        if policy is not None and (self._payer_is_default or not self.payer_edit.text().strip()):
            self.payer_edit.setText(policy.payer or "")

    def _show_standard(self) -> None:
        code, year = self.policy_box.currentData(), self.year_box.year()
        if code is None or year is None:
            return
        start, end = self.from_edit.value(), self.to_edit.value()
        months = (end.year - start.year) * 12 + end.month - start.month + 1 if start and end else None
        persons = 1 if self.member_box.currentData() else max(1, self.member_box.count() - 1)
        self._ops.query(lambda s: policy_default(s, code, year, months=months, persons=persons),
                        success=self._standard_shown, parent=self)

    def _standard_shown(self, default: Any) -> None:
        self._suggested = default.amount_fen
        if default.amount_fen is None:
            self.basis.setText(default.basis)
        else:
            self.basis.setText(f"标准：{default.basis} = {yuan(default.amount_fen)}元")
        self.standard_button.setEnabled(default.amount_fen is not None)
        if self._amount_is_suggestion or not self.amount_edit.text().strip():
            self.amount_edit.setText(yuan(default.amount_fen, grouping=False))
            self._amount_is_suggestion = True

    def _fill_standard(self) -> None:
        if self._suggested is not None:
            self.amount_edit.setText(yuan(self._suggested, grouping=False))

    def benefit_form(self) -> BenefitForm:
        hid = self.household_box.currentData()
        if hid is None:
            raise InputError("请选择户")
        return BenefitForm(hid, self.year_box.year() or 0, self.policy_box.currentData() or "",
                           _amount(self.amount_edit), self.member_box.currentData(), self.from_edit.value(),
                           self.to_edit.value(), text_or_none(self.payer_edit), self.paid_edit.value(),
                           text_or_none(self.proof_edit), text_or_none(self.note_edit))

    def operation(self) -> Callable[[Session], Any]:
        form, benefit_id = self.benefit_form(), self._benefit_id
        return lambda s: save_benefit(s, benefit_id, form)


class NoticeDialog(FormDialog):
    """新建或修改公示. A posted notice is never changed: saving makes a new version (reason required)."""

    def __init__(self, ops: Any, *, notice_id: uuid.UUID | None = None, form: NoticeForm | None = None,
                 posted: bool = False, parent: QWidget | None = None) -> None:
        title = "更正公示（另起新版本）" if posted else "修改公示草稿" if notice_id else "新建公示"
        super().__init__(ops, title, parent)
        self._notice_id = notice_id
        self._form = form
        self.kind_box = QComboBox(self)
        self.kind_box.addItems(list(NOTICE_KINDS))
        self.title_edit = QLineEdit(self)
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setMinimumHeight(self.fontMetrics().height() * 6)
        self.place_box = QComboBox(self)
        self.place_box.setEditable(True)
        self.place_box.addItems(list(NOTICE_PLACES))
        self.days_box = QSpinBox(self)
        self.days_box.setRange(1, 90)
        self.days_box.setValue(7)
        self.days_box.setSuffix(" 天")
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("筛选：户编号、户主姓名或项目名称")
        self.items_list = QListWidget(self)
        self.items_list.setMinimumHeight(self.fontMetrics().height() * 10)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText("如：金额写错，更正后重新公示")
        rows = [("类别", self.kind_box), ("标题", self.title_edit), ("公示内容", self.body_edit),
                ("张贴地点", self.place_box), ("公示天数", self.days_box), ("公示名单", self.filter_edit),
                ("", self.items_list)]
        if posted:
            rows.append(("更正原因", self.reason_edit))
            note = QLabel("此公示已张贴，原版本保留不变；保存后生成新版本草稿，张贴新版本时原版本同日揭下。")
            note.setWordWrap(True)
            note.setStyleSheet("color: #b4232c;")
            self.form.addRow(note)
        for label, widget in rows:
            self.form.addRow(label, widget)
        self.filter_edit.textChanged.connect(self._filter)
        self.kind_box.currentIndexChanged.connect(lambda _i: self._filter(self.filter_edit.text()))
        if form is not None:
            self.kind_box.setCurrentText(form.kind)
            self.title_edit.setText(form.title)
            self.body_edit.setPlainText(form.body)
            self.place_box.setCurrentText(form.place)
            self.days_box.setValue(form.planned_days)
        ops.query(lambda s: (household_choices(s), list_projects(s)), success=self._fill_items, parent=self)
        fit.fit_to_screen(self, QSize(self.width(), 640))

    def _fill_items(self, lists: tuple[list[Any], list[Any]]) -> None:
        households, projects = lists
        chosen = {(i.household_id, i.project_id): i for i in (self._form.items if self._form else [])}
        for h in households:
            self._add_item(h.label, ("户", h.id), (h.id, None) in chosen)
        for p in projects:
            self._add_item(f"项目：{p.year} {p.name}", ("项目", p.id), (None, p.id) in chosen)
        self._chosen = chosen
        self._filter(self.filter_edit.text())

    def _add_item(self, label: str, data: tuple[str, uuid.UUID], checked: bool) -> None:
        item = QListWidgetItem(label, self.items_list)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _filter(self, text: str) -> None:
        wants = NOTICE_LISTS.get(self.kind_box.currentText(), "")
        for row in range(self.items_list.count()):
            item = self.items_list.item(row)
            kind, _id = item.data(Qt.ItemDataRole.UserRole)
            hidden = (bool(wants) and kind != wants and item.checkState() != Qt.CheckState.Checked) or (
                bool(text.strip()) and text.strip() not in item.text())
            item.setHidden(hidden)

    def notice_form(self) -> NoticeForm:
        items = []
        chosen = getattr(self, "_chosen", {})
        for row in range(self.items_list.count()):
            item = self.items_list.item(row)
            if item.checkState() != Qt.CheckState.Checked:
                continue
            kind, id_ = item.data(Qt.ItemDataRole.UserRole)
            key = (id_, None) if kind == "户" else (None, id_)
            old = chosen.get(key)
            items.append(NoticeItemForm(household_id=key[0], project_id=key[1],
                                        amount_fen=old.amount_fen if old else None, note=old.note if old else None))
        return NoticeForm(self.kind_box.currentText(), self.title_edit.text(), self.body_edit.toPlainText(),
                          self.place_box.currentText(), self.days_box.value(), items,
                          self.reason_edit.text().strip() or None)

    def operation(self) -> Callable[[Session], Any]:
        form, notice_id = self.notice_form(), self._notice_id
        return lambda s: save_notice(s, notice_id, form)


class DateDialog(FormDialog):
    """Pick a date (张贴, 揭下, 明白栏张贴) and run `op(session, day)`; optional extra text fields."""

    def __init__(self, ops: Any, title: str, label: str, op: Callable[..., Any], *,
                 texts: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(ops, title, parent)
        self._op = op
        self.date_edit = date_edit(parent=self)
        self.form.addRow(label, self.date_edit)
        self.text_edits = []
        for text in texts:
            edit = QLineEdit(self)
            self.form.addRow(text, edit)
            self.text_edits.append(edit)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 30))

    def operation(self) -> Callable[[Session], Any]:
        day = day_of(self.date_edit)
        texts = [e.text() for e in self.text_edits]
        return lambda s: self._op(s, day, *texts)


class ObjectionDialog(FormDialog):
    """登记公示异议, or give an objection its answer."""

    def __init__(self, ops: Any, notice_id: uuid.UUID, *, objection: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, "答复异议" if objection else "登记异议", parent)
        self._notice_id = notice_id
        self._objection_id = objection.id if objection else None
        self.received_edit = date_edit(objection.received_on if objection else None, self)
        self.raised_edit = QLineEdit(self)
        self.raised_edit.setPlaceholderText("可匿名")
        self.content_edit = QPlainTextEdit(self)
        self.answer_edit = QPlainTextEdit(self)
        self.answered_edit = OptionalDateEdit("已答复", self)
        self.by_edit = QLineEdit(self)
        self.outcome_box = QComboBox(self)
        self.outcome_box.addItem("", None)
        for o in OBJECTION_OUTCOMES:
            self.outcome_box.addItem(o, o)
        for label, widget in (("收到日期", self.received_edit), ("反映人", self.raised_edit),
                              ("异议内容", self.content_edit), ("答复内容", self.answer_edit),
                              ("答复日期", self.answered_edit), ("答复人", self.by_edit),
                              ("处理结果", self.outcome_box)):
            self.form.addRow(label, widget)
        if objection is not None:
            self.raised_edit.setText(objection.raised_by or "")
            self.content_edit.setPlainText(objection.content)
            self.answer_edit.setPlainText(objection.answer or "")
            self.answered_edit.set_value(objection.answered_on)
            self.by_edit.setText(objection.answered_by or "")
            self.outcome_box.setCurrentIndex(max(0, self.outcome_box.findData(objection.outcome)))

    def operation(self) -> Callable[[Session], Any]:
        form = ObjectionForm(day_of(self.received_edit), self.content_edit.toPlainText(),
                             text_or_none(self.raised_edit), self.answer_edit.toPlainText().strip() or None,
                             self.answered_edit.value(), text_or_none(self.by_edit), self.outcome_box.currentData())
        notice_id, objection_id = self._notice_id, self._objection_id
        return lambda s: record_objection(s, notice_id, form, objection_id=objection_id)


class ProjectDialog(FormDialog):
    """新建/编辑项目: basics, contract, dates, fund sources (one row each) and the approval steps."""

    def __init__(self, ops: Any, *, project_id: uuid.UUID | None = None, form: ProjectForm | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, "编辑项目" if project_id else "新建项目", parent)
        self._project_id = project_id
        self.name_edit = QLineEdit(self)
        self.year_box = YearBox(self)
        self.year_box.set_year(clock.today().year)
        self.type_box = QComboBox(self)
        self.type_box.addItems(list(PROJECT_TYPES))
        self.mode_box = QComboBox(self)
        self.mode_box.addItems(list(APPROVAL_MODES))
        self.implementer_edit, self.contractor_edit, self.contract_no_edit = QLineEdit(self), QLineEdit(self), \
            QLineEdit(self)
        self.contract_edit = QLineEdit(self)
        self.signed_edit, self.started_edit, self.completed_edit = (OptionalDateEdit("填写", self) for _ in range(3))
        self.link_edit, self.note_edit = QLineEdit(self), QLineEdit(self)
        self.fund_edits: dict[str, tuple[QLineEdit, QLineEdit]] = {}
        funds = QGridLayout()
        for row, source in enumerate(FUND_SOURCES):
            amount, doc = QLineEdit(self), QLineEdit(self)
            amount.setPlaceholderText("元")
            doc.setPlaceholderText("资金文号")
            funds.addWidget(QLabel(source), row, 0)
            funds.addWidget(amount, row, 1)
            funds.addWidget(doc, row, 2)
            self.fund_edits[source] = (amount, doc)
        self.steps_box = QWidget(self)
        self.steps_layout = QFormLayout(self.steps_box)
        self.step_edits: dict[str, OptionalDateEdit] = {}
        for label, widget in (("项目名称", self.name_edit), ("年度", self.year_box), ("类型", self.type_box),
                              ("决策程序", self.mode_box), ("实施单位", self.implementer_edit),
                              ("承建方", self.contractor_edit), ("合同编号", self.contract_no_edit),
                              ("合同金额（元）", self.contract_edit), ("合同签订", self.signed_edit),
                              ("开工日期", self.started_edit), ("完工日期", self.completed_edit),
                              ("带贫机制", self.link_edit), ("备注", self.note_edit)):
            self.form.addRow(label, widget)
        funds_widget = QWidget(self)
        funds_widget.setLayout(funds)
        self.form.addRow("资金来源", funds_widget)
        self.form.addRow("审批步骤", self.steps_box)
        self.mode_box.currentIndexChanged.connect(lambda _i: self._build_steps({}))
        held: dict[str, date] = {}
        if form is not None:
            self.name_edit.setText(form.name)
            self.year_box.set_year(form.year)
            self.type_box.setCurrentText(form.type)
            self.mode_box.setCurrentText(form.approval_mode)
            for edit, value in ((self.implementer_edit, form.implementer), (self.contractor_edit, form.contractor),
                                (self.contract_no_edit, form.contract_no), (self.link_edit, form.poverty_link),
                                (self.note_edit, form.note)):
                edit.setText(value or "")
            self.contract_edit.setText(yuan(form.contract_fen, grouping=False))
            self.signed_edit.set_value(form.contract_signed_on)
            self.started_edit.set_value(form.started_on)
            self.completed_edit.set_value(form.completed_on)
            for f in form.funds:
                if f.source in self.fund_edits:
                    self.fund_edits[f.source][0].setText(yuan(f.amount_fen, grouping=False))
                    self.fund_edits[f.source][1].setText(f.document or "")
            held = {s.step: s.held_on for s in form.steps}
        self._build_steps(held)
        fit.fit_to_screen(self, QSize(self.width() + 80, 720))

    def _build_steps(self, held: dict[str, date]) -> None:
        while self.steps_layout.rowCount():
            self.steps_layout.removeRow(0)
        self.step_edits = {}
        for step in APPROVAL_STEPS[self.mode_box.currentText()]:
            edit = OptionalDateEdit("已进行", self.steps_box)
            edit.set_value(held.get(step))
            self.steps_layout.addRow(step, edit)
            self.step_edits[step] = edit

    def project_form(self) -> ProjectForm:
        funds = [FundForm(source, _amount(amount, source), doc.text().strip() or None)
                 for source, (amount, doc) in self.fund_edits.items() if amount.text().strip()]
        steps = [StepForm(step, edit.value()) for step, edit in self.step_edits.items()  # type: ignore[arg-type]
                 if edit.value() is not None]
        contract = _amount(self.contract_edit, "合同金额") if self.contract_edit.text().strip() else None
        return ProjectForm(self.year_box.year() or 0, self.type_box.currentText(), self.name_edit.text(),
                           self.mode_box.currentText(), funds, steps, text_or_none(self.implementer_edit),
                           text_or_none(self.contract_no_edit), text_or_none(self.contractor_edit), contract,
                           self.signed_edit.value(), self.started_edit.value(), self.completed_edit.value(),
                           text_or_none(self.link_edit), text_or_none(self.note_edit))

    def operation(self) -> Callable[[Session], Any]:
        form, project_id = self.project_form(), self._project_id
        return lambda s: save_project(s, project_id, form, keep_notes=True)


class SpendingDialog(FormDialog):
    """登记一笔支出; above the source's budget the reason is required."""

    def __init__(self, ops: Any, project_id: uuid.UUID, sources: list[str], parent: QWidget | None = None) -> None:
        super().__init__(ops, "登记支出", parent)
        self._project_id = project_id
        self.source_box = QComboBox(self)
        self.source_box.addItems(sources + [s for s in FUND_SOURCES if s not in sources])
        self.paid_edit = date_edit(parent=self)
        self.amount_edit = QLineEdit(self)
        self.payee_edit, self.purpose_edit, self.voucher_edit = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText("超出该来源预算时必填，如追加预算文号和会议决定")
        for label, widget in (("资金来源", self.source_box), ("支付日期", self.paid_edit),
                              ("金额（元）", self.amount_edit), ("收款方", self.payee_edit),
                              ("用途", self.purpose_edit), ("报账凭证号", self.voucher_edit),
                              ("超预算原因", self.reason_edit)):
            self.form.addRow(label, widget)

    def operation(self) -> Callable[[Session], Any]:
        form = SpendingForm(self.source_box.currentText(), day_of(self.paid_edit),
                            _amount(self.amount_edit), text_or_none(self.payee_edit), text_or_none(self.purpose_edit),
                            text_or_none(self.voucher_edit), text_or_none(self.reason_edit))
        project_id = self._project_id
        return lambda s: add_spending(s, project_id, form)


class CollectiveIncomeDialog(FormDialog):
    """登记村集体经济收入 (by source, optionally from an asset, with its distribution)."""

    def __init__(self, ops: Any, parent: QWidget | None = None) -> None:
        super().__init__(ops, "登记村集体经济收入", parent)
        self.year_box = YearBox(self)
        self.year_box.set_year(clock.today().year)
        self.source_box = QComboBox(self)
        self.source_box.addItems(list(COLLECTIVE_INCOME_SOURCES))
        self.amount_edit = QLineEdit(self)
        self.asset_box = QComboBox(self)
        self.asset_box.addItem("（无）", None)
        self.received_edit = OptionalDateEdit("已到账", self)
        self.distribution_edit = QLineEdit(self)
        self.distribution_edit.setPlaceholderText("如 60%分红到户，40%设公益岗和防返贫救助金")
        self.note_edit = QLineEdit(self)
        for label, widget in (("年度", self.year_box), ("来源", self.source_box), ("金额（元）", self.amount_edit),
                              ("来自资产", self.asset_box), ("到账日期", self.received_edit),
                              ("收益分配", self.distribution_edit), ("备注", self.note_edit)):
            self.form.addRow(label, widget)
        ops.query(list_assets, success=self._fill_assets, parent=self)

    def _fill_assets(self, assets: list[Any]) -> None:
        for a in assets:
            self.asset_box.addItem(a.name, a.id)

    def operation(self) -> Callable[[Session], Any]:
        form = CollectiveIncomeForm(self.year_box.year() or 0, self.source_box.currentText(),
                                    _amount(self.amount_edit), self.asset_box.currentData(),
                                    self.received_edit.value(), text_or_none(self.distribution_edit),
                                    text_or_none(self.note_edit))
        return lambda s: save_collective_income(s, None, form)


class AssetDialog(FormDialog):
    """登记扶贫资产: ownership (确权), upkeep (管护) and operation, optionally of a project."""

    def __init__(self, ops: Any, *, project_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ops, "登记扶贫资产", parent)
        self.name_edit = QLineEdit(self)
        self.kind_box = QComboBox(self)
        self.kind_box.addItems(list(ASSET_KINDS))
        self.value_edit = QLineEdit(self)
        self.owner_edit = QLineEdit(self)
        self.owner_edit.setPlaceholderText("如 新沟村股份经济合作社")
        self.project_box = QComboBox(self)
        self.project_box.addItem("（不属于项目）", None)
        self.confirmed_edit = OptionalDateEdit("已确权", self)
        self.custodian_edit, self.phone_edit = QLineEdit(self), QLineEdit(self)
        self.operator_edit, self.location_edit, self.note_edit = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        for label, widget in (("资产名称", self.name_edit), ("类别", self.kind_box), ("金额（元）", self.value_edit),
                              ("产权归属", self.owner_edit), ("所属项目", self.project_box),
                              ("确权日期", self.confirmed_edit), ("管护责任人", self.custodian_edit),
                              ("管护人电话", self.phone_edit), ("运营主体", self.operator_edit),
                              ("位置", self.location_edit), ("备注", self.note_edit)):
            self.form.addRow(label, widget)
        self._project_id = project_id
        ops.query(list_projects, success=self._fill_projects, parent=self)

    def _fill_projects(self, projects: list[Any]) -> None:
        for p in projects:
            self.project_box.addItem(f"{p.year} {p.name}", p.id)
        if self._project_id is not None:
            self.project_box.setCurrentIndex(max(0, find_data(self.project_box, self._project_id)))

    def operation(self) -> Callable[[Session], Any]:
        form = AssetForm(self.name_edit.text(), self.kind_box.currentText(), _amount(self.value_edit, "资产金额"),
                         self.owner_edit.text(), self.project_box.currentData(), self.confirmed_edit.value(),
                         text_or_none(self.custodian_edit), text_or_none(self.phone_edit),
                         text_or_none(self.operator_edit), text_or_none(self.location_edit),
                         text_or_none(self.note_edit))
        return lambda s: save_asset(s, None, form)


class BeneficiariesDialog(FormDialog):
    """受益户: tick the households a project benefits, and say how."""

    def __init__(self, ops: Any, project_id: uuid.UUID, current: Sequence[tuple[uuid.UUID, str, str | None]],
                 parent: QWidget | None = None) -> None:
        super().__init__(ops, "项目受益户", parent)
        self._project_id = project_id
        self._current = {hid: how for hid, _label, how in current}
        self.how_edit = QLineEdit(self)
        self.how_edit.setPlaceholderText("受益方式，如 安全饮水、务工、资产收益分红")
        self.how_edit.setText(next((h for h in self._current.values() if h), ""))
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("筛选：户编号或户主姓名")
        self.list = QListWidget(self)
        self.list.setMinimumHeight(self.fontMetrics().height() * 16)
        self.form.addRow("受益方式", self.how_edit)
        self.form.addRow("筛选", self.filter_edit)
        self.form.addRow(self.list)
        self.filter_edit.textChanged.connect(self._filter)
        ops.query(household_choices, success=self._fill, parent=self)

    def _fill(self, households: list[Any]) -> None:
        for h in households:
            item = QListWidgetItem(h.label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if h.id in self._current else Qt.CheckState.Unchecked)

    def _filter(self, text: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(text.strip()) and text.strip() not in item.text())

    def operation(self) -> Callable[[Session], Any]:
        how = text_or_none(self.how_edit)
        chosen = {}
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                hid = item.data(Qt.ItemDataRole.UserRole)
                chosen[hid] = self._current.get(hid) or how
        project_id = self._project_id
        return lambda s: set_beneficiaries(s, project_id, chosen)
