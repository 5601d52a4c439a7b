"""Sizes for tables and their headings: compact rows, columns fitted to their contents, a table as
tall as its rows (lists themselves are ui/lists.py)."""

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)


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
