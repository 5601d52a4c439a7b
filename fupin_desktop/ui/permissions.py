"""What the signed-in user is offered: a user who may only look (只读) sees no write actions.

The core refuses their writes anyway (db/changelog.py); this spares them a form filled in for
nothing. Pages mark what writes, once, where they build it:

    permissions.write_action(self.new_button, self.delete_button, new_shortcut)  # hidden for a reader
    permissions.write_form(self.form)  # its inputs become read-only for a reader

and the main window calls `apply(window, can_write(ops))` at start and whenever the user changes
(the idle lock lets another account sign in). A dialog a page opens later goes through
`restrict(dialog, ops)`: for a reader it opens as a view (inputs read-only, its 保存 and its own
buttons hidden, 取消 reads 关闭). A page that shows or hides a write action itself uses
`set_visible`, so it does not bring it back for a reader.

With nobody signed in (no accounts set up yet) everything stays writable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from fupin_desktop.domain import accounts

if TYPE_CHECKING:  # (the main window paints before the database layer loads)
    from fupin_desktop.ui.ops import DbOps

_WRITE = "fupin_write"  # a write action: hidden for a reader
_FORM = "fupin_write_form"  # its inputs are read-only for a reader
_DENIED = "fupin_denied"  # apply() has hidden this write action
_WANTED = "fupin_wanted"  # the page's own wish (set_visible)
_LOCKED = "fupin_locked"  # how apply() locked this input: "read_only", "disabled", "triggers=<old>"; "" unlocked
_RESTRICTED = "fupin_restricted"  # restrict() has turned this dialog into a view

_SAVE_ROLES = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole,
               QDialogButtonBox.ButtonRole.ApplyRole, QDialogButtonBox.ButtonRole.DestructiveRole,
               QDialogButtonBox.ButtonRole.ResetRole)


def can_write(ops: DbOps) -> bool:
    """The signed-in user may change data (everyone may while no accounts are set up)."""
    return accounts.may_write(ops.user)


def sees_full_id_numbers(ops: DbOps) -> bool:
    """ID numbers are shown in full (else masked like on public printouts, 410182********0011)."""
    return accounts.sees_full_id_numbers(ops.user)


def write_action(*items: QWidget | QAction) -> None:
    """Mark buttons or actions that change data: `apply` hides them (a hidden action's shortcut is off)."""
    for item in items:
        item.setProperty(_WRITE, True)


def write_form(*widgets: QWidget) -> None:
    """Mark inputs (or a widget holding them) that edit data: read-only for a reader."""
    for widget in widgets:
        widget.setProperty(_FORM, True)


def set_visible(item: QWidget | QAction, shown: bool) -> None:
    """Show or hide a write action as the page wants, but never show it to a reader."""
    item.setProperty(_WANTED, shown)
    item.setVisible(shown and not item.property(_DENIED))


def apply(root: QWidget, writable: bool) -> None:
    """Hide (or, for a writer, show again) every marked action under `root` and lock (unlock) the
    inputs of every marked form."""
    for obj in (root, *root.findChildren(QObject)):
        if obj.property(_WRITE):
            denied = bool(obj.property(_DENIED))
            obj.setProperty(_DENIED, not writable)
            if not writable:
                obj.setVisible(False)  # type: ignore[attr-defined]
            elif denied:
                obj.setVisible(obj.property(_WANTED) is not False)  # type: ignore[attr-defined]
        if obj.property(_FORM) and isinstance(obj, QWidget):
            for widget in (obj, *obj.findChildren(QWidget)):
                _lock(widget) if not writable else _unlock(widget)


def restrict(dialog: QWidget, ops: DbOps) -> None:
    """For a reader, turn a form a page opens into a view of the same record: every input read-only,
    the buttons that save or edit hidden, 取消 shown as 关闭, "（只读）" in the title."""
    if can_write(ops) or dialog.property(_RESTRICTED):
        return
    dialog.setProperty(_RESTRICTED, True)
    in_boxes: set[QAbstractButton] = set()
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            in_boxes.add(button)
            if box.buttonRole(button) in _SAVE_ROLES:
                write_action(button)
            elif box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole:
                button.setText(QCoreApplication.translate("permissions", "关闭"))
    for button in dialog.findChildren(QAbstractButton):  # 添加照片, 全部正常 …: they edit the form
        if button not in in_boxes and not isinstance(button, QCheckBox | QRadioButton):
            write_action(button)
    write_form(dialog)
    apply(dialog, False)
    dialog.setWindowTitle(QCoreApplication.translate("permissions", "{title}（只读）").format(
        title=dialog.windowTitle()))


def _lock(widget: QWidget) -> None:
    if widget.property(_LOCKED):
        return
    if isinstance(widget, QLineEdit | QAbstractSpinBox | QTextEdit | QPlainTextEdit):
        if not widget.isReadOnly():
            widget.setReadOnly(True)
            widget.setProperty(_LOCKED, "read_only")
    elif isinstance(widget, QComboBox | QCheckBox | QRadioButton):
        if not widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled):  # not disabled on its own
            widget.setEnabled(False)
            widget.setProperty(_LOCKED, "disabled")
    elif isinstance(widget, QAbstractItemView):
        triggers = widget.editTriggers()
        if triggers != QAbstractItemView.EditTrigger.NoEditTriggers:
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            widget.setProperty(_LOCKED, f"triggers={triggers.value}")


def _unlock(widget: QWidget) -> None:
    how = widget.property(_LOCKED)
    if not how:
        return
    widget.setProperty(_LOCKED, "")
    if how == "read_only":
        widget.setReadOnly(False)  # type: ignore[attr-defined]
    elif how == "disabled":
        widget.setEnabled(True)
    elif isinstance(widget, QAbstractItemView):
        widget.setEditTriggers(QAbstractItemView.EditTrigger(int(how.removeprefix("triggers="))))
