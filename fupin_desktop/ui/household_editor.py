"""户信息编辑: create or edit a household and its members in one dialog.

The dialog only shows and collects: the rules are the core's (`check_household`, `check_members`
while typing, `save_household` when saving), and their FieldErrors are shown next to the input
or member they name. Keyboard: Tab and Enter move to the next input, Ctrl+S saves, Esc closes
(asking first when something changed).
"""

import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock, labels, vocab
from fupin_desktop.domain.household import (
    HouseholdForm,
    MemberForm,
    check_household,
    check_members,
    household_name,
)
from fupin_desktop.domain.rows import HouseholdDetail
from fupin_desktop.errors import FieldError, FupinError, ValidationError
from fupin_desktop.services.forms import EditorData
from fupin_desktop.services.households import delete_household, member_form, save_household
from fupin_desktop.ui import fit
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import (
    ErrorLabel,
    MultiChoiceBox,
    OptionalDateEdit,
    TriStateBox,
    YearBox,
    choice,
    choice_box,
    named_choice_box,
    set_choice,
    with_error,
)
from fupin_desktop.ui.members_editor import MembersEditor, blank_member
from fupin_desktop.ui.ops import DbOps

if TYPE_CHECKING:
    pass

T = TypeVar("T")


def confirm_delete(parent: QWidget | None, description: str, persons: int) -> bool:
    """Ask before deleting a household (Chinese message, 否 is the default)."""
    answer = QMessageBox.question(
        parent, QApplication.translate("household_editor", "删除农户"),
        QApplication.translate("household_editor", "确定删除{household}及其{n}名成员吗？\n删除后可以立即撤销。")
        .format(household=description, n=persons),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def describe(number: str, head: str) -> str:
    """第001户（张三明）: how messages name a household (domain.household.household_name)."""
    return household_name(number, head)


class HouseholdEditor(QDialog):
    """Edits one household (or a new one) with its members.

    Signals:
        household_saved(uuid.UUID): saved; the dialog closes.
        household_deleted(uuid.UUID, str): deleted (after confirmation), with its description for
            an undo message; the dialog closes.
    """

    household_saved = Signal(object)
    household_deleted = Signal(object, str)

    def __init__(self, ops: DbOps, data: EditorData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._data = data
        self._today = clock.today()
        self._household_id = data.detail.id if data.detail else None
        self._attempted = False  # after a save attempt every problem shows, touched or not
        self._touched: set[str] = set()
        self._server: dict[str, str] = {}
        self._server_general: list[str] = []
        self._build_household_fields()
        self.members = MembersEditor(today=self._today, parent=self)
        self.members_table, self.panel = self.members.table, self.members.panel
        self._build_buttons()
        self._build_layout()
        self._load(data.detail)
        self._initial = self._snapshot()
        self._connect()
        self._set_tab_order()
        self._validate()
        self._update_title()

    # -- building ------------------------------------------------------------------------------

    def _build_household_fields(self) -> None:
        d = self._data
        self.number_edit = QLineEdit(self)
        self.number_edit.setPlaceholderText(self.tr("如 {number}（本村下一个户编号）").format(number=d.next_number)
                                            if d.next_number else self.tr("户编号"))
        self.status_box = choice_box(vocab.HOUSEHOLD_STATUSES, empty=self.tr("请选择"), parent=self)
        self.group_box = choice_box(d.groups, parent=self)
        self.address_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setPlaceholderText(self.tr("手机或固定电话"))
        self.helper_box = choice_box(d.helpers, parent=self)
        self.note_edit = QLineEdit(self)
        self.attributes_box = MultiChoiceBox(parent=self)
        self.attributes_box.set_choices(d.attributes)
        self.main_cause_box = named_choice_box(d.causes, parent=self)
        self.secondary_box = MultiChoiceBox(parent=self)
        self.secondary_box.set_choices(d.causes)
        self.identified_year_box, self.exit_year_box = YearBox(self), YearBox(self)
        self.housing_box = choice_box(vocab.HOUSING_SAFETY, parent=self)
        self.housing_date = OptionalDateEdit(self.tr("已鉴定"), self)
        self.water_boxes = {name: TriStateBox(self.tr("达标"), self.tr("不达标"), parent=self)
                            for name in vocab.WATER_INDICATORS}
        self.water_date = OptionalDateEdit(self.tr("已核验"), self)
        # form field → its input; every field has an error label under it
        self.fields: dict[str, QWidget] = {
            "number": self.number_edit, "status": self.status_box, "group": self.group_box,
            "address": self.address_edit, "phone": self.phone_edit, "helper_name": self.helper_box,
            "note": self.note_edit, "attributes": self.attributes_box, "main_cause": self.main_cause_box,
            "secondary_causes": self.secondary_box, "identified_year": self.identified_year_box,
            "exit_year": self.exit_year_box, "housing_safety": self.housing_box,
            "housing_checked_on": self.housing_date, **self.water_boxes, "water_checked_on": self.water_date}
        self.errors = {name: ErrorLabel(self) for name in self.fields}

    def _build_buttons(self) -> None:
        self.save_button = QPushButton(self.tr("保存 (Ctrl+S)"), self)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.delete_button = QPushButton(self.tr("删除此户…"), self)
        self.delete_button.setVisible(self._household_id is not None)
        for button in (self.save_button, self.cancel_button, self.delete_button):
            button.setAutoDefault(False)  # Enter moves between inputs; it never saves by surprise
        self.summary = ErrorLabel(self)

    def _form_group(self, title: str, names: list[str]) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        for name in names:
            form.addRow(labels.HOUSEHOLD_FORM[name], with_error(self.fields[name], self.errors[name]))
        return box

    def _build_layout(self) -> None:
        groups = QHBoxLayout()
        groups.addWidget(self._form_group(self.tr("基本情况"), ["number", "status", "group", "address", "phone",
                                                                "helper_name", "note"]), 1)
        groups.addWidget(self._form_group(self.tr("致贫与脱贫"), ["attributes", "main_cause", "secondary_causes",
                                                                  "identified_year", "exit_year"]), 1)
        groups.addWidget(self._form_group(self.tr("住房与饮水"), ["housing_safety", "housing_checked_on",
                                                                  *vocab.WATER_INDICATORS, "water_checked_on"]), 1)
        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(12, 12, 12, 8)
        body.addLayout(groups)
        body.addWidget(self.members, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 0, 12, 12)
        buttons.addWidget(self.delete_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.summary, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        self.summary.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        fit.fill_scrolled(self, content, buttons)
        size = content.sizeHint()
        wanted = QSize(size.width() + 24, size.height() + self.save_button.sizeHint().height() + 24)
        fit.fit_to_screen(self, wanted)

    def _connect(self) -> None:
        for name, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(lambda _t, n=name: self._household_edited(n, False))
                widget.editingFinished.connect(lambda n=name: self._household_edited(n, True))
            elif isinstance(widget, MultiChoiceBox):
                widget.selection_changed.connect(lambda n=name: self._household_edited(n, True))
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, n=name: self._household_edited(n, True))
            elif isinstance(widget, OptionalDateEdit):
                widget.changed.connect(lambda n=name: self._household_edited(n, True))
        self.members.changed.connect(self._changed)
        self.members.checked.connect(self._validate)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = []
        for widget in self.fields.values():
            chain += widget.focus_widgets() if isinstance(widget, OptionalDateEdit) else [widget]
        chain += [*self.members.focus_widgets(), self.save_button, self.cancel_button, self.delete_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- loading and reading -------------------------------------------------------------------

    def _load(self, d: HouseholdDetail | None) -> None:
        if d is None:
            self.members.set_members([blank_member(vocab.RELATION_HEAD)])
        else:
            self.number_edit.setText(d.number)
            for box, value in ((self.status_box, d.status), (self.group_box, d.group),
                               (self.helper_box, d.helper), (self.main_cause_box, d.main_cause),
                               (self.housing_box, d.housing_safety)):
                set_choice(box, value)
            self.address_edit.setText(d.address or "")
            self.phone_edit.setText(d.phone or "")
            self.note_edit.setText(d.note or "")
            self.attributes_box.set_selected(list(d.attributes))
            self.secondary_box.set_selected(list(d.secondary_causes))
            self.identified_year_box.set_year(d.identified_year)
            self.exit_year_box.set_year(d.exit_year)
            self.housing_date.set_value(d.housing_checked_on)
            for name, box in self.water_boxes.items():
                box.set_value(d.water.get(name))
            self.water_date.set_value(d.water_checked_on)
            self.members.set_members([member_form(m) for m in d.members])

    def household_form(self) -> HouseholdForm:
        """The household fields as typed."""
        return HouseholdForm(
            number=self.number_edit.text().strip(), status=choice(self.status_box) or "",
            group=choice(self.group_box), address=self.address_edit.text().strip() or None,
            phone=self.phone_edit.text().strip() or None, attributes=self.attributes_box.selected(),
            identified_year=self.identified_year_box.year(), exit_year=self.exit_year_box.year(),
            main_cause=choice(self.main_cause_box), secondary_causes=self.secondary_box.selected(),
            helper_name=choice(self.helper_box), housing_safety=choice(self.housing_box),
            housing_checked_on=self.housing_date.value(),
            **{name: box.value() for name, box in self.water_boxes.items()},
            water_checked_on=self.water_date.value(), note=self.note_edit.text().strip() or None)

    def member_forms(self) -> list[MemberForm]:
        return self.members.forms()

    def _snapshot(self) -> tuple[HouseholdForm, list[MemberForm]]:
        return self.household_form(), [MemberForm(**vars(f)) for f in self.member_forms()]

    def is_dirty(self) -> bool:
        """Whether anything differs from what was loaded (or last saved)."""
        return self._snapshot() != self._initial

    def _update_title(self) -> None:
        if self._data.detail is None:
            title = self.tr("新增农户")
        else:
            title = self.tr("编辑农户 — {household}").format(household=describe(self._data.detail.number,
                                                                                 self._head_name()))
        self.setWindowTitle(f"{title}[*]")
        self.setWindowModified(self.is_dirty())

    def _head_name(self) -> str:
        return next((f.name for f in self.member_forms() if f.relation == vocab.RELATION_HEAD), "")

    def _household_edited(self, name: str, committed: bool) -> None:
        self._server.pop(name, None)
        if committed:
            self._touched.add(name)
        self._changed()

    def _changed(self) -> None:
        self._server_general = []
        self._validate()
        self._update_title()

    # -- problems ------------------------------------------------------------------------------

    def _validate(self) -> int:
        """Run the core's rules on what is typed and show the problems; returns how many show."""
        household: dict[str, str] = {}
        for e in check_household(self.household_form()):
            if self._attempted or e.field in self._touched:
                household.setdefault(e.field, e.message)
        for name, message in self._server.items():
            household.setdefault(name, message)
        for name, label in self.errors.items():
            label.set_error(household.get(name))
        count = len(household) + self.members.show_problems(
            check_members(self.member_forms(), today=self._today), everything=self._attempted,
            general=self._server_general)
        self.summary.set_error(self.tr("有{n}处需要修改，见标红的栏目").format(n=count)
                               if self._attempted and count else None)
        return count

    def _show_save_errors(self, errors: list[FieldError]) -> None:
        """Put each problem of a failed save next to its input or member."""
        for e in errors:
            if not e.record and e.field in self.errors:
                self._server[e.field] = e.message
            elif not self.members.set_server_error(e):
                self._server_general.append(str(e))
        self._validate()
        for name, label in self.errors.items():
            if not label.isHidden():
                widget = self.fields[name]
                (widget.check if isinstance(widget, OptionalDateEdit) else widget).setFocus()
                return
        self.members.focus_first_problem()

    # -- saving, deleting, closing -------------------------------------------------------------

    def save(self) -> None:
        """Save through the core; on success emit household_saved and close, else show the problems."""
        self._attempted = True
        self._server, self._server_general = {}, []
        self.members.clear_server_errors()
        form, members = self.household_form(), self.member_forms()
        self._ops.write(lambda s: save_household(s, self._household_id, form, members),
              success=self._saved, failure=self._save_failed, parent=self)

    def _saved(self, household_id: uuid.UUID) -> None:
        self._household_id = household_id
        self._initial = self._snapshot()
        self.household_saved.emit(household_id)
        self.accept()

    def _save_failed(self, error: FupinError) -> None:
        if isinstance(error, ValidationError):
            self._show_save_errors(error.errors)
        else:
            self._validate()
            show_error(self, error)

    def delete(self) -> None:
        """Delete the household after asking; the caller offers the undo."""
        d, household_id = self._data.detail, self._household_id
        if d is None or household_id is None:
            return
        description = describe(d.number, self._head_name())
        if not confirm_delete(self, description, len(d.members)):
            return

        def deleted(_changes: Any) -> None:
            self._initial = self._snapshot()
            self.household_deleted.emit(household_id, description)
            self.accept()
        self._ops.write(lambda s: delete_household(s, household_id), success=deleted, parent=self)

    def reject(self) -> None:
        """Esc, 取消 and the close box: ask before throwing changes away."""
        if self.is_dirty():
            answer = QMessageBox.question(
                self, self.tr("尚未保存"), self.tr("本户的修改还没有保存。要保存吗？"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            focus = QApplication.focusWidget()
            if isinstance(focus, QPushButton):
                focus.click()
            else:
                self.focusNextChild()
            return
        super().keyPressEvent(event)
