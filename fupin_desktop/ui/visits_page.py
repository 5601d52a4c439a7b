"""走访: the visit log (paged in SQL, newest first), the households due a visit under the rules, and
the coming Saturday's 扶贫日 list; record a visit from any of them."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.rows import CADRES, HOUSEHOLDS, PLANS, VILLAGE, VISITS, Page
from fupin_desktop.domain.visits import PERIODS, VISIT_TYPES, VisitRule
from fupin_desktop.domain.vocab import HOUSEHOLD_STATUSES
from fupin_desktop.errors import FupinError, ValidationError
from fupin_desktop.services.forms import load_visit_form
from fupin_desktop.services.visits import (
    DueVisitRow,
    VisitQuery,
    VisitRow,
    delete_visit,
    due_visits,
    list_visits,
    saturday_list,
    save_visit_rules,
    serving_cadres,
    visit_rules,
)
from fupin_desktop.ui import fit, permissions
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import ERROR_COLOUR, search_delay
from fupin_desktop.ui.lists import Column, ListPage, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.tabbed_page import tab_page
from fupin_desktop.ui.visit_form import VisitFormDialog

if TYPE_CHECKING:
    from sqlalchemy.orm import Session



def visit_columns() -> list[Column[VisitRow]]:
    return [
        Column("走访日期", lambda r: r.visited_on.isoformat(), "centre"),
        Column("时间", lambda r: f"{r.visited_at:%H:%M}" if r.visited_at else "", "centre"),
        Column("户编号", lambda r: r.household_number), Column("户主", lambda r: r.head_name),
        Column("走访类型", lambda r: r.visit_type), Column("走访人", lambda r: r.visitors),
        Column("发现问题", lambda r: f"{r.problems}项" if r.problems else "", "centre",
               colour=lambda r: ERROR_COLOUR if r.problems else None),
        Column("农户确认", lambda r: "已确认" if r.confirmed else "", "centre"),
    ]


def due_columns() -> list[Column[DueVisitRow]]:
    return [
        Column("应走访日期", lambda r: r.due.isoformat(), "centre"), Column("户编号", lambda r: r.number),
        Column("户主", lambda r: r.head_name), Column("村民组", lambda r: r.group),
        Column("户状态", lambda r: r.status), Column("帮扶责任人", lambda r: r.helper or "未指定"),
        Column("本期已走访", lambda r: f"{r.done}/{r.required}", "centre"), Column("依据", lambda r: r.reason),
        Column("上次走访", lambda r: r.last_visit.isoformat() if r.last_visit else "从未", "centre"),
        Column("未整改问题", lambda r: f"{r.open_problems}项" if r.open_problems else "", "centre"),
    ]


def _period_range(key: str, today: date) -> tuple[date | None, date | None]:
    if key == "month":
        return today.replace(day=1), today
    if key == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if key == "30":
        return today - timedelta(days=29), today
    if key == "year":
        return date(today.year, 1, 1), today
    return None, None


class VisitsPage(ListPage):
    """The 走访 page."""

    shows = VISITS | HOUSEHOLDS | VILLAGE | CADRES | PLANS
    PAGE_SIZE = 100

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, RowsView(visit_columns(), fit="once"), parent)
        self.model = self.table.rows_model
        self._offset = 0
        self._total = 0
        self.form_dialog: VisitFormDialog | None = None  # the form last opened (tests look at it)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._log_tab(), self.tr("走访记录"))
        self.tabs.addTab(self._due_tab(), self.tr("待走访"))
        self.tabs.addTab(self._saturday_tab(), self.tr("周六扶贫日"))
        self.tabs.currentChanged.connect(lambda _i: self.refresh_due())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.tabs)

    # -- tabs ----------------------------------------------------------------------------------------

    def _log_tab(self) -> QWidget:
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(self.tr("农户：姓名、拼音首字母、户编号"))
        self.search_box.setClearButtonEnabled(True)
        self.type_filter = QComboBox(self)
        self.type_filter.addItem(self.tr("全部类型"), None)
        for t in VISIT_TYPES:
            self.type_filter.addItem(t, t)
        self.visitor_filter = QComboBox(self)
        self.visitor_filter.addItem(self.tr("全部走访人"), None)
        self.period_filter = QComboBox(self)
        for text, key in ((self.tr("全部日期"), None), (self.tr("本月"), "month"), (self.tr("上月"), "last_month"),
                          (self.tr("近30天"), "30"), (self.tr("今年"), "year")):
            self.period_filter.addItem(text, key)
        self.new_button = QPushButton(self.tr("登记走访…"), self)
        self.new_button.setToolTip(self.tr("登记一次走访（Ctrl+N）"))
        self.open_button = QPushButton(self.tr("查看/编辑…"), self)
        self.delete_button = QPushButton(self.tr("删除…"), self)
        self.page_label = QLabel(self)
        self.prev_button = QPushButton(self.tr("上一页"), self)
        self.next_button = QPushButton(self.tr("下一页"), self)
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 1)
        for widget in (self.type_filter, self.visitor_filter, self.period_filter):
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(widget)
        filters.addSpacing(12)
        filters.addWidget(self.new_button)
        pager = QHBoxLayout()
        pager.addWidget(self.open_button)
        pager.addWidget(self.delete_button)
        pager.addStretch(1)
        pager.addWidget(self.page_label)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)
        self._search_timer = search_delay(self.search_box, self.reload)
        for box in (self.type_filter, self.visitor_filter, self.period_filter):
            box.currentIndexChanged.connect(self.reload)
        self.new_button.clicked.connect(lambda: self.new_visit())
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.table.row_activated.connect(lambda _row: self.open_current())
        self.prev_button.clicked.connect(lambda: self._go(self._offset - self.PAGE_SIZE))
        self.next_button.clicked.connect(lambda: self._go(self._offset + self.PAGE_SIZE))
        new_action = QAction(self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_action.triggered.connect(lambda: self.new_visit())
        self.addAction(new_action)
        permissions.write_action(self.new_button, self.delete_button, new_action)
        return tab_page(filters, (self.table, 1), pager)

    def _due_table(self) -> RowsView:
        table = RowsView(due_columns(), self, colour=lambda r: ERROR_COLOUR if r.overdue else None,
                         key=lambda r: r.household_id, fit="once")
        table.row_activated.connect(lambda row: self.new_visit(row.household_id))
        return table

    def _due_tab(self) -> QWidget:
        self.due_table = self._due_table()
        self.due_label = QLabel(self)
        self.helper_filter = QComboBox(self)
        self.helper_filter.addItem(self.tr("全部帮扶责任人"), None)
        self.helper_filter.currentIndexChanged.connect(self.refresh_due)
        self.due_visit_button = QPushButton(self.tr("登记走访…"), self)
        self.due_visit_button.clicked.connect(lambda: self._visit_from(self.due_table))
        self.rules_button = QPushButton(self.tr("走访规则…"), self)
        self.rules_button.clicked.connect(self.edit_rules)
        top = QHBoxLayout()
        top.addWidget(self.due_label, 1)
        top.addWidget(self.helper_filter)
        top.addWidget(self.rules_button)
        top.addWidget(self.due_visit_button)
        permissions.write_action(self.rules_button, self.due_visit_button)
        return tab_page(top, (self.due_table, 1))

    def _saturday_tab(self) -> QWidget:
        self.saturday_table = self._due_table()
        self.saturday_label = QLabel(self)
        self.saturday_label.setWordWrap(True)
        self.saturday_visit_button = QPushButton(self.tr("登记走访…"), self)
        self.saturday_visit_button.clicked.connect(lambda: self._visit_from(self.saturday_table))
        permissions.write_action(self.saturday_visit_button)
        top = QHBoxLayout()
        top.addWidget(self.saturday_label, 1)
        top.addWidget(self.saturday_visit_button)
        return tab_page(top, (self.saturday_table, 1))

    # -- loading -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.open_button.setText(self.tr("查看/编辑…") if permissions.can_write(self._ops) else self.tr("查看…"))
        self._ops.query(serving_cadres, success=self._set_cadres, parent=self)
        self._load()
        self.refresh_due()

    def _load(self) -> None:
        super().refresh()

    def reload(self) -> None:
        self._search_timer.stop()
        self._offset = 0
        self._load()

    def query(self) -> VisitQuery:
        start, end = _period_range(self.period_filter.currentData(), clock.today())
        return VisitQuery(text=self.search_box.text().strip(), visit_type=self.type_filter.currentData(),
                          visitor_id=self.visitor_filter.currentData(), date_from=start, date_to=end,
                          limit=self.PAGE_SIZE, offset=self._offset)

    def reader(self) -> Callable[[Session], Page[VisitRow]]:
        q = self.query()
        return lambda s: list_visits(s, q)

    def loaded(self, page: Page[VisitRow]) -> None:
        self._total = page.total
        self.table.set_rows(page.rows)
        pages = max(1, math.ceil(page.total / self.PAGE_SIZE))
        self.page_label.setText(self.tr("共{total}次走访，第{page}/{pages}页").format(
            total=page.total, page=self._offset // self.PAGE_SIZE + 1, pages=pages) if page.total
            else self.tr("没有走访记录"))
        self.prev_button.setEnabled(self._offset > 0)
        self.next_button.setEnabled(self._offset + self.PAGE_SIZE < page.total)

    def _go(self, offset: int) -> None:
        self._offset = max(0, min(offset, (self._total - 1) // self.PAGE_SIZE * self.PAGE_SIZE))
        self._load()

    def _set_cadres(self, cadres: list[tuple[uuid.UUID, str, str]]) -> None:
        for box, roles in ((self.visitor_filter, None), (self.helper_filter, ("帮扶责任人",))):
            current = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for cadre_id, name, role in cadres:
                if roles is None or role in roles:
                    box.addItem(name if roles else f"{name}（{role}）", cadre_id)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def refresh_due(self) -> None:
        """The due lists are worked out when their tab is shown (they read every household)."""
        helper = self.helper_filter.currentData()
        today = clock.today()
        if self.tabs.currentIndex() == 1:
            self._ops.query(lambda s: due_visits(s, today, helper_id=helper), success=self._show_due, parent=self)
        elif self.tabs.currentIndex() == 2:
            self._ops.query(lambda s: saturday_list(s, today), success=self._show_saturday, parent=self)

    def _show_due(self, rows: list[DueVisitRow]) -> None:
        self.due_table.set_rows(rows)
        overdue = sum(r.overdue for r in rows)
        self.due_label.setText(self.tr("按走访规则，本期还有{n}户待走访，其中逾期{m}户（红色）。").format(
            n=len(rows), m=overdue))

    def _show_saturday(self, result: tuple[date, list[DueVisitRow]]) -> None:
        saturday, rows = result
        self.saturday_table.set_rows(rows)
        self.saturday_label.setText(self.tr(
            "{day:%Y年%m月%d日}（周六）扶贫日走访名单：{n}户。有未整改问题的户、监测户和未脱贫户排在前面，"
            "其次是久未走访的户。").format(day=saturday, n=len(rows)))

    # -- actions -------------------------------------------------------------------------------------

    def _visit_from(self, table: RowsView) -> None:
        row = table.current()
        if row is not None:
            self.new_visit(row.household_id)

    def new_visit(self, household_id: uuid.UUID | None = None) -> None:
        """Open the visit form (for a household, when given); not for a user who may only look
        (a double-click on the due lists comes here)."""
        if not permissions.can_write(self._ops):
            return
        self._ops.query(lambda s: load_visit_form(s, household_id=household_id), success=self._show_form,
                        parent=self)

    def open_visit(self, visit_id: uuid.UUID) -> None:
        self._ops.query(lambda s: load_visit_form(s, visit_id=visit_id), success=self._show_form, parent=self)

    def _show_form(self, data) -> None:
        dialog = VisitFormDialog(self._ops, data, self)
        permissions.restrict(dialog, self._ops)  # a reader sees the visit, cannot change it
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.destroyed.connect(lambda: setattr(self, "form_dialog", None) if self.form_dialog is dialog else None)
        self.form_dialog = dialog
        dialog.open()

    def _saved(self, _result: object) -> None:
        self.refresh()

    def open_current(self) -> None:
        row = self.current()
        if row is not None:
            self.open_visit(row.id)

    def delete_current(self) -> None:
        row = self.current()
        if row is None:
            return
        visit_id = row.id
        answer = QMessageBox.question(self, self.tr("删除走访记录"), self.tr(
            "删除{day}对{household}的走访记录？\n由此列入台账的问题不会删除。").format(
                day=row.visited_on, household=household_name(row.household_number, row.head_name)))
        if answer == QMessageBox.StandardButton.Yes:
            self._ops.write(lambda s: delete_visit(s, visit_id), success=self._saved, parent=self)

    def edit_rules(self) -> None:
        self._ops.query(visit_rules, success=self._show_rules, parent=self)

    def _show_rules(self, rules: list[VisitRule]) -> None:
        dialog = VisitRulesDialog(self._ops, rules, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.refresh_due)
        dialog.open()


class VisitRulesDialog(QDialog):
    """Edit the visit rules: name, how many visits per week/month/quarter, which 户状态, whether only
    the household's own 帮扶责任人 counts."""

    def __init__(self, ops: DbOps, rules: list[VisitRule], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.setWindowTitle(self.tr("走访规则"))
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([self.tr("规则名称"), self.tr("次数"), self.tr("每"),
                                              self.tr("适用户状态"), self.tr("仅帮扶责任人走访计数"),
                                              self.tr("启用")])
        self.table.verticalHeader().hide()
        for rule in rules:
            self.add_rule(rule)
        add = QPushButton(self.tr("添加规则"), self)
        add.clicked.connect(lambda: self.add_rule(VisitRule(self.tr("新规则"), 1, "月")))
        remove = QPushButton(self.tr("删除规则"), self)
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        note = QLabel(self.tr("“适用户状态”用顿号分隔，留空表示所有农户。"
                              "全部删除后恢复默认规则（帮扶责任人每月入户2次）。"))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(3, 360)
        fit.fit_to_screen(self, QSize(1000, 360))

    def add_rule(self, rule: VisitRule) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(rule.name))
        times = QSpinBox(self)
        times.setRange(1, 31)
        times.setValue(rule.times)
        self.table.setCellWidget(row, 1, times)
        period = QComboBox(self)
        period.addItems(list(PERIODS))
        period.setCurrentText(rule.period)
        self.table.setCellWidget(row, 2, period)
        self.table.setItem(row, 3, QTableWidgetItem("、".join(rule.statuses)))
        for column, value in ((4, rule.by_helper), (5, rule.active)):
            box = QCheckBox(self)
            box.setChecked(value)
            self.table.setCellWidget(row, column, box)

    def rules(self) -> list[VisitRule]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item else ""

        out = []
        for row in range(self.table.rowCount()):
            statuses = tuple(s.strip() for s in text(row, 3).replace(",", "、").replace("，", "、").split("、")
                             if s.strip())
            out.append(VisitRule(text(row, 0),
                                 self.table.cellWidget(row, 1).value(),  # type: ignore[attr-defined]
                                 self.table.cellWidget(row, 2).currentText(),  # type: ignore[attr-defined]
                                 statuses, self.table.cellWidget(row, 4).isChecked(),  # type: ignore[attr-defined]
                                 self.table.cellWidget(row, 5).isChecked()))  # type: ignore[attr-defined]
        return out

    def save(self) -> None:
        rules = self.rules()
        self._ops.write(lambda s: save_visit_rules(s, rules), success=lambda _r: self.accept(), parent=self,
                        failure=self._failed)

    def _failed(self, error: FupinError) -> None:
        if isinstance(error, ValidationError):
            hint = self.tr("可选户状态：{s}").format(s="、".join(HOUSEHOLD_STATUSES))
            show_error(self, FupinError(f"{error}\n{hint}"))
        else:
            show_error(self, error)
