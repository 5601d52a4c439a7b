"""Excel roster (花名册) import dialog, and the helper that exports the register or the list view.

The dialog walks through: choose a file → (assign headers the program does not know) → see every
problem by row and column and what can be imported → import the valid households. Reading,
checking, importing and exporting run on the background runner (`DbOps.task`) behind a progress
dialog with 取消, so the window never freezes; a cancelled import writes nothing.

All the work is done by `fupin_desktop.services.roster`; this module only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDir,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.progress import Progress
from fupin_desktop.errors import Cancelled, FupinError
from fupin_desktop.services.roster import (
    ImportResult,
    RosterExport,
    RosterOptions,
    RosterPreview,
    RowMessage,
    ValueUse,
    assignable,
    export_roster,
    import_roster,
    preview_roster,
    write_template,
)
from fupin_desktop.services.roster.columns import BY_KEY
from fupin_desktop.services.search import HouseholdQuery
from fupin_desktop.ui import fit
from fupin_desktop.ui.form_widgets import push_button
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.runner import Task
from fupin_desktop.ui.tables import compact_rows

if TYPE_CHECKING:  # ops gives the work a session; this page only names it
    from sqlalchemy.orm import Session

Index = QModelIndex | QPersistentModelIndex

XLSX_FILTER = QT_TRANSLATE_NOOP("roster", "Excel 工作簿 (*.xlsx)")
# The status words offered for a whole file or a value: the official terms first, as rosters use them.
STATUS_WORDS = ("脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "一般户", "未脱贫", "已脱贫(不享受政策)")
EXIT_YEARS = range(2014, 2021)  # the years households exited poverty (2020: the last)
PROBLEM_COLOR = QColor(176, 0, 32)


def _tr(text: str) -> str:
    return QCoreApplication.translate("roster", text)


# -- running work off the GUI thread -------------------------------------------------------------


class _Progress(QProgressDialog):
    """The progress dialog of one task: shown only if the task takes a moment, gone when it ends."""

    SHOW_AFTER_MS = 300  # quick work finishes without a dialog flashing up

    def __init__(self, parent: QWidget, text: str, task: Task) -> None:
        super().__init__(text, _tr("取消"), 0, 0, parent)
        self._task = task
        self.setWindowTitle(_tr("请稍候"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoReset(False)
        self.setAutoClose(False)
        self.setMinimumDuration(2**31 - 1)  # shown by the timer below, not by QProgressDialog's guess
        self.canceled.connect(task.cancel)
        task.progressed.connect(self.show_progress)
        task.finished.connect(self.finish)
        QTimer.singleShot(self.SHOW_AFTER_MS, self, self._show_if_running)

    def _show_if_running(self) -> None:
        if self._task.running:
            self.show()

    @Slot(int, int, str)
    def show_progress(self, done: int, total: int, _message: str = "") -> None:
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))

    @Slot(object)
    def finish(self, _outcome: object = None) -> None:
        self.close()
        self.deleteLater()


# -- the list of problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterLine:
    """One line of the preview's list: a problem (red) or an automatic fix."""

    message: RowMessage
    problem: bool


COL_ROW, COL_COLUMN, COL_NUMBER, COL_KIND, COL_MESSAGE = range(5)
ROSTER_COLUMNS: list[Column[RosterLine]] = [
    Column("行号", lambda x: x.message.row or "", "centre", tooltip=True),
    Column("列", lambda x: f"{x.message.letter} {x.message.column}".strip(), tooltip=True),
    Column("户编号", lambda x: x.message.number, tooltip=True),
    Column("类别", lambda x: "问题" if x.problem else "提示", tooltip=True),
    Column("说明", lambda x: x.message.message, tooltip=True),  # long messages are cut off
]


def roster_lines(problems: list[RowMessage], notes: list[RowMessage]) -> list[RosterLine]:
    """Problems and fixes in sheet order, a row's problems before its fixes."""
    merged = [RosterLine(m, True) for m in problems] + [RosterLine(m, False) for m in notes]
    return sorted(merged, key=lambda x: (x.message.row, not x.problem))


# -- the import dialog ---------------------------------------------------------------------------------


class RosterImportDialog(QDialog):
    """Import households from an Excel roster: file, column mapping, preview of problems, import.

    Signals:
        imported(ImportResult): households were imported (refresh the register views).
    """

    imported = Signal(object)
    MAPPING_PER_ROW = 3
    VALUE_ROWS = 5

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._path: str | None = None
        self._sheet: str | None = None
        self._mapping: dict[str, str | None] = {}
        self._options = RosterOptions()
        self._value_boxes: list[tuple[ValueUse, QComboBox]] = []
        self.preview: RosterPreview | None = None
        self.result: ImportResult | None = None
        self.task: Task | None = None
        self._combos: dict[str, QComboBox] = {}
        self.setWindowTitle(self.tr("从 Excel 花名册导入农户"))
        self._fit_to_screen()
        self._build()

    def _build(self) -> None:
        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("请选择花名册文件：.xlsx、.xls 或 .csv（一人一行）"))
        self.choose_button = push_button(self.tr("选择文件…"), self.choose_file, self)
        self.template_button = push_button(self.tr("下载空白模板…"), self.save_template, self)
        self.sheet_box = QComboBox(self)
        self.sheet_box.setEnabled(False)
        self.mapping_group = QGroupBox(self.tr("列对应：下面的表头程序不认识，请指定它们对应哪一项（或忽略）"), self)
        self.mapping_grid = QGridLayout()
        self.recheck_button = push_button(self.tr("按新的对应重新检查"), self.recheck, self)
        mapping_layout = QHBoxLayout(self.mapping_group)
        mapping_layout.addLayout(self.mapping_grid, 1)
        mapping_layout.addWidget(self.recheck_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.mapping_group.hide()
        self._build_choices()
        self.summary_label = QLabel(self.tr("选择文件后，程序会先检查每一行，列出问题，不会立即导入。"), self)
        self.summary_label.setWordWrap(True)
        # room for three lines: a word-wrapped label in a box layout is otherwise given one
        self.summary_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 6)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.table = RowsView(ROSTER_COLUMNS, self, colour=lambda x: PROBLEM_COLOR.name() if x.problem else None,
                              key=lambda _x: None, multi=True, fit=None)
        self.model = self.table.rows_model
        self.import_button = push_button(self.tr("导入"), self.start_import, self)
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.close_button = push_button(self.tr("关闭"), self._close, self)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("文件")))
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.choose_button)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("工作表")))
        top.addWidget(self.sheet_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mapping_group)
        layout.addWidget(self.choices_group)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.sheet_box.activated.connect(self._sheet_chosen)

    def _fit_to_screen(self) -> None:
        """About 34 lines of text high (room for the problems under the choices at every font
        size), never more than the screen: a 1366×768 laptop at 特大 gets the whole height."""
        spacing = self.fontMetrics().lineSpacing()
        fit.fit_to_screen(self, QSize(max(960, spacing * 53), max(620, spacing * 34)))

    def _build_choices(self) -> None:
        """What the file leaves open, asked for once: 户状态 and 脱贫年度 for the whole file when the
        columns are missing, how to read each status word and unknown value, new 村民组."""
        self.choices_group = QGroupBox(self.tr("缺少的列、值对应和村民组（确认后点“按以上选择重新检查”）"), self)
        self.status_label = QLabel(self.tr("缺少的列：户状态，全部农户按"), self.choices_group)
        self.status_box = QComboBox(self.choices_group)
        self.status_box.addItem(self.tr("（请选择）"), None)
        for word in STATUS_WORDS:
            self.status_box.addItem(word, word)
        self.exit_label = QLabel(self.tr("已脱贫户的脱贫年度"), self.choices_group)
        self.exit_box = QComboBox(self.choices_group)
        for box in (self.status_box, self.exit_box):  # full-width brackets: Qt's own guess cuts "（请选择）"
            box.setMinimumContentsLength(7)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.exit_box.addItem(self.tr("（请选择）"), None)
        for year in EXIT_YEARS:
            self.exit_box.addItem(str(year), year)
        self.values_table = QTableWidget(0, 5, self.choices_group)
        self.values_table.setHorizontalHeaderLabels(
            [self.tr("列"), self.tr("表中的值"), self.tr("行数"), self.tr("读作"), self.tr("含义")])
        self.values_table.verticalHeader().hide()
        self.values_table.horizontalHeader().setStretchLastSection(True)
        self.values_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.values_table)
        self.groups_check = QCheckBox(self.choices_group)
        self.apply_button = push_button(self.tr("按以上选择重新检查"), self.apply_choices, self.choices_group)
        missing = QHBoxLayout()
        for widget in (self.status_label, self.status_box, self.exit_label, self.exit_box):
            missing.addWidget(widget)
        missing.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.groups_check, 1)
        bottom.addWidget(self.apply_button)
        layout = QVBoxLayout(self.choices_group)
        layout.addLayout(missing)
        layout.addWidget(self.values_table)
        layout.addLayout(bottom)
        self.choices_group.hide()

    def _show_choices(self, preview: RosterPreview) -> None:
        options = preview.options
        show_status = "status" in preview.missing
        show_exit = "exit_year" in preview.missing
        for widget, shown in ((self.status_label, show_status), (self.status_box, show_status),
                              (self.exit_label, show_exit), (self.exit_box, show_exit)):
            widget.setVisible(shown)
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(options.defaults.get("status"))))
        self.exit_box.setCurrentIndex(max(0, self.exit_box.findData(options.defaults.get("exit_year"))))
        uses = [*preview.values, *preview.unknown_values]
        self.values_table.setRowCount(len(uses))
        self._value_boxes = []
        for row, use in enumerate(uses):
            texts = (use.header, use.value, str(len(use.rows)), None,
                     use.meaning if use.program is not None or use.meaning else self.tr("不认识，请选择"))
            for column, text in enumerate(texts):
                if text is not None:
                    item = QTableWidgetItem(text)
                    item.setToolTip(use.where() if column == 2 else text)
                    if use.program is None and column == 4:
                        item.setForeground(QBrush(PROBLEM_COLOR))
                    self.values_table.setItem(row, column, item)
            box = QComboBox(self.values_table)
            box.addItem(self.tr("（请选择）") if use.program is None else self.tr("（按含义）"), None)
            for word in STATUS_WORDS if use.key == "status" else BY_KEY[use.key].choices:
                box.addItem(word, word)
            box.setCurrentIndex(max(0, box.findData(options.values.get(use.key, {}).get(use.value))))
            self.values_table.setCellWidget(row, 3, box)
            self._value_boxes.append((use, box))
        self.values_table.setVisible(bool(uses))
        self.values_table.resizeColumnsToContents()
        self.values_table.resizeRowsToContents()
        shown = min(len(uses), self.VALUE_ROWS)  # as tall as its rows, up to VALUE_ROWS; it scrolls beyond
        height = self.values_table.horizontalHeader().height() + 2 * self.values_table.frameWidth() + sum(
            self.values_table.rowHeight(r) for r in range(shown))
        self.values_table.setFixedHeight(height)
        groups = preview.new_groups
        self.groups_check.setVisible(bool(groups))
        self.groups_check.setText(self.tr("新建这些村民组（本村还没有）：{names}").format(names="、".join(groups)))
        self.groups_check.setChecked(options.create_groups)
        self.choices_group.setVisible(bool(show_status or show_exit or uses or groups))

    def apply_choices(self) -> None:
        """Check again with the choices made in the 缺少的列/值对应/村民组 box."""
        defaults: dict[str, Any] = {}
        if not self.status_box.isHidden() and self.status_box.currentData():
            defaults["status"] = self.status_box.currentData()
        if not self.exit_box.isHidden() and self.exit_box.currentData():
            defaults["exit_year"] = self.exit_box.currentData()
        values: dict[str, dict[str, str]] = {}
        for use, box in self._value_boxes:
            if box.currentData():
                values.setdefault(use.key, {})[use.value] = box.currentData()
        self._options = RosterOptions(defaults=defaults, values=values,
                                      create_groups=not self.groups_check.isHidden() and self.groups_check.isChecked())
        self._check()

    # -- choosing and checking -------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择花名册"), QDir.homePath(),
                                              self.tr("花名册 (*.xlsx *.xlsm *.xls *.et *.csv *.txt);;所有文件 (*)"))
        if path:
            self.load(path)

    def load(self, path: str, *, sheet: str | None = None) -> None:
        """Read and check `path` in the background (a new file forgets the column mapping)."""
        if path != self._path:
            self._mapping = {}
            self._options = RosterOptions()
        self._path, self._sheet = path, sheet
        self.file_edit.setText(path)
        self._check()

    def recheck(self) -> None:
        """Check again with the headers assigned in the mapping step."""
        self._mapping = {letter: box.currentData() or None for letter, box in self._combos.items()}
        self._check()

    def _sheet_chosen(self, index: int) -> None:
        name = self.sheet_box.itemText(index)
        if self._path and name != (self.preview.sheet if self.preview else None):
            self._sheet = name
            self._mapping = {}
            self._check()

    def _check(self) -> None:
        path, sheet, mapping, options = self._path, self._sheet, dict(self._mapping), self._options
        assert path is not None

        def work(session: Session, progress: Progress) -> RosterPreview:
            return preview_roster(session, path, sheet=sheet, mapping=mapping, options=options, progress=progress)

        self._set_busy(True)
        self.summary_label.setText(self.tr("正在读取并检查花名册…"))
        self._run(self._ops.read_task(work, success=self._show_preview, failure=self._check_failed, parent=self),
                  self.tr("正在读取并检查花名册…"))

    def _show_preview(self, preview: RosterPreview) -> None:
        self._set_busy(False)
        self.preview = preview
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        self.sheet_box.addItems(list(preview.sheets))
        self.sheet_box.setCurrentText(preview.sheet)
        self.sheet_box.blockSignals(False)
        self.sheet_box.setEnabled(len(preview.sheets) > 1)
        self._show_mapping(preview)
        self._show_choices(preview)
        self.table.set_rows(roster_lines(preview.problems, preview.notes))
        self.table.resizeColumnsToContents()
        ok, bad = len(preview.ok_households), len(preview.bad_households)
        text = self.tr("可导入{ok}户{members}人，有问题{bad}户").format(ok=ok, members=preview.ok_members, bad=bad)
        if preview.loose_rows:
            text += self.tr("，另有{rows}行无法归户").format(rows=preview.loose_rows)
        text += self.tr("。（工作表“{sheet}”，表头在第{row}行）").format(sheet=preview.sheet, row=preview.header_row)
        if bad:
            text += self.tr("\n有问题的户整户不导入；可在 Excel 中改正后重新选择文件。")
        self.summary_label.setText(text)
        self.import_button.setEnabled(preview.importable)
        self.import_button.setText(self.tr("导入{ok}户").format(ok=ok) if ok else self.tr("导入"))

    def _show_mapping(self, preview: RosterPreview) -> None:
        """A combo box per header the synonym table does not know (and per header assigned before)."""
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._combos = {}
        for column in preview.columns:
            if column.key is not None and not column.assigned:
                continue
            box = QComboBox(self.mapping_group)
            box.addItem(self.tr("（忽略此列）"), None)
            for key, header in assignable():
                box.addItem(header, key)
            box.setCurrentIndex(max(0, box.findData(column.key)))
            position = len(self._combos)
            label = QLabel(self.tr("{letter}列“{header}”").format(letter=column.letter, header=column.header))
            self.mapping_grid.addWidget(label, position // self.MAPPING_PER_ROW, position % self.MAPPING_PER_ROW * 2)
            self.mapping_grid.addWidget(box, position // self.MAPPING_PER_ROW, position % self.MAPPING_PER_ROW * 2 + 1)
            self._combos[column.letter] = box
        self.mapping_group.setVisible(bool(self._combos))

    def _check_failed(self, error: FupinError) -> None:
        self._set_busy(False)
        self.preview = None
        self.table.set_rows([])
        self.import_button.setEnabled(False)
        if isinstance(error, Cancelled):
            self.summary_label.setText(self.tr("已取消读取。"))
        else:
            self.summary_label.setText(self.tr("无法读取：{error}").format(error=error))

    # -- importing -------------------------------------------------------------------------------

    def start_import(self) -> None:
        preview = self.preview
        if preview is None or not preview.importable:
            return

        self._set_busy(True)
        self.summary_label.setText(self.tr("正在导入…"))
        self._run(self._ops.task(lambda db, progress: import_roster(db, preview, progress=progress),
                                 success=self._imported, failure=self._import_failed, parent=self),
                  self.tr("正在导入{n}户…").format(n=len(preview.ok_households)))

    def _imported(self, result: ImportResult) -> None:
        self._set_busy(False)
        self.result = result
        self.import_button.setEnabled(False)
        self.summary_label.setText(self.tr("{summary}。").format(summary=result.summary()))
        self.imported.emit(result)

    def _import_failed(self, error: FupinError) -> None:
        self._set_busy(False)
        if isinstance(error, Cancelled):
            self.summary_label.setText(self.tr("已取消导入，没有导入任何农户。"))
        else:
            self.summary_label.setText(self.tr("导入失败，没有导入任何农户：{error}").format(error=error))

    # -- template, running, closing ---------------------------------------------------------------

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存空白花名册模板"),
                                              str(Path(QDir.homePath()) / self.tr("花名册模板.xlsx")),
                                              _tr(XLSX_FILTER))
        if not path:
            return
        path = _with_suffix(path)

        self._run(self._ops.read_task(
            lambda session, _progress: write_template(path, session),
            success=lambda written: self.summary_label.setText(self.tr("已保存空白模板：{path}").format(path=written)),
            failure=lambda error: self.summary_label.setText(self.tr("无法保存模板：{error}").format(error=error)),
            parent=self), self.tr("正在写入模板…"))

    def _run(self, task: Task, text: str) -> None:
        self.task = task
        _Progress(self, text, task)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.choose_button, self.template_button, self.sheet_box, self.recheck_button,
                       self.apply_button, self.import_button):
            widget.setEnabled(not busy)
        if not busy:
            self.sheet_box.setEnabled(bool(self.preview and len(self.preview.sheets) > 1))

    def _close(self) -> None:
        self.done(QDialog.DialogCode.Accepted if self.result else QDialog.DialogCode.Rejected)

    def done(self, result: int) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()  # a cancelled import rolls back
            self._ops.wait()  # never leave work behind the window
        super().done(result)


def _with_suffix(path: str) -> str:
    return path if path.lower().endswith(".xlsx") else path + ".xlsx"


# -- export --------------------------------------------------------------------------------------------


def export_xlsx(ops: DbOps, query: HouseholdQuery | None, parent: QWidget) -> Task | None:
    """Ask where to save, then export the households `query` finds (None: the whole register) in the
    background, with progress and cancel. Returns the running task, or None when the user cancelled
    the file dialog. The outcome is shown in a message box that does not block."""
    suggested = Path(QDir.homePath()) / _tr("农户花名册_{day}.xlsx").format(day=clock.today().isoformat())
    path, _ = QFileDialog.getSaveFileName(parent, _tr("导出花名册"), str(suggested), _tr(XLSX_FILTER))
    if not path:
        return None
    path = _with_suffix(path)

    def work(session: Session, progress: Progress) -> RosterExport:
        return export_roster(session, path, query, progress=progress)

    task = ops.read_task(work, success=lambda result: _tell(parent, _tr("导出完成"), result.summary() + "。"),
                    failure=lambda error: None if isinstance(error, Cancelled)
                    else _tell(parent, _tr("无法导出"), str(error), warning=True), parent=parent)
    _Progress(parent, _tr("正在导出花名册…"), task)
    return task


def _tell(parent: QWidget, title: str, text: str, *, warning: bool = False) -> QMessageBox:
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # not exec(): the window stays usable
    return box
