"""The 同步 page: village status, county import with preview, conflicts side by side, resolving."""

import pytest

from fupin_desktop.db.models import Household
from fupin_desktop.sync.importer import APPLIED
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.sync_page import SyncPage, describe
from tests.sync.conftest import World, add_household, edit, export

pytestmark = pytest.mark.gui


def test_village_side_shows_fingerprint_and_missing_county_key(qtbot, ops):
    page = SyncPage(ops)
    qtbot.addWidget(page)
    page.refresh()
    assert "村级" in page.mode_label.text() and "密钥指纹" in page.mode_label.text()
    assert "未安装" in page.status_label.text()
    assert page.drive_box.count() >= 1  # at least “选择文件夹…”


def test_county_imports_with_preview_and_resolves_a_conflict(qtbot, tmp_path, monkeypatch):
    for box in ("information", "warning"):
        monkeypatch.setattr(f"PySide6.QtWidgets.QMessageBox.{box}", lambda *a, **k: None)
    world = World(tmp_path)
    try:
        a = world.village()
        h = add_household(a, "001", "张三")
        from fupin_desktop.sync.importer import import_bundles
        import_bundles(world.county, [export(a, world.usb)])
        b = world.second_laptop(a, "laptop-b")
        edit(a, Household, h, phone="13800000001")
        edit(b, Household, h, phone="13900000002")
        files = [export(a, world.usb), export(b, world.usb)]
        page = SyncPage(DbOps(world.county))
        qtbot.addWidget(page)
        page.refresh()
        assert "县级汇总" in page.mode_label.text() and page.villages.rowCount() == 1
        page.import_files(files, confirm=False)
        qtbot.waitUntil(lambda: hasattr(page, "last_report"), timeout=20000)
        assert [f.status for f in page.last_report.files] == [APPLIED, APPLIED]
        assert "合计" in describe(page.last_report)
        qtbot.waitUntil(lambda: page.conflict_table.rowCount() == 2, timeout=10000)
        values = {page.conflict_table.item(r, 4).text() for r in range(2)}
        assert values == {"13800000001", "13900000002"}
        page.resize(1100, 700)
        page.grab().save(str(tmp_path / "sync_page.png"))
        page.conflict_table.selectRow(0)
        chosen = page.conflict_table.item(0, 4).text()
        page.pick_selected()
        assert page.conflict_table.rowCount() == 0
        with world.county.reading() as s:
            assert s.get(Household, h).phone == chosen
    finally:
        world.close()
