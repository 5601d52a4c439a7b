"""明白栏 / 公示 / 项目 benchmark: the queries the 首页 and the 明白栏/公示 page run, on a demo village.

    .venv/bin/python bench/bench_board.py [--households 437] [--seed 2020]

Prints figures; asserts nothing. The 首页 calls every due source on each refresh (the board source
composes every household's board and hashes it), so `due_items` is the figure to watch.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fupin_desktop.db.session import open_database
from fupin_desktop.services.benefits import list_benefits
from fupin_desktop.services.board import board_content, board_status, village_board
from fupin_desktop.services.demo import build_demo
from fupin_desktop.services.due import due_items
from fupin_desktop.services.notices import list_notices
from fupin_desktop.services.projects import list_projects

TODAY = date(2026, 12, 2)


def best_of(label: str, work: Callable[[], object], runs: int = 5) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    size = f"（{len(result)}行）" if isinstance(result, list) else ""
    print(f"  {label:<36}{min(times) * 1000:8.1f} ms 最快　{statistics.median(times) * 1000:8.1f} ms 中位{size}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        start = time.perf_counter()
        summary = build_demo(path, households=args.households, seed=args.seed)
        took = time.perf_counter() - start
        print(f"演示村 {summary.households}户：生成（含享受政策、公示、项目、明白栏张贴）{took:.2f} s")
        db = open_database(path)
        with db.reading() as s:
            best_of("board_content(全部户)", lambda: board_content(s, 2026, today=TODAY))
            best_of("board_status(需张贴)", lambda: board_status(s, 2026, today=TODAY, stale_only=True))
            best_of("village_board", lambda: [village_board(s, 2026, today=TODAY)])
            best_of("list_benefits(2026)", lambda: list_benefits(s, year=2026))
            best_of("list_notices", lambda: list_notices(s, today=TODAY))
            best_of("list_projects", lambda: list_projects(s))
            best_of("due_items(首页待办，全部来源)", lambda: due_items(s, TODAY))
        db.close()


if __name__ == "__main__":
    main()
