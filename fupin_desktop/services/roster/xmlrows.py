"""A faster way through a sheet's rows than openpyxl's ReadOnlyWorksheet.iter_rows.

openpyxl builds a dict per cell and a descriptor-checked object per inline string (the kind of
string openpyxl itself, and so our own exports, writes); that made a 20,000-row roster take five
seconds to read. This reads the same XML with the parts openpyxl has already loaded (the shared
strings, the date styles, the 1900/1904 epoch) and gives the same values as
`iter_rows(values_only=True)` in read-only, data-only mode, about three times faster
(tests/services/test_roster_reader.py compares the two on every test file).

It relies on attributes openpyxl keeps private; when they are not there, `sheet_rows` returns
None and the caller uses iter_rows.
"""

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, iterparse

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

from fupin_desktop.services.roster.cells import Formula

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN, _FORMULA = (_NS + t for t in ("row", "c", "v", "is", "t", "r", "f"))


def sheet_rows(book: Any, ws: Any) -> Iterator[tuple[Any, ...]] | None:
    """Every row from the first (empty rows as ()), or None when openpyxl's internals differ."""
    try:
        source = book._archive.open(ws._worksheet_path)
        reader = _Cells(ws._shared_strings, book._date_formats, book._timedelta_formats, book.epoch)
    except AttributeError:
        return None
    return _rows(source, reader)


def _rows(source: Any, cells: "_Cells") -> Iterator[tuple[Any, ...]]:
    with source:
        expected = 1
        for _event, element in iterparse(source):
            if element.tag != _ROW:
                continue
            ref = element.get("r")
            number = int(ref) if ref else expected
            while expected < number:
                yield ()
                expected += 1
            yield cells.row(element)
            expected = number + 1
            element.clear()


class _Cells:
    def __init__(self, shared: Any, dates: Any, durations: Any, epoch: Any) -> None:
        self.shared, self.dates, self.durations, self.epoch = shared, dates, durations, epoch

    def row(self, element: Element) -> tuple[Any, ...]:
        values: list[Any] = []
        for cell in element:
            if cell.tag != _CELL:
                continue
            ref = cell.get("r")
            column = coordinate_to_tuple(ref)[1] if ref else len(values) + 1
            if column > len(values) + 1:
                values.extend([None] * (column - len(values) - 1))
            values.append(self.value(cell))
        return tuple(values)

    def value(self, cell: Element) -> Any:
        formula = cell.find(_FORMULA)
        if formula is not None:
            return Formula(f"={formula.text or ''}")
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_INLINE)
            if inline is None:
                return None
            plain = inline.find(_TEXT)
            parts = [plain.text] if plain is not None and plain.text is not None else []
            parts += [t for run in inline.findall(_RUN) if (t := run.findtext(_TEXT)) is not None]
            return "".join(parts)
        value = cell.findtext(_VALUE) or None
        if value is None:
            return None
        if kind == "n":
            number: float | int = float(value) if "." in value or "E" in value or "e" in value else int(value)
            style = int(cell.get("s") or 0)
            if style and style in self.dates:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # what openpyxl gives for a date out of range
            return number
        if kind == "s":
            return self.shared[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # "str" (a formula's text) and "e" (#N/A …)
