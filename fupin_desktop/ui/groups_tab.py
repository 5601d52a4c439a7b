"""设置 › 村民组: the village's groups in their order, with households per group.

Add, rename, move up/down and delete (refused by the core while a group still has households).
"""

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.services.village import GroupRow, add_group, delete_group, list_groups, rename_group, reorder_groups
from fupin_desktop.ui import permissions
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.ops import DbOps


class GroupsTab(QWidget):
    """村民组 list with its buttons (and each group's households)."""

    shows = frozenset({"villager_group", "household"})

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.table = RowsView([Column(self.tr("村民组"), lambda g: g.name),
                               Column(self.tr("户数"), lambda g: g.households, "right")],
                              self, fit=None, stretch_last=False, empty_text=self.tr("还没有村民组，请点“添加…”"))
        self.table.horizontalHeader().setSectionResizeMode(0, self.table.horizontalHeader().ResizeMode.Stretch)
        self.table.setColumnWidth(1, self.fontMetrics().horizontalAdvance("户数0000") + 24)
        self.table.row_activated.connect(lambda _g: self.rename_selected())
        self.buttons = {
            "add": QPushButton(self.tr("添加…"), self), "rename": QPushButton(self.tr("重命名…"), self),
            "up": QPushButton(self.tr("上移"), self), "down": QPushButton(self.tr("下移"), self),
            "delete": QPushButton(self.tr("删除"), self),
        }
        permissions.write_action(*self.buttons.values())
        self.buttons["add"].clicked.connect(self.add)
        self.buttons["rename"].clicked.connect(self.rename_selected)
        self.buttons["up"].clicked.connect(lambda: self.move_selected(-1))
        self.buttons["down"].clicked.connect(lambda: self.move_selected(1))
        self.buttons["delete"].clicked.connect(self.delete_selected)
        self.table.current_changed.connect(self._enable)
        side = QVBoxLayout()
        for button in self.buttons.values():
            side.addWidget(button)
        side.addStretch(1)
        note = QLabel(self.tr("村民组（或自然村）用于登记农户和按组统计、按组监测。\n"
                              "双击可以重命名；用“上移”“下移”调整顺序。\n"
                              "还有农户的村民组不能删除，请先把这些户调到其他村民组。"), self)
        note.setStyleSheet("color: palette(placeholder-text);")
        note.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.table.setMaximumWidth(self.fontMetrics().horizontalAdvance("字" * 28))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(self.table, 1)
        layout.addLayout(side)
        layout.addSpacing(12)
        layout.addWidget(note, 1)
        self._enable()

    def refresh(self, select: uuid.UUID | None = None) -> None:
        current = select or self.selected_id()
        self._ops.query(list_groups, success=lambda rows: self._show(rows, current), parent=self)

    def _show(self, rows: list[GroupRow], select: uuid.UUID | None) -> None:
        self.table.set_rows(rows)
        if select is not None:
            self.table.select(select)

    @property
    def _rows(self) -> list[GroupRow]:
        return self.table.rows

    def selected_id(self) -> uuid.UUID | None:
        row = self._selected_row()
        return self._rows[row].id if row is not None else None

    def _selected_row(self) -> int | None:
        return self.table.currentIndex().row() if self.table.current() is not None else None

    def _enable(self, *_args: object) -> None:
        row = self._selected_row()
        for key in ("rename", "delete"):
            self.buttons[key].setEnabled(row is not None)
        self.buttons["up"].setEnabled(row is not None and row > 0)
        self.buttons["down"].setEnabled(row is not None and row < len(self._rows) - 1)

    def _ask_name(self, title: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, self.tr("村民组名称（如“一组”或自然村名）："),
                                        QLineEdit.EchoMode.Normal, text)
        return name if ok else None

    def add(self) -> None:
        name = self._ask_name(self.tr("添加村民组"))
        if name is not None:
            self._ops.write(lambda s: add_group(s, name), parent=self,
                            success=self.refresh)

    def rename_selected(self) -> None:
        row = self._selected_row()
        if row is None or not permissions.can_write(self._ops):  # a double-click comes here too
            return
        group = self._rows[row]
        name = self._ask_name(self.tr("重命名村民组"), group.name)
        if name is not None and name.strip() != group.name:
            self._ops.write(lambda s: rename_group(s, group.id, name), parent=self,
                            success=lambda _r: self.refresh(group.id))

    def move_selected(self, step: int) -> None:
        row = self._selected_row()
        if row is None or not 0 <= row + step < len(self._rows):
            return
        ids = [g.id for g in self._rows]
        ids[row], ids[row + step] = ids[row + step], ids[row]
        moved = ids[row + step]
        self._ops.write(lambda s: reorder_groups(s, ids), parent=self,
                        success=lambda _r: self.refresh(moved))

    def delete_selected(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        group = self._rows[row]
        answer = QMessageBox.question(self, self.tr("删除村民组"), self.tr("确定删除村民组“{name}”吗？").format(
            name=group.name), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._ops.write(lambda s: delete_group(s, group.id), parent=self,
                            success=lambda _r: self.refresh())
