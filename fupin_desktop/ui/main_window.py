"""The main window: page list on the left, the current page on the right, the database and the
last backup below.

At start it applies the remembered font size and makes the day's backup on a worker thread. It is
also where changes are broadcast: DbOps reports what each write changed (the tables its transaction
touched) and the window refreshes the pages that show them.

The window can paint before there is a database: `MainWindow(None)` shows the navigation and a 首页
that says the village is opening, and `open(ops)` brings the pages. This module therefore imports
nothing of the database layer at the top (issue 20: start-up); the pages and the services load
with the database.
"""

import importlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.clock import CHINA
from fupin_desktop.domain.rows import Changes
from fupin_desktop.errors import FupinError
from fupin_desktop.ui import font_size, permissions

if TYPE_CHECKING:
    from fupin_desktop.ui.home_page import HomePage
    from fupin_desktop.ui.households_page import HouseholdsPage
    from fupin_desktop.ui.ops import DbOps
    from fupin_desktop.ui.settings_page import SettingsPage

_NAV_STYLE = """
QListWidget#nav {
    border: none; border-right: 1px solid palette(mid); background: palette(window); outline: 0;
}
QListWidget#nav::item { padding: 10px 18px; }
QListWidget#nav::item:selected { background: palette(highlight); color: palette(highlighted-text); }
"""


# Every page is built (and its module imported) when first shown or asked for: the window paints
# first, then 首页; the other pages would add a second that a start need not spend.
_PAGES = {
    "home": ("fupin_desktop.ui.home_page", "HomePage"),
    "households": ("fupin_desktop.ui.households_page", "HouseholdsPage"),
    "visits": ("fupin_desktop.ui.visits_page", "VisitsPage"),
    "plans": ("fupin_desktop.ui.plans_page", "PlansPage"),
    "notices": ("fupin_desktop.ui.notices_page", "NoticesPage"),
    "projects": ("fupin_desktop.ui.projects_page", "ProjectsPage"),
    "ledger": ("fupin_desktop.ui.ledger_page", "LedgerPage"),
    "statistics": ("fupin_desktop.ui.statistics_page", "StatisticsPage"),
    "print": ("fupin_desktop.ui.printing", "PrintPage"),
    "sync": ("fupin_desktop.ui.sync_page", "SyncPage"),
    "settings": ("fupin_desktop.ui.settings_page", "SettingsPage"),
}
_TAKE_SETTINGS = {"households", "settings"}  # pages that remember something (columns, font size)


def default_settings() -> QSettings:
    return QSettings("FupinDesktop", "FupinDesktop")


class MainWindow(QMainWindow):
    """Top-level window. Pages are keyed ("home", "households", "settings") so settings survive reordering.

    Args:
        ops: the open database; None: the window shows that it is opening one until `open(ops)`.
        settings: where geometry, last page and font size are remembered (default: the user's).
        backup_at_start: make the day's backup (on a worker thread) unless one exists.

    Signals:
        idle_minutes_changed(int): 设置 → 账户 changed the idle lock's minutes (the lock of ui/startup.py follows).
    """

    idle_minutes_changed = Signal(int)

    def __init__(self, ops: "DbOps | None", *, settings: QSettings | None = None, backup_at_start: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else default_settings()
        font_size.apply(font_size.saved(self._settings))  # before any widget measures its text
        self._ops: DbOps = None  # type: ignore[assignment]  # set by open()
        self._titles = {
            "home": self.tr("首页"), "households": self.tr("农户"), "visits": self.tr("走访"),
            "plans": self.tr("帮扶计划"), "notices": self.tr("明白栏/公示"), "projects": self.tr("项目资金"),
            "ledger": self.tr("台账"), "statistics": self.tr("统计"), "print": self.tr("打印"),
            "sync": self.tr("同步"), "settings": self.tr("设置"),
        }
        self._built: dict[str, QWidget] = {}
        self._app_title = self.tr("扶贫工作队桌面助手")
        self.setWindowTitle(self._app_title)
        self._nav = QListWidget()
        self._nav.setObjectName("nav")
        self._nav.setStyleSheet(_NAV_STYLE)
        self._stack = QStackedWidget()
        for title in self._titles.values():
            QListWidgetItem(title, self._nav)
            self._stack.addWidget(QWidget())  # a placeholder until first shown
        self._style_nav()
        self._stale: set[str] = set()  # pages to reload when next shown
        self._nav.currentRowChanged.connect(self._page_chosen)
        self._opening = OpeningNotice()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._nav)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self._opening, 1)
        self._stack.hide()
        self.setCentralWidget(central)
        self.database_label = QLabel()
        self.backup_label = QLabel()
        self.user_label = QLabel()  # who is signed in, and 只读模式 for a user who may only look
        self.plain_label = QLabel(self.tr("数据库未加密"))  # until the first account exists (services/security.py)
        self.plain_label.setObjectName("plain_label")
        self.plain_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.plain_label.setToolTip(self.tr("本村数据库还没有账户，所以没有加密：笔记本或U盘丢失时，任何人都能读出"
                                            "其中的身份证号。建立第一书记的账户（fupin users add）后，数据库和备份"
                                            "会自动加密。"))
        self.plain_label.hide()
        self.user_label.hide()
        for label in (self.database_label, self.backup_label, self.user_label, self.plain_label):
            label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addPermanentWidget(self.plain_label)
        self.statusBar().addPermanentWidget(self.database_label)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self._add_actions()
        self._restore_settings()
        # the search index (services/search_index.py) is built off the GUI thread once the window is
        # up; until then the search box scans, as a one-off command does
        self._warm_timer = QTimer(self)  # stopped when the window closes: no work outlives it
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(self._warm_search)
        if ops is not None:
            self.open(ops, backup_at_start=backup_at_start)

    @property
    def opening(self) -> bool:
        """No database yet: the window says that it is opening one."""
        return self._ops is None

    def show_opening(self, file: str | None) -> None:
        """Before `open`: name the database file being opened (None: a database server)."""
        name = Path(file).name if file else ""
        self._opening.show_file(name)
        if name:
            self.database_label.setText(self.tr("数据库：{path}").format(path=name))

    def open(self, ops: "DbOps", *, backup_at_start: bool = True) -> None:
        """Show the database `ops` opened: the page on show loads, the others when first shown."""
        from fupin_desktop.services.backup import daily_backup  # (the database layer loads with the database)

        self._ops = ops
        self._ops.changed.connect(self.broadcast)
        self._show_user()
        self._load_village_name()
        self._stale.update(self._titles)  # the page on show loads as soon as the window is up:
        self._page_chosen(self._nav.currentRow())
        self._opening.hide()
        self._opening.deleteLater()
        self._stack.show()
        self._show_database()
        self._warm_timer.start(1000)
        if backup_at_start and self._ops.file is not None:
            self.backup_label.setText(self.tr("最近备份：正在自动备份…"))
            self._ops.in_background(daily_backup, success=self._daily_backup_done, failure=self._daily_backup_failed)

    def _warm_search(self) -> None:
        from fupin_desktop.services import search_index

        self._ops.query_in_background(search_index.warm, success=lambda _: None, parent=self)

    def page(self, key: str) -> QWidget:
        """The page (built now if it has not been shown yet)."""
        built = self._built.get(key)
        if built is None:
            module, name = _PAGES[key]
            page_class = getattr(importlib.import_module(module), name)
            built = (page_class(self._ops, settings=self._settings) if key in _TAKE_SETTINGS
                     else page_class(self._ops))
            index = list(self._titles).index(key)
            placeholder = self._stack.widget(index)
            self._stack.insertWidget(index, built)
            self._stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._built[key] = built
            self._connect_page(key, built)
            permissions.apply(built, permissions.can_write(self._ops))
        return built

    home_page: "HomePage" = property(lambda self: self.page("home"))  # type: ignore[assignment]
    households_page: "HouseholdsPage" = property(lambda self: self.page("households"))  # type: ignore[assignment]
    settings_page: "SettingsPage" = property(lambda self: self.page("settings"))  # type: ignore[assignment]
    visits_page = property(lambda self: self.page("visits"))
    plans_page = property(lambda self: self.page("plans"))
    notices_page = property(lambda self: self.page("notices"))
    projects_page = property(lambda self: self.page("projects"))
    ledger_page = property(lambda self: self.page("ledger"))
    statistics_page = property(lambda self: self.page("statistics"))
    print_page = property(lambda self: self.page("print"))
    sync_page = property(lambda self: self.page("sync"))

    def _connect_page(self, key: str, page: QWidget) -> None:
        """What the window does for a page, wired once it is built."""
        if key == "households":  # one household's visit and plan, started where the user stands (list or detail)
            page.visit_requested.connect(lambda household_id: self.visits_page.new_visit(household_id))
            page.plan_requested.connect(self.open_plan_of)
        elif key == "settings":
            page.backup_made.connect(lambda _path: self.show_last_backup())
            page.database_replaced.connect(self.reopen_database)
            page.font_size_changed.connect(self._font_size_changed)
            page.accounts_tab.idle_minutes_changed.connect(self.idle_minutes_changed)

    def open_plan_of(self, household_id: object) -> None:
        """Show 帮扶计划 with this household's plan of the year open (or offered to be made)."""
        self.show_page("plans")
        self.plans_page.open_household(household_id)

    def _style_nav(self) -> None:
        """Navigation entries a little larger than the text (again after the font size changes)."""
        nav_font = QFont(QApplication.font())  # the window's own font follows only after the event loop ran
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.15)
        metrics = QFontMetrics(nav_font)
        for row in range(self._nav.count()):
            item = self._nav.item(row)
            item.setFont(nav_font)
            item.setSizeHint(QSize(0, metrics.height() + 24))
        widest = max(metrics.horizontalAdvance(title) for title in self._titles.values())
        self._nav.setFixedWidth(max(widest + 64, 120))

    def _add_actions(self) -> None:
        refresh = QAction(self.tr("刷新"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        self.addAction(refresh)
        for row, key in enumerate(self._titles):
            go = QAction(self)
            go.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            go.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
            self.addAction(go)

    def user_changed(self) -> None:
        """Someone signed in again (the idle lock lets another account take over): show who, offer
        what they may do, and reload every page (what a page shows may depend on who looks)."""
        self._show_user()
        self.refresh()

    def _show_user(self) -> None:
        user = self._ops.user
        writable = permissions.can_write(self._ops)
        permissions.apply(self, writable)
        self.plain_label.setVisible(self._ops.file is not None and not self._ops.encrypted)
        self.user_label.setVisible(user is not None)
        if user is None:  # a database made by `fupin demo` or `fupin init`: say so, plainly
            from fupin_desktop.services.accounts import has_accounts

            self._ops.query(has_accounts, success=self._show_no_accounts, parent=self)
            return
        if writable:
            self.user_label.setText(user.label)
            self.user_label.setStyleSheet("")
            self.user_label.setToolTip("")
        else:
            self.user_label.setText(self.tr("{user}　·　只读模式").format(user=user.label))
            self.user_label.setStyleSheet("color: #8a5a00; font-weight: bold;")
            self.user_label.setToolTip(self.tr("可以查看、搜索、打印和导出，不能修改数据。"
                                               "如需修改，请让第一书记在“设置 → 账户”中调整您的角色。"))

    def _show_no_accounts(self, any_account: bool) -> None:
        if any_account or self._ops.user is not None:
            return
        self.user_label.setText(self.tr("未设账户（不需登录）"))
        self.user_label.setStyleSheet("color: #8a5a00;")
        self.user_label.setToolTip(self.tr(
            "这个数据库还没有账户（由 fupin demo 或 fupin init 建立的都是这样），所以打开时不要求登录，"
            "用这台电脑的人都能查看和修改。\n"
            "建立第一书记的账户：在本机运行 fupin users add 登录名 --name 姓名（会显示恢复码，并把数据库加密），\n"
            "之后每次打开都要登录，也可在“设置 → 账户”中为队员建立账户。"))
        self.user_label.setVisible(True)

    def refresh(self) -> None:
        """Reload the page on show now and every other page when it is next shown (a quick start)."""
        self._load_village_name()
        self._mark_stale(*self._titles)

    def broadcast(self, changes: Changes, origin: QWidget | None = None) -> None:
        """Data changed (by a write of `origin`, when known): every page that shows a changed table
        reloads, when next shown (the one on show at once). The page the write came from has updated
        itself; a page with `changes_made(changes, origin)` decides for itself (its tabs)."""
        from fupin_desktop.ui.ops import within

        if changes.village:
            self._load_village_name()
        stale = []
        for key, page in self._built.items():
            if not changes.touches(page.shows):  # type: ignore[attr-defined]  # every page says what it shows
                continue
            if hasattr(page, "changes_made"):
                page.changes_made(changes, origin)
            elif not within(origin, page):
                stale.append(key)
        self._mark_stale(*stale)

    def _mark_stale(self, *keys: str) -> None:
        self._stale.update(keys)
        self._refresh_if_stale(self.current_page())

    def _refresh_if_stale(self, key: str) -> None:
        if key in self._stale and not self.opening:
            self._stale.discard(key)
            self.page(key).refresh()  # type: ignore[attr-defined]  # every page has refresh()

    def _page_chosen(self, row: int) -> None:
        self._refresh_if_stale(list(self._titles)[row])  # load before showing, so no stale frame flashes
        self._stack.setCurrentIndex(row)

    def _show_database(self) -> None:
        # the name only: a long folder would widen the window beyond a 1366-pixel screen at 特大
        file = self._ops.file
        self.database_label.setText(self.tr("数据库：{path}").format(path=file.name if file else self._ops.location))
        self.database_label.setToolTip(self._ops.location)
        self.show_last_backup()

    def show_last_backup(self) -> None:
        """Status bar: 最近备份：<China time>, or 从未备份."""
        from fupin_desktop.services.backup import last_backup_time

        self._ops.with_database(last_backup_time, success=self._set_last_backup, parent=self)

    def _set_last_backup(self, when: datetime | None) -> None:
        if self._ops.file is None:
            self.backup_label.setText("")
            return
        text = when.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if when else self.tr("从未备份")
        self.backup_label.setText(self.tr("最近备份：{time}").format(time=text))

    def _daily_backup_done(self, made: Path | None) -> None:
        self.show_last_backup()
        if made is not None and "settings" in self._built:  # (else it lists the backup when first shown)
            self.settings_page.backup_tab.refresh()

    def _daily_backup_failed(self, error: FupinError) -> None:
        """No dialog at start: the status bar says it, the tooltip says why."""
        self.show_last_backup()
        self.backup_label.setText(self.backup_label.text() + self.tr("（今日自动备份失败）"))
        self.backup_label.setToolTip(str(error))

    def reopen_database(self, kept: Path | None = None) -> None:
        """After a restore: open the database file again and reload every page."""
        try:
            self._ops.reopen()
        except FupinError as e:
            where = self.tr("\n恢复前的数据保存在：{path}").format(path=kept) if kept else ""
            QMessageBox.critical(self, self.tr("无法重新打开数据库"), str(e) + where)
            return
        self.refresh()
        self._show_database()
        self._warm_search()

    def _font_size_changed(self, _key: str) -> None:
        self._style_nav()
        self.settings_page.refresh_lists()  # (the page that changed it)
        # tables, cards and charts size themselves to the new font as they refill
        self._mark_stale("home", "households", "statistics")

    def show_page(self, key: str) -> None:
        self._nav.setCurrentRow(list(self._titles).index(key))

    def page_keys(self) -> list[str]:
        return list(self._titles)

    def current_page(self) -> str:
        return list(self._titles)[max(0, self._stack.currentIndex())]

    def _load_village_name(self) -> None:
        from fupin_desktop.services.village import village_full_name

        self._ops.query(village_full_name, success=self._show_village_name, parent=self)

    def _show_village_name(self, name: str) -> None:
        self.setWindowTitle(f"{self._app_title} — {name}")

    def _restore_settings(self) -> None:
        geometry = self._settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self._default_size()
        page = self._settings.value("main_window/page", "home")
        self.show_page(page if page in self._titles else "home")

    def _default_size(self) -> None:
        """1280×800, or 90 % of a smaller screen (many village laptops have 1366×768)."""
        size = QSize(1280, 800)
        screen = self.screen()
        if screen is not None:
            size = size.boundedTo(screen.availableGeometry().size() * 0.9)
        self.resize(size)

    def save_settings(self) -> None:
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.setValue("main_window/page", self.current_page())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self._warm_timer.stop()
        if not self.opening:
            self._ops.shutdown()  # a running backup finishes writing its file; no task outlives the window
        super().closeEvent(event)


class OpeningNotice(QWidget):
    """首页 while the database opens (and while someone signs in): what is happening, in its title font."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("正在打开本村数据库…"), self)
        self.title.setObjectName("opening_title")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)  # as 首页's title
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel(self)
        self.detail.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def show_file(self, name: str) -> None:
        self.detail.setText(self.tr("数据库 {name}；首页的数字随后显示。").format(name=name) if name
                            else self.tr("首页的数字随后显示。"))
