"""The first-run wizard: data folder, the village, the work team and the first secretary's account,
the county's set-up file (optional), then the recovery code. Creating happens in
services.setup.first_run (all or nothing); the wizard only collects and shows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from fupin_desktop.errors import FupinError, ValidationError
from fupin_desktop.services import accounts
from fupin_desktop.services.setup import FirstRun, first_run, folder_problem
from fupin_desktop.ui import fit

if TYPE_CHECKING:  # the database services.setup.first_run creates, handed on to app.py
    from fupin_desktop.db.session import Database


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828;")
    return label


class FolderPage(QWizardPage):
    def __init__(self, default: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("欢迎使用扶贫工作队桌面助手"))
        self.setSubTitle(self.tr("第一步：选择数据文件夹。本村的全部资料和自动备份都存放在这里。"))
        self.folder = QLineEdit(str(default), self)
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.error = _error_label(self)
        hint = QLabel(self.tr("建议用默认位置。不要选U盘或光盘：U盘用来存第二份备份"
                              "（以后在“设置 → 数据与备份”中设置）。"), self)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.error)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择数据文件夹"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        problem = folder_problem(Path(self.folder.text().strip()))
        self.error.setText(problem or "")
        return problem is None


class VillagePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("本村"))
        self.setSubTitle(self.tr("第二步：村的名称和统计用区划代码（12位，可在县扶贫办或统计局网站查到）。"))
        self.code, self.name, self.township = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.county, self.city = QLineEdit(self), QLineEdit(self)
        self.code.setPlaceholderText("410182104201")
        self.name.setPlaceholderText("新沟村")
        self.township.setPlaceholderText("汜水镇")
        self.county.setPlaceholderText("荥阳市")
        self.city.setPlaceholderText(self.tr("郑州市（可不填）"))
        form = QFormLayout(self)
        for label, field in ((self.tr("村代码"), self.code), (self.tr("村名"), self.name),
                             (self.tr("乡镇"), self.township), (self.tr("县（市、区）"), self.county),
                             (self.tr("地市"), self.city)):
            form.addRow(label, field)
        for field in (self.code, self.name, self.township, self.county):
            field.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802
        return all(f.text().strip() for f in (self.code, self.name, self.township, self.county))


class TeamPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("工作队与第一书记的账户"))
        self.setSubTitle(self.tr("第三步：第一书记的姓名、登录名和密码；其他队员的姓名"
                                 "（账户可以以后在“设置 → 账户”中建立）。"))
        self.name, self.login, self.unit = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.password, self.repeat = QLineEdit(self), QLineEdit(self)
        for p in (self.password, self.repeat):
            p.setEchoMode(QLineEdit.EchoMode.Password)
        self.unit.setPlaceholderText(self.tr("派驻单位，如 荥阳市农业农村局"))
        self.team = QPlainTextEdit(self)
        self.team.setPlaceholderText(self.tr("每行一位队员的姓名"))
        self.team.setMaximumHeight(90)
        self.error = _error_label(self)
        form = QFormLayout(self)
        form.addRow(self.tr("第一书记姓名"), self.name)
        form.addRow(self.tr("派驻单位"), self.unit)
        form.addRow(self.tr("登录名"), self.login)
        form.addRow(self.tr("密码（至少8位）"), self.password)
        form.addRow(self.tr("再输入一次"), self.repeat)
        form.addRow(self.tr("工作队员"), self.team)
        form.addRow("", self.error)

    def validatePage(self) -> bool:  # noqa: N802
        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("两次输入的密码不一致。"))
            return False
        try:
            accounts.check_new_account(self.login.text().strip(), self.name.text(), "第一书记", self.password.text())
        except ValidationError as e:
            self.error.setText("\n".join(map(str, e.errors)))
            return False
        self.error.clear()
        return True


class CountyPage(QWizardPage):
    """The county's set-up file (its public key for sync bundles). Optional: the 同步 page installs it later."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("县里的配置文件（可以以后再做）"))
        self.setSubTitle(self.tr("第四步：县扶贫办发的配置文件（U盘上，用于同步包加密）。没有就直接点“下一步”，"
                                    "以后在“同步”页点“安装县级设置文件…”再装。"))
        self.file = QLineEdit(self)
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        self.error = _error_label(self)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("选择县里的配置文件"))
        if chosen:
            self.file.setText(chosen)

    def validatePage(self) -> bool:  # noqa: N802  — creates the database
        county = self.file.text().strip()
        if county and not Path(county).is_file():
            self.error.setText(self.tr("找不到文件 {f}。").format(f=county))
            return False
        try:
            self._wizard.create()
        except FupinError as e:
            self.error.setText("\n".join(map(str, e.errors)) if isinstance(e, ValidationError) else str(e))
            return False
        if county:
            try:
                install_county_file(self._wizard.database, Path(county))
            except FupinError as e:  # the database exists now; the file can be installed later
                self._wizard.county_problem = str(e)
        return True


class DonePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle(self.tr("完成：请保存恢复码"))
        self.code = QLineEdit(self)
        self.code.setReadOnly(True)
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setFamilies(["DejaVu Sans Mono", *font.families()])
        self.code.setFont(font)
        text = QLabel(self.tr("这是第一书记的恢复码。忘记密码时，在登录窗口点“忘记密码”，用它重设密码。"
                              "请现在抄在纸上（或复制后打印），和电脑分开保管。它不会再显示。"), self)
        text.setWordWrap(True)
        self.county_note = QLabel(self)
        self.county_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.code)
        layout.addWidget(self.county_note)

    def initializePage(self) -> None:  # noqa: N802
        self.code.setText(self._wizard.recovery_code or "")
        problem = self._wizard.county_problem
        self.county_note.setText(self.tr("县里的配置文件没有装上：{p}\n以后可以在“同步”页点“安装县级设置文件…”再装。").format(p=problem)
                                 if problem else "")


class FirstRunWizard(QWizard):
    """After `exec()` succeeds, `database` is open with the first secretary signed in."""

    def __init__(self, default_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次使用 — 扶贫工作队桌面助手"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.database: Database | None = None
        self.recovery_code: str | None = None
        self.county_problem: str | None = None
        self.folder_page, self.village_page, self.team_page = FolderPage(default_folder), VillagePage(), TeamPage()
        self.county_page, self.done_page = CountyPage(self), DonePage(self)
        for page in (self.folder_page, self.village_page, self.team_page, self.county_page, self.done_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("开始使用"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))
        fit.fit_to_screen(self, QSize(640, 480))

    def collected(self) -> FirstRun:
        v, t = self.village_page, self.team_page
        return FirstRun(data_folder=Path(self.folder_page.folder.text().strip()), village_code=v.code.text().strip(),
                        village_name=v.name.text().strip(), township=v.township.text().strip(),
                        county=v.county.text().strip(), city=v.city.text().strip() or None,
                        secretary_name=t.name.text().strip(), secretary_login=t.login.text().strip(),
                        secretary_password=t.password.text(), secretary_unit=t.unit.text().strip() or None,
                        team=tuple(t.team.toPlainText().splitlines()))

    def create(self) -> None:
        if self.database is not None:  # came back with 上一步 after creating: keep what exists
            return
        setup = self.collected()
        self.database, self.recovery_code = first_run(setup)
        accounts.sign_in(self.database, setup.secretary_login, setup.secretary_password)


def install_county_file(db: Database, file: Path) -> None:
    """Install the county's set-up file with the sync package (when this build has it)."""
    try:
        from fupin_desktop.sync.keys import import_county_file  # type: ignore[import-not-found]
    except ImportError as e:
        raise FupinError("本版本程序还不能读取县里的配置文件。") from e
    import_county_file(db, file)
