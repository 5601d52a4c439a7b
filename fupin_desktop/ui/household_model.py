"""HouseholdTableModel: the register list as a thin, typed adapter over HouseholdRow."""

from collections.abc import Sequence

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from fupin_desktop.domain import idcard
from fupin_desktop.domain.rows import HouseholdRow

Index = QModelIndex | QPersistentModelIndex


class HouseholdTableModel(QAbstractTableModel):
    """One page of households, as returned by `services.search.search_households`.

    The model never queries or sorts: the page asks the service for sorted, filtered rows and
    hands them over with `set_rows`. `SORT_KEYS` tells which columns the service can sort by.
    """

    (COL_NUMBER, COL_HEAD, COL_ID_NUMBER, COL_GROUP, COL_STATUS, COL_MEMBERS, COL_PHONE,
     COL_HELPER, COL_ATTRIBUTES, COL_CAUSE) = range(10)
    IdRole = Qt.ItemDataRole.UserRole + 1
    _HEADERS = (
        QT_TRANSLATE_NOOP("HouseholdTableModel", "户编号"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "户主"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "身份证号"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "村民组"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "户状态"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "人口"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "联系电话"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "帮扶责任人"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "户属性"),
        QT_TRANSLATE_NOOP("HouseholdTableModel", "主要致贫原因"),
    )
    HIDDEN_AT_FIRST = (COL_ATTRIBUTES, COL_CAUSE)  # the user shows them from the header's menu
    SORT_KEYS = {COL_NUMBER: "number", COL_HEAD: "head", COL_GROUP: "group", COL_STATUS: "status",
                 COL_MEMBERS: "members"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HouseholdRow] = []
        self._attribute_names: dict[str, str] = {}
        self._cause_names: dict[str, str] = {}
        self.mask_ids = False  # show ID numbers as 410182********0011 (for a user who may only look)

    def set_names(self, attributes: dict[str, str], causes: dict[str, str]) -> None:
        """Names for the attribute and cause codes the rows carry."""
        self._attribute_names, self._cause_names = attributes, causes
        if self._rows:
            self.dataChanged.emit(self.index(0, self.COL_ATTRIBUTES), self.index(len(self._rows) - 1, self.COL_CAUSE))

    def header_names(self) -> list[str]:
        return [QCoreApplication.translate("HouseholdTableModel", str(h)) for h in self._HEADERS]

    def set_rows(self, rows: Sequence[HouseholdRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> HouseholdRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == self.IdRole:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.COL_MEMBERS:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._HEADERS)):
            return QCoreApplication.translate("HouseholdTableModel", str(self._HEADERS[section]))
        return None

    def _display(self, row: HouseholdRow, column: int) -> object:
        attributes = "、".join(self._attribute_names.get(c, c) for c in row.attributes)
        cause = self._cause_names.get(row.main_cause, row.main_cause) if row.main_cause else ""
        id_number = idcard.mask(row.head_id_number) if self.mask_ids and row.head_id_number else row.head_id_number
        values: tuple[object, ...] = (row.number, row.head_name, id_number, row.group, row.status,
                                      row.members, row.phone or "", row.helper or "", attributes, cause)
        return values[column] if 0 <= column < len(values) else None
