"""The form for one household member inside the household editor.

Sex, date of birth and age are never typed: they are read from the ID number as it is typed
and shown read-only. Problems with the fields come from the editor (which runs the core's
rules for the whole household) through `show_errors`.
"""

import uuid
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from fupin_desktop.domain import clock, idcard, labels, vocab
from fupin_desktop.domain.household import MemberForm
from fupin_desktop.ui.form_widgets import ErrorLabel, choice, choice_box, set_choice, with_error

# Member fields that are typed (committed when the cursor leaves them) or chosen (at once).
TEXT_FIELDS = ("name", "id_number", "employment_place", "note")
CHOICE_FIELDS = {
    "relation": vocab.RELATIONS,
    "labour_ability": vocab.LABOUR_ABILITIES,
    "health": vocab.HEALTH_STATES,
    "disability_category": vocab.DISABILITY_CATEGORIES,
    "disability_grade": vocab.DISABILITY_GRADES,
    "schooling_stage": vocab.SCHOOLING_STAGES,
    "employment_status": vocab.EMPLOYMENT_STATUSES,
    "public_welfare_post": vocab.PUBLIC_WELFARE_POSTS,
}
CHECK_FIELDS = ("medical_insurance", "pension_insurance", "dibao", "tekun", "left_behind")
_CHECK_TEXT = {"medical_insurance": "医保", "pension_insurance": "养老保险", "dibao": "低保", "tekun": "特困供养",
               "left_behind": "留守"}


def _text(edit: QLineEdit) -> str | None:
    return edit.text().strip() or None


class MemberPanel(QWidget):
    """Edits one MemberForm; the editor swaps forms in and out as the member list's row changes.

    Signals:
        edited(str): a field changed (its name); emitted on every keystroke or choice.
        committed(str): the user finished with a field (left a text field, or chose a value).
    """

    edited = Signal(str)
    committed = Signal(str)

    def __init__(self, *, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today or clock.today()
        self._id: uuid.UUID | None = None
        self.edits = {name: QLineEdit(self) for name in TEXT_FIELDS}
        self.edits["id_number"].setPlaceholderText(self.tr("18位，末位可为X"))
        self.edits["id_number"].setMaxLength(24)  # room for pasted spaces; the rules check the length
        self.edits["id_number"].setMinimumWidth(self.fontMetrics().horizontalAdvance("410182199901011234X") + 16)
        self.edits["employment_place"].setPlaceholderText(self.tr("如 广东省深圳市"))
        self.boxes: dict[str, QComboBox] = {
            name: choice_box(values, empty=self.tr("请选择") if name == "relation" else "", parent=self)
            for name, values in CHOICE_FIELDS.items()}
        for box in self.boxes.values():  # long entries may be cut in the closed box, never the panel
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(5)
        self.checks = {name: QCheckBox(self.tr(_CHECK_TEXT[name]), self) for name in CHECK_FIELDS}
        self.sex_view, self.birth_view, self.age_view = (self._derived() for _ in range(3))
        self.errors = {name: ErrorLabel(self) for name in (*TEXT_FIELDS, *CHOICE_FIELDS)}
        self._build_layout()
        self._connect()

    def _derived(self) -> QLineEdit:
        view = QLineEdit(self)
        view.setReadOnly(True)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setStyleSheet("QLineEdit { background: palette(window); }")
        return view

    def _field(self, name: str) -> QWidget:
        widget = self.edits.get(name) or self.boxes[name]
        return with_error(widget, self.errors[name])

    def _build_layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        derived = QHBoxLayout()
        derived.setSpacing(6)
        for text, view, chars in ((self.tr("性别"), self.sex_view, 3), (self.tr("出生日期"), self.birth_view, 11),
                                  (self.tr("年龄"), self.age_view, 4)):
            view.setFixedWidth(self.fontMetrics().horizontalAdvance("0" * chars) + 16)
            derived.addWidget(QLabel(text))
            derived.addWidget(view)
        derived.addStretch(1)
        rows = (("name", "relation"), ("id_number", None), ("labour_ability", "health"),
                ("disability_category", "disability_grade"), ("schooling_stage", "public_welfare_post"),
                ("employment_status", "employment_place"))
        r = 0
        for left, right in rows:
            grid.addWidget(self._label(left), r, 0)
            if right is not None:
                grid.addWidget(self._field(left), r, 1)
                grid.addWidget(self._label(right), r, 2)
                grid.addWidget(self._field(right), r, 3)
            else:  # the ID number: derived values beside it, its message below across the panel
                grid.addWidget(self.edits[left], r, 1)
                grid.addLayout(derived, r, 2, 1, 2)
                r += 1
                grid.addWidget(self.errors[left], r, 1, 1, 3)
            r += 1
        checks = QHBoxLayout()
        for box in self.checks.values():
            checks.addWidget(box)
        checks.addStretch(1)
        grid.addWidget(QLabel(self.tr("保障")), r, 0)
        grid.addLayout(checks, r, 1, 1, 3)
        grid.addWidget(self._label("note"), r + 1, 0)
        grid.addWidget(self._field("note"), r + 1, 1, 1, 3)
        grid.setRowStretch(r + 2, 1)

    def _label(self, name: str) -> QLabel:
        label = QLabel(labels.MEMBER[name])
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 4, 0, 0)  # line up with the text of the field, not its frame
        return label

    def _connect(self) -> None:
        for name, edit in self.edits.items():
            edit.textChanged.connect(lambda _t, n=name: self.edited.emit(n))
            edit.editingFinished.connect(lambda n=name: self.committed.emit(n))
        for name, box in self.boxes.items():
            box.currentIndexChanged.connect(lambda _i, n=name: (self.edited.emit(n), self.committed.emit(n)))
        for name, check in self.checks.items():
            check.toggled.connect(lambda _c, n=name: (self.edited.emit(n), self.committed.emit(n)))
        self.edits["id_number"].textChanged.connect(self._show_derived)

    def focus_widgets(self) -> list[QWidget]:
        """The inputs in tab order."""
        order = ("name", "relation", "id_number", "labour_ability", "health", "disability_category",
                 "disability_grade", "schooling_stage", "public_welfare_post", "employment_status",
                 "employment_place")
        widgets: list[QWidget] = [self.edits.get(n) or self.boxes[n] for n in order]
        return [*widgets, *self.checks.values(), self.edits["note"]]

    def set_form(self, form: MemberForm | None) -> None:
        """Show a member (None: no member chosen, the panel is disabled and empty)."""
        self.blockSignals(True)  # loading is not editing
        try:
            form = form or MemberForm(name="", id_number="", relation="")
            self._id = form.id
            for name, edit in self.edits.items():
                edit.setText(getattr(form, name) or "")
            for name, box in self.boxes.items():
                set_choice(box, getattr(form, name))
            for name, check in self.checks.items():
                check.setChecked(bool(getattr(form, name)))
        finally:
            self.blockSignals(False)
        self._show_derived()

    def form(self) -> MemberForm:
        """The member as typed."""
        return MemberForm(
            name=self.edits["name"].text().strip(), id_number=self.edits["id_number"].text().strip(),
            relation=choice(self.boxes["relation"]) or "",
            **{name: _text(self.edits[name]) for name in ("employment_place", "note")},
            **{name: choice(box) for name, box in self.boxes.items() if name != "relation"},
            **{name: check.isChecked() for name, check in self.checks.items()},
            id=self._id)

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            label.set_error(errors.get(name))

    def _show_derived(self) -> None:
        try:
            info = idcard.parse(self.edits["id_number"].text(), today=self._today)
        except idcard.IdNumberError:
            texts = ("", "", "")
        else:
            texts = (info.sex, info.birth_date.isoformat(), str(info.age_on(self._today)))
        for view, text in zip((self.sex_view, self.birth_view, self.age_view), texts, strict=True):
            view.setText(text)
