"""Dialogs of the 台账 page: a problem (add/edit), 销号 (evidence + verifier), a filed leave."""

import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.visits import LEAVE_KINDS, LEDGER_CATEGORIES, LEDGER_LEVELS, LEDGER_SOURCES
from fupin_desktop.errors import FupinError, ValidationError
from fupin_desktop.services.attachments import PreparedFile, prepare_file
from fupin_desktop.services.forms import LedgerDialogData
from fupin_desktop.services.ledger import LedgerForm, LedgerRow, close_ledger_item, save_ledger_item
from fupin_desktop.services.presence import LeaveForm, record_leave
from fupin_desktop.services.visits import find_households
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import (
    ErrorLabel,
    OptionalDateEdit,
    choice,
    choice_box,
    date_edit,
    day_of,
    qdate,
    set_choice,
)
from fupin_desktop.ui.ops import DbOps


def _errors_text(error: FupinError) -> str:
    if isinstance(error, ValidationError):
        return "\n".join(str(e) for e in error.errors)
    return str(error)


class LedgerItemDialog(QDialog):
    """Add or edit one problem of the rectification ledger."""

    def __init__(self, ops: DbOps, data: LedgerDialogData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._row = data.row
        self.setWindowTitle(self.tr("编辑整改问题 {n}").format(n=data.row.number) if data.row
                            else self.tr("新增整改问题"))
        self.source_box = choice_box(LEDGER_SOURCES, empty=self.tr("（请选择）"), parent=self)
        self.received_edit = date_edit(parent=self)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.category_box = choice_box(LEDGER_CATEGORIES, empty=self.tr("（请选择）"), parent=self)
        self.level_box = choice_box(LEDGER_LEVELS, parent=self)
        self.level_box.removeItem(0)
        self.household_search = QLineEdit(self)
        self.household_search.setPlaceholderText(self.tr("户编号、姓名或拼音首字母，回车查找"))
        self.household_box = QComboBox(self)
        self.household_box.addItem(self.tr("（不涉及具体农户）"), None)
        self.household_box.setMinimumContentsLength(16)
        self.responsible_box = QComboBox(self)
        self.responsible_box.addItem(self.tr("（未指定）"), None)
        for cadre_id, name, role in data.cadres:
            self.responsible_box.addItem(f"{name}（{role}）", cadre_id)
        self.measure_edit = QLineEdit(self)
        self.measure_edit.setPlaceholderText(self.tr("整改措施"))
        self.deadline_edit = OptionalDateEdit(self.tr("限期"), self)
        self.error_label = ErrorLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        pick = QHBoxLayout()
        pick.addWidget(self.household_search, 1)
        pick.addWidget(self.household_box, 1)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for label, widget in ((self.tr("问题来源"), self.source_box), (self.tr("发现日期"), self.received_edit),
                              (self.tr("问题描述"), self.description_edit), (self.tr("问题类别"), self.category_box),
                              (self.tr("问题层级"), self.level_box), (self.tr("所涉农户"), pick),
                              (self.tr("责任人"), self.responsible_box), (self.tr("整改措施"), self.measure_edit),
                              (self.tr("整改期限"), self.deadline_edit)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.household_search.returnPressed.connect(self._search)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 44))
        if data.row:
            self._fill(data.row)

    def _search(self) -> None:
        text = self.household_search.text()
        self._ops.query(lambda s: find_households(s, text), success=self._matches, parent=self)

    def _matches(self, matches: list[tuple[uuid.UUID, str]]) -> None:
        current = self.household_box.currentData()
        self.household_box.clear()
        self.household_box.addItem(self.tr("（不涉及具体农户）"), None)
        for household_id, label in matches:
            self.household_box.addItem(label, household_id)
        index = self.household_box.findData(current)
        self.household_box.setCurrentIndex(1 if matches else max(0, index))

    def _fill(self, r: LedgerRow) -> None:
        set_choice(self.source_box, r.source)
        self.received_edit.setDate(qdate(r.received_on))
        self.description_edit.setPlainText(r.description)
        set_choice(self.category_box, r.category)
        set_choice(self.level_box, r.level)
        if r.household_id:
            self.household_box.addItem(r.household or "", r.household_id)
            self.household_box.setCurrentIndex(self.household_box.count() - 1)
        self.responsible_box.setCurrentIndex(max(0, self.responsible_box.findData(r.responsible_id)))
        self.measure_edit.setText(r.measure or "")
        self.deadline_edit.set_value(r.deadline)

    def form(self) -> LedgerForm:
        return LedgerForm(source=choice(self.source_box) or "", description=self.description_edit.toPlainText(),
                          category=choice(self.category_box) or "", level=self.level_box.currentData() or "户级",
                          received_on=day_of(self.received_edit),
                          household_id=self.household_box.currentData(),
                          responsible_id=self.responsible_box.currentData(), measure=self.measure_edit.text(),
                          deadline=self.deadline_edit.value())

    def save(self) -> None:
        form, item_id = self.form(), self._row.id if self._row else None
        self._ops.write(lambda s: save_ledger_item(s, item_id, form), success=lambda _id: self.accept(), parent=self,
                        failure=lambda e: self.error_label.set_error(_errors_text(e)))


class CloseDialog(QDialog):
    """销号: evidence (files and/or a written 佐证说明) and a verifier are required."""

    def __init__(self, ops: DbOps, row: LedgerRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._row = row
        self._files: list[PreparedFile] = []
        self.setWindowTitle(self.tr("销号 {n}").format(n=row.number))
        self.evidence_edit = QPlainTextEdit(self)
        self.evidence_edit.setPlaceholderText(self.tr("整改佐证说明：做了什么、有哪些材料（如“已办理慢性病卡，卡号…”）"))
        self.evidence_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.files_list = QListWidget(self)
        self.files_list.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        add = QPushButton(self.tr("添加佐证照片/文件…"), self)
        add.clicked.connect(self.choose_files)
        self.verifier_edit = QLineEdit(self)
        self.verifier_edit.setPlaceholderText(self.tr("验收人，如 汜水镇扶贫办 刘建华"))
        self.closed_edit = date_edit(parent=self)
        self.closed_edit.setMaximumDate(qdate(clock.today()))
        self.error_label = ErrorLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("销号"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("问题"), QLineEdit(row.description, readOnly=True))
        form.addRow(self.tr("佐证说明"), self.evidence_edit)
        form.addRow(self.tr("佐证材料"), self.files_list)
        form.addRow("", add)
        form.addRow(self.tr("验收人"), self.verifier_edit)
        form.addRow(self.tr("销号日期"), self.closed_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 40))

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择佐证照片或文件"))
        self.add_files([Path(f) for f in files])

    def add_files(self, files: list[Path]) -> None:
        for path in files:
            try:
                self._files.append(prepare_file(path))
            except FupinError as e:
                show_error(self, e)
                continue
            self.files_list.addItem(path.name)

    def save(self) -> None:
        row, files = self._row, list(self._files)
        note, verifier = self.evidence_edit.toPlainText(), self.verifier_edit.text()
        closed = day_of(self.closed_edit)
        self._ops.write(lambda s: close_ledger_item(s, row.id, verifier=verifier, evidence_note=note,
                                                    evidence_files=files, closed_on=closed),
                        success=lambda _r: self.accept(), parent=self,
                        failure=lambda e: self.error_label.set_error(_errors_text(e)))


class LeaveDialog(QDialog):
    """登记请假 (离队备案) for one cadre."""

    def __init__(self, ops: DbOps, cadre_id: uuid.UUID, cadre_name: str, start: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._cadre_id = cadre_id
        self.setWindowTitle(self.tr("登记请假（离队备案）— {name}").format(name=cadre_name))
        self.kind_box = choice_box(LEAVE_KINDS, parent=self)
        self.kind_box.removeItem(0)
        self.start_edit = date_edit(start, self)
        self.end_edit = date_edit(start, self)
        self.reason_edit = QLineEdit(self)
        self.filed_with_edit = QLineEdit(self)
        self.filed_with_edit.setPlaceholderText(self.tr("备案单位或审批人，如 汜水镇党委组织办"))
        self.error_label = ErrorLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        for label, widget in ((self.tr("假别"), self.kind_box), (self.tr("开始日期"), self.start_edit),
                              (self.tr("结束日期"), self.end_edit), (self.tr("事由"), self.reason_edit),
                              (self.tr("备案"), self.filed_with_edit)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 30))

    def save(self) -> None:
        form = LeaveForm(self.kind_box.currentData() or "", day_of(self.start_edit),
                         day_of(self.end_edit), self.reason_edit.text(),
                         self.filed_with_edit.text())
        cadre_id = self._cadre_id
        self._ops.write(lambda s: record_leave(s, cadre_id, form), success=lambda _id: self.accept(), parent=self,
                        failure=lambda e: self.error_label.set_error(_errors_text(e)))
