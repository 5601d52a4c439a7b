"""设置: 村情, 村民组, 工作队与帮扶人, 数据与备份, 显示 — one tab each.

The page edits through services and tells the main window what happened; it never reaches into
other pages.
"""

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.rows import Changes
from fupin_desktop.ui import font_size
from fupin_desktop.ui.accounts_tab import AccountsTab
from fupin_desktop.ui.backup_tab import BackupTab
from fupin_desktop.ui.cadres_tab import CadresTab
from fupin_desktop.ui.groups_tab import GroupsTab
from fupin_desktop.ui.ops import DbOps, within
from fupin_desktop.ui.village_tab import VillageTab


class DisplayTab(QWidget):
    """显示: the font size, applied at once and remembered.

    Signals:
        font_size_changed(str): the key of the size now in use (font_size.SIZES).
    """

    font_size_changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.size_buttons = QButtonGroup(self)
        row = QHBoxLayout()
        row.setSpacing(24)
        for key in font_size.SIZES:
            button = QRadioButton(font_size.label(key), self)
            button.setObjectName(f"font_{key}")
            button.setProperty("key", key)
            self.size_buttons.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        self.preview = QLabel(self.tr("示例：张三明，建档立卡户，2016年识别，2019年脱贫。"), self)
        hint = QLabel(self.tr("字号立即对整个程序生效，下次启动时保持。"), self)
        hint.setStyleSheet("color: palette(placeholder-text);")
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.addRow(self.tr("字号"), row)
        form.addRow("", self.preview)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.refresh()
        self.size_buttons.buttonToggled.connect(self._toggled)

    def refresh(self) -> None:
        """Show the remembered size (without applying it again)."""
        current = font_size.saved(self._settings)
        self.size_buttons.blockSignals(True)
        try:
            for button in self.size_buttons.buttons():
                button.setChecked(button.property("key") == current)
        finally:
            self.size_buttons.blockSignals(False)

    def current(self) -> str:
        button = self.size_buttons.checkedButton()
        return str(button.property("key")) if button else font_size.STANDARD

    def choose(self, key: str) -> None:
        """Select, apply and remember a size (what clicking its button does)."""
        for button in self.size_buttons.buttons():
            if button.property("key") == key:
                button.setChecked(True)

    def _toggled(self, button: QRadioButton, checked: bool) -> None:
        if not checked:
            return
        key = str(button.property("key"))
        font_size.save(self._settings, key)
        font_size.apply(key)
        self.font_size_changed.emit(key)


class SettingsPage(QWidget):
    """The 设置 page.

    Signals:
        backup_made(Path): a backup was written.
        database_replaced(Path): a backup was restored; the window must reopen the database.
        font_size_changed(str): the font size changed and has been applied.
    """

    backup_made = Signal(object)
    database_replaced = Signal(object)
    font_size_changed = Signal(str)

    def __init__(self, ops: DbOps, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.village_tab = VillageTab(ops)
        self.groups_tab = GroupsTab(ops)
        self.cadres_tab = CadresTab(ops)
        self.backup_tab = BackupTab(ops)
        self.display_tab = DisplayTab(settings)
        self.accounts_tab = AccountsTab(ops)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for tab, title in ((self.village_tab, self.tr("村情")), (self.groups_tab, self.tr("村民组")),
                           (self.cadres_tab, self.tr("工作队与帮扶人")), (self.backup_tab, self.tr("数据与备份")),
                           (self.accounts_tab, self.tr("账户")), (self.display_tab, self.tr("显示"))):
            self.tabs.addTab(tab, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)
        self.backup_tab.backup_made.connect(self.backup_made)
        self.backup_tab.database_replaced.connect(self.database_replaced)
        self.display_tab.font_size_changed.connect(self.font_size_changed)

    def refresh(self) -> None:
        """Reload every tab from the database (unsaved edits of 村情 are dropped)."""
        self.village_tab.refresh()
        self.groups_tab.refresh()
        self.cadres_tab.refresh()
        self.backup_tab.refresh()
        self.accounts_tab.refresh()
        self.display_tab.refresh()

    def refresh_lists(self) -> None:
        """Refill the tables (after a font size change), keeping unsaved edits of 村情."""
        self.groups_tab.refresh()
        self.cadres_tab.refresh()
        self.backup_tab.refresh()

    @property
    def shows(self) -> frozenset[str]:
        return self.village_tab.shows | self.groups_tab.shows | self.cadres_tab.shows

    def changes_made(self, changes: Changes, origin: QWidget | None) -> None:
        """Data changed: refresh the tabs that show it (households per group and per helper), except
        the one that wrote; the others keep what is being typed (unsaved edits of 村情)."""
        for tab in (self.village_tab, self.groups_tab, self.cadres_tab):
            if changes.touches(tab.shows) and not within(origin, tab):
                tab.refresh()
