"""设置 › 工作队与帮扶人: the serving cadres with their paired households and whether they have a photo
(for the 明白栏); add, edit (the photo too), retire.

Retiring someone who is still 帮扶责任人 of households asks who takes them over first.
"""

import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.services.cadres import CadreRow, list_cadres, retire_cadre
from fupin_desktop.ui import permissions
from fupin_desktop.ui.cadre_dialog import CadreDialog
from fupin_desktop.ui.lists import Align, Column, RowsView
from fupin_desktop.ui.ops import DbOps

_ALIGNS: tuple[Align, ...] = ("left", "centre", "left", "left", "left", "centre", "right", "centre")


class CadresTab(QWidget):
    """Table of cadres with 添加 / 编辑 / 离任 buttons (and each one's households)."""

    shows = frozenset({"cadre", "household"})
    HEADERS = (QT_TRANSLATE_NOOP("CadresTab", "姓名"), QT_TRANSLATE_NOOP("CadresTab", "身份"),
               QT_TRANSLATE_NOOP("CadresTab", "单位"), QT_TRANSLATE_NOOP("CadresTab", "职务"),
               QT_TRANSLATE_NOOP("CadresTab", "联系电话"), QT_TRANSLATE_NOOP("CadresTab", "到任日期"),
               QT_TRANSLATE_NOOP("CadresTab", "结对户数"), QT_TRANSLATE_NOOP("CadresTab", "照片"))

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.rows: list[CadreRow] = []
        self.dialog: CadreDialog | None = None  # the dialog last opened (tests look at it)
        self.table = RowsView([Column(self.tr(h), value, align) for h, value, align in zip(self.HEADERS, (
            lambda c: c.name, lambda c: c.role, lambda c: c.unit, lambda c: c.position, lambda c: c.phone,
            lambda c: c.started_on and c.started_on.isoformat(), lambda c: c.households,
            lambda c: self.tr("有") if c.photo else self.tr("无")),
            _ALIGNS, strict=True)],
            self, empty_text=self.tr("还没有人员，请点“添加…”"))  # nothing is cut off; a narrow window scrolls
        self.table.row_activated.connect(lambda _c: self.edit_selected())
        self.summary = QLabel(self)
        self.add_button = QPushButton(self.tr("添加…"), self)
        self.edit_button = QPushButton(self.tr("编辑…"), self)
        self.retire_button = QPushButton(self.tr("离任/移除…"), self)
        permissions.write_action(self.add_button, self.edit_button, self.retire_button)  # a double-click shows
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.retire_button.clicked.connect(self.retire_selected)
        self.table.needs_row(self.edit_button, self.retire_button)
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.retire_button):
            side.addWidget(button)
        side.addStretch(1)
        main = QVBoxLayout()
        main.addWidget(self.table, 1)
        main.addWidget(self.summary)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(main, 1)
        layout.addLayout(side)

    def refresh(self, select: uuid.UUID | None = None) -> None:
        current = select or self.selected_id()
        self._ops.query(list_cadres, success=lambda rows: self._show(rows, current), parent=self)

    def _show(self, rows: list[CadreRow], select: uuid.UUID | None) -> None:
        self.rows = rows
        self.table.set_rows(rows)
        helpers = [c for c in rows if c.households]
        self.summary.setText(self.tr("共{n}人；{h}人结对帮扶{k}户").format(
            n=len(rows), h=len(helpers), k=sum(c.households for c in helpers)))
        if select is not None:
            self.table.select(select)

    def selected(self) -> CadreRow | None:
        return self.table.current()

    def selected_id(self) -> uuid.UUID | None:
        cadre = self.selected()
        return cadre.id if cadre else None

    def add(self) -> None:
        self._open(CadreDialog(self._ops, parent=self))

    def edit_selected(self) -> None:
        cadre = self.selected()
        if cadre is not None:
            self._open(CadreDialog(self._ops, cadre.id, cadre.form(), parent=self, photo=cadre.photo))

    def _open(self, dialog: CadreDialog) -> None:
        permissions.restrict(dialog, self._ops)  # a reader sees the form, cannot save it
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._dialog_finished(dialog, result))
        dialog.open()

    def _dialog_finished(self, dialog: CadreDialog, result: int) -> None:
        if result == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh(dialog.saved_id)
        dialog.deleteLater()

    def retire_selected(self) -> None:
        cadre = self.selected()
        if cadre is None:
            return
        successor: uuid.UUID | None = None
        if cadre.households:
            successor = self._ask_successor(cadre)
            if successor is None:
                return
        else:
            answer = QMessageBox.question(
                self, self.tr("离任/移除"),
                self.tr("确定让{name}（{role}）离任吗？\n离任后不再出现在名单中，以往记录保留。").format(
                    name=cadre.name, role=cadre.role),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._ops.write(lambda s: retire_cadre(s, cadre.id, reassign_to=successor), parent=self,
                        success=lambda _r: self.refresh())

    def _ask_successor(self, cadre: CadreRow) -> uuid.UUID | None:
        others = [c for c in self.rows if c.id != cadre.id]
        if not others:
            QMessageBox.information(self, self.tr("离任/移除"), self.tr(
                "{name}还是{n}户的帮扶责任人。请先添加接手这些户的帮扶人，再办理离任。").format(
                name=cadre.name, n=cadre.households))
            return None
        names = [f"{c.name}（{c.role}，已结对{c.households}户）" for c in others]
        picked, ok = QInputDialog.getItem(self, self.tr("改派帮扶户"), self.tr(
            "{name}还是{n}户的帮扶责任人。\n请选择接手这些户的帮扶人：").format(name=cadre.name, n=cadre.households),
            names, 0, False)
        return others[names.index(picked)].id if ok and picked in names else None
