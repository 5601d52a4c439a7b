"""Accounts in the GUI: the first-run wizard, sign-in, the idle lock, 设置 → 账户, a damaged file at start."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from sqlalchemy import select

from fupin_desktop import paths
from fupin_desktop.db.models import Cadre, ChangeLog
from fupin_desktop.db.session import open_database
from fupin_desktop.services import accounts
from fupin_desktop.services.village import add_group, group_names
from fupin_desktop.ui import sign_in, startup
from fupin_desktop.ui.first_run import FirstRunWizard
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.runner import runner
from fupin_desktop.ui.settings_page import SettingsPage
from tests.ui.helpers import answer_yes, close_main_windows, start_app


@pytest.fixture
def secretary(db):
    with db.transaction() as s:
        code = accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    return code


def fill_wizard(wizard: FirstRunWizard, folder: Path) -> None:
    wizard.folder_page.folder.setText(str(folder))
    wizard.next()
    v = wizard.village_page
    for field, text in ((v.code, "410182104201"), (v.name, "新沟村"), (v.township, "汜水镇"), (v.county, "荥阳市")):
        field.setText(text)
    wizard.next()
    t = wizard.team_page
    t.name.setText("李明")
    t.login.setText("liming")
    t.password.setText("shuji2026")
    t.repeat.setText("shuji2026")
    t.team.setPlainText("王芳\n赵强\n王芳\n")
    wizard.next()


def test_wizard_creates_village_team_and_first_secretary(qtbot, tmp_path):
    wizard = FirstRunWizard(tmp_path / "default")
    qtbot.addWidget(wizard)
    wizard.show()
    fill_wizard(wizard, tmp_path / "村里的数据")
    assert wizard.currentPage() is wizard.county_page
    wizard.next()  # no county file: creates the database
    assert wizard.currentPage() is wizard.done_page
    code = wizard.done_page.code.text()
    assert len(code) == 19 and code.count("-") == 3
    db = wizard.database
    assert db.file == tmp_path / "村里的数据" / "fupin.db" and db.user.label == "李明（第一书记）"
    with db.reading() as s:
        cadres = sorted((c.name, c.role) for c in s.scalars(select(Cadre)))
        actors = set(s.scalars(select(ChangeLog.actor)))
    assert cadres == [("李明", "第一书记"), ("王芳", "工作队员"), ("赵强", "工作队员")]
    assert "liming" in actors
    db.close()
    assert accounts.recover_with_code(open_database(tmp_path / "村里的数据" / "fupin.db"), username="liming",
                                      code=code, new_password="again2026")


def test_wizard_stays_on_a_page_with_bad_input_and_creates_nothing(qtbot, tmp_path):
    wizard = FirstRunWizard(tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_wizard(wizard, tmp_path / "data")
    wizard.back()
    wizard.team_page.repeat.setText("different")
    wizard.next()
    assert wizard.currentPage() is wizard.team_page and "不一致" in wizard.team_page.error.text()
    wizard.team_page.repeat.setText("shuji2026")
    wizard.next()
    wizard.back()
    wizard.back()
    wizard.village_page.code.setText("12AB")
    wizard.next()
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.county_page and "村代码" in wizard.county_page.error.text()
    assert not (tmp_path / "data" / "fupin.db").exists() and wizard.database is None


def test_wizard_refuses_a_folder_it_cannot_write(qtbot, tmp_path):
    not_a_folder = tmp_path / "U盘.img"  # a file where the folder should be: like a read-only medium,
    not_a_folder.write_bytes(b"x")  # mkdir fails (chmod would not stop root, who runs these tests)
    wizard = FirstRunWizard(not_a_folder / "data")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is wizard.folder_page and "无法写入" in wizard.folder_page.error.text()


def test_sign_in_dialog_counts_wrong_passwords_and_remembers_the_user(qtbot, db, secretary, settings):
    dialog = sign_in.SignInDialog(db, settings)
    qtbot.addWidget(dialog)
    dialog.username.setText("liming")
    dialog.password.setText("wrong")
    assert not dialog.try_sign_in() and "不正确" in dialog.message.text() and dialog.password.text() == ""
    dialog.password.setText("shuji2026")
    assert dialog.try_sign_in() and dialog.user.role == "第一书记" and db.user == dialog.user
    again = sign_in.SignInDialog(db, settings)
    qtbot.addWidget(again)
    assert again.username.text() == "liming"


def test_read_only_user_sees_the_refusal_in_the_gui(qtbot, ops, db, secretary, monkeypatch):
    with db.transaction() as s:
        accounts.create_user(s, username="guest", full_name="赵乡干", role="只读", password="xiang2026")
    accounts.sign_in(db, "guest", "xiang2026")
    shown: list[str] = []
    monkeypatch.setattr("fupin_desktop.ui.ops.show_error", lambda _p, e: shown.append(str(e)))
    ops.write(lambda s: add_group(s, "三组"), success=lambda _r: shown.append("saved"))
    assert shown == ["赵乡干（只读）只能查看，不能修改数据。如需修改，请让第一书记调整您的角色。"]
    with db.reading() as s:
        assert group_names(s) == ["一组", "二组"]


def test_idle_lock_hides_the_window_until_someone_signs_in(qtbot, ops, db, secretary, settings, monkeypatch):
    accounts.sign_in(db, "liming", "shuji2026")
    window = MainWindow(ops, settings=settings, backup_at_start=False)
    qtbot.addWidget(window)
    window.show()
    seen: list[bool] = []

    def sign_in_again(dialog: sign_in.SignInDialog) -> int:
        seen.append(window.isVisible())
        assert db.user is None and dialog.username.text() == "liming"
        dialog.password.setText("shuji2026")
        return int(dialog.try_sign_in())

    monkeypatch.setattr(sign_in.SignInDialog, "exec", sign_in_again)
    lock = sign_in.IdleLock(window, DbOps(db), minutes=1, settings=settings)
    assert lock._timer.isActive() and lock._timer.interval() == 60_000  # a minute without input …
    lock._timer.setInterval(50)  # … made 50 ms: the lock itself runs as it would after that minute
    lock._timer.start()
    try:
        qtbot.waitUntil(lambda: seen[:1] == [False])  # hidden while asked (the 50 ms timer may ask again)
        assert window.isVisible() and db.user.username == "liming"
    finally:
        lock.stop()


def test_accounts_tab_adds_a_member_and_disables_buttons_for_members(qtbot, ops, db, secretary, settings,
                                                                     monkeypatch):
    accounts.sign_in(db, "liming", "shuji2026")
    page = SettingsPage(ops, settings)
    qtbot.addWidget(page)
    tab = page.accounts_tab
    assert "李明（第一书记）" in tab.who.text() and tab.add_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)

    def fill(dialog) -> int:
        dialog.username.setText("wangfang")
        dialog.full_name.setText("王芳")
        dialog.password.setText("first123")
        return 1

    monkeypatch.setattr("fupin_desktop.ui.accounts_tab.NewAccountDialog.exec", fill)
    tab.add_account()
    assert [tab.table.text(i, 0) for i in range(tab.table.model().rowCount())] == ["liming", "wangfang"]
    assert tab.table.text(1, 3) == "待改密码"
    accounts.sign_in(db, "wangfang", "first123")
    tab.refresh()
    assert not tab.add_button.isEnabled() and not tab.reset_button.isEnabled() and tab.own_button.isEnabled()


def test_start_offers_the_newest_good_backup_for_a_damaged_database(qapp, db_path, monkeypatch, settings):
    from fupin_desktop.services import backup

    db = open_database(db_path)
    good = backup.backup_now(db)
    db.close()
    data = bytearray(db_path.read_bytes())
    data[4096 * 2:4096 * 6] = b"\xa5" * (4096 * 4)
    db_path.write_bytes(bytes(data))
    backup.in_use_marker(db_path).touch()  # the last run did not close the file: it is checked first
    asked = answer_yes(monkeypatch)
    assert start_app(monkeypatch, settings, str(db_path)) == 0
    assert good.name in asked[0] and "损坏的文件会改名保留" in asked[0]
    assert backup.integrity_problems(db_path) == []
    assert list(db_path.parent.glob("fupin-damaged-*.db"))
    close_main_windows()


def test_after_a_clean_exit_the_file_is_checked_once_the_window_is_up(qtbot, db_path, monkeypatch, settings):
    """The check reads the whole file (seconds for a large register), so after a clean exit it runs
    on a worker thread; damage it finds is reported, and the next start checks first."""
    from fupin_desktop.db import health, lock

    reported: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: reported.append(text))
    seen_in_use: list[bool] = []

    def event_loop(app) -> int:
        seen_in_use.append([h.window for h in lock.others(db_path)] == [True])
        qtbot.waitUntil(lambda: not runner().busy)
        app.processEvents()
        close_main_windows()
        return 0
    assert start_app(monkeypatch, settings, str(db_path), event_loop=event_loop) == 0
    assert seen_in_use == [True] and not lock.others(db_path) and reported == []  # sound: closed cleanly
    assert not list(lock.folder(db_path).glob("*.json"))  # its marker is gone: a clean exit

    monkeypatch.setattr(startup, "integrity_problems", lambda _f, **_k: ["*** in database main *** Page 7"])
    assert start_app(monkeypatch, settings, str(db_path), event_loop=event_loop) == 0
    assert reported and "Page 7" in reported[0] and "关闭程序后重新打开" in reported[0]
    assert health.recorded_damage(db_path)  # so nothing writes to it, and the next start offers a backup


def test_start_with_accounts_asks_for_a_password_and_quits_on_cancel(qapp, db_path, monkeypatch, settings):
    db = open_database(db_path)
    with db.transaction() as s:
        accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    db.close()
    monkeypatch.setattr(sign_in.SignInDialog, "exec", lambda _d: 0)
    assert start_app(monkeypatch, settings, str(db_path)) == 1
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_first_start_runs_the_wizard_and_remembers_the_folder(qapp, tmp_path, monkeypatch, settings):
    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "default")
    monkeypatch.setattr(paths, "location_file", lambda: tmp_path / "config" / "location.json")
    chosen = tmp_path / "chosen"

    def run(wizard: QWizard) -> int:
        wizard.show()
        fill_wizard(wizard, chosen)
        wizard.next()
        return 1

    monkeypatch.setattr(FirstRunWizard, "exec", run)
    shown: list[str] = []

    def event_loop(_app) -> int:
        shown.extend(w.statusBar().currentMessage() or "ok" for w in QApplication.topLevelWidgets()
                     if isinstance(w, MainWindow) and w.isVisible())
        close_main_windows()
        return 0

    assert start_app(monkeypatch, settings, event_loop=event_loop) == 0
    assert shown and (chosen / "fupin.db").exists() and paths.default_database() == chosen / "fupin.db"
    assert (chosen / "logs" / "fupin.log").exists()


def test_an_encrypted_database_opens_after_the_sign_in_dialog(qapp, db_path, monkeypatch, settings):
    """At start the file cannot even be read: the sign-in dialog's password unlocks it (key slot)."""
    from fupin_desktop.services import security

    db = open_database(db_path)
    with db.transaction() as s:
        code = accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    security.encrypt_for_first_account(db, username="liming", password="shuji2026", recovery_code=code)
    db.close()
    tried: list[str] = []

    def sign_in_dialog(dialog) -> int:  # type: ignore[no-untyped-def]
        dialog.username.setText("liming")
        for password in ("wrong-one", "shuji2026"):
            dialog.password.setText(password)
            if dialog.try_sign_in():
                return 1
            tried.append(dialog.message.text())
        return 0
    monkeypatch.setattr(sign_in.SignInDialog, "exec", sign_in_dialog)
    assert start_app(monkeypatch, settings, str(db_path)) == 0
    assert tried == ["登录名或密码不正确。"]
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    [window] = [w for w in windows if w._ops.file == db_path]
    assert window._ops.encrypted and window.plain_label.isHidden()
    for w in windows:
        w.close()


def test_a_database_from_before_encryption_is_encrypted_when_the_first_secretary_signs_in(
        qapp, db_path, monkeypatch, settings):
    db = open_database(db_path)
    with db.transaction() as s:
        accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
    db.close()
    shown: list[str] = []

    def sign_in_dialog(dialog) -> int:  # type: ignore[no-untyped-def]
        dialog.username.setText("liming")
        dialog.password.setText("shuji2026")
        return int(dialog.try_sign_in())
    monkeypatch.setattr(sign_in.SignInDialog, "exec", sign_in_dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(startup, "show_recovery_code", lambda _p, code, **_k: shown.append(code))
    assert start_app(monkeypatch, settings, str(db_path)) == 0
    assert len(shown) == 1 and len(shown[0]) == 19
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    close_main_windows()
