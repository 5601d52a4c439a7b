"""The demo database a benchmark runs on: `--db` when given (built there if missing), else a new one in `tmp`."""

import argparse
import time
from pathlib import Path

from fupin_desktop.services import demo


def demo_arguments(households: int | None, description: str | None = None) -> argparse.ArgumentParser:
    """A benchmark's command line with `--households` (the demo village's size) and `--db`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--households", type=int, default=households)
    parser.add_argument("--db", type=Path, help="reuse this demo database (built if missing)")
    return parser


def demo_database(db: Path | None, tmp: str, households: int | None) -> Path:
    path = db or Path(tmp) / "bench.db"
    if not path.exists():
        t = time.perf_counter()
        demo.build_demo(path, households=households)
        print(f"demo build ({households or 'default'} households): {time.perf_counter() - t:.1f} s")
    return path
