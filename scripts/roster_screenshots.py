"""The roster import's mapping step on a real roster (tests/data/real_roster.py, as .xls), at the
font sizes 标准 and 特大, on a 1366×768 screen: docs/screenshots/roster-import-real*.png.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/roster_screenshots.py
"""

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fupin_desktop.services.setup import init_village  # noqa: E402
from fupin_desktop.ui import font_size  # noqa: E402
from fupin_desktop.ui.app import application, choose_font, install_translations  # noqa: E402
from fupin_desktop.ui.ops import DbOps  # noqa: E402
from fupin_desktop.ui.roster_dialog import RosterImportDialog  # noqa: E402
from tests.data import real_roster  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait(app: QApplication, dialog: RosterImportDialog) -> None:
    end = time.monotonic() + 0.3
    while time.monotonic() < end or (dialog.task is not None and dialog.task.running):
        app.processEvents()
        time.sleep(0.01)


def main() -> None:
    app = application()
    install_translations(app)
    choose_font(app)
    folder = Path(tempfile.mkdtemp(prefix="fupin-roster-"))
    rows = [[*r[:9], "残疾" if i == 2 else r[9], *r[10:]] for i, r in enumerate(real_roster.rows(60))]
    roster = real_roster.write(folder / "建档立卡户花名册.xls", rows)
    OUT.mkdir(parents=True, exist_ok=True)
    for key, suffix in ((font_size.STANDARD, ""), ("xlarge", "-xlarge")):
        font_size.apply(key)
        db = init_village(folder / f"{key}.db", village_code="410182104201", village_name="新沟村",
                          township="汜水镇", county="荥阳市")
        dialog = RosterImportDialog(DbOps(db))
        dialog.show()
        dialog.load(str(roster))
        wait(app, dialog)
        dialog.status_box.setCurrentIndex(dialog.status_box.findData("脱贫户"))
        dialog.apply_button.click()
        wait(app, dialog)
        dialog.move(0, 0)
        screen = app.primaryScreen().availableGeometry()
        fits = dialog.frameGeometry().width() <= 1366 and dialog.frameGeometry().height() <= 768
        print(f"{key}: dialog {dialog.width()}x{dialog.height()}, minimum {dialog.minimumSizeHint().width()}x"
              f"{dialog.minimumSizeHint().height()}, screen {screen.width()}x{screen.height()}, fits: {fits}")
        path = OUT / f"roster-import-real{suffix}.png"
        dialog.grab().save(str(path))
        print(path.relative_to(ROOT))
        dialog.reject()
        db.close()
    # a roster with a 户状态 column in the official words: the value mapping shows what each means
    words = ["脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "监测对象", "一般户", "低保户"]
    real_roster.HEADER.append("户状态")
    numbers = list(dict.fromkeys(r[0] for r in rows))
    with_status = real_roster.write(folder / "花名册（含户状态）.csv",
                                    [[*r, words[numbers.index(r[0]) % len(words)]] for r in rows], "csv-gbk")
    font_size.apply(font_size.STANDARD)
    db = init_village(folder / "values.db", village_code="410182104201", village_name="新沟村", township="汜水镇",
                      county="荥阳市")
    dialog = RosterImportDialog(DbOps(db))
    dialog.show()
    dialog.load(str(with_status))
    wait(app, dialog)
    dialog.exit_box.setCurrentIndex(dialog.exit_box.findData(2019))
    dialog.groups_check.setChecked(True)
    dialog.apply_button.click()
    wait(app, dialog)
    path = OUT / "roster-import-values.png"
    dialog.grab().save(str(path))
    print(path.relative_to(ROOT))
    dialog.reject()
    db.close()


if __name__ == "__main__":
    main()
