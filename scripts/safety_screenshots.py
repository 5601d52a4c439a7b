"""The messages of issue 18 at the font sizes 标准 and 特大, as a 1366×768 screen shows them: the
confirmation before a backup of another village replaces this one, a second window refused, a
full disk told apart from damage. docs/screenshots/safety-*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/safety_screenshots.py
"""

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fupin_desktop.db import health  # noqa: E402
from fupin_desktop.services import backup  # noqa: E402
from fupin_desktop.services.setup import init_village  # noqa: E402
from fupin_desktop.ui import font_size  # noqa: E402
from fupin_desktop.ui.app import application, choose_font, install_translations  # noqa: E402
from fupin_desktop.ui.backup_tab import BackupTab  # noqa: E402
from fupin_desktop.ui.ops import DbOps  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    app = application()
    install_translations(app)
    choose_font(app)
    folder = Path(tempfile.mkdtemp(prefix="fupin-safety-"))
    here = init_village(folder / "a" / "fupin.db", village_code="410182104201", village_name="新沟村",
                        township="汜水镇", county="荥阳市")
    other = init_village(folder / "b" / "fupin.db", village_code="410182104299", village_name="石桥村",
                         township="汜水镇", county="荥阳市")
    info = backup.inspect_backup(backup.backup_now(other))
    warning = backup.other_village_warning(here.file, info)
    busy = ("另一个窗口（进程4321，用户liming，12-07 09:30起）正在使用数据库 fupin.db。"
            "同一个数据库只能在一个窗口中打开，请切换到那个窗口（或关闭它后再打开）。")
    OUT.mkdir(parents=True, exist_ok=True)
    for key, suffix in ((font_size.STANDARD, ""), ("xlarge", "-xlarge")):
        font_size.apply(key)
        tab = BackupTab(DbOps(here))
        shots = {}
        captured: list[QMessageBox] = []

        def capture(parent, title, text, buttons=QMessageBox.StandardButton.Ok, default=None, icon=None,
                    captured=captured):  # this iteration's list, bound now
            box = QMessageBox(icon or QMessageBox.Icon.Warning, title, text, buttons, parent)
            captured.append(box)
            return QMessageBox.StandardButton.No
        QMessageBox.warning = capture  # type: ignore[method-assign]
        tab._confirm(info, warning)
        shots["other-village"] = captured[-1]
        shots["second-window"] = QMessageBox(QMessageBox.Icon.Critical, "无法打开数据库", busy)
        shots["disk-full"] = QMessageBox(QMessageBox.Icon.Critical, "保存失败", health.FULL)
        for name, box in shots.items():
            box.show()
            app.processEvents()
            fits = box.frameGeometry().width() <= 1366 and box.frameGeometry().height() <= 768
            print(f"{key} {name}: {box.width()}x{box.height()}, fits 1366x768: {fits}")
            path = OUT / f"safety-{name}{suffix}.png"
            box.grab().save(str(path))
            box.close()
    here.close()
    other.close()


if __name__ == "__main__":
    main()
