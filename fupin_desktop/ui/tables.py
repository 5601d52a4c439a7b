"""Small read-only tables for figures and details (home page, household detail).

The register itself uses a real model (household_model.py); these are for a handful of rows that
are shown, not browsed.
"""

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableWidget, QTableWidgetItem, QWidget

Cell = str | int | None


def readonly_table(headers: Sequence[str], parent: QWidget | None = None) -> QTableWidget:
    """A table without editing, row numbers or grid clutter; the first column stretches."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Cell]], *, numeric: Collection[int] = (),
               empty_text: str = "") -> None:
    """Replace the contents; `numeric` columns are right-aligned, None shows as an empty cell.

    With no rows and an `empty_text`, one row spanning all columns says so.
    """
    table.clearSpans()
    table.setRowCount(max(len(rows), 1 if empty_text else 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    if not rows and empty_text:
        item = QTableWidgetItem(empty_text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setForeground(table.palette().placeholderText())
        table.setItem(0, 0, item)
        table.setSpan(0, 0, 1, table.columnCount())


def fit_columns(table: QTableWidget, *, stretch: int = 0) -> None:
    """Size columns to their contents, then let column `stretch` take the spare width."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def fit_height(table: QTableWidget) -> None:
    """Make the table exactly as tall as its rows, so a page scrolls instead of the table."""
    table.resizeRowsToContents()
    height = table.horizontalHeader().height() + table.verticalHeader().length() + 2 * table.frameWidth()
    if table.horizontalScrollBar().isVisible():
        height += table.horizontalScrollBar().height()
    table.setFixedHeight(height)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
