"""Screenshots of the real program on the demo village, for docs/screenshots/ and the README.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py [--db demo/xingou.db]

Opens the main window as `fupin gui` does (translations, font), shows every page and a few
dialogs, and saves what the screen shows. Every page the window has is captured, so new pages
appear here without changes.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from fupin_desktop.db.session import open_database
from fupin_desktop.ui.app import application, choose_font, install_translations
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.roster_dialog import RosterImportDialog
from fupin_desktop.ui.runner import runner

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
MESSY_ROSTER = ROOT / "tests" / "data" / "messy_roster.xlsx"


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Let queued refreshes start their queries, the worker threads deliver, and layouts follow."""
    def pump(duration: float) -> None:
        end = time.monotonic() + duration
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
    pump(seconds)
    while runner().busy:
        pump(0.05)
    pump(seconds)


def save(app: QApplication, widget: QWidget, name: str) -> None:
    settle(app)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, help="demo database (default: build one in a temporary folder)")
    args = ap.parse_args()
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="fupin-shots-")) / "xingou.db"
        subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db), "demo"], check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    app = application()
    install_translations(app)
    choose_font(app)
    ops = DbOps(open_database(db))
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ops, settings=settings, backup_at_start=False)
    window.resize(1280, 760)
    window.show()
    for key in window.page_keys():
        window.show_page(key)
        save(app, window, key)

    households = window.households_page
    window.show_page("households")
    households.search_box.setText("wjf")
    settle(app, 0.5)
    households.table.selectRow(0)
    household_id = households.model.row_at(0).id
    households.open_household(household_id)
    settle(app)
    detail = next(w for w in app.topLevelWidgets() if w.isVisible() and w is not window)
    save(app, detail, "household-detail")
    detail.close()
    households.edit_household(household_id)
    settle(app)
    save(app, households.editor, "household-editor")
    households.editor.reject()

    dialog = RosterImportDialog(ops, window)
    dialog.show()
    dialog.load(str(MESSY_ROSTER))
    while dialog.task is not None and dialog.task.running:
        settle(app, 0.1)
    save(app, dialog, "roster-import-preview")
    dialog.reject()
    ops.close()


if __name__ == "__main__":
    main()
