"""农户: search the register as you type, filter by 村民组, 户状态, 户属性 and 致贫原因, sort, page,
choose columns, open a household; add, edit and delete households (with an undo right after a
delete); import an Excel roster and export the list."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import idcard
from fupin_desktop.domain.rows import CADRES, HOUSEHOLDS, REFERENCE, VILLAGE, HouseholdRow, Page
from fupin_desktop.domain.vocab import HOUSEHOLD_STATUSES
from fupin_desktop.services.households import delete_household, restore_household
from fupin_desktop.services.reference import attribute_names, cause_names
from fupin_desktop.services.search import HouseholdQuery, search_households
from fupin_desktop.services.village import group_names
from fupin_desktop.ui import permissions
from fupin_desktop.ui.lists import Column, ListPage, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.printing import PrintRunner, household_print_menu, print_card

if TYPE_CHECKING:  # the detail and the editor load when first opened, not at start
    from sqlalchemy.orm import Session

    from fupin_desktop.services.forms import EditorData, HouseholdView
    from fupin_desktop.ui.household_detail import HouseholdDetailDialog
    from fupin_desktop.ui.household_editor import HouseholdEditor
    from fupin_desktop.ui.runner import Task


(COL_NUMBER, COL_HEAD, COL_ID_NUMBER, COL_GROUP, COL_STATUS, COL_MEMBERS, COL_PHONE, COL_HELPER, COL_ATTRIBUTES,
 COL_CAUSE) = range(10)
HIDDEN_AT_FIRST = (COL_ATTRIBUTES, COL_CAUSE)  # the user shows them from the header's menu


@dataclass
class ShownAs:
    """What the register's columns show besides the row: names of the codes, masked ID numbers."""

    attributes: dict[str, str] = field(default_factory=dict)
    causes: dict[str, str] = field(default_factory=dict)
    mask_ids: bool = False  # 410182********0011, for a user who may only look


def household_columns(shown: ShownAs) -> list[Column[HouseholdRow]]:
    """The register's columns; `sql` names the sort the search service does."""
    return [
        Column("户编号", lambda r: r.number, sql="number"),
        # four-character names on later pages; the member a search found when it is not the head
        Column("户主", lambda r: f"{r.head_name}（找到{r.matched}）" if r.matched else r.head_name, sql="head",
               min_chars=4),
        Column("身份证号", lambda r: idcard.mask(r.head_id_number) if shown.mask_ids and r.head_id_number
               else r.head_id_number),
        Column("村民组", lambda r: r.group, sql="group"),
        Column("户状态", lambda r: r.status, sql="status"),
        Column("人口", lambda r: r.members, "centre", sql="members"),
        Column("联系电话", lambda r: r.phone),
        Column("帮扶责任人", lambda r: r.helper, min_chars=4),
        Column("户属性", lambda r: "、".join(shown.attributes.get(c, c) for c in r.attributes)),
        Column("主要致贫原因", lambda r: shown.causes.get(r.main_cause, r.main_cause) if r.main_cause else None),
    ]


class HouseholdsPage(ListPage):
    """The household register: one search box, four filters, a sortable paged table with a choice of
    columns, Excel import and export of the list.

    Sorting and paging happen in SQL (HouseholdQuery.sort/descending/limit/offset), so the page
    stays fast however large the register is.

    Signals:
        visit_requested(uuid): 登记走访 for this household (the window opens the visit form).
        plan_requested(uuid): 帮扶计划 of this household (the window shows it on its page).
    """

    shows = HOUSEHOLDS | VILLAGE | CADRES | REFERENCE  # groups, helpers, attribute and cause names
    visit_requested = Signal(object)
    plan_requested = Signal(object)

    PAGE_SIZE = 100
    SEARCH_DELAY_MS = 80  # the pause that ends a burst of fast typing
    HIDDEN_COLUMNS_KEY = "households/hidden_columns"

    def __init__(self, ops: DbOps, parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        shown_as = ShownAs()
        super().__init__(ops, RowsView(household_columns(shown_as), fit="once"), parent)
        self.shown_as = shown_as
        self.model = self.table.rows_model
        self.sort_keys = {c: column.sql for c, column in enumerate(self.model.columns) if column.sql}
        self._settings = settings  # where the column choice is remembered (None: not remembered)
        self._export_task: Task | None = None
        self._offset = 0
        self._total = 0
        self._sort_column = COL_NUMBER
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._deleted: tuple[uuid.UUID, str] | None = None  # the delete the undo bar can take back
        self.editor: HouseholdEditor | None = None  # the editor last opened (tests look at it)
        self._build_widgets()
        self._build_layout()
        self._connect()

    def _build_widgets(self) -> None:
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(self.tr("搜索：姓名、拼音首字母（如 zsm）、身份证号片段、户编号"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(120)  # room for the buttons on 800-pixel screens
        self.group_box = QComboBox(self)
        self.status_box = QComboBox(self)
        self.status_box.addItem(self.tr("全部户状态"), None)
        for status in HOUSEHOLD_STATUSES:
            self.status_box.addItem(status, status)
        self.attribute_box = QComboBox(self)
        self.cause_box = QComboBox(self)
        self._fill_box(self.attribute_box, self.tr("全部户属性"), {})
        self._fill_box(self.cause_box, self.tr("全部致贫原因"), {})
        metrics = self.fontMetrics()
        for box in self._filter_boxes():  # narrow enough for a 1024-pixel screen; the popup shows the full text
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            # Qt counts the length in Latin letters: as wide as 全部村民组 (not cut to 全部村民纟)
            box.setMinimumContentsLength(math.ceil(metrics.horizontalAdvance(self.tr("全部村民组"))
                                                   / metrics.horizontalAdvance("X")))
        self.columns_button = QToolButton(self)
        self.columns_button.setText(self.tr("显示列"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.columns_menu)
        self.import_button = QPushButton(self.tr("导入花名册…"), self)
        self.import_button.setToolTip(self.tr("从 Excel 花名册（.xlsx）导入农户，先检查后导入"))
        self.export_button = QPushButton(self.tr("导出 Excel…"), self)
        self.export_button.setToolTip(self.tr("把当前列表（按当前搜索和筛选，所有页）导出为 Excel 花名册"))
        header = self.table.horizontalHeader()  # sorted in SQL: the page asks the service on a click
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self._sort_column, self._sort_order)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._build_columns_menu()
        self.prev_button = QPushButton(self.tr("上一页"), self)
        self.next_button = QPushButton(self.tr("下一页"), self)
        self.detail_button = QPushButton(self.tr("查看详情…"), self)
        self.edit_button = QPushButton(self.tr("编辑…"), self)
        self.edit_button.setToolTip(self.tr("编辑选中的农户（F2）"))
        self.delete_button = QPushButton(self.tr("删除…"), self)
        self.print_button = QToolButton(self)  # 明白卡, 确认表 or 一户一档 of the selected household
        self.print_button.setText(self.tr("打印"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_button.setMenu(household_print_menu(self._ops, self, self._selected_number))
        self.print_button.setMinimumHeight(self.delete_button.sizeHint().height())
        self.delete_button.setToolTip(self.tr("删除选中的农户（Delete），删除后可撤销"))
        # what is done for one household, from where the user stands (the detail window has them too)
        self.visit_button = QPushButton(self.tr("登记走访…"), self)
        self.visit_button.setToolTip(self.tr("为选中的农户登记一次走访"))
        self.plan_button = QPushButton(self.tr("帮扶计划"), self)
        self.plan_button.setToolTip(self.tr("打开选中农户今年的帮扶计划（没有时新建）"))
        self.card_button = QPushButton(self.tr("打印明白卡"), self)
        self.card_button.setToolTip(self.tr("生成选中农户的帮扶明白卡并显示打印预览"))
        self.card_runner = PrintRunner(self._ops, self)
        self.new_button = QPushButton(self.tr("新增农户…"), self)
        self.new_button.setToolTip(self.tr("登记一户新的农户（Ctrl+N）"))
        permissions.write_action(self.new_button, self.import_button, self.edit_button, self.delete_button,
                                 self.visit_button)
        self.table.needs_row(self.detail_button, self.edit_button, self.delete_button, self.print_button,
                             self.visit_button, self.plan_button, self.card_button)
        self.page_label = QLabel(self)
        self.page_label.setWordWrap(True)  # may break on a narrow window: the buttons beside it may not
        self.undo_bar = QFrame(self)
        self.undo_bar.setObjectName("undo_bar")
        self.undo_bar.setStyleSheet("QFrame#undo_bar { background: #fff4d6; border: 1px solid #e0c36c;"
                                    " border-radius: 4px; }")
        self.undo_label = QLabel(self.undo_bar)
        self.undo_button = QPushButton(self.tr("撤销"), self.undo_bar)
        self.undo_close = QPushButton(self.tr("知道了"), self.undo_bar)
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(10, 4, 6, 4)
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.undo_close)
        permissions.write_action(self.undo_button)
        self.undo_bar.hide()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addSpacing(12)
        for button in (self.new_button, self.import_button, self.export_button):
            top.addWidget(button)
        filters = QHBoxLayout()
        for caption, box in ((self.tr("村民组"), self.group_box), (self.tr("户状态"), self.status_box),
                             (self.tr("户属性"), self.attribute_box), (self.tr("致贫原因"), self.cause_box)):
            filters.addWidget(QLabel(caption))
            filters.addWidget(box)
            filters.addSpacing(12)
        filters.addStretch(1)
        filters.addWidget(self.columns_button)
        pager = QHBoxLayout()
        pager.addWidget(self.detail_button)
        pager.addWidget(self.edit_button)
        pager.addWidget(self.delete_button)
        pager.addWidget(self.print_button)
        pager.addSpacing(12)
        for button in (self.visit_button, self.plan_button, self.card_button):
            pager.addWidget(button)
        pager.addStretch(1)
        pager.addWidget(self.page_label)
        pager.addSpacing(12)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(pager)

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._typing_paused)
        self._typed_since_search = False
        self.search_box.textChanged.connect(self._text_changed)
        self.search_box.returnPressed.connect(self.reload)
        for box in self._filter_boxes():
            box.currentIndexChanged.connect(self.reload)
        self.table.horizontalHeader().customContextMenuRequested.connect(
            lambda pos: self.columns_menu.exec(self.table.horizontalHeader().mapToGlobal(pos)))
        self.import_button.clicked.connect(self.import_roster)
        self.export_button.clicked.connect(self.export_list)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort_changed)
        self.table.row_activated.connect(lambda row: self.open_household(row.id))
        self.detail_button.clicked.connect(self.open_current)
        self.visit_button.clicked.connect(lambda: self._for_current(self.visit_requested.emit))
        self.plan_button.clicked.connect(lambda: self._for_current(self.plan_requested.emit))
        self.card_button.clicked.connect(self.print_current_card)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.new_button.clicked.connect(self.new_household)
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_close.clicked.connect(self.undo_bar.hide)
        self.prev_button.clicked.connect(lambda: self._go(self._offset - self.PAGE_SIZE))
        self.next_button.clicked.connect(lambda: self._go(self._offset + self.PAGE_SIZE))
        for key, slot, context in ((QKeySequence(Qt.Key.Key_F2), self.edit_current, Qt.ShortcutContext.WidgetShortcut),
                                   (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_current,
                                    Qt.ShortcutContext.WidgetShortcut),
                                   (QKeySequence(QKeySequence.StandardKey.New), self.new_household,
                                    Qt.ShortcutContext.WidgetWithChildrenShortcut)):
            action = QAction(self.table if context == Qt.ShortcutContext.WidgetShortcut else self)
            action.setShortcut(key)
            action.setShortcutContext(context)
            action.triggered.connect(slot)
            action.parent().addAction(action)  # type: ignore[union-attr]
            permissions.write_action(action)  # 编辑, 删除 and 新增 by keyboard
        find_action = QAction(self)
        find_action.setShortcut(QKeySequence.StandardKey.Find)
        find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find_action.triggered.connect(self.focus_search)
        self.addAction(find_action)

    # -- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the group list and the current page (after data changed elsewhere)."""
        self._ops.query(group_names, success=self._set_groups, parent=self)
        self._ops.query(lambda s: (attribute_names(s), cause_names(s)), success=self._set_names, parent=self)
        self._load()

    def _load(self) -> None:
        super().refresh()

    def _text_changed(self, _text: str) -> None:
        """The first keystroke (or a paste) searches at once; the keystrokes of fast typing that follow
        it within SEARCH_DELAY_MS are searched together once typing pauses."""
        if self._search_timer.isActive():
            self._typed_since_search = True
        else:
            self.reload()
        self._search_timer.start()  # (re)starts the pause

    def _typing_paused(self) -> None:
        if self._typed_since_search:
            self._typed_since_search = False
            self.reload()

    def reload(self) -> None:
        """Search again from the first page (the query text or a filter changed)."""
        self._offset = 0
        self._load()

    def query(self) -> HouseholdQuery:
        """What the widgets currently ask for."""
        return HouseholdQuery(
            text=self.search_box.text().strip(), group=self.group_box.currentData(),
            status=self.status_box.currentData(), attribute=self.attribute_box.currentData(),
            cause=self.cause_box.currentData(), sort=self.sort_keys[self._sort_column],
            descending=self._sort_order == Qt.SortOrder.DescendingOrder, limit=self.PAGE_SIZE,
            offset=self._offset)

    def reader(self) -> Callable[[Session], Page[HouseholdRow]]:
        query = self.query()
        return lambda s: search_households(s, query)

    def loaded(self, page: Page[HouseholdRow]) -> None:
        self._total = page.total
        if not page.rows and self._offset > 0 and page.total:  # households went away: show the last page
            self._go(self._offset)
            return
        self.shown_as.mask_ids = not permissions.sees_full_id_numbers(self._ops)
        self.table.set_rows(page.rows)  # columns fitted once, so they do not jump while typing
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

    def _filtered(self) -> bool:
        q = self.query()
        return bool(q.text or q.group or q.status or q.attribute or q.cause)

    def _filter_boxes(self) -> tuple[QComboBox, ...]:
        return (self.group_box, self.status_box, self.attribute_box, self.cause_box)

    def _set_groups(self, names: list[str]) -> None:
        self._fill_box(self.group_box, self.tr("全部村民组"), {name: name for name in names})

    def _set_names(self, names: tuple[dict[str, str], dict[str, str]]) -> None:
        attributes, causes = names
        self._fill_box(self.attribute_box, self.tr("全部户属性"), attributes)
        self._fill_box(self.cause_box, self.tr("全部致贫原因"), {c: f"{c} {n}" for c, n in causes.items()})
        self.shown_as.attributes, self.shown_as.causes = attributes, causes
        self.model.refresh_column(COL_ATTRIBUTES)
        self.model.refresh_column(COL_CAUSE)

    @staticmethod
    def _fill_box(box: QComboBox, everything: str, choices: dict[str, str]) -> None:
        """Refill a filter (code → shown text) keeping the current choice; refilling is not a filter change."""
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(everything, None)
        for code, text in choices.items():
            box.addItem(text, code)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)

    # -- columns ---------------------------------------------------------------------------------

    def _build_columns_menu(self) -> None:
        hidden = self._saved_hidden_columns()
        for column, name in enumerate(c.header for c in self.model.columns):
            action = self.columns_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(column not in hidden)
            action.setEnabled(column not in (COL_NUMBER, COL_HEAD))
            action.toggled.connect(lambda shown, c=column: self.show_column(c, shown))
            self.table.setColumnHidden(column, column in hidden)

    def show_column(self, column: int, shown: bool) -> None:
        """Show or hide a column of the list; the choice is remembered."""
        self.table.setColumnHidden(column, not shown)
        self.columns_menu.actions()[column].setChecked(shown)
        if self._settings is not None:
            hidden = [c for c in range(self.model.columnCount()) if self.table.isColumnHidden(c)]
            self._settings.setValue(self.HIDDEN_COLUMNS_KEY, ",".join(map(str, hidden)) or "none")

    def _saved_hidden_columns(self) -> set[int]:
        saved = self._settings.value(self.HIDDEN_COLUMNS_KEY) if self._settings is not None else None
        if not saved:
            return set(HIDDEN_AT_FIRST)
        return {int(c) for c in str(saved).split(",") if c.isdigit() and int(c) < self.model.columnCount()}

    # -- Excel -----------------------------------------------------------------------------------

    def import_roster(self) -> None:
        """The roster import dialog; the list refreshes after households were imported."""
        from fupin_desktop.ui.roster_dialog import RosterImportDialog  # openpyxl loads on first use, not at start

        dialog = RosterImportDialog(self._ops, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(lambda _result: self.refresh())
        dialog.open()

    def export_list(self) -> None:
        """Export every household the current search and filters find (all pages) to xlsx."""
        from fupin_desktop.ui.roster_dialog import export_xlsx

        self._export_task = export_xlsx(self._ops, self.query(), self)

    def _go(self, offset: int) -> None:
        self._offset = max(0, min(offset, (self._total - 1) // self.PAGE_SIZE * self.PAGE_SIZE))
        self._load()
        self.table.scrollToTop()

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column not in self.sort_keys:  # e.g. 身份证号: keep the current sort
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

    def open_current(self) -> None:
        row = self.current()
        if row is not None:
            self.open_household(row.id)

    def open_household(self, household_id: uuid.UUID) -> None:
        """Show the household's details in a dialog (not modal, so the list stays usable)."""
        from fupin_desktop.services.forms import load_household

        self._ops.query(lambda s: load_household(s, household_id), success=self._show_detail, parent=self)

    def _show_detail(self, view: HouseholdView) -> None:
        from fupin_desktop.ui.household_detail import HouseholdDetailDialog

        dialog = HouseholdDetailDialog(view, self, mask_ids=not permissions.sees_full_id_numbers(self._ops))
        permissions.apply(dialog, permissions.can_write(self._ops))  # 编辑… is not offered to a reader
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.edit_requested.connect(lambda household_id: self.edit_household(household_id, detail=dialog))
        if not view.detail.deleted:
            self._add_household_actions(dialog)
            button = QPushButton(self.tr("打印"), dialog)
            button.setAutoDefault(False)
            button.setMenu(household_print_menu(self._ops, dialog, lambda: (dialog.view.detail.number,
                                                                            dialog.view.head_name)))
            dialog.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            dialog.print_button = button  # type: ignore[attr-defined]
        dialog.show()

    def _add_household_actions(self, dialog: HouseholdDetailDialog) -> None:
        """登记走访, 帮扶计划 and 打印明白卡 in the detail window as on the list."""
        household_id = dialog.view.detail.id
        runner = PrintRunner(self._ops, dialog)

        def button(text: str, slot: Callable[[], object]) -> QPushButton:
            b = QPushButton(text, dialog)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            dialog.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
            return b
        dialog.visit_button = button(self.tr("登记走访…"), lambda: self.visit_requested.emit(household_id))  # type: ignore[attr-defined]
        dialog.plan_button = button(self.tr("帮扶计划"), lambda: self.plan_requested.emit(household_id))  # type: ignore[attr-defined]
        dialog.card_button = button(self.tr("打印明白卡"), lambda: print_card(  # type: ignore[attr-defined]
            runner, self._ops, dialog.view.detail.number, dialog.view.head_name))
        permissions.write_action(dialog.visit_button)  # type: ignore[attr-defined]
        permissions.apply(dialog, permissions.can_write(self._ops))

    def _for_current(self, act: Callable[[uuid.UUID], object]) -> None:
        household_id = self._selected_id()
        if household_id is not None:
            act(household_id)

    def print_current_card(self) -> None:
        picked = self._selected_number()
        if picked is not None:
            print_card(self.card_runner, self._ops, *picked)

    # -- changes ---------------------------------------------------------------------------------

    def _selected_id(self) -> uuid.UUID | None:
        row = self.current()
        return None if row is None else row.id

    def _selected_number(self) -> tuple[str, str] | None:
        """Number and head of the selected household, for the 打印 menu."""
        row = self.current()
        return None if row is None else (row.number, row.head_name)

    def new_household(self) -> None:
        """Open the editor for a new household."""
        from fupin_desktop.services.forms import load_editor

        self._ops.query(lambda s: load_editor(s, None), success=self._show_editor, parent=self)

    def edit_current(self) -> None:
        household_id = self._selected_id()
        if household_id is not None:
            self.edit_household(household_id)

    def edit_household(self, household_id: uuid.UUID, *, detail: HouseholdDetailDialog | None = None) -> None:
        """Open the editor for a household; a detail dialog it was opened from is updated afterwards."""
        from fupin_desktop.services.forms import load_editor

        self._ops.query(lambda s: load_editor(s, household_id),
                        success=lambda data: self._show_editor(data, detail), parent=detail or self)

    def _show_editor(self, data: EditorData, detail: HouseholdDetailDialog | None = None) -> None:
        from fupin_desktop.ui.household_editor import HouseholdEditor

        editor = HouseholdEditor(self._ops, data, detail or self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.household_saved.connect(lambda household_id: self._saved(household_id, detail))
        editor.household_deleted.connect(lambda household_id, text: self._deleted_household(household_id, text,
                                                                                            detail))
        editor.destroyed.connect(lambda: setattr(self, "editor", None) if self.editor is editor else None)
        self.editor = editor
        editor.open()  # window-modal, and the call returns at once

    def _saved(self, household_id: uuid.UUID, detail: HouseholdDetailDialog | None) -> None:
        from fupin_desktop.services.forms import load_household

        self.refresh()
        if detail is not None:
            self._ops.query(lambda s: load_household(s, household_id), success=detail.set_view, parent=detail)

    def delete_current(self) -> None:
        """Delete the selected household after asking; the undo bar can bring it back."""
        from fupin_desktop.ui.household_editor import confirm_delete, describe

        row = self.current()
        if row is None:
            return
        household_id = row.id
        description = describe(row.number, row.head_name)
        if confirm_delete(self, description, row.members):
            self._ops.write(lambda s: delete_household(s, household_id),
                  success=lambda _none: self._deleted_household(household_id, description), parent=self)

    def _deleted_household(self, household_id: uuid.UUID, description: str,
                           detail: HouseholdDetailDialog | None = None) -> None:
        if detail is not None:
            detail.close()
        self._deleted = (household_id, description)
        self.undo_label.setText(self.tr("已删除{household}。").format(household=description))
        permissions.set_visible(self.undo_button, True)
        self.undo_bar.show()
        self.undo_button.setFocus()
        self.refresh()

    def undo_delete(self) -> None:
        """Bring back the household deleted last (restore_household)."""
        if self._deleted is None:
            return
        household_id, description = self._deleted

        def restored(_none: None) -> None:
            self._deleted = None
            self.undo_label.setText(self.tr("已恢复{household}。").format(household=description))
            permissions.set_visible(self.undo_button, False)
            self.refresh()
        self._ops.write(lambda s: restore_household(s, household_id), success=restored, parent=self)
