"""The 退出程序 and 搬迁·信贷 tabs and their dialogs on the demo village, at 标准 and 特大, at the size the
page has in a 1366×768 window: docs/screenshots/exit*.png, registers*.png (the dialogs go to a
temporary folder, printed, for looking at).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/registers_screenshots.py demo/xingou.db
"""

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fupin_desktop.db.session import open_database  # noqa: E402
from fupin_desktop.services import exits  # noqa: E402
from fupin_desktop.services.forms import load_household  # noqa: E402
from fupin_desktop.ui import font_size  # noqa: E402
from fupin_desktop.ui.app import application, choose_font, install_translations  # noqa: E402
from fupin_desktop.ui.exit_dialogs import ConfirmationDialog, VillageChecklistDialog  # noqa: E402
from fupin_desktop.ui.household_detail import HouseholdDetailDialog  # noqa: E402
from fupin_desktop.ui.ops import DbOps  # noqa: E402
from fupin_desktop.ui.plans_page import PlansPage  # noqa: E402
from fupin_desktop.ui.registers_tab import LoanDialog, RelocationDialog  # noqa: E402
from fupin_desktop.ui.runner import runner  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PAGE = (1366 - 200, 768 - 60)  # the window less the navigation list and the title and status bars


def settle(app, seconds: float = 0.4) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end or runner().busy:
        app.processEvents()
        time.sleep(0.01)


def main(db_path: str) -> None:
    app = application()
    install_translations(app)
    choose_font(app)
    db = open_database(db_path)
    ops = DbOps(db)
    dialogs = Path(tempfile.mkdtemp(prefix="fupin-dialogs-"))
    for key, suffix in ((font_size.STANDARD, ""), ("xlarge", "-xlarge")):
        font_size.apply(key)
        page = PlansPage(ops)
        page.resize(*PAGE)
        page.show()
        page.refresh()
        settle(app)
        for index, name in ((2, "exit"), (3, "registers")):
            page.tabs.setCurrentIndex(index)
            settle(app)
            page.grab().save(str(OUT / f"{name}{suffix}.png"))
            print(OUT / f"{name}{suffix}.png", page.width(), "px wide")
        with db.reading() as s:
            v = exits.village_exit(s)
            procedures = exits.list_procedures(s)
            names = exits.member_names(s, procedures[0].household_id) if procedures else []
            view = load_household(s, procedures[0].household_id) if procedures else None
        shown = [("checklist", VillageChecklistDialog(v)), ("loan", LoanDialog()), ("relocation", RelocationDialog())]
        if procedures:
            shown.append(("confirm", ConfirmationDialog(procedures[0], names)))
        if view is not None:
            detail = HouseholdDetailDialog(view)
            detail.tabs.setCurrentIndex(detail.tabs.count() - 1)
            shown.append(("detail", detail))
        for name, dialog in shown:
            dialog.show()
            settle(app)
            dialog.grab().save(str(dialogs / f"{name}{suffix}.png"))
            print(dialogs / f"{name}{suffix}.png", f"{dialog.width()}×{dialog.height()}")
            dialog.close()
        page.close()
    ops.wait()
    db.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "demo/xingou.db")
