"""Dialogs of the 退出程序 tab: 双认定 (the government's and the household's confirmation) and the
village exit checklist (each item met / not met with its evidence and date)."""

from datetime import date

from PySide6.QtCore import QDate, QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import exit_rules
from fupin_desktop.domain import registers as reg
from fupin_desktop.services.exits import ProcedureRow, VillageExit
from fupin_desktop.ui import fit
from fupin_desktop.ui.form_widgets import date_edit, ok_cancel


class ConfirmationDialog(QDialog):
    """双认定 of one exit: tick the side(s) being recorded now; both are needed before 脱贫销号."""

    def __init__(self, p: ProcedureRow, members: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        c = p.confirmation
        self.setWindowTitle(self.tr("双认定 — {number} {head}").format(number=p.household_number, head=p.head_name))
        self.government = QCheckBox(self.tr("政府（乡镇）认定"))
        self.government.setChecked(c.government_on is None)
        self.government_by = QLineEdit(c.government_by or "")
        self.government_by.setPlaceholderText(self.tr("认定单位或签字人，如 汜水镇人民政府"))
        self.government_on = date_edit(c.government_on)
        self.household = QCheckBox(self.tr("农户确认（在退出确认表上签字或按手印）"))
        self.household.setChecked(c.household_on is None)
        self.signer = QComboBox()
        self.signer.addItems(members)
        if c.household_signer in members:
            self.signer.setCurrentText(c.household_signer)
        self.method = QComboBox()
        self.method.addItems(exit_rules.SIGN_METHODS)
        if c.sign_method:
            self.method.setCurrentText(c.sign_method)
        self.household_on = date_edit(c.household_on)
        note = QLabel(self.tr("政府认定和农户确认缺一不可，否则不能脱贫销号（防止“被脱贫”“数字脱贫”）。"))
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow(self.government)
        form.addRow(self.tr("认定单位"), self.government_by)
        form.addRow(self.tr("认定日期"), self.government_on)
        form.addRow(self.household)
        form.addRow(self.tr("签字或按手印的人"), self.signer)
        form.addRow(self.tr("方式"), self.method)
        form.addRow(self.tr("确认日期"), self.household_on)
        form.addRow(ok_cancel(self, self.tr("保存")))


class VillageChecklistDialog(QDialog):
    """The village exit checklist of a year: state, evidence, date checked and a note per item."""

    COLUMNS = ("核查项目", "结果", "依据", "核查日期", "说明")

    def __init__(self, v: VillageExit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("{year}年贫困村退出核查").format(year=v.year))
        self.table = QTableWidget(len(v.items), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.states: list[QComboBox] = []
        self.dates: list[QDateEdit] = []
        self.original = {i.item: i for i in v.items}
        for r, i in enumerate(v.items):
            name = QTableWidgetItem(i.item)
            name.setFlags(name.flags() & ~name.flags().ItemIsEditable)
            self.table.setItem(r, 0, name)
            state = QComboBox()
            state.addItems(reg.ITEM_STATES)
            state.setCurrentText(i.state)
            self.states.append(state)
            self.table.setCellWidget(r, 1, state)
            self.table.setItem(r, 2, QTableWidgetItem(i.evidence or ""))
            day = date_edit(i.checked_on)
            if i.checked_on is None:
                day.setSpecialValueText(" ")
                day.setMinimumDate(QDate(2000, 1, 1))
                day.setDate(day.minimumDate())
            self.dates.append(day)
            self.table.setCellWidget(r, 3, day)
            self.table.setItem(r, 4, QTableWidgetItem(i.note or ""))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        hint = QLabel(self.tr("标为“达标”须写明依据（验收文件、照片等）和核查日期。"
                              "贫困发生率须低于2%，各项均达标方可退出。"))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(ok_cancel(self, self.tr("保存")))
        fit.fit_to_screen(self, QSize(1000, 560))

    def changed_items(self) -> list[tuple[str, str, str | None, date | None, str | None]]:
        """(item, state, evidence, checked on, note) of every row the user changed."""
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0).text()
            day = self.dates[r].date()
            checked = None if day == self.dates[r].minimumDate() and self.dates[r].specialValueText() else \
                day.toPython()
            values = (item, self.states[r].currentText(), self.table.item(r, 2).text().strip() or None, checked,
                      self.table.item(r, 4).text().strip() or None)
            o = self.original[item]
            if values != (o.item, o.state, o.evidence, o.checked_on, o.note):
                out.append(values)
        return out
