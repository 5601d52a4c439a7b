"""Screenshots of the real program on the demo village, for docs/screenshots/ and the README.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py [--db demo/xingou.db]

Opens the main window as `fupin gui` does (translations, font) on a 1366×768 laptop (40-pixel
taskbar), at 标准 and at 特大 (files ending -xlarge), shows every page and the main dialogs
(household detail and editor, visit form, plan editor, print preview, roster import) and saves
what the screen shows. Every page the window has is captured, so new pages appear without changes.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from fupin_desktop.db.session import open_database
from fupin_desktop.domain import clock
from fupin_desktop.services.plans import plan_overview
from fupin_desktop.ui import fit, font_size
from fupin_desktop.ui.app import application, choose_font, install_translations
from fupin_desktop.ui.household_detail import HouseholdDetailDialog
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.pdf_preview import PdfPreview
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
    # the village laptop: 1366×768 with a 40-pixel taskbar, whatever screen this runs on
    fit.available = lambda widget=None: QRect(0, 0, fit.LAPTOP.width(), fit.LAPTOP.height() - 40)
    ops = DbOps(open_database(db))
    for size in (font_size.STANDARD, "xlarge"):
        shoot(app, ops, size, "" if size == font_size.STANDARD else "-xlarge")
    ops.close()


def shoot(app: QApplication, ops: DbOps, size: str, suffix: str) -> None:
    """Every page and the main dialogs at one font size, in a window as large as the laptop allows."""
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(font_size.SETTING, size)
    window = MainWindow(ops, settings=settings, backup_at_start=False)
    window.resize(fit.room())
    window.show()
    for key in window.page_keys():
        window.show_page(key)
        save(app, window, key + suffix)

    households = window.households_page
    window.show_page("households")
    households.search_box.setText("wjf")
    settle(app, 0.5)
    households.table.selectRow(0)
    household_id = households.model.row_at(0).id
    households.open_household(household_id)
    settle(app)
    detail = next(w for w in app.topLevelWidgets() if isinstance(w, HouseholdDetailDialog) and w.isVisible())
    save(app, detail, "household-detail" + suffix)
    detail.close()
    households.edit_household(household_id)
    settle(app)
    save(app, households.editor, "household-editor" + suffix)
    households.editor.reject()

    households.visit_button.click()  # the visit form, with the household chosen
    form = window.visits_page.form_dialog
    form.mark_all_ok()
    save(app, form, "visit-form" + suffix)
    form.reject()

    found: list = []  # the plan with most findings shows the editor at its fullest
    ops.query(lambda s: plan_overview(s, clock.today().year), success=found.extend)
    planned = max((r for r in found if r.plan_id and r.measures >= 6), key=lambda r: r.errors + r.warnings)
    households.search_box.setText(planned.household_number)
    settle(app, 0.5)
    households.table.selectRow(0)
    households.plan_button.click()  # its plan, in the editor on the 帮扶计划 page
    settle(app)
    save(app, window, "plan-editor" + suffix)
    window.plans_page.editor.go_back()

    window.show_page("households")
    households.card_button.click()  # the card's print preview
    settle(app, 1.0)
    preview = next(w for w in app.topLevelWidgets() if isinstance(w, PdfPreview) and w.isVisible())
    save(app, preview, "print-preview" + suffix)
    preview.close()

    dialog = RosterImportDialog(ops, window)
    dialog.show()
    dialog.load(str(MESSY_ROSTER))
    while dialog.task is not None and dialog.task.running:
        settle(app, 0.1)
    save(app, dialog, "roster-import-preview" + suffix)
    dialog.reject()
    window.close()
    font_size.apply(font_size.STANDARD)


if __name__ == "__main__":
    main()
