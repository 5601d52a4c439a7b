"""The main window on a real database: title, status bar, page switching, remembered settings."""

from PySide6.QtWidgets import QLabel, QListWidget

from fupin_desktop.ui.main_window import MainWindow


def open_window(qtbot, ops, settings) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ops, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_opens_on_the_database(qtbot, ops, settings, households, db_path):
    window = open_window(qtbot, ops, settings)
    assert window.windowTitle() == "扶贫工作队桌面助手 — 荥阳市汜水镇新沟村"
    status = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert f"数据库：{db_path}" in status
    assert window.current_page() == "home" and window.home_page.isVisible()
    assert window.households_page.model.rowCount() == 3


def test_switching_pages_with_the_navigation_list(qtbot, ops, settings, households):
    window = open_window(qtbot, ops, settings)
    nav = window.findChild(QListWidget, "nav")
    assert [nav.item(i).text() for i in range(nav.count())] == ["首页", "农户"]
    nav.setCurrentRow(1)
    assert window.current_page() == "households"
    assert window.households_page.isVisible() and not window.home_page.isVisible()
    window.show_page("home")
    assert nav.currentRow() == 0 and window.home_page.isVisible()


def test_remembers_the_last_page_and_size(qtbot, ops, settings):
    window = open_window(qtbot, ops, settings)
    window.show_page("households")
    window.resize(700, 500)  # the offscreen screen is 800×600; the window may not go that narrow
    size = window.size()
    window.close()
    assert settings.value("main_window/page") == "households"
    again = open_window(qtbot, ops, settings)
    assert again.current_page() == "households"
    assert again.size() == size and size.height() == 500


def test_unknown_saved_page_falls_back_to_home(qtbot, ops, settings):
    settings.setValue("main_window/page", "removed-page")
    assert open_window(qtbot, ops, settings).current_page() == "home"
