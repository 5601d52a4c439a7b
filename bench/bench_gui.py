"""GUI benchmark on a large register: process start to main window shown, and search latency.

    .venv/bin/python bench/bench_gui.py [--db PATH] [--households 50000]

Builds the demo database first when --db is not given. Runs Qt offscreen. Prints figures;
asserts nothing. Targets (issue 3): start to window < 1.5 s; typing to list updated p95 < 100 ms.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys, time
t0 = float(sys.argv[2])
from PySide6.QtWidgets import QApplication

def shown(app):
    from fupin_desktop.ui.main_window import MainWindow
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    loaded = []
    window.home_page.profile_loaded.connect(loaded.append)
    app.processEvents()  # the first paint
    print(f"SHOWN {time.time() - t0:.3f}", flush=True)
    while not loaded:  # the home page's figures arrive from a worker thread
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    print(f"FILLED {time.time() - t0:.3f}", flush=True)
    return 0

QApplication.exec = shown
from fupin_desktop.ui.app import main
sys.exit(main(sys.argv[1]))
"""


def start_to_window(db: Path, runs: int = 5) -> tuple[list[float], list[float]]:
    """Seconds from process start to (main window shown, home page filled), each run a new process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    shown, filled = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD, str(db), str(time.time())], capture_output=True,
                             text=True, env=env, check=True).stdout
        marks = dict(line.split() for line in out.splitlines() if line.startswith(("SHOWN", "FILLED")))
        shown.append(float(marks["SHOWN"]))
        filled.append(float(marks["FILLED"]))
    return shown, filled


def search_latency(db: Path, queries: list[str]) -> tuple[list[float], list[float]]:
    """Typing → 农户 list updated and repainted, in ms: (one keystroke after a pause, which searches at
    once; the last keystroke of a fast burst, which waits for the page's pause before searching)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from fupin_desktop.db.session import open_database
    from fupin_desktop.ui.households_page import HouseholdsPage
    from fupin_desktop.ui.ops import DbOps

    app = QApplication.instance() or QApplication([])
    database = open_database(db)
    page = HouseholdsPage(DbOps(database))
    page.resize(1200, 700)
    page.show()
    page.refresh()
    app.processEvents()
    resets = []
    page.model.modelReset.connect(lambda: resets.append(time.perf_counter()))

    def until_shown(t0: float) -> float:
        while not resets:
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()  # the repaint that follows
        return (time.perf_counter() - t0) * 1000

    def pause() -> None:  # the user stops typing
        while page._search_timer.isActive():
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()

    single, burst = [], []
    for q in queries:
        pause()
        resets.clear()
        t0 = time.perf_counter()
        page.search_box.setText(q)
        single.append(until_shown(t0))
        pause()
        page.search_box.setText(q[:-1] or q + "0")  # a burst: the first keystroke searches at once …
        page.search_box.setText(q + "9")
        resets.clear()
        t0 = time.perf_counter()
        page.search_box.setText(q)  # … the last one waits for the pause
        burst.append(until_shown(t0))
    page.close()
    database.close()
    return single, burst


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {max(values):.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--households", type=int, default=50_000)
    args = ap.parse_args()
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="fupin-gui-bench-")) / "big.db"
        subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db), "demo",
                        "--households", str(args.households)], check=True, capture_output=True)
    shown, filled = start_to_window(db)
    print(f"process start to main window shown: median {statistics.median(shown) * 1000:.0f} ms, "
          f"max {max(shown) * 1000:.0f} ms; home page filled: median {statistics.median(filled) * 1000:.0f} ms "
          f"({db})")
    queries = ["王", "明明", "zm", "lzh", "0012", "2243", "张秀", "wjf", "梓豪", "1970"] * 2
    single, burst = search_latency(db, queries)
    print(f"typing → list updated, a keystroke after a pause ({len(single)} searches): {summary(single)}")
    print(f"the last keystroke of fast typing, incl. the {search_delay_ms()} ms pause: {summary(burst)}")


def search_delay_ms() -> int:
    from fupin_desktop.ui.households_page import HouseholdsPage

    return HouseholdsPage.SEARCH_DELAY_MS

if __name__ == "__main__":
    main()
