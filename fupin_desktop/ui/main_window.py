"""The main window: page list on the left, the current page on the right, the database below."""

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QAction, QCloseEvent, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from fupin_desktop.services.dashboard import VillageProfile
from fupin_desktop.ui.home_page import HomePage
from fupin_desktop.ui.households_page import HouseholdsPage
from fupin_desktop.ui.ops import DbOps

_NAV_STYLE = """
QListWidget#nav {
    border: none; border-right: 1px solid palette(mid); background: palette(window); outline: 0;
}
QListWidget#nav::item { padding: 10px 18px; }
QListWidget#nav::item:selected { background: palette(highlight); color: palette(highlighted-text); }
"""


def default_settings() -> QSettings:
    return QSettings("FupinDesktop", "FupinDesktop")


class MainWindow(QMainWindow):
    """Top-level window. Pages are keyed ("home", "households") so settings survive reordering."""

    def __init__(self, ops: DbOps, *, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else default_settings()
        self.home_page = HomePage(ops)
        self.households_page = HouseholdsPage(ops)
        self._pages: dict[str, tuple[str, QWidget]] = {
            "home": (self.tr("首页"), self.home_page),
            "households": (self.tr("农户"), self.households_page),
        }
        self._app_title = self.tr("扶贫工作队桌面助手")
        self.setWindowTitle(self._app_title)
        self._nav = QListWidget()
        self._nav.setObjectName("nav")
        self._nav.setStyleSheet(_NAV_STYLE)
        self._stack = QStackedWidget()
        nav_font = QFont(self.font())
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.15)
        for title, page in self._pages.values():
            item = QListWidgetItem(title, self._nav)
            item.setFont(nav_font)
            item.setSizeHint(QSize(0, 44))
            self._stack.addWidget(page)
        widest = max(QFontMetrics(nav_font).horizontalAdvance(title) for title, _page in self._pages.values())
        self._nav.setFixedWidth(max(widest + 64, 120))
        self._nav.currentRowChanged.connect(self._stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._nav)
        layout.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(QLabel(self.tr("数据库：{path}").format(path=ops.location)))
        self._add_actions()
        self.home_page.profile_loaded.connect(self._show_village)
        self._restore_settings()
        self.refresh()

    def _add_actions(self) -> None:
        refresh = QAction(self.tr("刷新"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        self.addAction(refresh)
        for row, key in enumerate(self._pages):
            go = QAction(self)
            go.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            go.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
            self.addAction(go)

    def refresh(self) -> None:
        """Reload every page from the database."""
        self.home_page.refresh()
        self.households_page.refresh()

    def show_page(self, key: str) -> None:
        self._nav.setCurrentRow(list(self._pages).index(key))

    def current_page(self) -> str:
        return list(self._pages)[max(0, self._stack.currentIndex())]

    def _show_village(self, profile: VillageProfile) -> None:
        self.setWindowTitle(f"{self._app_title} — {profile.name}")

    def _restore_settings(self) -> None:
        geometry = self._settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self._default_size()
        page = self._settings.value("main_window/page", "home")
        self.show_page(page if page in self._pages else "home")

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
        super().closeEvent(event)
