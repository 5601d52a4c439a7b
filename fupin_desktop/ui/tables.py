"""Small read-only tables for figures and details (home page, household detail).

The register itself uses a real model (household_model.py); these are for a handful of rows that
are shown, not browsed.
"""

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

Cell = str | int | None


def compact_rows(table: QAbstractItemView) -> None:
    """Rows a little taller than the text (CJK fonts make Qt's default rows rather tall)."""
    vertical = getattr(table, "verticalHeader", None)
    if vertical is not None:
        vertical().setDefaultSectionSize(table.fontMetrics().height() + 10)


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    """A bold section title above a table (lighter than a group box frame around it)."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.1)
    font.setBold(True)
    label.setFont(font)
    return label


def readonly_table(headers: Sequence[str], parent: QWidget | None = None) -> QTableWidget:
    """A table for showing, not editing: no row numbers, no keyboard focus, compact rows."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)  # one line per row: rows keep the compact height
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # rows can still be selected with the mouse
    table.verticalHeader().hide()
    compact_rows(table)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Cell]], *, numeric: Collection[int] = (),
               centred: Collection[int] = (), empty_text: str = "") -> None:
    """Replace the contents; `numeric` columns are right-aligned, `centred` ones centred,
    None shows as an empty cell.

    With no rows and an `empty_text`, one row spanning all columns says so.
    """
    table.clearSpans()
    table.setRowCount(max(len(rows), 1 if empty_text else 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            elif c in centred:
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, c, item)
    if not rows and empty_text:
        item = QTableWidgetItem(empty_text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setForeground(table.palette().placeholderText())
        table.setItem(0, 0, item)
        table.setSpan(0, 0, 1, table.columnCount())


def fit_columns(table: QTableView, *, stretch: int | Collection[int] = 0, padding: int = 16) -> None:
    """Size columns to their contents plus some air; the `stretch` column(s) share the spare width.

    The table will not get narrower than its columns, so nothing is cut off: a page or dialog
    that is too narrow scrolls as a whole instead.
    """
    header = table.horizontalHeader()
    header.setStretchLastSection(False)  # the `stretch` columns take the spare width instead
    table.resizeColumnsToContents()
    for column in range(table.model().columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, table.columnWidth(column) + padding)
    table.setMinimumWidth(header.length() + 2 * table.frameWidth())
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for column in [stretch] if isinstance(stretch, int) else stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def fit_height(table: QTableView) -> None:
    """Make the table exactly as tall as its rows, so a page scrolls instead of the table (one row
    for the text of an empty list)."""
    header = table.horizontalHeader()
    header_height = max(header.height(), header.sizeHint().height())  # height() is 0 before first show
    rows = table.verticalHeader().length() or table.verticalHeader().defaultSectionSize()
    height = header_height + rows + 2 * table.frameWidth()
    table.setFixedHeight(height)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
