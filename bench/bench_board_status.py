"""明白栏 status benchmark on an existing database, opened read-only (the file is not touched).

    PYTHONPATH=. .venv/bin/python bench/bench_board_status.py --db /work/bench-data/big.db [--dump out.json]

Times the 首页 due source `_boards_due` and `board_status` (once each: on the 50,000-household
register they take seconds). `--dump` writes what the board code computes — every board's
(household id, content hash, posted on, out of date), the status rows and the due items — so two
versions of the code can be compared: run it with each on PYTHONPATH and diff the files.
"""

import argparse
import json
import sqlite3
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from fupin_desktop.db.session import SQLITE_CACHE_KIB
from fupin_desktop.services.board import _boards_due, board_content, board_status

TODAY = date(2026, 12, 6)


def read_only_session(path: Path) -> Session:
    uri = f"{path.resolve().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        conn.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        return conn

    return Session(create_engine("sqlite://", creator=connect))


def timed(label: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    size = f"（{len(result)}行）" if isinstance(result, list) else ""
    print(f"  {label:<34}{time.perf_counter() - start:8.2f} s{size}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--dump", type=Path, help="write the computed boards, status rows and due items here")
    args = parser.parse_args()
    with read_only_session(args.db) as s:
        timed("_boards_due(首页待办)", lambda: _boards_due(s, TODAY))  # the first run warms the page cache
        due = timed("_boards_due(首页待办)", lambda: _boards_due(s, TODAY))
        status = timed("board_status(全部)", lambda: board_status(s, TODAY.year, today=TODAY))
        if args.dump:
            boards = timed("board_content(全部户)", lambda: board_content(s, TODAY.year, today=TODAY))
            args.dump.write_text(json.dumps({
                "boards": [[str(b.household_id), b.content_hash(), str(b.posted_on), b.out_of_date, repr(b)]
                           for b in boards],
                "status": [[str(r.household_id), r.number, r.head_name, r.group, r.helper, str(r.posted_on),
                            r.out_of_date] for r in status],
                "due": [[i.kind, i.title, i.count] for i in due],
            }, ensure_ascii=False, indent=0))
            print(f"  写出 {args.dump}：{len(boards)}块明白栏")


if __name__ == "__main__":
    main()
