"""The 打印 page and the 农户 page's print menu: files written in the background, progress, cancel."""

import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from fupin_desktop.ui import printing
from fupin_desktop.ui.households_page import HouseholdsPage
from fupin_desktop.ui.printing import PrintPage, PrintRunner
from tests.reports.pdf import flat, pages, pdf_info, pdf_text
from tests.ui.helpers import open_page


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """Record what would be previewed or opened instead of showing it."""
    seen: list[Path] = []
    monkeypatch.setattr(printing, "open_file", seen.append)
    monkeypatch.setattr(printing, "preview", lambda path, _parent: seen.append(path))
    return seen


def _save_as(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(printing, "ask_pdf", lambda *_a, **_k: path)


def _print_from_menu(qtbot, monkeypatch, button, entry: str, target: Path) -> None:  # type: ignore[no-untyped-def]
    """Choose the entry of `button`'s print menu that starts with `entry`, saved as `target`; wait for the PDF."""
    _save_as(monkeypatch, target)
    menu = button.menu()
    [action] = [a for a in menu.actions() if a.text().startswith(entry)]
    with qtbot.waitSignal(menu.runner.finished, timeout=20000):
        action.trigger()


def test_batch_cards_into_one_pdf_then_open_it(qtbot, ops, households, tmp_path, monkeypatch, opened):
    page = open_page(qtbot, PrintPage, ops)
    target = tmp_path / "明白卡.pdf"
    _save_as(monkeypatch, target)
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.batch_button.click()
    assert page.last_files == [target] and opened == [target]
    assert pages(target) == 2  # 001 未脱贫 and 003 监测户; 002 一般农户 is not carded by default
    text = flat(pdf_text(target))
    assert "张三明" in text and "赵大力" in text and "王小红" not in text
    assert households.head_id_numbers["001"] not in text


def test_group_scope_and_one_file_per_household(qtbot, ops, households, tmp_path, monkeypatch, opened):
    page = open_page(qtbot, PrintPage, ops)
    page.scope_box.setCurrentIndex(page.scope_box.findData("group:二组"))
    page.per_household.setChecked(True)
    monkeypatch.setattr(printing.QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path))
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.batch_button.click()
    assert [f.name for f in page.last_files] == ["明白卡_002_王小红.pdf"]
    assert opened == [tmp_path / "明白卡_002_王小红.pdf"]  # one file: its preview (several: the folder)


def test_board_from_the_village_buttons(qtbot, ops, households, tmp_path, monkeypatch, opened):
    page = PrintPage(ops)
    qtbot.addWidget(page)
    target = tmp_path / "board.pdf"
    _save_as(monkeypatch, target)
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.village_buttons["board"].click()
    assert pdf_info(target)["Page size"].startswith("1190.55 x 841.89")


def test_cancel_stops_the_job_and_says_so(qtbot, ops, tmp_path, monkeypatch, opened):
    parent = PrintPage(ops)
    qtbot.addWidget(parent)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    runner = PrintRunner(ops, parent)
    reached: list[int] = []

    def slow(_db, progress):
        for i in range(1, 500):
            progress.step(i, 500)
            reached.append(i)
            time.sleep(0.01)
        return [tmp_path / "never.pdf"]

    with qtbot.waitSignal(runner.finished, timeout=20000) as finished:
        runner.run("测试", slow)
        qtbot.waitUntil(lambda: len(reached) > 3)
        dialog = parent.findChild(QProgressDialog)
        dialog.cancel()
    assert finished.args == [[]]
    assert told == ["已取消，没有留下不完整的文件。"] and len(reached) < 499 and opened == []


def test_storage_error_is_shown_not_crashed(qtbot, ops, households, tmp_path, monkeypatch, opened):
    page = open_page(qtbot, PrintPage, ops)
    shown: list[str] = []
    monkeypatch.setattr(printing, "show_error", lambda _p, e: shown.append(str(e)))
    _save_as(monkeypatch, tmp_path / "gone" / "x.pdf")
    with qtbot.waitSignal(page.runner.finished, timeout=20000):
        page.batch_button.click()
    assert shown and "U盘被拔出了吗" in shown[0] and opened == []


def test_households_page_prints_the_selected_household(qtbot, ops, households, tmp_path, monkeypatch, opened):
    page = open_page(qtbot, HouseholdsPage, ops)
    assert not page.print_button.isEnabled()
    page.table.selectRow(0)
    assert page.print_button.isEnabled()
    target = tmp_path / "d.pdf"
    _print_from_menu(qtbot, monkeypatch, page.print_button, "一户一档", target)
    assert opened == [target]
    assert "一户一档" in flat(pdf_text(target)) and "张三明" in flat(pdf_text(target))


def test_preview_shows_the_pages_and_prints_them(qtbot, tmp_path):
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    from fupin_desktop.domain.print_rows import BoardData, DocInfo
    from fupin_desktop.reports import board
    from fupin_desktop.ui.pdf_preview import PdfPreview, print_document

    info = DocInfo("荥阳市汜水镇新沟村", "410182104201", date(2026, 12, 1))
    pdf = board.write_board(tmp_path / "board.pdf", BoardData(info, 2026, (), (), None, None, None, ()))
    dialog = PdfPreview(pdf)
    qtbot.addWidget(dialog)
    assert dialog.info.text() == "共 1 页"
    printer = dialog.printer()
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert round(printer.pageLayout().fullRect(QPageLayout.Unit.Millimeter).width()) == 420  # A3
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)
    assert print_document(dialog.document, printer) == 1
    assert "(A3)" in pdf_info(tmp_path / "printed.pdf")["Page size"]


def test_save_as_copies_through_the_one_writer_and_a_pulled_stick_is_a_message(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from fupin_desktop.domain.print_rows import BoardData, DocInfo
    from fupin_desktop.reports import board
    from fupin_desktop.ui import pdf_preview

    info = DocInfo("荥阳市汜水镇新沟村", "410182104201", date(2026, 12, 1))
    pdf = board.write_board(tmp_path / "board.pdf", BoardData(info, 2026, (), (), None, None, None, ()))
    dialog = pdf_preview.PdfPreview(pdf)
    qtbot.addWidget(dialog)
    told, shown = [], []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[-1]))
    monkeypatch.setattr(pdf_preview, "show_error", lambda _p, e: shown.append(str(e)))
    for target in (tmp_path / "copy.pdf", tmp_path / "stick" / "copy.pdf"):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, t=target: (str(t), ""))
        dialog.save_as()
    assert (tmp_path / "copy.pdf").read_bytes() == pdf.read_bytes() and len(told) == 1
    assert len(shown) == 1 and "不存在（U盘被拔出了吗？）" in shown[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.pdf", "copy.pdf"]  # no temporary left


def test_a_missing_pdf_is_a_clear_message(qtbot, tmp_path):
    from fupin_desktop.errors import FupinError
    from fupin_desktop.ui.pdf_preview import PdfPreview

    with pytest.raises(FupinError, match="无法打开"):
        PdfPreview(tmp_path / "gone.pdf")


def test_household_detail_dialog_prints_its_household(qtbot, ops, households, tmp_path, monkeypatch, opened):
    from fupin_desktop.ui.household_detail import HouseholdDetailDialog

    page = HouseholdsPage(ops)
    qtbot.addWidget(page)
    page.open_household(households.ids["003"])
    dialog = next(w for w in page.findChildren(HouseholdDetailDialog))
    target = tmp_path / "card.pdf"
    _print_from_menu(qtbot, monkeypatch, dialog.print_button, "帮扶明白卡", target)
    assert opened == [target] and "赵大力" in flat(pdf_text(target))
    dialog.close()
