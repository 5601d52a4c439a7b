"""Batch printing figures: one card, all 437 demo households, and 500 cards into one PDF.

    PYTHONPATH=. .venv/bin/python bench/print_cards.py [demo.db]

Builds the demo village when no database is given. Targets (issue 6): 500 cards < 10 s and < 10 MB,
one card < 300 ms.
"""

import sys
import tempfile
import time
from pathlib import Path

from fupin_desktop.db.session import open_database
from fupin_desktop.reports import card, fonts
from fupin_desktop.services import print_data
from fupin_desktop.services.demo.build import build_demo


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="fupin-bench-"))
    db_file = Path(sys.argv[1]) if len(sys.argv) > 1 else work / "demo.db"
    if not db_file.exists():
        build_demo(db_file)
    t = time.perf_counter()
    fonts.register()
    print(f"字体加载（每个进程一次）：{time.perf_counter() - t:.2f} s")
    db = open_database(db_file)
    with db.reading() as s:
        t = time.perf_counter()
        cards = print_data.cards_data(s, print_data.Selection(everyone=True))
        print(f"读取 {len(cards)} 户明白卡数据：{time.perf_counter() - t:.2f} s")
    db.close()
    big = max(cards, key=lambda c: len(c.household.members))
    times = []
    for _ in range(5):
        t = time.perf_counter()
        card.write_cards(work / "one.pdf", [big])
        times.append(time.perf_counter() - t)
    print(f"一张明白卡（{len(big.household.members)}人户）：最快 {min(times) * 1000:.0f} ms，"
          f"中位 {sorted(times)[2] * 1000:.0f} ms")
    for label, batch in ((f"全部 {len(cards)} 户", cards), ("500 张", (cards * 2)[:500])):
        t, cpu = time.perf_counter(), time.process_time()
        path = card.write_cards(work / "batch.pdf", batch)
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"{label}明白卡合成一个 PDF：{seconds:.2f} s（CPU {cpu:.2f} s），{path.stat().st_size / 1e6:.2f} MB，"
              f"每张 {seconds / len(batch) * 1000:.0f} ms")
    t = time.perf_counter()
    files = card.write_cards_to_folder(work / ".", cards[:100])
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"每户一个 PDF（100 户）：{time.perf_counter() - t:.2f} s，共 {size:.1f} MB")


if __name__ == "__main__":
    main()
