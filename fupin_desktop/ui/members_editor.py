"""家庭成员 inside the household editor: the member list, add/remove, and the form of the chosen one.

The list holds MemberForms, not database rows: nothing is written until the household is saved.
Which problems show is decided here (a field's problem shows once the user has finished with the
field, or after a save attempt); the problems themselves come from the core through the editor.
"""

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import idcard, vocab
from fupin_desktop.domain.household import MemberForm, member_label
from fupin_desktop.errors import FieldError
from fupin_desktop.ui.form_widgets import ErrorLabel
from fupin_desktop.ui.member_panel import MemberPanel


@dataclass
class _Member:
    """A member row: the form and which of its problems to show."""

    form: MemberForm
    touched: set[str] = field(default_factory=set)  # fields the user has finished with
    server: dict[str, str] = field(default_factory=dict)  # field → message from the last save


def blank_member(relation: str = "") -> MemberForm:
    return MemberForm(name="", id_number="", relation=relation)


class MembersEditor(QGroupBox):
    """The members of the household being edited.

    Signals:
        changed(): a member was added, removed or edited.
        checked(): the user finished with a field; problems may now show.
    """

    changed = Signal()
    checked = Signal()

    COL_NAME, COL_RELATION, COL_ID_NUMBER, COL_SEX, COL_AGE = range(5)

    def __init__(self, *, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("家庭成员"))
        self._today = today
        self._members: list[_Member] = []
        self.touched = False  # the list itself was changed (rules across members may show)
        self.table = self._build_table()
        self.add_button = QPushButton(self.tr("添加成员(&A)"), self)
        self.remove_button = QPushButton(self.tr("移出本户(&R)"), self)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        self.error = ErrorLabel(self)
        self.panel = MemberPanel(today=today, parent=self)
        self._build_layout()
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.panel.edited.connect(self._edited)
        self.panel.committed.connect(self._committed)

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(0, 5, self)
        table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("与户主关系"), self.tr("身份证号"),
                                         self.tr("性别"), self.tr("年龄")])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COL_ID_NUMBER, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        table.setMinimumWidth(metrics.horizontalAdvance("410182199901011234欧阳某某之女男100") + 64)
        return table

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(buttons)
        left.addWidget(self.error)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 5)
        layout.addWidget(line)
        layout.addWidget(self.panel, 7)

    def focus_widgets(self) -> list[QWidget]:
        """The inputs in tab order: the list, the chosen member's fields, then add and remove."""
        return [self.table, *self.panel.focus_widgets(), self.add_button, self.remove_button]

    # -- the list ------------------------------------------------------------------------------

    def set_members(self, forms: list[MemberForm]) -> None:
        self._members = [_Member(f) for f in forms]
        self.table.setRowCount(0)
        for row in range(len(self._members)):
            self._insert_row(row)
        self.table.setCurrentCell(0, 0)
        self._show(self.current())

    def forms(self) -> list[MemberForm]:
        return [m.form for m in self._members]

    def current(self) -> int:
        row = self.table.currentRow()
        return row if 0 <= row < len(self._members) else -1

    def select(self, row: int) -> None:
        self.table.setCurrentCell(row, 0)

    def _insert_row(self, row: int) -> None:
        self.table.insertRow(row)
        for column in range(5):
            self.table.setItem(row, column, QTableWidgetItem())
        self._fill_row(row)

    def _fill_row(self, row: int) -> None:
        f = self._members[row].form
        try:
            info = idcard.parse(f.id_number, today=self._today)
            sex, age = info.sex, str(info.age_on(self._today))
        except idcard.IdNumberError:
            sex = age = ""
        for column, text in enumerate((f.name or self.tr("（未填姓名）"), f.relation, f.id_number, sex, age)):
            self.table.item(row, column).setText(text)

    def _show(self, row: int) -> None:
        exists = 0 <= row < len(self._members)
        self.panel.set_form(self._members[row].form if exists else None)
        self.panel.setEnabled(exists)
        self.remove_button.setEnabled(exists)
        self.checked.emit()

    def add_member(self) -> None:
        """Append an empty member (the first one is the 户主) and put the cursor in its name."""
        self._members.append(_Member(blank_member("" if self._members else vocab.RELATION_HEAD)))
        self.touched = True
        self._insert_row(len(self._members) - 1)
        self.select(len(self._members) - 1)
        self.panel.edits["name"].setFocus()
        self.changed.emit()

    def remove_member(self) -> None:
        """Take the current member off the list (a tombstone once the household is saved)."""
        row = self.current()
        if row < 0:
            return
        del self._members[row]
        self.touched = True
        self.table.removeRow(row)  # moves the current row, which shows the next member
        self._show(self.current())
        self.changed.emit()

    def _edited(self, name: str) -> None:
        row = self.current()
        if row < 0:
            return
        member = self._members[row]
        member.form = self.panel.form()
        member.server.pop(name, None)
        if name == "id_number" and len(idcard.normalize(member.form.id_number)) >= 18:
            member.touched.add(name)  # a complete number is checked at once, not only on leaving
        self._fill_row(row)
        self.changed.emit()

    def _committed(self, name: str) -> None:
        row = self.current()
        if row >= 0:
            self._members[row].touched.add(name)
            self.touched = True
            self.checked.emit()

    # -- problems ------------------------------------------------------------------------------

    def index_of(self, record: str) -> int | None:
        """The member a FieldError's record names: "成员2（李秀英）", or just a name."""
        forms = self.forms()
        for i, form in enumerate(forms):
            if record == member_label(i, form):
                return i
        return next((i for i, form in enumerate(forms) if record and form.name == record), None)

    def set_server_error(self, error: FieldError) -> bool:
        """Keep a failed save's problem with its member; False when it names no member field."""
        i = self.index_of(error.record) if error.record else None
        if i is None or error.field not in self.panel.errors:
            return False
        self._members[i].server[error.field] = error.message
        return True

    def clear_server_errors(self) -> None:
        for m in self._members:
            m.server = {}

    def show_problems(self, errors: list[FieldError], *, everything: bool, general: list[str]) -> int:
        """Show the core's member problems (all of them when `everything`); returns how many show."""
        per_member: list[dict[str, str]] = [dict(m.server) for m in self._members]
        shown_general: list[str] = []
        for e in errors:
            i = self.index_of(e.record)
            if i is None:
                if everything or self.touched:
                    shown_general.append(e.message)
            elif everything or e.field in self._members[i].touched:
                per_member[i].setdefault(e.field, e.message)
        shown_general = list(dict.fromkeys(shown_general + general))
        self.error.set_error("\n".join(shown_general))
        row = self.current()
        self.panel.show_errors(per_member[row] if row >= 0 else {})
        for i, problems in enumerate(per_member):
            self._mark_row(i, problems)
        return sum(map(len, per_member)) + len(shown_general)

    def _mark_row(self, row: int, problems: dict[str, str]) -> None:
        item = self.table.item(row, self.COL_NAME)
        if item is not None:
            warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            item.setIcon(warning if problems else QIcon())
            item.setToolTip("\n".join(problems.values()))

    def focus_first_problem(self) -> bool:
        """Go to the first member with a problem, at the field; False if there is none."""
        for row in range(len(self._members)):
            if self.table.item(row, self.COL_NAME).toolTip():
                self.select(row)
                for name in ("name", "relation", "id_number", *self.panel.errors):
                    if not self.panel.errors[name].isHidden():
                        (self.panel.edits.get(name) or self.panel.boxes[name]).setFocus()
                        break
                return True
        return False
