"""Excel rosters (花名册): preview and import an .xlsx of households, one row per member; export the
register (or the current list view) in the same layout; write a blank template.

    preview = preview_roster(session, "花名册.xlsx")       # reads and checks, writes nothing
    preview.problems                                        # every problem: row, column, message
    result = import_roster(db, preview)                     # the valid households, all or none
    export_roster(session, "导出.xlsx", query)              # the register or the list view
    write_template("空白花名册.xlsx")

Modules: columns (the column table and header synonyms), cells (cleaning one cell), reader and
xmlrows (the workbook, the sheet, its header row and rows), checks (households and their
problems), register (what the database already holds), places (row/column of a message),
importer, writer, results (the dataclasses and errors handed back).
"""

from fupin_desktop.services.roster.checks import preview_roster
from fupin_desktop.services.roster.columns import COLUMNS, assignable
from fupin_desktop.services.roster.importer import import_roster
from fupin_desktop.services.roster.reader import RosterSheet, read_roster
from fupin_desktop.services.roster.results import (
    ImportResult,
    RosterChangedError,
    RosterExport,
    RosterFileError,
    RosterHousehold,
    RosterOptions,
    RosterPreview,
    RowMessage,
    SheetColumn,
    ValueUse,
)
from fupin_desktop.services.roster.writer import export_roster, write_template

__all__ = [
    "COLUMNS",
    "RosterExport",
    "ImportResult",
    "RosterChangedError",
    "RosterFileError",
    "RosterHousehold",
    "RosterOptions",
    "RosterPreview",
    "RosterSheet",
    "RowMessage",
    "SheetColumn",
    "ValueUse",
    "assignable",
    "export_roster",
    "import_roster",
    "preview_roster",
    "read_roster",
    "write_template",
]
