"""设置 → 账户: the team's accounts (the first secretary adds, resets, changes roles, disables),
one's own password, and the idle time after which the screen locks."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.accounts import ROLES, TEAM_MEMBER
from fupin_desktop.domain.clock import CHINA
from fupin_desktop.services import accounts
from fupin_desktop.services.accounts import UserRow
from fupin_desktop.ui import permissions
from fupin_desktop.ui.form_widgets import push_button
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.sign_in import ChangePasswordDialog


class NewAccountDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建账户"))
        self.username, self.full_name = QLineEdit(self), QLineEdit(self)
        self.role = QComboBox(self)
        self.role.addItems(ROLES)
        self.role.setCurrentText(TEAM_MEMBER)
        self.password = QLineEdit(self)
        form = QFormLayout()
        form.addRow(self.tr("登录名"), self.username)
        form.addRow(self.tr("姓名"), self.full_name)
        form.addRow(self.tr("角色"), self.role)
        form.addRow(self.tr("初始密码"), self.password)
        hint = QLabel(self.tr("把初始密码当面告诉本人；首次登录时须改成自己的密码。"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)


class AccountsTab(QWidget):
    """Signals: idle_minutes_changed(int)."""

    idle_minutes_changed = Signal(int)

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._rows: list[UserRow] = []
        self.who = QLabel(self)
        self.table = RowsView([
            Column(self.tr("登录名"), lambda r: r.username), Column(self.tr("姓名"), lambda r: r.full_name),
            Column(self.tr("角色"), lambda r: r.role), Column(self.tr("状态"), self._state),
            Column(self.tr("最近登录"), lambda r: r.last_sign_in and r.last_sign_in.astimezone(CHINA).strftime(
                "%Y-%m-%d %H:%M")),
        ], self, key=lambda r: r.username, fit=None)
        self.add_button = push_button(self.tr("新建账户…"), self.add_account, self)
        self.reset_button = push_button(self.tr("重设密码…"), self.reset_selected, self)
        self.role_button = push_button(self.tr("修改角色…"), self.change_role, self)
        self.active_button = push_button(self.tr("停用/启用"), self.toggle_active, self)
        self.own_button = push_button(self.tr("修改我的密码…"), self.change_own_password, self)
        self.idle = QSpinBox(self)
        self.idle.setRange(1, 240)
        self.idle.setSuffix(self.tr(" 分钟"))
        permissions.write_form(self.idle)  # the account buttons follow the role in _show
        buttons = QHBoxLayout()
        for b in (self.add_button, self.reset_button, self.role_button, self.active_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.own_button)
        idle_row = QFormLayout()
        idle_row.addRow(self.tr("无操作自动锁定"), self.idle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.who)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addLayout(idle_row)
        self.idle.editingFinished.connect(self._save_idle)
        self.refresh()

    def refresh(self) -> None:
        self._ops.query(lambda s: (accounts.list_users(s), accounts.idle_lock_minutes(s)), success=self._show,
                        parent=self)

    def _show(self, result: tuple[list[UserRow], int]) -> None:
        self._rows, minutes = result
        user = self._ops.user
        self.who.setText(self.tr("当前登录：{who}").format(who=user.label) if user else
                         self.tr("本机尚未建立账户，任何人打开程序都不需要登录。"))
        manager = user is None or user.can_manage_users
        for b in (self.add_button, self.reset_button, self.role_button, self.active_button):
            b.setEnabled(manager and (b is self.add_button or bool(self._rows)))
        self.own_button.setEnabled(user is not None)
        self.table.set_rows(self._rows)
        self.table.resizeColumnsToContents()
        self.idle.blockSignals(True)
        self.idle.setValue(minutes)
        self.idle.blockSignals(False)

    def _state(self, r: UserRow) -> str:
        if r.active and r.must_change_password:
            return self.tr("待改密码")
        return self.tr("正常") if r.active else self.tr("已停用")

    def selected(self) -> UserRow | None:
        return self.table.current()

    def _write(self, op, done_text: str) -> None:
        def success(_result: object) -> None:
            self.refresh()
            if done_text:
                QMessageBox.information(self, self.tr("账户"), done_text)
        self._ops.write(op, success=success, parent=self)

    def add_account(self) -> None:
        dialog = NewAccountDialog(self)
        if not dialog.exec():
            return
        username, name = dialog.username.text().strip(), dialog.full_name.text()
        role, password = dialog.role.currentText(), dialog.password.text()
        self._write(lambda s: accounts.create_user(s, username=username, full_name=name, role=role,
                                                   password=password),
                    self.tr("已建立账户 {u}。").format(u=username))

    def reset_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        password, ok = QInputDialog.getText(self, self.tr("重设密码"),
                                            self.tr("给 {name} 的临时密码（至少8位，首次登录须修改）：")
                                            .format(name=row.full_name))
        if ok:
            self._write(lambda s: accounts.reset_password(s, username=row.username, new_password=password),
                        self.tr("已重设 {name} 的密码。").format(name=row.full_name))

    def change_role(self) -> None:
        row = self.selected()
        if row is None:
            return
        role, ok = QInputDialog.getItem(self, self.tr("修改角色"), row.full_name, list(ROLES),
                                        ROLES.index(row.role) if row.role in ROLES else 0, False)
        if ok:
            self._write(lambda s: accounts.set_role(s, username=row.username, role=role), "")

    def toggle_active(self) -> None:
        row = self.selected()
        if row is not None:
            self._write(lambda s: accounts.set_active(s, username=row.username, active=not row.active), "")

    def change_own_password(self) -> None:
        user = self._ops.user
        if user is None:
            return
        if self._ops.with_database(lambda db: bool(ChangePasswordDialog(db, user, parent=self).exec())):
            QMessageBox.information(self, self.tr("修改密码"), self.tr("密码已修改。"))

    def _save_idle(self) -> None:
        minutes = self.idle.value()
        self._ops.write(lambda s: accounts.set_idle_lock_minutes(s, minutes),
                        success=lambda _r: self.idle_minutes_changed.emit(minutes), parent=self)
