"""The 同步 page: village status, county import with preview, conflicts side by side, resolving."""


from fupin_desktop.db.models import Household
from fupin_desktop.sync.importer import APPLIED
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.sync_page import SyncPage, describe
from tests.sync.conftest import World, add_household, edit, export


def test_village_side_shows_fingerprint_and_missing_county_key(qtbot, ops):
    page = SyncPage(ops)
    qtbot.addWidget(page)
    page.refresh()
    assert "村级" in page.mode_label.text() and "密钥指纹" in page.mode_label.text()
    assert "未安装" in page.status_label.text()
    assert page.drive_box.count() >= 1  # at least “选择文件夹…”


def test_a_village_installs_the_county_file_from_the_page_and_reads_its_state_in_plain_words(
        qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from fupin_desktop.services.setup import init_village

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    world = World(tmp_path)
    village = init_village(tmp_path / "v.db", village_code="410182104201", village_name="新沟村",
                           township="汜水镇", county="荥阳市")
    try:
        page = SyncPage(DbOps(village))
        qtbot.addWidget(page)
        page.refresh()
        assert page.county_button.isVisibleTo(page) and "县级设置文件：未安装" in page.status_label.text()
        assert "号变更" not in page.status_label.text() and "身份证号" in page.mode_label.toolTip()
        page.install_county_file(world.setup)
        assert page.last_county.name.startswith("荥阳市")
        assert "县级设置文件：已安装（荥阳市" in page.status_label.text()
        assert "处修改" in page.status_label.text()
    finally:
        village.close()
        world.close()


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
        assert "县级汇总" in page.mode_label.text() and page.villages.model().rowCount() == 1
        page.import_files(files, confirm=False)
        qtbot.waitUntil(lambda: hasattr(page, "last_report"), timeout=20000)
        assert [f.status for f in page.last_report.files] == [APPLIED, APPLIED]
        assert "合计" in describe(page.last_report)
        qtbot.waitUntil(lambda: page.conflict_table.model().rowCount() == 2)
        values = {page.conflict_table.text(r, 4) for r in range(2)}
        assert values == {"13800000001", "13900000002"}
        page.resize(1100, 700)
        page.grab().save(str(tmp_path / "sync_page.png"))
        page.conflict_table.selectRow(0)
        chosen = page.conflict_table.text(0, 4)
        page.pick_selected()
        assert page.conflict_table.model().rowCount() == 0
        with world.county.reading() as s:
            assert s.get(Household, h).phone == chosen
    finally:
        world.close()


def test_county_confirms_a_waiting_computer_and_its_bundle_is_imported(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from fupin_desktop.sync.keys import ensure_keys
    from fupin_desktop.sync.trust import revoke_key
    from fupin_desktop.ui import font_size

    asked = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.question",
                        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: None)
    world = World(tmp_path)
    try:
        a = world.village()
        fp = ensure_keys(a).fingerprint
        revoke_key(world.county, fp)  # start from a computer the county has not confirmed
        b = world.second_laptop(a, "new-laptop")
        new_fp = ensure_keys(b).fingerprint
        with world.county.transaction() as s:  # second_laptop confirmed it; undo that: it is new to the county
            from fupin_desktop.db.models import TrustedKey
            s.delete(s.get(TrustedKey, new_fp))
        h = add_household(b, "007", "王五")
        from fupin_desktop.sync.importer import UNCONFIRMED, import_bundles
        assert import_bundles(world.county, [export(b, world.usb)]).files[0].status == UNCONFIRMED
        page = SyncPage(DbOps(world.county))
        qtbot.addWidget(page)
        page.resize(1366 - 180, 768 - 60)  # the page area of the main window on a 1366×768 laptop
        page.show()
        page.refresh()
        qtbot.waitUntil(lambda: page.pending_table.model().rowCount() == 1)
        assert page.pending_box.isVisible() and page.pending_table.text(0, 0) == new_fp
        for key in (font_size.STANDARD, "xlarge"):
            font_size.apply(key)
            qtbot.wait(300)  # let the layout take the new font
            page.grab().save(str(tmp_path / f"sync_pending_{key}.png"))
            for button in (page.trust_button, page.replace_button):  # the labels fit their buttons
                assert button.sizeHint().width() <= button.width() + 1, key
        font_size.apply(font_size.STANDARD)
        assert page.trust_button.isVisible() and page.replace_button.isVisible()
        page.pending_table.selectRow(0)
        page.trust_selected(replace=True)
        assert new_fp in asked[0] and "停用" in asked[0]
        qtbot.waitUntil(lambda: hasattr(page, "last_report"), timeout=20000)
        assert [f.status for f in page.last_report.files] == [APPLIED]
        with world.county.reading() as s:
            assert s.get(Household, h).number == "007"
        qtbot.waitUntil(lambda: not page.pending_box.isVisible())
    finally:
        world.close()
