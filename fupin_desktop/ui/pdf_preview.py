"""Print preview of a generated PDF (QtPdf), printing through the system dialog, and save-as."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.errors import FupinError, StorageError
from fupin_desktop.safe_files import write_atomically
from fupin_desktop.ui import fit
from fupin_desktop.ui.errors import show_error

MAX_PRINT_DPI = 300  # enough for text; an A3 page at 600 dpi would be a 140 MB image


def load(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    if doc.load(str(path)) != QPdfDocument.Error.None_:
        raise FupinError(f"无法打开 {path.name}，文件可能已被移走或损坏。")
    return doc


def page_layout(doc: QPdfDocument) -> QPageLayout:
    """The paper of the document's first page (A4 portrait, A3 landscape …), without margins."""
    size = doc.pagePointSize(0)
    landscape = size.width() > size.height()
    paper = QPageSize(QSizeF(min(size.width(), size.height()), max(size.width(), size.height())),
                      QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(paper, orientation, QMarginsF(0, 0, 0, 0))


def print_document(doc: QPdfDocument, printer: QPrinter) -> int:
    """Paint every page onto the printer, each scaled to fit its printable area; returns pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise FupinError("无法开始打印：打印机不可用或已取消。")
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    try:
        for i in range(doc.pageCount()):
            if i and not printer.newPage():
                raise FupinError("打印中断：打印机不再接受新页。")
            points = doc.pagePointSize(i)
            image = doc.render(i, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)))
            area = QRectF(painter.viewport())
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(QPointF(0, 0), QSizeF(image.width() * scale, image.height() * scale))
            target.moveCenter(area.center())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return doc.pageCount()


class PdfPreview(QDialog):
    """Shows a PDF the program made; 打印… sends it to a printer, 另存为… copies it."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.document = load(path)
        self.document.setParent(self)
        self.setWindowTitle(self.tr("打印预览 — {name}").format(name=path.name))
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        self.info = QLabel(self.tr("共 {n} 页").format(n=self.document.pageCount()))
        # 打印 goes straight to the default printer (the dialog only when there is none);
        # 选择打印机… is for another printer, copies or pages
        self.print_button = QPushButton(self.tr("打印"))
        self.choose_button = QPushButton(self.tr("选择打印机…"))
        self.save_button = QPushButton(self.tr("另存为…"))
        self.width_button = QPushButton(self.tr("适合宽度"))
        self.width_button.setCheckable(True)
        close = QPushButton(self.tr("关闭"))
        self.print_button.clicked.connect(self.print_)
        self.choose_button.clicked.connect(self.choose_printer)
        if self.default_printer():
            self.print_button.setToolTip(self.tr("用默认打印机“{name}”打印全部 {n} 页").format(
                name=self.default_printer(), n=self.document.pageCount()))
        self.save_button.clicked.connect(self.save_as)
        self.width_button.toggled.connect(lambda on: self.view.setZoomMode(
            QPdfView.ZoomMode.FitToWidth if on else QPdfView.ZoomMode.FitInView))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.info)
        buttons.addStretch(1)
        for b in (self.width_button, self.save_button, self.choose_button, self.print_button, close):
            buttons.addWidget(b)
        self.print_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        fit.fit_to_screen(self, QSize(900, 1000))  # an A4 page as large as the screen allows
        self.setWindowModality(Qt.WindowModality.NonModal)

    def printer(self, name: str = "") -> QPrinter:
        """A printer for this document's paper: the one named, else the system's choice."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if name:
            printer.setPrinterName(name)
        printer.setPageLayout(page_layout(self.document))
        printer.setFullPage(True)
        printer.setDocName(self.path.stem)
        return printer

    @staticmethod
    def default_printer() -> str:
        """The system's default printer, or "" when there is none."""
        return QPrinterInfo.defaultPrinter().printerName()

    def print_(self) -> None:
        """Print on the default printer at once; with no default printer, ask which."""
        name = self.default_printer()
        if not name:
            self.choose_printer()
            return
        self._print(self.printer(name), name)

    def choose_printer(self) -> None:
        printer = self.printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印 {name}").format(name=self.path.name))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._print(printer, printer.printerName())

    def _print(self, printer: QPrinter, name: str) -> None:
        try:
            pages = print_document(self.document, printer)
        except FupinError as e:
            show_error(self, e)
            return
        self.info.setText(self.tr("已送往打印机 {name}：{n} 页").format(name=name or self.tr("（文件）"), n=pages))

    def save_as(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(self, self.tr("另存为"), str(self.path),
                                                      self.tr("PDF 文件 (*.pdf)"))
        if not target or Path(target) == self.path:
            return
        def copy(temp: Path) -> None:
            shutil.copyfile(self.path, temp)
        try:  # the one writer: a pulled stick leaves no half a PDF under the chosen name
            write_atomically(Path(target), copy, opened_in=" PDF 阅读器")
        except StorageError as e:
            show_error(self, e)
            return
        QMessageBox.information(self, self.tr("已保存"), self.tr("已保存到：{path}").format(path=target))
