"""Add or edit one cadre (第一书记, 工作队员, 帮扶责任人, 两委 …): load → read form → save → accept.

The rules are the core's: `check_cadre` runs as fields are finished (a wrong phone number shows at
once), `save_cadre` decides on saving (it also knows the names already taken).

The photo (printed on the 明白栏) is checked when chosen (a file that is not a photo says so and
changes nothing) and saved with the form, in the same transaction; 取消 keeps the old one.
"""

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.vocab import CADRE_ROLES
from fupin_desktop.errors import FieldError, FupinError, ValidationError
from fupin_desktop.services.attachments import AttachmentRow, PreparedFile, ensure_thumbnail, prepare_photo
from fupin_desktop.services.cadres import CadreForm, check_cadre, save_cadre
from fupin_desktop.ui import permissions
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import ErrorLabel, OptionalDateEdit, choice, choice_box, set_choice, with_error
from fupin_desktop.ui.ops import DbOps

PHOTO_FILTER = "照片 (*.jpg *.jpeg *.png);;所有文件 (*)"
PREVIEW_W, PREVIEW_H = 88, 120  # the 22:30 shape of the frame on the board


class CadreDialog(QDialog):
    """The cadre form. `saved_id` holds the cadre's id after a successful save.

    `photo` is the cadre's saved photo, if any (CadreRow.photo).
    """

    def __init__(self, ops: DbOps, cadre_id: uuid.UUID | None = None, form: CadreForm | None = None,
                 parent: QWidget | None = None, *, photo: AttachmentRow | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._cadre_id = cadre_id
        self._touched: set[str] = set()
        self.saved_id: uuid.UUID | None = None
        self._saved_photo = photo
        self.new_photo: PreparedFile | None = None  # chosen, not saved yet
        self.photo_removed = False  # 移除照片 clicked: the saved photo goes on saving
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
        self.photo_label = QLabel(self)
        self.photo_label.setFixedSize(PREVIEW_W, PREVIEW_H)
        self.photo_label.setFrameShape(QFrame.Shape.Box)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choose_photo_button = QPushButton(self.tr("选择照片…"), self)
        self.choose_photo_button.setToolTip(self.tr("JPG或PNG照片，打印在明白栏上；宜用正面免冠照"))
        self.remove_photo_button = QPushButton(self.tr("移除照片"), self)
        permissions.write_action(self.choose_photo_button, self.remove_photo_button)
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
        self._show_photo()
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
        photo_buttons = QVBoxLayout()
        photo_buttons.addWidget(self.choose_photo_button)
        photo_buttons.addWidget(self.remove_photo_button)
        photo_buttons.addStretch(1)
        photo = QHBoxLayout()
        photo.addWidget(self.photo_label)
        photo.addLayout(photo_buttons)
        photo.addStretch(1)
        form.addRow(self.tr("照片"), photo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.choose_photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button.clicked.connect(self.remove_photo)
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

    # -- the photo ------------------------------------------------------------------------------------

    def choose_photo(self) -> None:
        file, _ = QFileDialog.getOpenFileName(self, self.tr("选择照片（U盘、手机文件夹）"), "", self.tr(PHOTO_FILTER))
        if file:
            self.set_photo_file(Path(file))

    def set_photo_file(self, path: Path) -> bool:
        """Check the file now: a photo is shown (and saved with the form); anything else says why
        and changes nothing."""
        try:
            prepared = prepare_photo(path)
        except FupinError as e:
            show_error(self, e)
            return False
        self.new_photo, self.photo_removed = prepared, False
        self._show_photo()
        return True

    def remove_photo(self) -> None:
        self.new_photo, self.photo_removed = None, self._saved_photo is not None
        self._show_photo()

    def has_photo(self) -> bool:
        """What saving will leave: a photo or none."""
        return self.new_photo is not None or (self._saved_photo is not None and not self.photo_removed)

    def _show_photo(self) -> None:
        pixmap = QPixmap()
        if self.new_photo is not None and self.new_photo.thumbnail:
            pixmap.loadFromData(self.new_photo.thumbnail)
        elif self.has_photo() and self._saved_photo is not None:
            thumbnail = ensure_thumbnail(self._saved_photo)
            if thumbnail is not None:
                pixmap.load(str(thumbnail))
        if pixmap.isNull():
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(self.tr("照片文件缺失") if self.has_photo() else self.tr("无照片"))
        else:
            self.photo_label.setPixmap(pixmap.scaled(PREVIEW_W - 2, PREVIEW_H - 2, Qt.AspectRatioMode.KeepAspectRatio,
                                                     Qt.TransformationMode.SmoothTransformation))
        self.photo_label.setToolTip(self.new_photo.file_name if self.new_photo else
                                    self._saved_photo.file_name if self.has_photo() and self._saved_photo else "")
        self.remove_photo_button.setEnabled(self.has_photo())

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
        new_photo, removed = self.new_photo, self.photo_removed

        cadre_id = self._cadre_id
        self._ops.write(lambda s: save_cadre(s, cadre_id, form, photo=new_photo, remove_photo=removed),
                        success=self._saved, parent=self, failure=self._failed)

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
