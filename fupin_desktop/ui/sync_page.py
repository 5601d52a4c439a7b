"""同步: export to a USB stick, import bundles with a preview, per-village status, conflict inbox.

The same page serves a village laptop (export, import the county's return bundle, what was sent
and acknowledged) and the county (import many bundles, villages, conflicts, return bundles).
All work is done by fupin_desktop.sync; this page only asks and shows.
"""

import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import labels
from fupin_desktop.domain.clock import CHINA
from fupin_desktop.domain.rows import ALL_TABLES
from fupin_desktop.errors import FupinError
from fupin_desktop.sync.county import (
    ConflictRow,
    ReturnResult,
    export_return,
)
from fupin_desktop.sync.errors import KeyFileError
from fupin_desktop.sync.exporter import export_bundle
from fupin_desktop.sync.importer import ImportReport, import_bundles
from fupin_desktop.sync.keys import CountyInfo, import_county_file
from fupin_desktop.sync.overview import SyncOverview, confirm_sender, resolve_picks, sync_overview
from fupin_desktop.sync.trust import PendingSender
from fupin_desktop.ui import permissions
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import push_button
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.tables import fit_columns, heading

KINDS = {"field": "两处改了同一项", "delete": "一处删除、一处修改", "duplicate": "重复登记",
         "elsewhere": "与他村重复登记"}
TABLES = {"household": "农户", "member": "家庭成员", "household_income": "家庭收入", "village": "村情",
          "villager_group": "村民组", "cadre": "干部", "village_income": "村集体收入", "county": "县",
          "township": "乡镇"}


def field_name(table: str, field: str) -> str:
    if field == "deleted_at":
        return "删除/保留"
    if field.startswith(("uq_", "ix_")):
        return "身份证号" if "id_number" in field else "唯一编号"
    return labels.BY_TABLE.get(table, {}).get(field, field)


def removable_drives() -> list[Path]:
    """Folders where a USB stick usually appears (Linux mounts, Windows drive letters D: …)."""
    found: list[Path] = []
    if os.name == "nt":
        found = [Path(f"{d}:\\") for d in string.ascii_uppercase[3:] if Path(f"{d}:\\").exists()]
    else:
        for base in (Path("/media"), Path("/run/media"), Path("/mnt")):
            if base.is_dir():
                for p in sorted(base.iterdir()):
                    subs = [q for q in p.iterdir() if q.is_dir()] if p.is_dir() and os.access(p, os.R_OK) else []
                    found += subs if base != Path("/mnt") and subs else [p]
    return [p for p in found if p.is_dir()]


@dataclass(frozen=True)
class ConflictLine:
    """One line of the conflicts table: one value of a conflict (`number` 1, 2 …), or 0 for a
    conflict shown by its detail only (a duplicate registration without values)."""

    conflict: ConflictRow
    number: int

    @property
    def value(self) -> Any:
        return self.conflict.values[self.number - 1] if self.number else None


def _when(at: Any) -> str:
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if at and at.year > 1 else ""


CONFLICT_COLUMNS: list[Column[ConflictLine]] = [
    Column("村", lambda x: x.number and x.conflict.village_code or ""),
    Column("类型", lambda x: KINDS.get(x.conflict.kind, x.conflict.kind)),
    Column("数据", lambda x: x.conflict.label or (TABLES.get(x.conflict.table, x.conflict.table) if x.number else "")),
    Column("字段", lambda x: field_name(x.conflict.table, x.conflict.field)),
    Column("值", lambda x: _text(x.value.value) if x.number else x.conflict.detail),
    Column("来源", lambda x: f"{x.value.who} {x.value.actor}".strip() if x.number else ""),
    Column("时间", lambda x: _when(x.value.at) if x.number else ""),
    Column("暂定", lambda x: "✓" if x.number and x.value.winner else "", "centre"),
]


class SyncPage(QWidget):
    shows = ALL_TABLES  # what is waiting to be sent

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._county = False
        self.conflicts: list[ConflictRow] = []
        self._progress: QProgressDialog | None = None
        self.mode_label = QLabel(self)
        self.mode_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.drive_label = QLabel(self.tr("U盘："), self)
        self.drive_box = QComboBox(self)
        self.export_button = push_button(self.tr("导出数据包到U盘"), self.export_to_drive, self)
        self.county_button = push_button(self.tr("安装县级设置文件…"), self.choose_county_file, self)
        self.county_button.setToolTip(self.tr("县扶贫办发的 county-县代码.fupin-county 文件（一般在U盘上）："
                                              "装上后，本村的数据包只有县里能打开"))
        self.import_button = push_button(self.tr("导入数据包…"), self.choose_and_import, self)
        self.return_button = push_button(self.tr("给所选村导出回执"), self.export_return_for_selected, self)
        self.villages = RowsView([
            Column(self.tr("村代码"), lambda v: v.village_code), Column(self.tr("名称"), lambda v: v.name),
            Column(self.tr("已收到至"), lambda v: v.applied_through, "right"),
            Column(self.tr("最近导入"), lambda v: _when(v.last_bundle_at)),
            Column(self.tr("暂存"), lambda v: v.held, "right"),
            Column(self.tr("待处理冲突"), lambda v: v.open_conflicts, "right"),
        ], self, key=lambda v: v.village_code, browse=False, fit=None)
        self.conflict_table = RowsView(CONFLICT_COLUMNS, self, key=lambda x: (x.conflict.id, x.number),
                                       browse=False, fit=None)
        self.pick_button = push_button(self.tr("采用所选值"), self.pick_selected, self)
        self.keep_button = push_button(self.tr("全部采用暂定值"), self.keep_all_provisional, self)
        # county: computers whose bundles wait, unopened, until their fingerprint is confirmed
        self.pending: list[PendingSender] = []
        self.pending_heading = heading(self.tr("等待确认指纹的电脑（数据包已暂存，未打开）"), self)
        self.pending_table = RowsView([
            Column(self.tr("指纹"), lambda p: p.fingerprint),
            Column(self.tr("村"), lambda p: f"{p.village_name}（{p.village_code}）"),
            Column(self.tr("电脑"), lambda p: p.sender_name), Column(self.tr("数据包"), lambda p: p.bundles, "right"),
            Column(self.tr("首次收到"), lambda p: _when(p.first_seen)),
            Column(self.tr("说明"), lambda p: self.tr("该村已有确认过的电脑") if p.confirmed_for_village
                   else self.tr("首次登记")),
        ], self, key=lambda p: p.fingerprint, browse=False, fit=None)
        self.trust_button = push_button(self.tr("确认指纹"), lambda: self.trust_selected(replace=False), self)
        self.replace_button = push_button(self.tr("换了电脑：确认并停用旧密钥"),
                                          lambda: self.trust_selected(replace=True), self)
        # sending, receiving and settling data is the team's: a reader sees the state only
        permissions.write_action(self.drive_label, self.drive_box, self.export_button, self.county_button,
                                 self.import_button,
                                 self.return_button, self.pick_button, self.keep_button, self.trust_button,
                                 self.replace_button)

        top = QHBoxLayout()
        top.addWidget(self.drive_label)
        top.addWidget(self.drive_box, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.county_button)
        top.addWidget(self.import_button)
        top.addWidget(self.return_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pick_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("同步"), self))
        layout.addWidget(self.mode_label)
        layout.addWidget(self.status_label)
        layout.addLayout(top)
        pending_buttons = QHBoxLayout()
        pending_buttons.addStretch(1)
        pending_buttons.addWidget(self.trust_button)
        pending_buttons.addWidget(self.replace_button)
        self.pending_box = QWidget(self)
        box = QVBoxLayout(self.pending_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.pending_heading)
        box.addWidget(self.pending_table)
        box.addLayout(pending_buttons)
        layout.addWidget(self.pending_box, 1)
        self.villages_heading = heading(self.tr("各村数据包"), self)
        layout.addWidget(self.villages_heading)
        layout.addWidget(self.villages, 1)
        layout.addWidget(heading(self.tr("冲突待处理（各方的值并列，选一个采用）"), self))
        layout.addWidget(self.conflict_table, 2)
        layout.addLayout(buttons)

    # -- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.drive_box.clear()
        for d in removable_drives():
            self.drive_box.addItem(str(d), str(d))
        self.drive_box.addItem(self.tr("选择文件夹…"), "")
        self._ops.with_database(sync_overview, success=self._show, parent=self)

    def _show(self, data: SyncOverview) -> None:
        self._county = data.county
        mode = self.tr("县级汇总") if self._county else self.tr("村级")
        self.mode_label.setText(self.tr("本机：{0}；密钥指纹 {1}").format(mode, data.fingerprint))
        self.mode_label.setToolTip(self.tr(
            "密钥指纹是本机的“身份证号”。县里第一次收到本机的数据包时，会打电话请您照着读出这串字母和数字，"
            "核对一致才接收，这样别人冒充不了本村。"))
        permissions.set_visible(self.export_button, not self._county)
        permissions.set_visible(self.county_button, not self._county)
        permissions.set_visible(self.return_button, self._county)
        self.villages.setVisible(self._county)
        self.villages_heading.setVisible(self._county)
        self.pending = data.pending
        self.pending_box.setVisible(bool(self.pending))
        self.pending_table.set_rows(self.pending)
        fit_columns(self.pending_table, stretch=1)
        if self._county:
            rows = data.villages
            self.status_label.setText(self.tr("已登记{0}个村；暂存{1}个数据包；待处理冲突{2}个。").format(
                len(rows), sum(v.held for v in rows), sum(v.open_conflicts for v in rows)))
            self.villages.set_rows(rows)
            fit_columns(self.villages, stretch=1)
        else:
            self.status_label.setText(village_status_text(data.local))
        self.conflicts = data.conflicts
        self.conflict_table.set_rows(
            [ConflictLine(c, i) for c in self.conflicts for i in range(1, len(c.values) + 1)]
            + [ConflictLine(c, 0) for c in self.conflicts if not c.values and c.detail])
        fit_columns(self.conflict_table, stretch=4)

    # -- actions -------------------------------------------------------------------------------

    def choose_county_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择县级设置文件"), str(self._folder() or ""),
                                              self.tr("县级设置文件 (*.fupin-county);;所有文件 (*)"))
        if name:
            self.install_county_file(Path(name))

    def install_county_file(self, file: Path, *, replace: bool = False) -> None:
        """Install the county's set-up file; a different county key replaces the old one only when
        the user says the county changed it (after checking the fingerprint by phone)."""
        def failed(error: FupinError) -> None:
            if isinstance(error, KeyFileError) and not replace and "已安装县级密钥" in str(error):
                if QMessageBox.question(self, self.tr("更换县级密钥"), self.tr(
                        "本村已经装有县级设置文件，和这个文件的密钥不同：\n\n{0}\n\n"
                        "请先打电话问县扶贫办是否更换过密钥、指纹是否一致。确实更换了，才点“是”。").format(
                        str(error).split("请先")[0])) == QMessageBox.StandardButton.Yes:
                    self.install_county_file(file, replace=True)
                return
            show_error(self, error)

        def done(info: CountyInfo) -> None:
            self.last_county = info
            QMessageBox.information(self, self.tr("县级设置文件"), self.tr(
                "已安装{0}的设置文件（县里的密钥指纹 {1}）。\n以后导出的数据包只有县里能打开。").format(
                info.name, info.fingerprint))
            self.refresh()
        self._ops.with_database(lambda db: import_county_file(db, file, replace=replace), success=done,
                                failure=failed, parent=self)

    def _folder(self) -> Path | None:
        chosen = self.drive_box.currentData()
        if chosen:
            return Path(chosen)
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择U盘上的文件夹"))
        return Path(folder) if folder else None

    def export_to_drive(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        self._busy(self.tr("正在导出数据包…"))
        self._ops.in_background(lambda db: export_bundle(db, folder), success=self._exported,
                                failure=lambda e: show_error(self, e), done=self._idle)

    def _exported(self, result: Any) -> None:
        if result.file is None:
            QMessageBox.information(self, self.tr("导出"), self.tr("没有新的变更需要导出（县里已确认收到全部变更）。"))
        else:
            QMessageBox.information(self, self.tr("导出"), self.tr("已导出{0}条变更到\n{1}\n请安全弹出U盘后交给县里。")
                                    .format(result.changes, result.file))
        self.refresh()

    def choose_and_import(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("选择数据包"), str(self._folder() or ""),
                                                self.tr("同步数据包 (*.fupin)"))
        if names:
            self.import_files([Path(n) for n in names])

    def import_files(self, files: list[Path], *, confirm: bool = True) -> None:
        """Preview first (a dry run); apply only after the clerk agrees."""
        def previewed(report: ImportReport) -> None:
            if confirm and QMessageBox.question(self, self.tr("导入预览"), describe(report) + "\n\n" +
                                                self.tr("确定导入吗？（导入前会自动备份）")) \
                    != QMessageBox.StandardButton.Yes:
                return
            self._busy(self.tr("正在导入…"))
            task = self._ops.task(lambda db, progress: import_bundles(db, files, progress=progress),
                                  success=self._imported, failure=lambda e: show_error(self, e), done=self._idle,
                                  parent=self)
            task.progressed.connect(lambda _done, _total, text: self._progress.setLabelText(text)
                                    if self._progress else None)
        self._busy(self.tr("正在检查数据包…"))
        self._ops.in_background(lambda db: import_bundles(db, files, dry_run=True), success=previewed,
                                failure=lambda e: show_error(self, e), done=self._idle)

    def _imported(self, report: ImportReport) -> None:
        self.last_report = report
        QMessageBox.information(self, self.tr("导入结果"), describe(report))
        self.refresh()

    def export_return_for_selected(self) -> None:
        village = self.villages.current()
        if village is None:
            QMessageBox.information(self, self.tr("回执"), self.tr("请先在“各村数据包”中选一个村。"))
            return
        code = village.village_code
        folder = self._folder()
        if folder is None:
            return

        def exported(r: ReturnResult) -> None:
            QMessageBox.information(self, self.tr("回执"), self.tr("已导出给{0}的回执：\n{1}").format(code, r.file))

        self._ops.with_database(lambda db: export_return(db, code, folder), parent=self, success=exported)

    def trust_selected(self, *, replace: bool) -> None:
        """Confirm the selected computer after reading its fingerprint over the phone; its waiting
        bundles are imported right away."""
        p = self.pending_table.current()
        if p is None:
            QMessageBox.information(self, self.tr("确认指纹"), self.tr("请先在上表中选一台电脑。"))
            return
        extra = self.tr("\n\n同时停用该村其他已确认的密钥（旧电脑丢失或不再使用）。") if replace else ""
        if QMessageBox.question(self, self.tr("确认指纹"), self.tr(
                "请打电话给{0}，请对方在“同步”页读出本机密钥指纹，逐组核对：\n\n{1}\n\n"
                "完全一致才能确认。确认后该电脑暂存的{2}个数据包将导入。{3}").format(
                p.village_name, p.fingerprint, p.bundles, extra)) != QMessageBox.StandardButton.Yes:
            return

        self._busy(self.tr("正在导入…"))
        self._ops.in_background(lambda db: confirm_sender(db, p.fingerprint, replace=replace),
                                success=lambda r: self._imported(r) if r else self.refresh(),
                                failure=lambda e: show_error(self, e), done=self._idle)

    def _selected_value(self) -> tuple[ConflictRow, int] | None:
        line = self.conflict_table.current()
        return (line.conflict, line.number) if line is not None and line.number else None

    def pick_selected(self) -> None:
        picked = self._selected_value()
        if picked is None:
            return
        c, i = picked
        if c.kind == "duplicate":
            show_error(self, FupinError(self.tr("重复登记需要在其中一个村的数据中更正身份证号或删除重复的人，"
                                               "更正后的数据包导入时自动解除。")))
            return
        self._resolve([(c, i)])

    def keep_all_provisional(self) -> None:
        picks = [(c, next(i for i, v in enumerate(c.values, 1) if v.winner)) for c in self.conflicts
                 if c.kind != "duplicate" and any(v.winner for v in c.values)]
        if picks:
            self._resolve(picks)

    def _resolve(self, picks: list[tuple[ConflictRow, int]]) -> None:
        self._ops.with_database(lambda db: resolve_picks(db, picks), parent=self, success=lambda _n: self.refresh())

    def _busy(self, text: str) -> None:
        self._progress = QProgressDialog(text, "", 0, 0, self)
        self._progress.setCancelButton(None)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.show()

    def _idle(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None


def village_status_text(st: dict[str, Any]) -> str:
    """The village side in plain words: what the county has, what is still to send, the county file."""
    made, acked = st["last_seq"], st["acked_seq"]
    lines = [QCoreApplication.translate("sync_page", "本机共记下 {0} 处修改（新增、修改、删除都算），"
                                        "县里已确认收到其中 {1} 处。").format(made, acked)]
    if made > acked:
        lines.append(QCoreApplication.translate("sync_page", "还有 {0} 处修改没有送到县里：点“导出数据包到U盘”，"
                                                "把U盘交给县扶贫办；县里导入后发回的回执在这里导入，就算送到了。")
                     .format(made - acked))
    else:
        lines.append(QCoreApplication.translate("sync_page", "全部修改都已送到县里。"))
    if st["county"]:
        lines.append(QCoreApplication.translate("sync_page", "县级设置文件：已安装（{0}）。").format(st["county"]))
    else:
        lines.append(QCoreApplication.translate(
            "sync_page", "县级设置文件：未安装。点“安装县级设置文件…”，选择县扶贫办发的 .fupin-county 文件；"
            "装好之前不能导出数据包。"))
    return "\n".join(lines)


def _text(value: Any) -> str:
    return "（空）" if value is None else str(value)


def describe(report: ImportReport) -> str:
    lines = []
    for f in report.files:
        who = f"{f.village_name or ''}{f.village_code or ''}"
        lines.append(f"[{f.status}] {f.file} {who}\n    {f.message}")
        lines += [f"    未采用：{r}" for r in f.rejected[:5]]
        if f.missing_files:
            lines.append(f"    缺少照片/文件：{'、'.join(f.missing_files[:5])}")
    for name in report.released:
        lines.append(f"[补上] {name}")
    if report.total:
        t = report.total
        lines.append(f"合计：新增{t['new_rows']}条，更新{t['changed_rows']}条，新冲突{t['conflicts_new']}个，"
                     f"待处理冲突{t['conflicts_open']}个")
    return "\n".join(lines)
