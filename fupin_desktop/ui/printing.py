"""Printing from the GUI: the 打印 page (batch cards, dossiers, village documents) and the one-household
print menu of the 农户 page.

Documents are written on the background runner (ops.read_task) behind a progress dialog with 取消;
a cancelled or failed run leaves no half-written PDF. The finished PDF opens in the print preview
(ui/pdf_preview.py: QtPdf view, 打印… through the system dialog, 另存为…).
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.progress import Progress
from fupin_desktop.domain.rows import VILLAGE
from fupin_desktop.errors import Cancelled, FupinError, StorageError
from fupin_desktop.services.village import group_names
from fupin_desktop.ui import fit
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.ops import DbOps

if TYPE_CHECKING:  # the print data, ReportLab and QtPdf load when something is printed, not at start
    from sqlalchemy.orm import Session  # the session ops gives the work

    from fupin_desktop.services import print_data

    Job = Callable[[Session, Progress], list[Path]]  # runs on the background runner


class PrintRunner(QObject):
    """Runs one print job on the background runner behind a progress dialog with 取消; opens the
    result when asked.

    Signals:
        finished(list): the files written (empty when cancelled or failed).
    """

    finished = Signal(list)

    def __init__(self, ops: DbOps, parent: QWidget) -> None:
        super().__init__(parent)
        self._ops = ops
        self._parent = parent
        self.open_after = True
        self.busy = False

    def run(self, title: str, job: Job) -> None:
        if self.busy:
            return
        self.busy = True
        dialog = QProgressDialog(title, self.tr("取消"), 0, 0, self._parent)
        dialog.setWindowTitle(self.tr("正在生成 PDF"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        task = self._ops.read_task(job, success=self._succeeded, failure=self._failed, parent=self._parent)
        dialog.canceled.connect(task.cancel)

        def show(done: int, total: int, _message: str) -> None:
            if dialog.wasCanceled():  # also when closed with Esc or cancel(), which do not signal
                task.cancel()
                return
            if dialog.maximum() != total:
                dialog.setMaximum(total)
            dialog.setValue(done)
            text = self.tr("{title}：已排版 {done}/{total} 户")
            dialog.setLabelText(text.format(title=title, done=done, total=total))

        def done() -> None:
            self.busy = False
            dialog.reset()
            dialog.deleteLater()

        task.progressed.connect(show)
        task.finished.connect(done)

    def _succeeded(self, files: list[Path]) -> None:
        if not files:
            QMessageBox.information(self._parent, self.tr("已取消"), self.tr("已取消，没有留下不完整的文件。"))
        elif self.open_after and len(files) == 1:
            preview(files[0], self._parent)
        elif self.open_after:
            open_file(files[0].parent)
        self.finished.emit(files)

    def _failed(self, error: FupinError) -> None:
        if isinstance(error, Cancelled):
            QMessageBox.information(self._parent, self.tr("已取消"), self.tr("已取消，没有留下不完整的文件。"))
        else:
            show_error(self._parent, error)
        self.finished.emit([])


def preview(path: Path, parent: QWidget) -> None:
    """Show the print preview (QtPdf) of a finished PDF; it prints through the system dialog."""
    try:
        from fupin_desktop.ui.pdf_preview import PdfPreview

        dialog = PdfPreview(path, parent)
    except FupinError as e:
        show_error(parent, e)
        return
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()


def open_file(path: Path) -> None:
    """Open a PDF (or a folder) with the system's viewer."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def ask_pdf(parent: QWidget, title: str, name: str) -> Path | None:
    """Ask where to save a PDF; None when the user cancels."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(Path(documents_folder()) / name),
                                                parent.tr("PDF 文件 (*.pdf)"))
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


# -- jobs (run on the worker thread) ------------------------------------------------------------------

def cards_job(target: Path, selection: print_data.Selection, *, kind: str, year: int, folder: bool) -> Job:
    """明白卡 / 确认表 / 一户一档 of the selected households into `target` (a file, or a folder)."""
    def job(s: Session, progress: Progress) -> list[Path]:
        from fupin_desktop.reports import card, dossier
        from fupin_desktop.services import print_data

        if kind == "dossier":
            numbers = [c.household.number for c in print_data.cards_data(s, selection, year=year)]
            data = [print_data.dossier_data(s, n) for n in numbers]
        else:
            data = print_data.cards_data(s, selection, year=year, checks=kind == "plan")
        if not data:
            raise FupinError("没有符合条件的农户，没有生成文件。")
        if kind == "dossier":
            if folder:
                files = []
                for i, d in enumerate(data):
                    name = f"一户一档_{d.household.number}_{d.household.head}.pdf"
                    files.append(dossier.write_dossiers(target / _safe(name), [d]))
                    progress.step(i + 1, len(data))
                return files
            return [dossier.write_dossiers(target, data, progress=progress)]
        if folder:
            return card.write_cards_to_folder(target, data, progress=progress, plan=kind == "plan")
        return [card.write_cards(target, data, progress=progress, plan=kind == "plan")]
    return job


def _safe(name: str) -> str:
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in name)


def exit_sheet_job(target: Path, number: str, year: int) -> Job:
    """One household's 脱贫退出确认表 (with the 双认定 as recorded, and room to sign)."""
    def job(s: Session, progress: Progress) -> list[Path]:
        from fupin_desktop.reports import exits
        from fupin_desktop.services import print_data

        return [exits.write_exit_sheet(target, print_data.exit_sheet_data(s, number, year=year))]
    return job


def village_job(target: Path, kind: str, *, year: int | None = None, start: date | None = None,
                end: date | None = None) -> Job:
    def job(s: Session, progress: Progress) -> list[Path]:
        from fupin_desktop.reports import board, exits, summary
        from fupin_desktop.services import print_data

        if kind == "village-exit":
            return [exits.write_village_exit(target, print_data.village_exit_data(s, year=year))]
        if kind == "board":
            return [board.write_board(target, print_data.board_data(s, year=year))]
        if kind == "summary":
            return [summary.write_summary(target, print_data.summary_data(s, year=year))]
        if kind == "monitoring":
            return [summary.write_monitoring(target, print_data.monitoring_data(s, year=year))]
        if kind == "visits":
            assert start is not None and end is not None
            return [summary.write_list(target, print_data.visit_log(s, start, end))]
        return [summary.write_list(target, print_data.problem_ledger(s))]
    return job


def board_job(target: Path, year: int, household_ids: list[uuid.UUID] | None = None) -> Job:
    """明白栏 (A3) of the year: the households given, or every registered and monitored one."""
    def job(s: Session, progress: Progress) -> list[Path]:
        from fupin_desktop.reports import board
        from fupin_desktop.services import print_data

        return [board.write_board(target, print_data.board_data(s, year=year, household_ids=household_ids))]
    return job


DOCUMENTS = {"card": "帮扶明白卡", "plan": "帮扶计划（N+2）确认表", "dossier": "一户一档"}


# -- the page -------------------------------------------------------------------------------------------

class PrintPage(QWidget):
    """打印: batch documents of many households, and the village's own documents."""

    shows = VILLAGE  # the 村民组 of the scope list

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.runner = PrintRunner(ops, self)
        self.last_files: list[Path] = []
        self.runner.finished.connect(self._finished)
        self._build()

    def _build(self) -> None:
        this_year = clock.today().year
        self.document_box = QComboBox()
        for key, title in DOCUMENTS.items():
            self.document_box.addItem(title, key)
        self.scope_box = QComboBox()
        self.numbers_edit = QLineEdit()
        self.numbers_edit.setPlaceholderText(self.tr("可选：只打印这些户编号，用逗号分隔"))
        self.year_box = QSpinBox()
        self.year_box.setRange(2014, this_year + 2)
        self.year_box.setValue(this_year)
        self.one_file = QRadioButton(self.tr("合成一个 PDF（每户从第1页编号）"))
        self.per_household = QRadioButton(self.tr("每户一个 PDF（选择文件夹）"))
        self.one_file.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.one_file)
        group.addButton(self.per_household)
        self.batch_button = QPushButton(self.tr("生成…"))
        self.batch_button.clicked.connect(self.print_batch)
        form = QFormLayout()
        form.addRow(self.tr("文档"), self.document_box)
        form.addRow(self.tr("农户范围"), self.scope_box)
        form.addRow(self.tr("户编号"), self.numbers_edit)
        form.addRow(self.tr("年度"), self.year_box)
        output = QVBoxLayout()
        output.addWidget(self.one_file)
        output.addWidget(self.per_household)
        form.addRow(self.tr("输出"), output)
        form.addRow("", self.batch_button)
        households = QGroupBox(self.tr("农户文档（批量）"))
        households.setLayout(form)

        self.start_date = QDateEdit(QDate(this_year, 1, 1))
        self.end_date = QDateEdit(QDate.currentDate())
        for edit in (self.start_date, self.end_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        village = QGroupBox(self.tr("全村文档"))
        rows = QVBoxLayout(village)
        self.village_buttons: dict[str, QPushButton] = {}
        for key, title, note in (
            ("board", "明白栏（A3 横向）", "工作队、建档立卡户和监测对象帮扶情况、政策、公示、项目"),
            ("summary", "全村统计表", "户数人数、致贫原因、劳动能力、收入、退出标准核对"),
            ("monitoring", "“五最低”监测名册", "各村民组上年人均纯收入最低的5户"),
            ("village-exit", "贫困村退出核查表", "贫困发生率和各核查项目的结果、依据"),
            ("visits", "走访记录", "下面日期范围内的走访"),
            ("ledger", "问题整改台账", "全部问题及整改情况"),
        ):
            button = QPushButton(self.tr(title) + "…")
            button.clicked.connect(lambda _checked=False, k=key, t=title: self.print_village(k, t))
            self.village_buttons[key] = button
            line = QHBoxLayout()
            line.addWidget(button)
            line.addWidget(QLabel(self.tr(note)), 1)
            rows.addLayout(line)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("走访记录日期：")))
        dates.addWidget(self.start_date)
        dates.addWidget(QLabel(self.tr("至")))
        dates.addWidget(self.end_date)
        dates.addStretch(1)
        rows.addLayout(dates)

        self.open_after = QCheckBox(self.tr("生成后显示打印预览（可直接打印；每户一个文件时打开文件夹）"))
        self.open_after.setChecked(True)
        self.open_after.toggled.connect(lambda on: setattr(self.runner, "open_after", on))
        widest = max(b.sizeHint().width() for b in self.village_buttons.values())
        for b in self.village_buttons.values():
            b.setMinimumWidth(widest)
        column = QWidget()
        column.setMaximumWidth(860)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(households)
        layout.addWidget(village)
        layout.addWidget(self.open_after)
        layout.addStretch(1)
        inside = QWidget()
        row = QHBoxLayout(inside)
        row.setContentsMargins(16, 12, 16, 12)
        row.addWidget(column, 1)
        fit.fill_scrolled(self, inside)  # a small window (1366×768 laptops, large fonts) scrolls instead of clipping

    def refresh(self) -> None:
        self._ops.query(group_names, success=self._set_groups, parent=self)

    def _set_groups(self, names: list[str]) -> None:
        current = self.scope_box.currentData()
        self.scope_box.clear()
        self.scope_box.addItem(self.tr("建档立卡户和监测对象"), "registered")
        self.scope_box.addItem(self.tr("全部农户"), "all")
        for name in names:
            self.scope_box.addItem(self.tr("村民组：{name}").format(name=name), f"group:{name}")
        index = self.scope_box.findData(current)
        self.scope_box.setCurrentIndex(max(0, index))

    def selection(self) -> print_data.Selection:
        from fupin_desktop.services import print_data

        scope = self.scope_box.currentData() or "registered"
        group = scope.removeprefix("group:") if scope.startswith("group:") else None
        text = self.numbers_edit.text().replace("，", ",")
        numbers = tuple(n.strip() for n in text.split(",") if n.strip())
        return print_data.Selection(numbers=numbers, group=group, everyone=scope != "registered")

    def print_batch(self) -> None:
        kind = self.document_box.currentData()
        title = DOCUMENTS[kind]
        if self.per_household.isChecked():
            folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存 PDF 的文件夹"), documents_folder())
            if not folder:
                return
            target, many = Path(folder), True
        else:
            chosen = ask_pdf(self, self.tr("保存{title}").format(title=title), f"{title}_{self.year_box.value()}.pdf")
            if chosen is None:
                return
            target, many = chosen, False
        self.runner.run(title, cards_job(target, self.selection(), kind=kind, year=self.year_box.value(),
                                         folder=many))

    def print_village(self, kind: str, title: str) -> None:
        target = ask_pdf(self, self.tr("保存{title}").format(title=title), f"{title}.pdf")
        if target is None:
            return
        start, end = self.start_date.date().toPython(), self.end_date.date().toPython()
        if kind == "visits" and start > end:
            QMessageBox.warning(self, self.tr("日期有误"), self.tr("开始日期晚于结束日期。"))
            return
        year = None if kind == "monitoring" else self.year_box.value()
        self.runner.run(title, village_job(target, kind, year=year, start=start, end=end))

    def _finished(self, files: list[Path]) -> None:
        self.last_files = files


def printouts_folder(ops: DbOps) -> Path:
    """Where a card printed straight from a household goes: 打印 beside the database (the last
    cards can be found again there), or the temporary folder for a database that is not a file."""
    return (ops.file.parent if ops.file is not None else Path(tempfile.gettempdir())) / "打印"


def print_now(runner: PrintRunner, ops: DbOps, title: str, name: str, job: Callable[[Path], Job]) -> None:
    """Make a document into the printouts folder and show its print preview: no file dialog
    (另存为… is in the preview)."""
    folder = printouts_folder(ops)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        show_error(runner.parent(), StorageError(f"无法在 {folder} 建立打印文件夹：{e.strerror or e}。"))  # type: ignore[arg-type]
        return
    runner.run(title, job(folder / _safe(name)))


def print_card(runner: PrintRunner, ops: DbOps, number: str, head: str) -> None:
    """One household's 明白卡 straight to the print preview."""
    from fupin_desktop.services import print_data

    title = DOCUMENTS["card"]
    print_now(runner, ops, title, f"{title}_{number}_{head}.pdf", lambda target: cards_job(
        target, print_data.Selection(numbers=(number,)), kind="card", year=clock.today().year, folder=False))


def household_print_menu(ops: DbOps, parent: QWidget, number_of: Callable[[], tuple[str, str] | None]) -> QMenu:
    """The 打印 menu of one household: 明白卡, 确认表, 一户一档 (number_of gives number and head)."""
    menu = QMenu(parent)
    runner = PrintRunner(ops, parent)
    menu.runner = runner  # type: ignore[attr-defined]  # kept alive with the menu

    def run(kind: str) -> None:
        picked = number_of()
        if picked is None:
            return
        number, head = picked
        title = DOCUMENTS[kind]
        target = ask_pdf(parent, parent.tr("保存{title}").format(title=title), _safe(f"{title}_{number}_{head}.pdf"))
        if target is None:
            return
        from fupin_desktop.services import print_data

        selection = print_data.Selection(numbers=(number,))
        runner.run(title, cards_job(target, selection, kind=kind, year=clock.today().year, folder=False))

    for kind, title in DOCUMENTS.items():
        menu.addAction(parent.tr(title) + "…", lambda k=kind: run(k))
    return menu
