"""The demo database a benchmark runs on: `--db` when given (built there if missing), else a new one in `tmp`."""

import time
from pathlib import Path

from fupin_desktop.services import demo


def demo_database(db: Path | None, tmp: str, households: int) -> Path:
    path = db or Path(tmp) / "bench.db"
    if not path.exists():
        t = time.perf_counter()
        demo.build_demo(path, households=households)
        print(f"demo build ({households} households): {time.perf_counter() - t:.1f} s")
    return path
