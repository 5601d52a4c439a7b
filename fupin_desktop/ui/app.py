"""Starting the GUI: QApplication, Chinese translations and font, the window's first paint; then
`ui/startup.py` opens the database.

`main()` is the `fupin-gui` entry point and what `fupin gui` calls.
"""

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from fupin_desktop import paths
from fupin_desktop.db import lock
from fupin_desktop.logs import stop_logging
from fupin_desktop.resources import font_files
from fupin_desktop.ui import font_size
from fupin_desktop.ui import main_window as main_window_module

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
    bundled = _load_bundled_font(font_files.font_path(font_files.UI_FONT))
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

    Without `db` and with no database yet, the first-run wizard creates one. A damaged database
    is offered its newest good backup. When the database has accounts, someone signs in first.
    Returns 2 when the database cannot be opened (the reason has been shown: damaged, another
    window has it open, a full or read-only disk …), 1 when set-up or sign-in was cancelled.

    The window paints first, saying that it opens the village; the database layer (SQLAlchemy, the
    models, the services: most of a start) loads after that, in `ui/startup.py`.
    """
    lock.this_process(lock.WINDOW, window=True)  # one window per database (db/lock.py)
    app = application()
    install_translations(app)
    choose_font(app)
    target = db if db is not None else str(paths.default_database())
    settings = main_window_module.default_settings()  # looked up at call time (tests replace it)
    window = None
    if "://" in target or Path(target).expanduser().exists():  # (else the wizard or a message comes first)
        window = main_window_module.MainWindow(None, settings=settings)
        window.show_opening(target if "://" not in target else None)
        window.show()
        app.processEvents()  # the first paint
    from fupin_desktop.ui import startup  # after the first paint: the database layer
    from fupin_desktop.ui.runner import GuiCollector

    collector = GuiCollector(app)
    try:
        return startup.run(app, target, settings, first_run=db is None, window=window)
    finally:
        collector.stop()
        stop_logging()
        lock.this_process("程序")


if __name__ == "__main__":
    sys.exit(main())
