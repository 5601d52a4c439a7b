"""CellsModel: a read-only table of display texts for lists that can run to thousands of rows (due
visits, the rectification ledger). A QTableWidget makes one item object per cell, which is slow at
that size (and PySide6 on Python 3.11 has crashed filling ~100,000 items); a model makes none."""

from collections.abc import Collection, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from fupin_desktop.ui.form_widgets import ERROR_COLOUR

Index = QModelIndex | QPersistentModelIndex


class CellsModel(QAbstractTableModel):
    """Rows of texts with a key per row (KeyRole), red rows, grey rows, tooltips per column."""

    KeyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, headers: Sequence[str], *, centred: Collection[int] = (), tooltip_columns: Collection[int] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._centred = set(centred)
        self._tooltips = set(tooltip_columns)
        self._rows: list[list[str]] = []
        self._keys: list[object] = []
        self._red: set[int] = set()
        self._grey: set[int] = set()
        self._red_brush = QBrush(QColor(ERROR_COLOUR))
        self._grey_brush = QBrush(QColor("#808080"))

    def set_rows(self, rows: Sequence[Sequence[object]], keys: Sequence[object], *, red: Collection[int] = (),
                 grey: Collection[int] = ()) -> None:
        self.beginResetModel()
        self._rows = [["" if v is None else str(v) for v in row] for row in rows]
        self._keys = list(keys)
        self._red, self._grey = set(red), set(grey)
        self.endResetModel()

    def key(self, row: int) -> object:
        return self._keys[row] if 0 <= row < len(self._keys) else None

    def text(self, row: int, column: int) -> str:
        return self._rows[row][column]

    def is_red(self, row: int) -> bool:
        return row in self._red

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[r][c]
        if role == Qt.ItemDataRole.ToolTipRole and c in self._tooltips:
            return self._rows[r][c] or None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._red_brush if r in self._red else self._grey_brush if r in self._grey else None
        if role == Qt.ItemDataRole.TextAlignmentRole and c in self._centred:
            return Qt.AlignmentFlag.AlignCenter
        if role == self.KeyRole:
            return self._keys[r]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None
