"""User actions from the 农户 list, counted through the real widgets on the demo village (issue 15
targets: a visit for a chosen household saved in ≤ 6 actions, a 明白卡 printed in ≤ 3).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_flows.py

An action is what the user does with mouse or keyboard: a click on a row or a button, or a key.
Each one is done here on the real widget (QTest mouse clicks on the buttons and on the row), then
the result is checked: the visit is in the database, the printer received the card's pages. The
printer is a PDF file (no printer on this machine) standing in for the default printer.

The baseline is the same work by the route the program offered before (counted by hand from the
issue's walk-through, since those widgets are gone): 走访 page → 登记走访 → type → choose in a list
that took the keyboard → 全部正常 → 保存; 打印 menu → 明白卡… → file dialog → preview → 打印… →
print dialog (whose buttons were below a 768-pixel screen).
"""

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from fupin_desktop.db.session import open_database
from fupin_desktop.domain import clock
from fupin_desktop.services.demo import build_demo
from fupin_desktop.services.plans import plan_overview
from fupin_desktop.services.visits import household_visits
from fupin_desktop.ui.app import application, choose_font, install_translations
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.pdf_preview import PdfPreview
from fupin_desktop.ui.runner import runner

BEFORE = {"visit": 7, "card": 6}
TARGET = {"visit": 6, "card": 3}


def settle(app: QApplication, until=lambda: True, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if until() and not runner().busy:
            return
        time.sleep(0.02)
    raise SystemExit("the program did not answer in time")


class User:
    """Does and counts the actions."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.done: list[str] = []

    def click(self, button: QAbstractButton) -> None:
        assert button.isVisible() and button.isEnabled(), button.text()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        self.done.append(f"点“{button.text()}”")
        settle(self.app)

    def click_row(self, table, row: int) -> None:  # type: ignore[no-untyped-def]
        table.scrollTo(table.model().index(row, 1))
        rect = table.visualRect(table.model().index(row, 1))
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        self.done.append("点列表中的一户")
        settle(self.app)


def main() -> None:
    app = application()
    install_translations(app)
    choose_font(app)
    folder = Path(tempfile.mkdtemp(prefix="fupin-flows-"))
    build_demo(folder / "xingou.db")
    db = open_database(folder / "xingou.db")
    ops = DbOps(db)
    window = MainWindow(ops, settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat),
                        backup_at_start=False)
    window.resize(1350, 688)
    window.show()
    window.show_page("households")
    settle(app)
    page = window.households_page
    with db.reading() as s:  # a registered household with a plan: its 帮扶责任人 is ticked for the visit
        target = next(r for r in plan_overview(s, clock.today().year) if r.plan_id)
        visits_before = len(household_visits(s, target.household_id))
    row = next(i for i, r in enumerate(page.table.rows) if r.id == target.household_id)

    visit = User(app)
    visit.click_row(page.table, row)
    visit.click(page.visit_button)
    form = window.visits_page.form_dialog
    visit.click(form.all_ok_button)
    visit.click(form.buttons.button(form.buttons.StandardButton.Save))
    with db.reading() as s:
        assert len(household_visits(s, target.household_id)) == visits_before + 1, form.error_label.text()

    printed = folder / "printer.pdf"

    def file_printer(self: PdfPreview, name: str = "") -> QPrinter:  # the default printer, as a file
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer
    PdfPreview.printer = file_printer  # type: ignore[method-assign]
    PdfPreview.default_printer = staticmethod(lambda: "默认打印机")  # type: ignore[method-assign]

    card = User(app)
    card.click_row(page.table, row)
    card.click(page.card_button)
    settle(app, lambda: any(isinstance(w, PdfPreview) and w.isVisible() for w in app.topLevelWidgets()))
    preview = next(w for w in app.topLevelWidgets() if isinstance(w, PdfPreview) and w.isVisible())
    card.click(preview.print_button)
    assert printed.stat().st_size > 10_000, "nothing reached the printer"

    print(f"demo village, household {target.household_number} {target.head_name}; offscreen, real widgets")
    for key, user, what in (("visit", visit, "走访登记并保存"), ("card", card, "打印明白卡")):
        print(f"{what}: {len(user.done)} actions (target ≤ {TARGET[key]}, before {BEFORE[key]}): "
              + " → ".join(user.done))
    ops.wait()
    ops.close()
    sys.exit(0 if len(visit.done) <= TARGET["visit"] and len(card.done) <= TARGET["card"] else 1)


if __name__ == "__main__":
    main()
