"""One way to show a list.

`Column`s declare, once per list, what a column shows of a typed row (the frozen dataclasses the
services return): header, value, alignment, colour, sort key, tooltip, width bounds. `RowsModel` is
the one `QAbstractTableModel` over such rows (it makes no object per cell, so tens of thousands of
rows cost nothing until shown). `RowsView` shows it and owns what every list repeated: selection,
keeping it across a refresh, the buttons that need a selected row, double-click/Enter, the text of
an empty list, column widths, and sorting in memory where asked (a QSortFilterProxyModel).
`ListPage` adds the reading through DbOps and the detail of the selected row.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QIcon, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHBoxLayout, QSplitter, QTableView, QWidget

from fupin_desktop.ui.tables import compact_rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fupin_desktop.ui.ops import DbOps

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
Align = Literal["left", "centre", "right"]

_ALIGN = {"left": None, "centre": Qt.AlignmentFlag.AlignCenter,
          "right": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter}


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a list: what it shows of a row, and how.

    `value` returns the cell (None shows as empty); `colour` a text colour for this cell, over the
    row's; `sort` the key when the list sorts in memory (default: the value, None as ""); `sql` the
    name the service sorts by, for lists sorted in the database; `tooltip` True shows the text itself
    (for long texts the column cuts off) or a function of the row; `bold` for the figure everyone
    looks for; `icon` a small picture before the text (a chart's colour); `min_chars`/`max_chars`
    bound the fitted width in CJK characters.
    """

    header: str
    value: Callable[[T], object]
    align: Align = "left"
    colour: Callable[[T], str | None] | None = None
    sort: Callable[[T], object] | None = None
    sql: str | None = None
    tooltip: bool | Callable[[T], str | None] = False
    bold: bool = False
    icon: Callable[[T], QIcon | None] | None = None
    min_chars: int | None = None
    max_chars: int | None = None


class RowsModel(QAbstractTableModel, Generic[T]):
    """Typed rows under declared columns; `RowRole` gives the row itself, `SortRole` its sort key.

    `colour` gives a whole row's text colour (overdue, closed …); rows for which `shaded` is true get
    the alternate background (e.g. the lines of one history entry, shaded in turn)."""

    RowRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, columns: Sequence[Column[T]], *, colour: Callable[[T], str | None] | None = None,
                 shaded: Callable[[T], bool] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._colour = colour
        self._shaded = shaded
        self.shade = QBrush(QColor("#f0f0f0"))  # the view sets its palette's alternate base
        self._bold = QFont()
        self._bold.setBold(True)
        self._rows: list[T] = []
        self._brushes: dict[str, QBrush] = {}
        self._aligns = [_ALIGN[c.align] for c in self.columns]
        role = Qt.ItemDataRole
        self._roles = {int(r) for r, used in (
            (role.DisplayRole, True), (self.RowRole, True), (self.SortRole, True),
            (role.TextAlignmentRole, any(self._aligns)),
            (role.ForegroundRole, colour or any(c.colour for c in columns)),
            (role.DecorationRole, any(c.icon for c in columns)), (role.FontRole, any(c.bold for c in columns)),
            (role.BackgroundRole, shaded is not None), (role.ToolTipRole, any(c.tooltip for c in columns))) if used}

    def set_rows(self, rows: Iterable[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[T]:
        return self._rows

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def text(self, row: int, column: int) -> str:
        """What the cell shows."""
        value = self.columns[column].value(self._rows[row])
        return "" if value is None else str(value)

    def refresh_column(self, column: int) -> None:
        """A column's values depend on something besides the row that changed (e.g. code names)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self._roles:  # most of the eight roles a view asks each cell for: one cheap test
            return None
        r, c = index.row(), index.column()
        if not index.isValid() or not 0 <= r < len(self._rows):
            return None
        row = self._rows[r]
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.columns[c].value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._aligns[c]
        if role == Qt.ItemDataRole.ForegroundRole:
            column = self.columns[c]
            colour = (column.colour(row) if column.colour else None) or (self._colour(row) if self._colour else None)
            return self._brush(colour) if colour else None
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self.columns[c].icon
            return icon(row) if icon else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if self.columns[c].bold else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.shade if self._shaded and self._shaded(row) else None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self.columns[c].tooltip
            if tip is True:
                return self.text(r, c) or None
            return tip(row) if callable(tip) else None
        if role == self.SortRole:
            column = self.columns[c]
            key = column.sort(row) if column.sort else column.value(row)
            return "" if key is None else key
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return self.columns[section].header
        return None

    def _brush(self, colour: str) -> QBrush:
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush


def _row_id(row: object) -> Hashable:
    return getattr(row, "id", None)


class RowsView(QTableView):
    """A read-only list of typed rows: one line per row, whole rows selected.

    `set_rows` keeps the selected rows selected (by `key`, the row's `id` unless told) and always
    ends with one `current_changed`, so a page's buttons and detail follow every refresh.
    `fit` sizes columns to their contents: "once" (when rows first arrive: long lists that must not
    jump while typing), "always" (every refresh) or None. `sortable` sorts in memory by a header
    click (the rows' own order until then); `browse=False` is for tables that are shown, not worked
    in (no keyboard focus).

    Signals:
        current_changed(object): the selected row (the first one when several), or None.
        row_activated(object): a row was double-clicked or Enter was pressed on it.
    """

    current_changed = Signal(object)
    row_activated = Signal(object)

    def __init__(self, columns: Sequence[Column[Any]], parent: QWidget | None = None, *,
                 colour: Callable[[Any], str | None] | None = None, shaded: Callable[[Any], bool] | None = None,
                 key: Callable[[Any], Hashable] = _row_id,
                 empty_text: str = "", multi: bool = False, sortable: bool = False, browse: bool = True,
                 fit: Literal["once", "always"] | None = "always", stretch_last: bool = True) -> None:
        super().__init__(parent)
        self.rows_model: RowsModel[Any] = RowsModel(columns, colour=colour, shaded=shaded, parent=self)
        self.rows_model.shade = self.palette().alternateBase()
        self._key = key
        self._fit = fit
        self._fitted = False
        self._row_buttons: list[QWidget | QAction] = []
        self.empty_text = empty_text
        self.proxy: QSortFilterProxyModel | None = None
        if sortable:
            self.proxy = QSortFilterProxyModel(self)
            self.proxy.setSortRole(RowsModel.SortRole)
            self.proxy.setSourceModel(self.rows_model)
            self.setModel(self.proxy)
            self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order first
            self.setSortingEnabled(True)
        else:
            self.setModel(self.rows_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                              else QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(shaded is None)
        self.setWordWrap(False)  # one line per row: rows keep the compact height
        if not browse:
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # rows can still be selected with the mouse
        self.verticalHeader().hide()
        compact_rows(self)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setStretchLastSection(stretch_last)
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        self.doubleClicked.connect(self._activated)
        enter = QAction(self)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(lambda: self._activated(self.currentIndex()))
        self.addAction(enter)

    # -- rows ------------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[Any]) -> None:
        """Show these rows; the rows selected before stay selected if they are still there."""
        kept = [self._key(r) for r in self.selected()]
        current = self.current()
        current_key = self._key(current) if current is not None else None
        self.selectionModel().blockSignals(True)
        self.rows_model.set_rows(rows)
        if any(k is not None for k in kept):
            self._select_keys(kept, current_key)
        self.selectionModel().blockSignals(False)
        if self._fit == "always":
            self.fit_columns(padding=0)  # as tight as the contents: short lists shown whole
        elif self._fit == "once" and not self._fitted and self.rows_model.rows:
            self.fit_columns()  # with air for longer texts on later pages
        self.viewport().update()
        self._selection_changed()

    @property
    def rows(self) -> list[Any]:
        """All rows, in the service's order."""
        return self.rows_model.rows

    def shown_rows(self) -> list[Any]:
        """The rows in the order they are shown (sorted by a header click or not)."""
        model = self.model()
        return [model.index(i, 0).data(RowsModel.RowRole) for i in range(model.rowCount())]

    def current(self) -> Any:
        """The selected row (the current one when several are selected), or None."""
        if not self.selectionModel().hasSelection():
            return None
        index = self.currentIndex()
        if index.isValid() and self.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return index.data(RowsModel.RowRole)
        picked = self.selected()
        return picked[0] if picked else None

    def selected(self) -> list[Any]:
        """The selected rows, in the order shown."""
        return [index.data(RowsModel.RowRole) for index in
                sorted(self.selectionModel().selectedRows(), key=lambda i: i.row())]

    def select(self, key: Hashable, *, centre: bool = False) -> bool:
        """Select the row with this key; False when the list has no such row."""
        found = self._select_keys([key], key)
        if found and centre:
            self.scrollTo(self.currentIndex(), QAbstractItemView.ScrollHint.PositionAtCenter)
        return found

    def text(self, row: int, column: int) -> str:
        """The text shown at a place in the list (tests and summaries)."""
        return str(self.model().index(row, column).data() or "")

    # -- behaviour -------------------------------------------------------------------------------

    def needs_row(self, *buttons: QWidget | QAction) -> None:
        """These buttons act on the selected row: enabled only while there is one."""
        self._row_buttons.extend(buttons)
        self._enable_row_buttons()

    def fit_columns(self, padding: int = 16) -> None:
        """Column widths from the contents plus some air, within each column's min/max characters."""
        self.resizeColumnsToContents()
        em = self.fontMetrics().horizontalAdvance("字")
        for c, column in enumerate(self.rows_model.columns):
            width = self.columnWidth(c) + padding
            if column.min_chars:
                width = max(width, column.min_chars * em + padding)
            if column.max_chars:
                width = min(width, column.max_chars * em + padding)
            self.setColumnWidth(c, width)
        self._fitted = True

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.empty_text and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            line = self.viewport().rect()
            line.setHeight(self.verticalHeader().defaultSectionSize())
            painter.drawText(line, Qt.AlignmentFlag.AlignCenter, self.empty_text)

    def placeholder(self) -> str:
        """The text the list shows instead of rows ("" while it has rows)."""
        return self.empty_text if self.model().rowCount() == 0 else ""

    # -- inside ----------------------------------------------------------------------------------

    def _select_keys(self, keys: Sequence[Hashable], current: Hashable) -> bool:
        wanted = set(keys)
        model, selection = self.model(), QItemSelection()
        current_index = QModelIndex()
        for i, row in enumerate(self.rows_model.rows):
            k = self._key(row)
            if k is None or k not in wanted:
                continue
            index = self.rows_model.index(i, 0)
            if self.proxy is not None:
                index = self.proxy.mapFromSource(index)
            selection.select(index, index.siblingAtColumn(model.columnCount() - 1))
            if k == current or not current_index.isValid():
                current_index = index
        if not current_index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag
        self.selectionModel().setCurrentIndex(current_index, flags.NoUpdate)
        self.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)
        return True

    def _selection_changed(self, *_args: object) -> None:
        self._enable_row_buttons()
        self.current_changed.emit(self.current())

    def _enable_row_buttons(self) -> None:
        selected = self.selectionModel().hasSelection()
        for button in self._row_buttons:
            button.setEnabled(selected)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit(index.data(RowsModel.RowRole))


class ListPage(QWidget):
    """A page or tab around one RowsView whose rows a service reads, with the detail of the selected row.

    Subclasses give `reader()` (the read, with the page's filters taken on the GUI thread) and, when
    the selected row has more to show, `detail_reader(row)` and `show_detail(detail)`; `enable(row)`
    sets the buttons that depend on the row (and on `self.detail`). A detail that arrives after the
    selection moved on is dropped.
    """

    def __init__(self, ops: DbOps, view: RowsView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.table = view
        view.setParent(self)
        self.detail: Any = None
        view.current_changed.connect(self._current_changed)

    def reader(self) -> Callable[[Session], Any]:
        raise NotImplementedError

    def refresh(self) -> None:
        """Read the rows again; the selection stays where it was."""
        self._ops.query(self.reader(), success=self.loaded, parent=self)

    def loaded(self, result: Any) -> None:
        """The read's result arrived; a page whose read returns more than rows takes them out here."""
        self.table.set_rows(result)

    def current(self) -> Any:
        return self.table.current()

    def detail_reader(self, row: Any) -> Callable[[Session], Any] | None:  # noqa: ARG002
        return None

    def show_detail(self, detail: Any) -> None:
        """The selected row's detail arrived (None: no row is selected)."""

    def enable(self, row: Any) -> None:
        """Enable the buttons that depend on the selected row (None: none selected)."""

    def open_dialog(self, dialog: QDialog, done: Callable[[], object]) -> None:
        """Open a dialog window-modally; `done()` after it was accepted. `self.dialog` is kept for tests."""
        self.dialog = dialog

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                done()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _current_changed(self, row: Any) -> None:
        self.detail = None
        self.enable(row)
        read = self.detail_reader(row) if row is not None else None
        if read is None:
            self.show_detail(None)
            return
        key = self.table._key(row)
        self._ops.query(read, success=lambda detail: self._detail_loaded(key, detail), parent=self)

    def _detail_loaded(self, key: Hashable, detail: Any) -> None:
        row = self.current()
        if row is None or self.table._key(row) != key:
            return  # the user has moved on
        self.detail = detail
        self.show_detail(detail)
        self.enable(row)


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons side by side on the left of a line."""
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


def splitter(first: QWidget, second: QWidget, *, vertical: bool = False, sizes: Sequence[int] = (),
             stretch: tuple[int, int] | None = None) -> QSplitter:
    """`first` beside (or above) `second`, the line between them draggable: a list and its detail.
    `sizes` are the starting sizes; `stretch` shares what a resize adds or takes."""
    split = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
    split.addWidget(first)
    split.addWidget(second)
    if stretch is not None:
        split.setStretchFactor(0, stretch[0])
        split.setStretchFactor(1, stretch[1])
    if sizes:
        split.setSizes(list(sizes))
    return split
