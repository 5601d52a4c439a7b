"""Where a field is in the sheet, for messages that name the row, the column letter and its header."""

from collections.abc import Sequence

from fupin_desktop.services.roster.columns import BY_KEY
from fupin_desktop.services.roster.results import RowMessage, SheetColumn


class Places:
    """Where a field is in the sheet, for messages: the first column holding it."""

    def __init__(self, columns: Sequence[SheetColumn]) -> None:
        self._columns: dict[str, SheetColumn] = {}
        for c in columns:
            if c.key is not None:
                self._columns.setdefault(c.key, c)

    def column(self, key: str) -> SheetColumn | None:
        return self._columns.get(key)

    def message(self, row: int, key: str, text: str, number: str = "") -> RowMessage:
        c = self._columns.get(key)
        if c is not None:
            return RowMessage(row, c.header, text, c.letter, number)
        spec = BY_KEY.get(key)
        return RowMessage(row, spec.header if spec else "", text, "", number)
