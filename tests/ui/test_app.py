"""Starting the GUI: translations, font, unopenable databases, the crash hook."""

import sys

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from fupin_desktop.ui import app as app_module
from fupin_desktop.ui import errors
from fupin_desktop.ui.main_window import MainWindow
from tests.ui.helpers import start_app


@pytest.fixture
def critical(monkeypatch) -> list[tuple[str, str]]:
    """Capture QMessageBox.critical instead of blocking on a dialog."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text, *a: shown.append((title, text)))
    return shown


def test_not_a_database_shows_the_reason_and_returns_2(qapp, tmp_path, critical):
    bogus = tmp_path / "记事本.txt"
    bogus.write_text("这不是数据库\n" * 100, encoding="utf-8")
    assert app_module.main(str(bogus)) == 2
    [(title, text)] = critical
    assert title == "无法打开数据库"
    assert "不是本程序的数据库" in text and str(bogus) in text
    assert bogus.read_text(encoding="utf-8").startswith("这不是数据库")  # untouched


def test_missing_database_returns_2(qapp, tmp_path, critical):
    assert app_module.main(str(tmp_path / "nowhere.db")) == 2
    assert "不存在" in critical[0][1]


def test_main_restores_the_previous_excepthook(qapp, tmp_path, critical):
    before = sys.excepthook
    app_module.main(str(tmp_path / "nowhere.db"))
    assert sys.excepthook is before


def test_main_opens_the_window_on_a_good_database(qapp, monkeypatch, db_path, settings):
    shown: list[MainWindow] = []

    def run_event_loop(_app: QApplication) -> int:
        shown.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        for w in shown:
            w.close()
        return 0

    assert start_app(monkeypatch, settings, str(db_path), event_loop=run_event_loop) == 0
    assert [w.windowTitle() for w in shown] == ["扶贫工作队桌面助手 — 荥阳市汜水镇新沟村"]
    assert QApplication.applicationName() == "扶贫工作队桌面助手"


def test_qt_chinese_translations_load(qapp):
    assert "qtbase" in app_module.install_translations(qapp)
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_a_chinese_font_is_chosen(qapp):
    family = app_module.choose_font(qapp)
    if not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        pytest.skip("no Chinese font installed on this machine")
    assert family in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert qapp.font().family() == family


def test_excepthook_logs_and_shows_the_crash_dialog(qapp, monkeypatch, tmp_path):
    shown: list[tuple[str, object]] = []
    monkeypatch.setattr(errors, "show_crash", lambda details, log_file: shown.append((details, log_file)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_file = tmp_path / "logs" / "fupin.log"
    errors.install_excepthook(log_file)
    try:
        what = "意外"
        raise RuntimeError(what)
    except RuntimeError as e:
        sys.excepthook(type(e), e, e.__traceback__)
    [(details, where)] = shown
    assert where == log_file
    assert "RuntimeError" in details and "test_app.py" in details
    assert "意外" not in details  # a message may quote personal data: only the kind of error is kept
    assert "RuntimeError" in log_file.read_text(encoding="utf-8")


def test_excepthook_shows_known_errors_as_messages(qapp, monkeypatch, tmp_path):
    from fupin_desktop.errors import NotFoundError

    messages: list[str] = []
    monkeypatch.setattr(errors, "show_error", lambda _parent, error: messages.append(str(error)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook(tmp_path / "fupin.log")
    sys.excepthook(NotFoundError, NotFoundError("找不到该户"), None)
    assert messages == ["找不到该户"]
    assert not (tmp_path / "fupin.log").exists()


def test_the_window_paints_before_the_database_layer_loads(db_path, tmp_path):
    """Issue 20 (start-up): the first paint shows the real window, its navigation and a 首页 saying
    that the village opens, before SQLAlchemy, the models or any service is imported; then the
    same window gets its pages."""
    import subprocess

    code = f"""
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel, QListWidget
from fupin_desktop.ui import app, main_window
main_window.default_settings = lambda: QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat)
seen = []
painted = QApplication.processEvents
def first_paint(*args):
    painted(*args)
    w = next((w for w in QApplication.topLevelWidgets() if isinstance(w, main_window.MainWindow)), None)
    if w is not None and not seen:
        loaded = [m for m in sys.modules if m.split(".")[0] == "sqlalchemy"
                  or m.startswith(("fupin_desktop.db.models", "fupin_desktop.services"))]
        seen.append((w.opening, w.isVisible(), w.findChild(QLabel, "opening_title").text(),
                     w.findChild(QListWidget, "nav").count(), loaded))
QApplication.processEvents = staticmethod(first_paint)
def event_loop(_app):
    [w] = [w for w in QApplication.topLevelWidgets() if isinstance(w, main_window.MainWindow) and w.isVisible()]
    seen.append((w.opening, w.windowTitle(), w.current_page(), w.home_page.isVisible()))
    w.close()
    return 0
QApplication.exec = event_loop
assert app.main({str(db_path)!r}) == 0
print(seen)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}).stdout
    first, then = eval(out.strip().splitlines()[-1])  # noqa: S307  # our own print of plain values
    assert first == (True, True, "正在打开本村数据库…", 11, [])
    assert then == (False, "扶贫工作队桌面助手 — 荥阳市汜水镇新沟村", "home", True)
