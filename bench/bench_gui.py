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
from PySide6.QtWidgets import QApplication

def shown(app):
    app.processEvents()  # let the first paint happen
    print("SHOWN", flush=True)
    return 0

QApplication.exec = shown
from fupin_desktop.ui.app import main
sys.exit(main(sys.argv[1]))
"""


def start_to_window(db: Path, runs: int = 5) -> list[float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True, env=env,
                             check=True).stdout
        assert "SHOWN" in out, out
        times.append(time.perf_counter() - t0)
    return times


def search_latency(db: Path, queries: list[str]) -> list[float]:
    """From the search text changing to the 农户 list showing the new rows (debounce excluded)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from fupin_desktop.db.session import open_database
    from fupin_desktop.ui.households_page import HouseholdsPage
    from fupin_desktop.ui.ops import DbOps

    app = QApplication.instance() or QApplication([])
    database = open_database(db)
    page = HouseholdsPage(DbOps(database))
    page.show()
    app.processEvents()
    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        page.search_now(q)  # what the debounce timer calls once typing pauses
        app.processEvents()
        latencies.append((time.perf_counter() - t0) * 1000)
    database.close()
    return latencies


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
    starts = start_to_window(db)
    print(f"process start to main window shown: median {statistics.median(starts) * 1000:.0f} ms, "
          f"max {max(starts) * 1000:.0f} ms ({db})")
    queries = ["王", "明明", "zm", "lzh", "0012", "2243", "张秀", "wjf", "梓豪", "1970"] * 2
    lat = search_latency(db, queries)
    ordered = sorted(lat)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"search text → list updated ({len(lat)} searches): median {statistics.median(lat):.1f} ms, "
          f"p95 {p95:.1f} ms, max {max(lat):.1f} ms")


if __name__ == "__main__":
    main()
