"""农户: search the register as you type, filter by 村民组 and 户状态, sort, page, open a household."""

import math
import uuid

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.rows import Page
from fupin_desktop.domain.vocab import HOUSEHOLD_STATUSES
from fupin_desktop.services.search import HouseholdQuery, search_households
from fupin_desktop.services.village import group_names
from fupin_desktop.ui.household_detail import HouseholdDetailDialog, HouseholdView, load_household
from fupin_desktop.ui.household_model import HouseholdTableModel
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.tables import compact_rows


class HouseholdsPage(QWidget):
    """The household register: one search box, two filters, a sortable paged table.

    Sorting and paging happen in SQL (HouseholdQuery.sort/descending/limit/offset), so the page
    stays fast however large the register is.
    """

    PAGE_SIZE = 100
    SEARCH_DELAY_MS = 250  # long enough to skip the keystrokes in between, short enough to feel instant

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._offset = 0
        self._total = 0
        self._sort_column = HouseholdTableModel.COL_NUMBER
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._columns_fitted = False
        self.model = HouseholdTableModel(self)
        self._build_widgets()
        self._build_layout()
        self._connect()

    def _build_widgets(self) -> None:
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(self.tr("搜索：姓名、拼音首字母（如 zsm）、身份证号片段、户编号"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(200)
        self.group_box = QComboBox(self)
        self.status_box = QComboBox(self)
        self.status_box.addItem(self.tr("全部户状态"), None)
        for status in HOUSEHOLD_STATUSES:
            self.status_box.addItem(status, status)
        for box in (self.group_box, self.status_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self._sort_column, self._sort_order)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self.prev_button = QPushButton(self.tr("上一页"), self)
        self.next_button = QPushButton(self.tr("下一页"), self)
        self.detail_button = QPushButton(self.tr("查看详情…"), self)
        self.detail_button.setEnabled(False)
        self.page_label = QLabel(self)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search_box, 1)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("村民组")))
        filters.addWidget(self.group_box)
        filters.addSpacing(12)
        filters.addWidget(QLabel(self.tr("户状态")))
        filters.addWidget(self.status_box)
        pager = QHBoxLayout()
        pager.addWidget(self.detail_button)
        pager.addStretch(1)
        pager.addWidget(self.page_label)
        pager.addSpacing(12)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(pager)

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())  # restart the wait
        self.search_box.returnPressed.connect(self.reload)
        self.group_box.currentIndexChanged.connect(self.reload)
        self.status_box.currentIndexChanged.connect(self.reload)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort_changed)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail_button.clicked.connect(lambda: self._open_index(self.table.currentIndex()))
        self.prev_button.clicked.connect(lambda: self._go(self._offset - self.PAGE_SIZE))
        self.next_button.clicked.connect(lambda: self._go(self._offset + self.PAGE_SIZE))
        open_action = QAction(self.table)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(lambda: self._open_index(self.table.currentIndex()))
        self.table.addAction(open_action)
        find_action = QAction(self)
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find_action.triggered.connect(self.focus_search)
        self.addAction(find_action)

    # -- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the group list and the current page (after data changed elsewhere)."""
        self._ops.query(group_names, success=self._set_groups, parent=self)
        self._load()

    def reload(self) -> None:
        """Search again from the first page (the query text or a filter changed)."""
        self._search_timer.stop()
        self._offset = 0
        self._load()

    def query(self) -> HouseholdQuery:
        """What the widgets currently ask for."""
        return HouseholdQuery(
            text=self.search_box.text().strip(), group=self.group_box.currentData(),
            status=self.status_box.currentData(), sort=HouseholdTableModel.SORT_KEYS[self._sort_column],
            descending=self._sort_order == Qt.SortOrder.DescendingOrder, limit=self.PAGE_SIZE,
            offset=self._offset)

    def _load(self) -> None:
        query = self.query()
        self._ops.query(lambda s: search_households(s, query), success=self._show_page, parent=self)

    def _show_page(self, page: Page) -> None:
        self._total = page.total
        if not page.rows and self._offset > 0 and page.total:  # households went away: show the last page
            self._go(self._offset)
            return
        self.model.set_rows(page.rows)
        if page.rows and not self._columns_fitted:  # once, so columns do not jump while typing
            self._fit_columns()
        pages = max(1, math.ceil(page.total / self.PAGE_SIZE))
        current = self._offset // self.PAGE_SIZE + 1
        if page.total:
            self.page_label.setText(self.tr("共{total}户，第{page}/{pages}页").format(
                total=page.total, page=current, pages=pages))
        elif self._filtered():
            self.page_label.setText(self.tr("没有找到符合条件的农户"))
        else:
            self.page_label.setText(self.tr("本村还没有登记农户"))
        self.prev_button.setEnabled(self._offset > 0)
        self.next_button.setEnabled(self._offset + self.PAGE_SIZE < page.total)
        self.detail_button.setEnabled(False)

    def _filtered(self) -> bool:
        q = self.query()
        return bool(q.text or q.group or q.status)

    def _fit_columns(self) -> None:
        """Contents plus some air; room for four-character names that may be on later pages."""
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 16)
        name_width = self.fontMetrics().horizontalAdvance("欧阳某某") + 16
        for column in (HouseholdTableModel.COL_HEAD, HouseholdTableModel.COL_HELPER):
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), name_width))
        self._columns_fitted = True

    def _set_groups(self, names: list[str]) -> None:
        current = self.group_box.currentData()
        self.group_box.blockSignals(True)  # refilling is not a filter change
        self.group_box.clear()
        self.group_box.addItem(self.tr("全部村民组"), None)
        for name in names:
            self.group_box.addItem(name, name)
        self.group_box.setCurrentIndex(max(0, self.group_box.findData(current)))
        self.group_box.blockSignals(False)

    def _go(self, offset: int) -> None:
        self._offset = max(0, min(offset, (self._total - 1) // self.PAGE_SIZE * self.PAGE_SIZE))
        self._load()
        self.table.scrollToTop()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column not in HouseholdTableModel.SORT_KEYS:  # e.g. 身份证号: keep the current sort
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self._sort_column, self._sort_order)
            header.blockSignals(False)
            return
        self._sort_column, self._sort_order = column, order
        self.reload()

    # -- details ---------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _selection_changed(self) -> None:
        self.detail_button.setEnabled(self.table.selectionModel().hasSelection())

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_household(index.data(HouseholdTableModel.IdRole))

    def open_household(self, household_id: uuid.UUID) -> None:
        """Show the household's details in a dialog (not modal, so the list stays usable)."""
        self._ops.query(lambda s: load_household(s, household_id), success=self._show_detail, parent=self)

    def _show_detail(self, view: HouseholdView) -> None:
        dialog = HouseholdDetailDialog(view, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
