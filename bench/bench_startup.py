"""Start-up and memory next to raw baselines, measured in one run (new processes, interleaved).

    .venv/bin/python bench/bench_startup.py --db big.db [--runs 5]

  `fupin --help`                  vs a bare `python -c pass`
  process start → main window painted (offscreen: shown, then one processEvents, as the bare window)
                                  vs a bare PySide6 window with a table
  process start → 首页 filled with the village's figures and due list, and painted, vs the same
  peak memory of the GUI once the home page is filled, the search index built and 王 searched,
                                  vs the bare window
Prints medians; asserts nothing. Targets (issue 20): --help ≤ 3× bare Python; main window ≤ 3× the
bare window; the GUI at 50,000 households under 200 MB.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = r"""
import sys, time, resource
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(100, 6)
for r in range(100):
    for c in range(6):
        table.setItem(r, c, QTableWidgetItem(f"{r}-{c}"))
window.setCentralWidget(table)
window.resize(1366, 768)
window.show()
app.processEvents()
print(f"SHOWN {time.time() - t0:.3f}")
print(f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
"""

# main() shows the window (navigation, and a 首页 saying the village opens) and lets Qt paint it with one
# processEvents() before it loads the database layer: that call returning is the first paint, measured
# as the bare window's is. 首页 is filled once its figures and its due list have arrived and painted.
FUPIN_WINDOW = r"""
import sys, time, resource
t0 = float(sys.argv[3])
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QLabel
from fupin_desktop.ui import main_window  # (Qt only: the window's module loads no database layer)
main_window.default_settings = lambda: QSettings(sys.argv[2], QSettings.Format.IniFormat)  # opens on 首页

process_events = QApplication.processEvents

def processEvents(*args):
    process_events(*args)
    if not painted and any(type(w).__name__ == "MainWindow" and w.isVisible() for w in QApplication.topLevelWidgets()):
        painted.append(time.time() - t0)
        print(f"SHOWN {painted[0]:.3f}", flush=True)
painted = []
QApplication.processEvents = staticmethod(processEvents)

def shown(app):
    from fupin_desktop.ui.main_window import MainWindow
    from fupin_desktop.services import search_index
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    home = window.home_page
    deadline = time.time() + 120
    figures = home.findChild(QLabel, "households")  # "—" until the village profile has arrived
    while not (figures.text() != "—" and home.due_table.model().rowCount()) and time.time() < deadline:
        app.processEvents()
        time.sleep(0.001)
    for _ in range(3):  # its layout, then its paint
        app.processEvents()
    print(f"FILLED {time.time() - t0:.3f}", flush=True)
    window._ops.query(search_index.warm, success=lambda _r: None)
    window.show_page("households")
    window.households_page.search_box.setText("王")
    for _ in range(50):
        app.processEvents()
        time.sleep(0.01)
    print(f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", flush=True)
    return 0

QApplication.exec = shown
from fupin_desktop.ui.app import main
sys.exit(main(sys.argv[1]))
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    t0 = time.time()
    out = subprocess.run([*cmd, str(t0)], capture_output=True, text=True, env=env, check=True).stdout
    wall = time.time() - t0
    marks = {k: float(v) for k, v in (line.split() for line in out.splitlines()
                                       if line.startswith(("SHOWN", "FILLED", "RSS")))}
    return wall, marks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed program starts from compiled .pyc files
    py = sys.executable
    subprocess.run([py, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "fupin_desktop")],
                   check=True, env=env)
    bare, helps, raw_shown, raw_rss, shown, filled, rss = [], [], [], [], [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([py, "-c", "pass"], check=True, env=env)
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        subprocess.run([py, "-m", "fupin_desktop.cli", "--help"], check=True, capture_output=True, env=env)
        helps.append(time.perf_counter() - t0)
        _, marks = run([py, "-c", BARE_WINDOW], env)
        raw_shown.append(marks["SHOWN"])
        raw_rss.append(marks["RSS"])
        with tempfile.TemporaryDirectory() as tmp:
            _, marks = run([py, "-c", FUPIN_WINDOW, str(args.db), str(Path(tmp) / "settings.ini")], env)
        shown.append(marks["SHOWN"])
        filled.append(marks["FILLED"])
        rss.append(marks["RSS"])
    m = statistics.median
    print(f"`fupin --help`: {m(helps) * 1000:.0f} ms; bare `python -c pass`: {m(bare) * 1000:.0f} ms; "
          f"ratio {m(helps) / m(bare):.1f}×")
    print(f"start → main window painted (navigation, 首页 saying it opens the village): {m(shown) * 1000:.0f} ms; "
          f"bare PySide6 window with a table: {m(raw_shown) * 1000:.0f} ms; ratio {m(shown) / m(raw_shown):.1f}×  "
          f"({args.db})")
    print(f"start → 首页 filled (figures and due list painted): {m(filled) * 1000:.0f} ms; ratio to the bare window "
          f"{m(filled) / m(raw_shown):.1f}×")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(f"peak memory, GUI after home page, search index and a search: {m(rss):.0f} MB; bare window: "
          f"{m(raw_rss):.0f} MB; ratio {m(rss) / m(raw_rss):.1f}×")


if __name__ == "__main__":
    main()
