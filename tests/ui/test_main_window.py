"""The main window on a real database: title, status bar, page switching, remembered settings,
the daily backup at start."""

import errno

from PySide6.QtWidgets import QApplication, QLabel, QListWidget

from fupin_desktop.services import backup
from fupin_desktop.ui import font_size
from tests.ui.helpers import open_window


def test_opens_on_the_database(qtbot, ops, settings, households, db_path):
    window = open_window(qtbot, ops, settings, backup_at_start=True)
    assert window.windowTitle() == "扶贫工作队桌面助手 — 荥阳市汜水镇新沟村"
    status = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert f"数据库：{db_path.name}" in status  # the folder is in the tooltip: it would widen the window
    assert window.database_label.toolTip() == str(db_path)
    assert window.current_page() == "home" and window.home_page.isVisible()
    assert window.households_page.model.rowCount() == 0  # other pages load when first shown: a quick start
    window.show_page("households")
    assert window.households_page.model.rowCount() == 3


def test_a_change_on_one_page_reloads_the_others_when_shown(qtbot, ops, settings, households, db):
    from fupin_desktop.services.households import delete_household

    window = open_window(qtbot, ops, settings)
    window.show_page("households")
    ops.write(lambda s: delete_household(s, households.ids["003"]), success=lambda _r: None,
              parent=window.households_page)  # as a delete on the page: ops says what changed
    window.show_page("home")
    qtbot.waitUntil(lambda: window.home_page.findChild(QLabel, "households").text() == "2")


def test_switching_pages_with_the_navigation_list(qtbot, ops, settings, households):
    window = open_window(qtbot, ops, settings, backup_at_start=True)
    nav = window.findChild(QListWidget, "nav")
    assert [nav.item(i).text() for i in range(nav.count())] == ["首页", "农户", "走访", "帮扶计划", "明白栏/公示",
                                                               "项目资金", "台账", "统计", "打印", "同步", "设置"]
    nav.setCurrentRow(1)
    assert window.current_page() == "households"
    assert window.households_page.isVisible() and not window.home_page.isVisible()
    window.show_page("home")
    assert nav.currentRow() == 0 and window.home_page.isVisible()


def test_remembers_the_last_page_and_size(qtbot, ops, settings):
    window = open_window(qtbot, ops, settings, backup_at_start=True)
    window.show_page("households")
    window.resize(700, 500)  # the offscreen screen is 800×600; the window may not go that narrow
    size = window.size()
    window.close()
    assert settings.value("main_window/page") == "households"
    again = open_window(qtbot, ops, settings, backup_at_start=True)
    assert again.current_page() == "households"
    assert again.size() == size and size.height() == 500


def test_unknown_saved_page_falls_back_to_home(qtbot, ops, settings):
    settings.setValue("main_window/page", "removed-page")
    assert open_window(qtbot, ops, settings, backup_at_start=True).current_page() == "home"


def test_settings_page_is_in_the_navigation(qtbot, ops, settings):
    window = open_window(qtbot, ops, settings)
    window.show_page("settings")
    assert window.current_page() == "settings" and window.settings_page.isVisible()
    assert window.settings_page.village_tab.name_edit.text() == "新沟村"


def test_daily_backup_at_start_shows_in_the_status_bar(qtbot, ops, settings, db):
    window = open_window(qtbot, ops, settings, backup_at_start=True)
    qtbot.waitUntil(lambda: "正在" not in window.backup_label.text())
    [made] = backup.list_backups(db)
    assert made.label == "daily"
    assert window.backup_label.text() == f"最近备份：{made.local_time:%Y-%m-%d %H:%M}"
    window.show_page("settings")  # built when first shown, listing the backup
    assert [r.path for r in window.settings_page.backup_tab.rows] == [made.path]
    window.close()
    again = open_window(qtbot, ops, settings, backup_at_start=True)  # no second backup the same day
    qtbot.waitUntil(lambda: "正在" not in again.backup_label.text())
    assert len(backup.list_backups(db)) == 1


def test_no_backup_yet_says_so(qtbot, ops, settings):
    window = open_window(qtbot, ops, settings)
    assert window.backup_label.text() == "最近备份：从未备份"


def test_a_settings_change_refreshes_the_other_pages(qtbot, ops, settings, households):
    window = open_window(qtbot, ops, settings)
    tab = window.settings_page.village_tab
    tab.name_edit.setText("新沟新村")
    tab.save_button.click()
    assert window.windowTitle() == "扶贫工作队桌面助手 — 荥阳市汜水镇新沟新村"


def test_the_remembered_font_size_is_applied_at_start(qtbot, ops, settings):
    settings.setValue("display/font_size", "large")
    try:
        open_window(qtbot, ops, settings)
        assert QApplication.font().pointSizeF() == 12.5
    finally:
        font_size.apply(font_size.STANDARD)


def test_a_failed_daily_backup_is_shown_in_the_status_bar(qtbot, ops, settings, monkeypatch):
    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "backup_sqlite", full)
    window = open_window(qtbot, ops, settings, backup_at_start=True)
    qtbot.waitUntil(lambda: "正在" not in window.backup_label.text())
    assert window.backup_label.text() == "最近备份：从未备份（今日自动备份失败）"
    assert "磁盘空间已满" in window.backup_label.toolTip()


def test_plans_and_statistics_pages_load_when_first_shown(qtbot, ops, settings, households):
    window = open_window(qtbot, ops, settings)
    window.show()
    assert window.plans_page.rows == [] and window.statistics_page.stats is None  # nothing loaded while hidden
    window.show_page("plans")
    assert [r.household_number for r in window.plans_page.rows] == ["001", "003"]
    window.show_page("statistics")
    assert window.statistics_page.stats is not None


def test_a_database_without_accounts_says_it_is_not_encrypted(qtbot, ops, settings, tmp_path):
    window = open_window(qtbot, ops, settings)
    window.resize(1366, 768)
    assert window.plain_label.isVisible() and window.plain_label.text() == "数据库未加密"
    assert "建立第一书记的账户" in window.plain_label.toolTip()
    window.grab().save(str(tmp_path / "plain.png"))  # looked at: the red notice fits beside the other labels
    font_size.apply("xlarge")
    try:
        assert window.plain_label.isVisible()
        QApplication.processEvents()
        window.grab().save(str(tmp_path / "plain-xlarge.png"))  # and at 特大
    finally:
        font_size.apply("standard")


def test_an_encrypted_database_shows_no_such_notice(qtbot, ops, settings, db):
    from fupin_desktop.services import accounts, security

    with db.transaction() as s:
        code = accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    security.encrypt_for_first_account(db, username="liming", password="shuji2026", recovery_code=code)
    accounts.sign_in(db, "liming", "shuji2026")
    window = open_window(qtbot, ops, settings)
    assert db.encrypted and window.plain_label.isHidden()


def test_a_database_without_accounts_says_so(qtbot, ops, settings):
    """A database made by `fupin demo` or `init` asks no sign-in; the status bar says why, plainly."""
    window = open_window(qtbot, ops, settings)
    qtbot.waitUntil(lambda: window.user_label.isVisible())
    assert window.user_label.text() == "未设账户（不需登录）"
    assert "fupin users add" in window.user_label.toolTip()
