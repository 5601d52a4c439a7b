"""Signing in: at start (when the database has accounts), when the screen locks after idle time,
and the dialogs around it (forced password change, recovery code).

The checks themselves are services.accounts; these dialogs only collect and show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.accounts import CurrentUser
from fupin_desktop.errors import FupinError, ValidationError
from fupin_desktop.services import accounts
from fupin_desktop.ui.ops import DbOps

if TYPE_CHECKING:  # the database app.py opened; the services sign in to it
    from fupin_desktop.db.session import Database

LAST_USER_KEY = "accounts/last_user"


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setObjectName(name)
    return field


class SignInDialog(QDialog):
    """登录. With `locked_user` it is the lock screen: that person, or another account, signs in."""

    def __init__(self, db: Database, settings: QSettings | None = None, *, locked_user: CurrentUser | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db, self._settings = db, settings
        self.user: CurrentUser | None = None
        self.password_used = ""  # kept for encrypting a database from before encryption (app._offer_encryption)
        self.setWindowTitle(self.tr("已锁定 — 扶贫工作队桌面助手") if locked_user
                            else self.tr("登录 — 扶贫工作队桌面助手"))
        self.setModal(True)
        title = QLabel(self.tr("屏幕已锁定，请重新输入密码") if locked_user else self.tr("请登录"), self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        last = locked_user.username if locked_user else (str(settings.value(LAST_USER_KEY, "")) if settings else "")
        self.username.setText(last)
        self.password = _password_field(self, "password")
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        form.addRow(self.tr("登录名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(self)
        self.sign_in_button = buttons.addButton(self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton(self.tr("退出程序"), QDialogButtonBox.ButtonRole.RejectRole)
        self.forgot_button = QPushButton(self.tr("忘记密码…"), self)
        self.forgot_button.setFlat(True)
        buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.quit_button.clicked.connect(self.reject)
        self.forgot_button.clicked.connect(self._forgot)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password if last else self.username).setFocus()
        self.setMinimumWidth(380)

    def try_sign_in(self) -> bool:
        try:
            user = accounts.sign_in(self._db, self.username.text().strip(), self.password.text())
        except FupinError as e:
            self.message.setText(str(e))
            self.password.clear()
            self.password.setFocus()
            return False
        self.user = user
        self.password_used = self.password.text()
        if self._settings is not None:
            self._settings.setValue(LAST_USER_KEY, user.username)
        if accounts.needs_new_password(self._db, user.username) and not ChangePasswordDialog(
                self._db, user, old=self.password.text(), forced=True, parent=self).exec():
            accounts.sign_out(self._db)
            self.user = None
            self.message.setText(self.tr("首次登录（或密码被重设后）须先修改密码。"))
            return False
        self.accept()
        return True

    def _forgot(self) -> None:
        QMessageBox.information(
            self, self.tr("忘记密码"),
            self.tr("工作队员、只读账户：请第一书记在“设置 → 账户”中为您重设密码。\n\n"
                    "第一书记：用建立账户时打印或抄下的恢复码重设（下一步）。恢复码也丢失时，只能由"
                    "另一个第一书记或县级管理员账户重设；数据是加密的，没有人能绕过密码和恢复码。"))
        RecoveryDialog(self._db, username=self.username.text().strip(), parent=self).exec()


class _NewPasswordDialog(QDialog):
    """Sets a new password typed twice; a subclass adds its fields before `_build` and says how (`_apply`)."""

    def __init__(self, db: Database, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._db = db

    def _build(self, form: QFormLayout, intro: QLabel | None = None) -> None:
        """The 新密码 rows (made here: after the subclass's fields in the tab order), the message, the buttons."""
        self.new_password = _password_field(self, "new_password")
        self.repeat = _password_field(self, "repeat")
        form.addRow(self.tr("新密码"), self.new_password)
        form.addRow(self.tr("再输入一次"), self.repeat)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro is not None:
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> bool:
        if self.new_password.text() != self.repeat.text():
            self.message.setText(self.tr("两次输入的新密码不一致。"))
            return False
        try:
            self._apply(self.new_password.text())
        except FupinError as e:
            self.message.setText("\n".join(map(str, e.errors)) if isinstance(e, ValidationError) else str(e))
            return False
        self.accept()
        return True

    def _apply(self, new_password: str) -> None:
        raise NotImplementedError


class ChangePasswordDialog(_NewPasswordDialog):
    """修改密码 (forced after a reset: the old password is already known and not asked again)."""

    def __init__(self, db: Database, user: CurrentUser, *, old: str | None = None, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.setWindowTitle(self.tr("修改密码"))
        self._user, self._old = user, old
        self.old_password = _password_field(self, "old_password")
        form = QFormLayout()
        if old is None:
            form.addRow(self.tr("原密码"), self.old_password)
        intro = QLabel(self.tr("您的密码是临时密码，请设一个只有自己知道的新密码（至少8位，不能是常见密码）。")
                       if forced else self.tr("新密码至少8位，不能是常见密码（如 12345678）。"), self)
        self._build(form, intro)

    def _apply(self, new_password: str) -> None:
        accounts.change_own_password(self._db, username=self._user.username,
                                     old_password=self._old if self._old is not None else self.old_password.text(),
                                     new_password=new_password)


class RecoveryDialog(_NewPasswordDialog):
    """The first secretary resets their own password with the recovery code; a new code is shown."""

    def __init__(self, db: Database, *, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.setWindowTitle(self.tr("用恢复码重设密码"))
        self.new_code: str | None = None
        self.username = QLineEdit(username, self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        form = QFormLayout()
        form.addRow(self.tr("登录名"), self.username)
        form.addRow(self.tr("恢复码"), self.code)
        self._build(form)

    def _apply(self, new_password: str) -> None:
        self.new_code = accounts.recover_with_code(self._db, username=self.username.text().strip(),
                                                   code=self.code.text(), new_password=new_password)
        show_recovery_code(self, self.new_code, again=True)


def show_recovery_code(parent: QWidget | None, code: str, *, again: bool = False) -> None:
    """Show a recovery code once (selectable, and put on the clipboard)."""
    box = QMessageBox(QMessageBox.Icon.Information, QApplication.translate("sign_in", "恢复码"),
                      QApplication.translate("sign_in", "新的恢复码（旧的已作废）：" if again else "第一书记的恢复码：")
                      + f"\n\n    {code}\n\n"
                      + QApplication.translate("sign_in", "忘记密码时用它重设。请抄在纸上或打印出来，和电脑分开保管；"
                                                          "它只显示这一次。"),
                      QMessageBox.StandardButton.Ok, parent)
    QGuiApplication.clipboard().setText(code)  # also on the clipboard, to paste into a document and print
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def _application() -> QCoreApplication:
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("IdleLock needs the QApplication")
    return app


class IdleLock(QObject):
    """Locks the window after `minutes` without keyboard or mouse input: the window is hidden and the
    sign-in dialog asks for a password. Another account may sign in instead (a shared laptop).

    Signals:
        locked(): the window has just been hidden.
        unlocked(object): someone signed in again (the CurrentUser).
    """

    locked = Signal()
    unlocked = Signal(object)
    _INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                        QEvent.Type.Wheel, QEvent.Type.TouchBegin})

    def __init__(self, window: QWidget, ops: DbOps, minutes: int, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self._window, self._ops, self._settings = window, ops, settings
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        self._locking = False
        _application().installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, minutes) * 60_000)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        _application().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in self._INPUT and not self._locking:
            self._timer.start()
        return False

    def lock(self) -> CurrentUser | None:
        """Hide the window and ask for a password; returns who signed in (None: the program quits)."""
        if self._locking or not self._window.isVisible():  # already locked, or the window has closed
            return None
        self._locking = True
        try:
            previous = self._ops.user
            self._ops.with_database(accounts.sign_out)
            self._window.hide()
            self.locked.emit()
            dialog = self._ops.with_database(lambda db: SignInDialog(db, self._settings, locked_user=previous))
            if dialog is None or not dialog.exec() or dialog.user is None:
                _application().quit()
                return None
            self._window.show()
            self.unlocked.emit(dialog.user)
            return dialog.user
        finally:
            self._locking = False
            self._timer.start()
