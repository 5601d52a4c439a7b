"""设置 › 数据与备份: where the data lives, backing up now, the backups, restoring one.

A restore replaces the database file, so the page only does the swap (`DbOps.restore`) and then
emits `database_replaced`; the main window reopens the database and reloads every page.
"""

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.clock import CHINA
from fupin_desktop.errors import FupinError
from fupin_desktop.services.backup import (
    BackupInfo,
    BackupRow,
    backup_now,
    check_before_restore,
    list_backups,
    mirror_folder,
    set_mirror_folder,
)
from fupin_desktop.ui import permissions
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import push_button
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.tables import heading

TIME_FORMAT = "%Y-%m-%d %H:%M"


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


class BackupTab(QWidget):
    """Data folder, backup now, the backup list and restore.

    Signals:
        backup_made(Path): a backup was written here (the status bar shows the time).
        database_replaced(Path): a backup was restored over the database (the argument is the copy of
            the data it replaced); the database must be reopened.
    """

    backup_made = Signal(object)
    database_replaced = Signal(object)

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.rows: list[BackupRow] = []
        self._progress: QProgressDialog | None = None
        self.folder_label = QLabel(self)
        self.file_label = QLabel(self)
        for label in (self.folder_label, self.file_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        self.open_button = push_button(self.tr("打开数据文件夹"), self.open_folder, self)
        self.mirror_label = QLabel(self)
        self.mirror_button = push_button(self.tr("选择…"), self.choose_mirror, self)
        self.mirror_clear_button = push_button(self.tr("不用第二文件夹"), lambda: self.set_mirror(None), self)
        self.backup_button = push_button(self.tr("立即备份"), self.backup_now, self)
        self.restore_button = push_button(self.tr("从所选备份恢复…"), self.restore_selected, self)
        self.restore_file_button = push_button(self.tr("从其他备份文件恢复…"), self.restore_from_file, self)
        # a reader gets neither the data file (unmasked) nor copies of it, nor chooses where they go
        permissions.write_action(self.restore_button, self.restore_file_button, self.mirror_button,
                                 self.mirror_clear_button, self.backup_button, self.open_button)
        self.table = RowsView([
            Column(self.tr("备份时间（北京时间）"), lambda r: r.local_time.strftime(TIME_FORMAT), "centre"),
            Column(self.tr("类型"), lambda r: r.kind), Column(self.tr("大小"), lambda r: size_text(r.size), "right"),
            Column(self.tr("文件名"), lambda r: r.path.name),
        ], self, key=lambda r: r.path, browse=False, empty_text=self.tr("还没有备份"))
        self.table.needs_row(self.restore_button)
        self.note = QLabel(self.tr("程序每天第一次启动时自动备份，升级前和恢复前也会自动备份；"
                                   "导入同步包前也会自动备份；备份保存在数据文件夹的“backups”子文件夹中，"
                                   "保留最近7天每天一份、最近4周每周一份。设了第二备份文件夹（如U盘）时，"
                                   "每份备份再复制一份过去。"), self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self._build_layout()

    def _build_layout(self) -> None:
        where = QFormLayout()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label)
        folder_row.addSpacing(12)
        folder_row.addWidget(self.open_button)
        folder_row.addStretch(1)
        where.addRow(self.tr("数据文件夹"), folder_row)
        where.addRow(self.tr("数据库文件"), self.file_label)
        mirror_row = QHBoxLayout()
        mirror_row.addWidget(self.mirror_label)
        mirror_row.addSpacing(12)
        mirror_row.addWidget(self.mirror_button)
        mirror_row.addWidget(self.mirror_clear_button)
        mirror_row.addStretch(1)
        where.addRow(self.tr("第二备份文件夹"), mirror_row)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(where)
        layout.addSpacing(8)
        layout.addWidget(heading(self.tr("备份"), self))
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    def refresh(self) -> None:
        file = self._ops.file
        self.folder_label.setText(str(file.parent) if file else self.tr("（数据库不在本机文件中）"))
        self.file_label.setText(file.name if file else self._ops.location)
        for button in (self.open_button, self.backup_button, self.restore_file_button):
            button.setEnabled(file is not None)
        if file is None:
            self._show([])
            return
        self._ops.with_database(list_backups, success=self._show, parent=self)
        self._ops.with_database(mirror_folder, success=self._show_mirror, parent=self)

    def _show_mirror(self, folder: Path | None) -> None:
        self.mirror_label.setText(str(folder) if folder else self.tr("（未设置）"))
        self.mirror_clear_button.setEnabled(folder is not None)

    def choose_mirror(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择第二备份文件夹（如U盘上的文件夹）"))
        if folder:
            self.set_mirror(Path(folder))

    def set_mirror(self, folder: Path | None) -> None:
        self._ops.with_database(lambda db: set_mirror_folder(db, folder), success=lambda _r: self.refresh(),
                                parent=self)

    def _show(self, rows: list[BackupRow]) -> None:
        self.rows = rows
        self.table.set_rows(rows)

    def selected(self) -> BackupRow | None:
        return self.table.current()

    def open_folder(self) -> None:
        if self._ops.file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._ops.file.parent)))

    def backup_now(self) -> None:
        """Back up on a worker thread (a large register takes a few seconds); the button waits."""
        self.backup_button.setEnabled(False)
        self.backup_button.setText(self.tr("正在备份…"))
        self._ops.in_background(backup_now, success=self._backed_up, failure=lambda e: show_error(self, e),
                                done=self._backup_finished)

    def _backup_finished(self) -> None:
        self.backup_button.setText(self.tr("立即备份"))
        self.backup_button.setEnabled(self._ops.file is not None)

    def _backed_up(self, path: Path) -> None:
        self.refresh()
        self.backup_made.emit(path)

    def restore_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.restore(row.path)

    def restore_from_file(self) -> None:
        start = str(self._ops.file.parent / "backups") if self._ops.file else ""
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("选择备份文件"), start,
                                                    self.tr("数据库备份 (*.db);;所有文件 (*)"))
        if path:
            self.restore(Path(path))

    def restore(self, backup: Path) -> None:
        """Check the backup, ask, swap it in, and tell the window to reopen the database.

        Checking and copying a large register takes seconds, so both run on a worker thread
        behind a modal progress dialog.
        """
        self._progress = self._busy(self.tr("正在检查备份文件…"))
        self._ops.in_background(lambda db: check_before_restore(db, backup),
                                success=lambda found: self._checked(backup, *found),
                                failure=self._restore_failed, done=self._end_busy)

    def _checked(self, backup: Path, info: BackupInfo, warning: str | None = None) -> None:
        if not self._confirm(info, warning):
            return
        self._progress = self._busy(self.tr("正在从备份恢复…"))
        try:
            self._ops.restore(backup, success=self._restored, failure=self._restore_failed, done=self._end_busy,
                              other_village=warning is not None)
        except FupinError as e:
            self._end_busy()
            self._restore_failed(e)

    def _restored(self, kept: Path) -> None:
        self.database_replaced.emit(kept)
        QMessageBox.information(self, self.tr("恢复完成"), self.tr(
            "已从备份恢复数据。\n恢复前的数据已另存为：\n{path}").format(path=kept))

    def _restore_failed(self, error: FupinError) -> None:
        show_error(self, error)

    def _busy(self, text: str) -> QProgressDialog:
        dialog = QProgressDialog(text, "", 0, 0, self)  # no range: a busy indicator; no cancel button
        dialog.setCancelButton(None)
        dialog.setWindowTitle(self.tr("从备份恢复"))
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        return dialog

    def _end_busy(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _confirm(self, info: BackupInfo, warning: str | None = None) -> bool:
        """Ask before replacing the data; a backup of another village (or a county database) is
        asked about with both villages named, and No as the default."""
        changed = info.last_change.astimezone(CHINA).strftime(TIME_FORMAT) if info.last_change else "—"
        text = self.tr(
            "将用下面的备份替换当前全部数据：\n\n文件：{file}\n村：{village}\n农户：{households}户，{persons}人\n"
            "最后修改：{changed}\n\n当前数据会先自动备份，恢复后程序会重新打开数据库。确定恢复吗？").format(
            file=info.path.name, village=info.village, households=info.households, persons=info.persons,
            changed=changed)
        if warning:
            text = f"{warning}\n\n{text}"
        title = self.tr("从备份恢复另一个村的数据") if warning else self.tr("从备份恢复")
        answer = QMessageBox.warning(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                     QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
