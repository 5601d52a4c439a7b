"""Small input widgets for forms: choices with an empty entry, years, dates, optional dates, 达标/不达标,
multi-select codes, the red message shown under a field, buttons with their action, and a dialog's 保存/取消.

Every widget reads and writes plain Python values (str | None, int | None, date | None, list of
codes), so a dialog builds its domain form straight from them.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QMouseEvent, QPaintEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock

ERROR_COLOUR = "#b4232c"


class ErrorLabel(QLabel):
    """A field's problem in red under the field; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def set_error(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


def with_error(widget: QWidget, error: ErrorLabel) -> QWidget:
    """The field with its error label below it, as one cell of a form layout."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(error)
    return box


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def day_of(edit: QDateEdit) -> date:
    """The day an edit shows, as a date (PySide's QDate.toPython is typed as any object)."""
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def date_edit(value: date | None = None, parent: QWidget | None = None) -> QDateEdit:
    """A day picked from a calendar, shown as 2026-12-08; today unless `value`."""
    edit = QDateEdit(parent)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setDate(qdate(value or clock.today()))
    return edit


def push_button(text: str, clicked: Callable[[], object], parent: QWidget | None = None) -> QPushButton:
    """A button made with what it does, so the two are read together."""
    button = QPushButton(text, parent)
    button.clicked.connect(clicked)
    return button


def search_delay(box: QLineEdit, search: Callable[[], object], ms: int = 250) -> QTimer:
    """Run `search` once typing in `box` pauses for `ms`, not at every key; stop the timer to cancel."""
    timer = QTimer(box)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(search)
    box.textChanged.connect(lambda _t: timer.start())
    return timer


def ok_cancel(dialog: QDialog, ok: str, accept: Callable[[], object] | None = None) -> QDialogButtonBox:
    """The dialog's buttons: `ok` (保存, 登记, 添加 …) runs `accept` (else the dialog's accept), 取消 rejects."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("取消"))
    buttons.accepted.connect(accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def choice_box(values: Iterable[str], *, empty: str = "", parent: QWidget | None = None) -> QComboBox:
    """A combo of fixed texts whose first entry (shown as `empty`) means "not filled in"."""
    box = QComboBox(parent)
    box.addItem(empty, None)
    for value in values:
        box.addItem(value, value)
    return box


def named_choice_box(names: Mapping[str, str], *, empty: str = "", parent: QWidget | None = None) -> QComboBox:
    """Like choice_box, for codes shown by name (致贫原因 code → 因病)."""
    box = QComboBox(parent)
    box.addItem(empty, None)
    for code, name in names.items():
        box.addItem(name, code)
    return box


def set_choice(box: QComboBox, value: str | None) -> None:
    """Select `value`; a value the list lacks (old data, a renamed cadre) is added, not lost."""
    if value in (None, ""):
        box.setCurrentIndex(0)
        return
    index = box.findData(value)
    if index < 0:
        box.addItem(value, value)
        index = box.count() - 1
    box.setCurrentIndex(index)


def choice(box: QComboBox) -> str | None:
    value = box.currentData()
    return value if value else None


class YearBox(QComboBox):
    """A year or nothing; type the digits to jump to a year."""

    FIRST_YEAR = 2013  # 精准扶贫 began identifying households in 2013–2014

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("", None)
        for year in range(clock.today().year + 1, self.FIRST_YEAR - 1, -1):
            self.addItem(str(year), year)

    def year(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def set_year(self, year: int | None) -> None:
        index = self.findData(year) if year is not None else 0
        if index < 0:
            self.addItem(str(year), year)
            index = self.count() - 1
        self.setCurrentIndex(index)


class TriStateBox(QComboBox):
    """Yes, no or not yet checked (饮水安全 indicators)."""

    def __init__(self, yes: str, no: str, *, unknown: str = "未填", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for text, value in ((unknown, None), (yes, True), (no, False)):
            self.addItem(text, value)

    def value(self) -> bool | None:
        return self.itemData(self.currentIndex())

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])


class OptionalDateEdit(QWidget):
    """A date that may be missing: a check box says whether there is one, the date edit holds it.

    Signals:
        changed: the date or its presence changed.
    """

    changed = Signal()

    def __init__(self, checkbox_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(checkbox_text, self)
        self.edit = date_edit(parent=self)
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> date | None:
        return day_of(self.edit) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.edit.setDate(qdate(value or clock.today()))
        self.check.setChecked(value is not None)

    def focus_widgets(self) -> list[QWidget]:
        return [self.check, self.edit]


class MultiChoiceBox(QComboBox):
    """Several codes out of a list (户属性, 次要致贫原因): a drop-down of check boxes.

    The closed box shows the chosen names. In the list a click or Space ticks an entry without
    closing it; Enter or Esc closes it.

    Signals:
        selection_changed: an entry was ticked or unticked.
    """

    selection_changed = Signal()

    def __init__(self, *, empty_text: str = "（无）", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = empty_text
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        self.view().installEventFilter(self)
        self.view().viewport().installEventFilter(self)

    def set_choices(self, names: Mapping[str, str]) -> None:
        self._items.clear()
        for code, name in names.items():
            self._add(code, name)

    def _add(self, code: str, name: str) -> QStandardItem:
        item = QStandardItem(name)
        item.setData(code, Qt.ItemDataRole.UserRole)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self._items.appendRow(item)
        return item

    def _item_list(self) -> list[QStandardItem]:
        return [self._items.item(row) for row in range(self._items.rowCount())]

    def set_selected(self, codes: Sequence[str]) -> None:
        known = {item.data(Qt.ItemDataRole.UserRole) for item in self._item_list()}
        for code in codes:
            if code not in known:  # a code the reference list no longer has: keep it visible
                self._add(code, code)
        for item in self._item_list():
            ticked = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.setToolTip(self.summary())  # the closed box may have to cut the names short
        self.update()

    def selected(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self._item_list()
                if item.checkState() == Qt.CheckState.Checked]

    def summary(self) -> str:
        return "、".join(item.text() for item in self._item_list() if item.checkState() == Qt.CheckState.Checked)

    def toggle(self, row: int) -> None:
        item = self._items.item(row)
        if item is None:
            return
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
        self.setToolTip(self.summary())
        self.update()
        self.selection_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Filters installed after the popup's own run first: a release over an entry ticks it
        # instead of closing the list.
        if watched is self.view().viewport() and event.type() == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            index = self.view().indexAt(event.position().toPoint())
            if index.isValid():
                self.toggle(index.row())
                return True
        if watched is self.view() and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Space:
                self.toggle(self.view().currentIndex().row())
                return True
        return super().eventFilter(watched, event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentIcon = QIcon()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        text_rect = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                                QStyle.SubControl.SC_ComboBoxEditField, self)
        text = self.summary() or self._empty_text
        option.currentText = self.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
