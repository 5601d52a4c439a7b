"""Starting the GUI: QApplication, Chinese translations and font, the database, the crash hook.

`main()` is the `fupin-gui` entry point and what `fupin gui` calls.
"""

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from fupin_desktop import paths
from fupin_desktop.db.session import open_database
from fupin_desktop.errors import FupinError
from fupin_desktop.reports import fonts
from fupin_desktop.ui import font_size
from fupin_desktop.ui.errors import install_excepthook
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps

log = logging.getLogger(__name__)

APP_NAME = "扶贫工作队桌面助手"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# Tried in order when no font is bundled: Linux packages first, then what Windows and macOS ship.
CJK_FAMILIES = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC",
                "Source Han Sans SC", "Microsoft YaHei", "Microsoft YaHei UI", "PingFang SC", "SimHei")
FONT_POINT_SIZE = font_size.point_size(font_size.STANDARD)  # the main window then applies the remembered size


def application() -> QApplication:
    """The QApplication (reused when one exists, as under pytest-qt)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("FupinDesktop")
    return app


def install_translations(app: QApplication) -> list[str]:
    """Load Qt's own zh_CN strings (standard buttons, context menus) and ours when built.

    A missing file is not an error: the widgets then show Qt's English defaults and our Chinese
    source strings. Returns the names of the catalogues that were installed.
    """
    QLocale.setDefault(QLocale("zh_CN"))
    sources = (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
               ("fupin", str(RESOURCES / "i18n")))
    installed = []
    for name, folder in sources:
        translator = QTranslator(app)  # parented to the app, so it lives as long as the app
        if translator.load(f"{name}_zh_CN", folder) and app.installTranslator(translator):
            installed.append(name)
        else:
            log.info("translation %s_zh_CN not found in %s", name, folder)
    return installed


def choose_font(app: QApplication) -> str | None:
    """Use the bundled CJK font (the one printouts use for headings, so screen and paper match), else
    an installed one; returns the family chosen (None: Qt's default)."""
    bundled = _load_bundled_font(fonts.font_path(fonts.UI_FONT))
    available = set(QFontDatabase.families())
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    family = next((f for f in (*bundled, *CJK_FAMILIES) if f in available), chinese[0] if chinese else None)
    if family is None:
        log.warning("no font with Chinese characters found; text may show as boxes")
        return None
    font = app.font()
    font.setFamilies([family])
    font.setPointSizeF(FONT_POINT_SIZE)
    app.setFont(font)
    return family


def _load_bundled_font(file: Path) -> list[str]:
    """Load one font file into Qt (only the UI font: the 21 MB 宋体 is for paper)."""
    if not file.is_file():
        log.warning("bundled font %s missing", file)
        return []
    font_id = QFontDatabase.addApplicationFont(str(file))
    return QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []


def main(db: str | None = None) -> int:
    """Run the GUI on `db` (default: the database in the user's data folder); returns the exit code.

    Returns 2 when the database cannot be opened; the reason has been shown to the user.
    """
    app = application()
    install_translations(app)
    choose_font(app)
    previous_hook = install_excepthook(paths.data_dir() / "logs" / "fupin.log")
    try:
        try:
            database = open_database(db if db is not None else paths.default_database())
        except FupinError as e:
            QMessageBox.critical(None, QCoreApplication.translate("app", "无法打开数据库"), str(e))
            return 2
        ops = DbOps(database)  # after a restore it holds the reopened database, so close through it
        try:
            window = MainWindow(ops)
            window.show()
            return app.exec()
        finally:
            ops.close()
    finally:
        sys.excepthook = previous_hook


if __name__ == "__main__":
    sys.exit(main())
