"""Add or edit one cadre (第一书记, 工作队员, 帮扶责任人, 两委 …): load → read form → save → accept.

The rules are the core's: `check_cadre` runs as fields are finished (a wrong phone number shows at
once), `save_cadre` decides on saving (it also knows the names already taken).
"""

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.vocab import CADRE_ROLES
from fupin_desktop.errors import FieldError, FupinError, ValidationError
from fupin_desktop.services.cadres import CadreForm, check_cadre, save_cadre
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import ErrorLabel, OptionalDateEdit, choice, choice_box, set_choice, with_error
from fupin_desktop.ui.ops import DbOps


class CadreDialog(QDialog):
    """The cadre form. `saved_id` holds the cadre's id after a successful save."""

    def __init__(self, ops: DbOps, cadre_id: uuid.UUID | None = None, form: CadreForm | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._cadre_id = cadre_id
        self._touched: set[str] = set()
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle(self.tr("编辑人员") if cadre_id else self.tr("添加人员"))
        self.name_edit = QLineEdit(self)
        self.role_box: QComboBox = choice_box(CADRE_ROLES, empty=self.tr("（请选择）"), parent=self)
        self.unit_edit = QLineEdit(self)
        self.unit_edit.setPlaceholderText(self.tr("派驻单位或工作单位，如 荥阳市农业农村局"))
        self.position_edit = QLineEdit(self)
        self.position_edit.setPlaceholderText(self.tr("如 四级主任科员、村委会委员"))
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setPlaceholderText(self.tr("手机11位，固话带区号"))
        self.started_edit = OptionalDateEdit(self.tr("填写"), self)
        self.ended_edit = OptionalDateEdit(self.tr("填写"), self)
        self.errors = {name: ErrorLabel(self) for name in ("name", "role", "phone", "started_on", "ended_on")}
        self.form_error = ErrorLabel(self)  # problems that belong to no single input
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._build_layout()
        self._connect()
        if form is not None:
            self.set_form(form)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字" * 36))

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        rows = ((self.tr("姓名"), self.name_edit, "name"), (self.tr("身份"), self.role_box, "role"),
                (self.tr("单位"), self.unit_edit, None), (self.tr("职务"), self.position_edit, None),
                (self.tr("联系电话"), self.phone_edit, "phone"), (self.tr("到任日期"), self.started_edit, "started_on"),
                (self.tr("离任日期"), self.ended_edit, "ended_on"))
        for text, widget, error in rows:
            form.addRow(text, with_error(widget, self.errors[error]) if error else widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.name_edit.editingFinished.connect(lambda: self._finished("name"))
        self.phone_edit.editingFinished.connect(lambda: self._finished("phone"))
        self.role_box.currentIndexChanged.connect(lambda _i: self._finished("role"))
        self.ended_edit.changed.connect(lambda: self._finished("ended_on"))
        self.started_edit.changed.connect(lambda: self._finished("ended_on"))
        for edit, name in ((self.name_edit, "name"), (self.phone_edit, "phone")):
            edit.textEdited.connect(lambda _text, n=name: self.errors[n].set_error(None))

    def set_form(self, form: CadreForm) -> None:
        self.name_edit.setText(form.name)
        set_choice(self.role_box, form.role)
        self.unit_edit.setText(form.unit or "")
        self.position_edit.setText(form.position or "")
        self.phone_edit.setText(form.phone or "")
        self.started_edit.set_value(form.started_on)
        self.ended_edit.set_value(form.ended_on)
        self._touched.clear()
        self.show_errors([])

    def form(self) -> CadreForm:
        return CadreForm(name=self.name_edit.text(), role=choice(self.role_box) or "", unit=self.unit_edit.text(),
                         position=self.position_edit.text(), phone=self.phone_edit.text(),
                         started_on=self.started_edit.value(), ended_on=self.ended_edit.value())

    def _finished(self, name: str) -> None:
        """A field was left: show the core's verdict on the fields finished so far."""
        self._touched.add(name)
        errors = [e for e in check_cadre(self.form()) if e.field in self._touched]
        self.show_errors(errors)

    def show_errors(self, errors: list[FieldError]) -> None:
        by_field: dict[str, list[str]] = {}
        for e in errors:
            by_field.setdefault(e.field if e.field in self.errors else "", []).append(e.message)
        for name, label in self.errors.items():
            label.set_error("；".join(by_field.get(name, [])) or None)
        self.form_error.set_error("；".join(by_field.get("", [])) or None)

    def save(self) -> None:
        form = self.form()
        self._touched.update(self.errors)
        self._ops.write(lambda s: save_cadre(s, self._cadre_id, form), success=self._saved, parent=self,
                        failure=self._failed)

    def _saved(self, cadre_id: uuid.UUID) -> None:
        self.saved_id = cadre_id
        self.accept()

    def _failed(self, error: FupinError) -> None:
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
            first = next((e.field for e in error.errors if e.field in self.errors), None)
            widget = {"name": self.name_edit, "role": self.role_box, "phone": self.phone_edit}.get(first or "")
            if widget is not None:
                widget.setFocus()
        else:
            show_error(self, error)
