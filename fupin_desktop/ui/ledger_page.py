"""台账: the problem-rectification ledger (问题整改台账, overdue in red, the daily dispatch summary)
and the team's presence log (驻村考勤: a month grid, days in the village, filed leave)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.rows import CADRES, HOUSEHOLDS, LEDGER, VISITS
from fupin_desktop.domain.visits import (
    CLOSED,
    IN_PROGRESS,
    IN_VILLAGE,
    LEDGER_SOURCES,
    ON_BUSINESS,
    OPEN,
    PRESENCE_SHORT,
    REST,
)
from fupin_desktop.services.forms import load_ledger_dialog
from fupin_desktop.services.ledger import (
    LedgerQuery,
    LedgerRow,
    LedgerSummary,
    daily_summary,
    delete_ledger_item,
    list_ledger,
    reopen_ledger_item,
    start_rectification,
)
from fupin_desktop.services.presence import LeaveRow, PresenceMonth, leave_records, month_presence, set_presence_days
from fupin_desktop.ui import permissions
from fupin_desktop.ui.form_widgets import ERROR_COLOUR, push_button, qdate, search_delay
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.rectification_dialogs import CloseDialog, LeaveDialog, LedgerItemDialog
from fupin_desktop.ui.tabbed_page import tab_page
from fupin_desktop.ui.tables import fit_columns

if TYPE_CHECKING:  # ops gives the work a session; this page only names it
    from sqlalchemy.orm import Session

_STATE_COLOURS = {IN_VILLAGE: "#d8f0d8", ON_BUSINESS: "#d6e6fa", "请假(备案)": "#fde2c8", REST: "#eeeeee"}


def ledger_columns() -> list[Column[LedgerRow]]:
    return [
        Column("编号", lambda r: r.number, "centre"), Column("状态", lambda r: r.status, "centre"),
        Column("来源", lambda r: r.source, "centre"), Column("发现日期", lambda r: r.received_on.isoformat(), "centre"),
        Column("问题描述", lambda r: r.description, tooltip=True, max_chars=22),
        Column("类别", lambda r: r.category), Column("所涉农户", lambda r: r.household or "（村级）", max_chars=14),
        Column("责任人", lambda r: r.responsible),
        Column("整改措施", lambda r: r.measure, tooltip=True, max_chars=14),
        Column("整改期限", lambda r: r.deadline.isoformat() if r.deadline else "", "centre"),
        Column("佐证", lambda r: f"{r.evidence_files}份" if r.evidence_files else ("说明" if r.evidence_note else ""),
               "centre"),
        Column("验收人", lambda r: r.verifier, max_chars=10),
        Column("销号日期", lambda r: r.closed_on.isoformat() if r.closed_on else "", "centre"),
    ]


def leave_columns() -> list[Column[LeaveRow]]:
    return [
        Column("姓名", lambda r: r.cadre), Column("假别", lambda r: r.kind),
        Column("开始", lambda r: r.starts_on.isoformat(), "centre"),
        Column("结束", lambda r: r.ends_on.isoformat(), "centre"), Column("天数", lambda r: r.days, "centre"),
        Column("事由", lambda r: r.reason), Column("备案", lambda r: r.filed_with),
    ]


class LedgerPage(QWidget):
    """The 台账 page."""

    shows = LEDGER | CADRES | HOUSEHOLDS | VISITS

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._month: PresenceMonth | None = None
        self.dialog: QDialog | None = None  # the dialog last opened (tests look at it)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._ledger_tab(), self.tr("问题整改台账"))
        self.tabs.addTab(self._presence_tab(), self.tr("驻村考勤"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.tabs)

    # -- the rectification ledger ---------------------------------------------------------------------

    def _ledger_tab(self) -> QWidget:
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_filter = QComboBox(self)
        for text, key in ((self.tr("未销号"), "open"), (self.tr("逾期"), "overdue"), (self.tr("未整改"), OPEN),
                          (self.tr("整改中"), IN_PROGRESS), (self.tr("已销号"), CLOSED), (self.tr("全部"), None)):
            self.status_filter.addItem(text, key)
        self.source_filter = QComboBox(self)
        self.source_filter.addItem(self.tr("全部来源"), None)
        for s in LEDGER_SOURCES:
            self.source_filter.addItem(s, s)
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(self.tr("搜索：问题、编号、户编号、户主"))
        self.search_box.setClearButtonEnabled(True)
        self.table = RowsView(ledger_columns(), self, fit="once", colour=lambda r: ERROR_COLOUR if r.overdue
                              else "#808080" if r.status == CLOSED else None)
        self.model = self.table.rows_model
        self.table.row_activated.connect(lambda _r: self.edit_current())
        self.table.current_changed.connect(self._selection_changed)
        self.new_button = push_button(self.tr("新增问题…"), self.new_item, self)
        self.edit_button = push_button(self.tr("编辑…"), self.edit_current, self)
        self.start_button = push_button(self.tr("开始整改"), self.start_current, self)
        self.close_button = push_button(self.tr("销号…"), self.close_current, self)
        self.reopen_button = push_button(self.tr("退回整改"), self.reopen_current, self)
        self.delete_button = push_button(self.tr("删除…"), self.delete_current, self)
        permissions.write_action(self.new_button, self.edit_button, self.start_button, self.close_button,
                                 self.reopen_button, self.delete_button)  # a double-click shows the problem
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("状态")))
        filters.addWidget(self.status_filter)
        filters.addWidget(self.source_filter)
        filters.addWidget(self.search_box, 1)
        filters.addWidget(self.new_button)
        actions = QHBoxLayout()
        for b in (self.edit_button, self.start_button, self.close_button, self.reopen_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        search_delay(self.search_box, self.load_ledger)
        self.status_filter.currentIndexChanged.connect(self.load_ledger)
        self.source_filter.currentIndexChanged.connect(self.load_ledger)
        self._selection_changed()
        return tab_page(self.summary_label, filters, (self.table, 1), actions)

    def refresh(self) -> None:
        self.load_ledger()
        self.load_month()

    def query(self) -> LedgerQuery:
        key = self.status_filter.currentData()
        return LedgerQuery(status=key if key in (OPEN, IN_PROGRESS, CLOSED) else None, open_only=key == "open",
                           overdue_only=key == "overdue", source=self.source_filter.currentData(),
                           text=self.search_box.text().strip(), limit=2000)

    def load_ledger(self) -> None:
        q, today = self.query(), clock.today()
        self._ops.query(lambda s: list_ledger(s, q, today=today), success=self._show_ledger, parent=self)
        self._ops.query(lambda s: daily_summary(s, today), success=self._show_summary, parent=self)

    def _show_summary(self, summary: LedgerSummary) -> None:
        self.summary_label.setText(summary.text())

    def _show_ledger(self, rows: list[LedgerRow]) -> None:
        self.table.set_rows(rows)

    def _current(self) -> LedgerRow | None:
        return self.table.current()

    def _selection_changed(self, *_args: object) -> None:
        r = self._current()
        self.edit_button.setEnabled(r is not None and r.status != CLOSED)
        self.start_button.setEnabled(r is not None and r.status == OPEN)
        self.close_button.setEnabled(r is not None and r.status != CLOSED)
        self.reopen_button.setEnabled(r is not None and r.status == CLOSED)
        self.delete_button.setEnabled(r is not None)

    def _changed(self, *_args: object) -> None:
        self.load_ledger()

    def _open(self, dialog) -> None:
        permissions.restrict(dialog, self._ops)  # a reader sees the form, cannot save it
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._changed)
        self.dialog = dialog
        dialog.open()

    def new_item(self) -> None:
        self._ops.query(load_ledger_dialog, success=lambda d: self._open(LedgerItemDialog(self._ops, d, self)),
                        parent=self)

    def edit_current(self) -> None:
        r = self._current()
        if r is not None and r.status != CLOSED:
            self._ops.query(lambda s: load_ledger_dialog(s, r),
                            success=lambda d: self._open(LedgerItemDialog(self._ops, d, self)), parent=self)

    def _write_current(self, op: Callable[[Session, uuid.UUID], object]) -> None:
        """Do `op` to the chosen problem (its id), then reload."""
        r = self._current()
        if r is not None:
            self._ops.write(lambda s: op(s, r.id), success=self._changed, parent=self)

    def start_current(self) -> None:
        self._write_current(start_rectification)

    def close_current(self) -> None:
        r = self._current()
        if r is not None:
            self._open(CloseDialog(self._ops, r, self))

    def reopen_current(self) -> None:
        self._write_current(reopen_ledger_item)

    def delete_current(self) -> None:
        r = self._current()
        if r is None:
            return
        answer = QMessageBox.question(self, self.tr("删除整改问题"), self.tr(
            "删除问题 {n}“{d}”？\n只删除误录的问题；已整改的问题请销号。").format(n=r.number, d=r.description[:40]))
        if answer == QMessageBox.StandardButton.Yes:
            self._ops.write(lambda s: delete_ledger_item(s, r.id), success=self._changed, parent=self)

    # -- presence ------------------------------------------------------------------------------------

    def _presence_tab(self) -> QWidget:
        self.month_edit = QDateEdit(qdate(clock.today()), self)
        self.month_edit.setDisplayFormat("yyyy年MM月")
        self.month_edit.setMaximumDate(qdate(clock.today()).addMonths(3))
        self.month_edit.dateChanged.connect(lambda _d: self.load_month())
        self.grid = QTableWidget(0, 0, self)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.state_buttons = {}
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("月份")))
        row.addWidget(self.month_edit)
        row.addSpacing(16)
        set_label = QLabel(self.tr("选中的日子设为："), self)
        row.addWidget(set_label)
        for state in (IN_VILLAGE, ON_BUSINESS, REST, None):
            button = QPushButton(state or self.tr("清除"), self)
            button.clicked.connect(lambda _c=False, st=state: self.set_selected(st))
            self.state_buttons[state] = button
            row.addWidget(button)
        self.leave_button = push_button(self.tr("登记请假…"), self.add_leave, self)
        permissions.write_action(set_label, *self.state_buttons.values(), self.leave_button)
        row.addWidget(self.leave_button)
        row.addStretch(1)
        self.presence_note = QLabel(
            self.tr("在＝在村　公＝公务外出　假＝请假(备案)　休＝休息；请假须先备案，用“登记请假…”。"), self)
        self.presence_note.setForegroundRole(self.presence_note.foregroundRole())
        self.leave_table = RowsView(leave_columns(), browse=False, fit=None, empty_text=self.tr("本年没有请假记录"))
        return tab_page(row, self.presence_note, (self.grid, 2), QLabel(self.tr("本年请假备案")),
                        (self.leave_table, 1))

    def month(self) -> tuple[int, int]:
        d = self.month_edit.date()
        return d.year(), d.month()

    def load_month(self) -> None:
        year, month = self.month()
        self._ops.query(lambda s: month_presence(s, year, month), success=self._show_month, parent=self)
        self._ops.query(lambda s: leave_records(s, year=year), success=self._show_leave, parent=self)

    def _show_month(self, m: PresenceMonth) -> None:
        self._month = m
        weekdays = "一二三四五六日"
        totals = [self.tr("在村"), self.tr("公务"), self.tr("请假"), self.tr("休息"), self.tr("未登记")]
        self.grid.clear()
        self.grid.setRowCount(len(m.cadres))
        self.grid.setColumnCount(len(m.days) + len(totals))
        self.grid.setHorizontalHeaderLabels([f"{d.day}\n{weekdays[d.weekday()]}" for d in m.days] + totals)
        self.grid.setVerticalHeaderLabels([c.name for c in m.cadres])
        for r, c in enumerate(m.cadres):
            self.grid.verticalHeaderItem(r).setToolTip(c.role)
        today = clock.today()
        for r, c in enumerate(m.cadres):
            for col, d in enumerate(m.days):
                state = c.states.get(d)
                item = QTableWidgetItem(PRESENCE_SHORT.get(state or "", ""))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if state:
                    item.setBackground(QColor(_STATE_COLOURS.get(state, "#ffffff")))
                    item.setToolTip(f"{d} {state}")
                elif d > today:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.grid.setItem(r, col, item)
            for k, value in enumerate((c.in_village, c.on_business, c.on_leave, c.rest, c.unrecorded)):
                item = QTableWidgetItem(str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if k == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.grid.setItem(r, len(m.days) + k, item)
        width = self.fontMetrics().horizontalAdvance("30") + 12
        for col in range(len(m.days)):
            self.grid.setColumnWidth(col, width)
        for col in range(len(m.days), self.grid.columnCount()):
            self.grid.setColumnWidth(col, self.fontMetrics().horizontalAdvance("未登记") + 8)
        self.grid.horizontalHeader().setMinimumSectionSize(width)

    def _show_leave(self, rows: list[LeaveRow]) -> None:
        self.leave_table.set_rows(rows)
        fit_columns(self.leave_table, stretch=5)

    def selected_days(self) -> dict[uuid.UUID, list[date]]:
        """The selected grid cells as days per cadre (total columns ignored)."""
        out: dict[uuid.UUID, list[date]] = {}
        if self._month is None:
            return out
        for index in self.grid.selectedIndexes():
            if index.column() < len(self._month.days):
                cadre = self._month.cadres[index.row()].cadre_id
                out.setdefault(cadre, []).append(self._month.days[index.column()])
        return out

    def set_selected(self, state: str | None) -> None:
        chosen = self.selected_days()
        if not chosen:
            return
        today = clock.today()

        self._ops.write(lambda s: set_presence_days(s, chosen, state, today=today),
                        success=lambda _n: self.load_month(), parent=self)

    def add_leave(self) -> None:
        if self._month is None or not self._month.cadres:
            return
        chosen = self.selected_days()
        row = max(0, self.grid.currentRow())
        cadre = self._month.cadres[row]
        start = min(chosen.get(cadre.cadre_id, [clock.today()]))
        dialog = LeaveDialog(self._ops, cadre.cadre_id, cadre.name, start, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.load_month)
        self.dialog = dialog
        dialog.open()
