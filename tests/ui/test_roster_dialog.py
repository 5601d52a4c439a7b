"""Roster import dialog and export helper against a real database, with the file dialogs patched.

The work runs on a worker thread; the tests wait for it with qtbot, which keeps the event loop
running, so they also show that the window stays responsive meanwhile.
"""

import threading
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton, QWidget
from sqlalchemy import func, select

from fupin_desktop.db.models import Household, Member
from fupin_desktop.domain import idcard
from fupin_desktop.services.roster import ImportResult
from fupin_desktop.services.search import HouseholdQuery
from fupin_desktop.ui import roster_dialog
from fupin_desktop.ui import roster_dialog as rd
from fupin_desktop.ui.roster_dialog import RosterImportDialog, export_xlsx

MESSY = Path(__file__).parents[1] / "data" / "messy_roster.xlsx"
WAIT_MS = 20_000


def choose(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kwargs: (str(path), "")))


def counts(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return (s.scalar(select(func.count()).select_from(Household)),
                s.scalar(select(func.count()).select_from(Member)))


@pytest.fixture
def dialog(qtbot, ops):  # type: ignore[no-untyped-def]
    widget = RosterImportDialog(ops)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def open_file(qtbot, dialog: RosterImportDialog, monkeypatch, path: Path) -> None:
    choose(monkeypatch, path)
    dialog.choose_button.click()
    qtbot.waitUntil(lambda: dialog.task is not None and not dialog.task.running, timeout=WAIT_MS)


def test_preview_then_import_only_the_valid_households(qtbot, dialog, db, monkeypatch):
    open_file(qtbot, dialog, monkeypatch, MESSY)
    assert dialog.summary_label.text().startswith("可导入3户7人，有问题8户。（工作表“花名册”，表头在第3行）")
    model = dialog.model
    shown = [(model.text(r, rd.COL_ROW), model.text(r, rd.COL_COLUMN), model.text(r, rd.COL_KIND))
             for r in range(model.rowCount())]
    assert ("11", "F 身份证号码", "问题") in shown and ("13", "F 身份证号码", "问题") in shown
    assert ("14", "E 与户主关系", "问题") in shown and ("5", "F 身份证号码", "提示") in shown
    assert len(shown) == len(dialog.preview.problems) + len(dialog.preview.notes)
    assert list(dialog._combos) == ["R"] and dialog.mapping_group.isVisible()
    assert dialog.import_button.isEnabled() and dialog.import_button.text() == "导入3户"

    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as signal:
        dialog.import_button.click()
    result = signal.args[0]
    assert isinstance(result, ImportResult) and (result.households, result.members) == (3, 7)
    assert counts(db) == (3, 7)
    assert dialog.summary_label.text() == "已导入3户7人，有问题未导入8户。"
    assert not dialog.import_button.isEnabled()


def test_mapping_step_for_an_unknown_header(qtbot, dialog, monkeypatch, tmp_path):
    path = tmp_path / "unknown.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["户编号", "姓名", "与户主关系", "公民身份证", "户状态"])
    book.active.append(["1", "张三", "户主", idcard.make("410182", date(1970, 1, 1), 1, "男"), "一般农户"])
    book.save(path)
    open_file(qtbot, dialog, monkeypatch, path)
    assert not dialog.import_button.isEnabled()
    assert "找不到“身份证号”列" in dialog.model.text(0, rd.COL_MESSAGE)
    box = dialog._combos["D"]
    box.setCurrentIndex(box.findData("id_number"))
    dialog.recheck_button.click()
    qtbot.waitUntil(lambda: not dialog.task.running and dialog.import_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.summary_label.text().startswith("可导入1户1人，有问题0户")
    assert dialog.mapping_group.isVisible()  # an assigned header can still be changed back


def test_cancel_during_import_imports_nothing(qtbot, dialog, db, monkeypatch):
    open_file(qtbot, dialog, monkeypatch, MESSY)
    real_import = roster_dialog.import_roster

    def waits_for_cancel(db, preview, *, progress):  # type: ignore[no-untyped-def]
        """A slow import: it runs on the worker thread while the GUI thread shows the progress."""
        for _ in range(2000):
            if progress.cancelled():
                break
            threading.Event().wait(0.01)
        return real_import(db, preview, progress=progress)

    monkeypatch.setattr(roster_dialog, "import_roster", waits_for_cancel)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: any(p.isVisible() for p in dialog.findChildren(QProgressDialog)), timeout=WAIT_MS)
    progress = next(p for p in dialog.findChildren(QProgressDialog) if p.isVisible())
    assert progress.labelText() == "正在导入3户…"
    progress.findChild(QPushButton).click()  # 取消
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=WAIT_MS)
    assert dialog.summary_label.text() == "已取消导入，没有导入任何农户。"
    assert counts(db) == (0, 0) and dialog.result is None


def test_a_file_that_is_not_a_roster(qtbot, dialog, monkeypatch, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(b"\x00\x01 not a spreadsheet")
    open_file(qtbot, dialog, monkeypatch, path)
    assert dialog.summary_label.text().startswith("无法读取：文件 花名册.xlsx 不是 Excel 工作簿")
    assert dialog.model.rowCount() == 0 and not dialog.import_button.isEnabled()


def test_message_model(qtmodeltester, qtbot, dialog, monkeypatch):
    open_file(qtbot, dialog, monkeypatch, MESSY)
    qtmodeltester.check(dialog.model)


def test_export_of_the_list_view_in_the_background(qtbot, ops, households, monkeypatch, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "一组"  # no suffix typed: .xlsx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    task = export_xlsx(ops, HouseholdQuery(group="一组"), parent)
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=WAIT_MS)
    book = openpyxl.load_workbook(tmp_path / "一组.xlsx", read_only=True)
    numbers = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert numbers == ["001", "001", "003"]
    qtbot.waitUntil(lambda: any(b.isVisible() for b in parent.findChildren(QMessageBox)), timeout=WAIT_MS)
    box = next(b for b in parent.findChildren(QMessageBox) if b.isVisible())
    assert box.text().startswith("已导出2户3人到")
    box.close()


def test_export_cancelled_in_the_file_dialog(qtbot, ops, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: ("", "")))
    assert export_xlsx(ops, None, parent) is None


def test_a_real_roster_the_mapping_step_asks_what_the_file_leaves_open(qtbot, dialog, db, monkeypatch, tmp_path):
    """建档立卡户花名册 as .xls: no 户状态, no 脱贫年度, 村民组 the village lacks, a value it does not know."""
    from sqlalchemy import select as sql_select

    from fupin_desktop.db.models import VillagerGroup
    from tests.data import real_roster

    data = [[*r[:9], "残疾" if i == 1 else r[9], *r[10:]] for i, r in enumerate(real_roster.rows(8))]
    open_file(qtbot, dialog, monkeypatch, real_roster.write(tmp_path / "花名册.xls", data))
    assert dialog.choices_group.isVisible() and dialog.status_box.isVisible()
    assert not dialog.import_button.isEnabled() and "--default-status" in dialog.preview.problems[0].message
    dialog.status_box.setCurrentIndex(dialog.status_box.findData("脱贫户"))
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=WAIT_MS)
    assert dialog.exit_box.isVisible() and dialog.groups_check.isVisible()
    assert "三组" in dialog.groups_check.text()
    (use, box), = dialog._value_boxes  # the one unknown value, listed once with its rows
    assert (use.header, use.value, dialog.values_table.item(0, 4).text()) == ("健康状况", "残疾", "不认识，请选择")
    box.setCurrentIndex(box.findData("健康"))
    dialog.exit_box.setCurrentIndex(dialog.exit_box.findData(2019))
    dialog.groups_check.setChecked(True)
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=WAIT_MS)
    assert not dialog.preview.problems and dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not dialog.task.running, timeout=WAIT_MS)
    assert dialog.result is not None and dialog.result.households == 8
    with db.reading() as s:
        assert {"三组", "六组"} <= set(s.scalars(sql_select(VillagerGroup.name)))
        assert set(s.scalars(sql_select(Household.status))) == {"已脱贫(享受政策)"}
