"""Village exit check and the microcredit due list on a large village, next to the same reads in
bare sqlite3 in the same process.

    PYTHONPATH=. .venv/bin/python bench/bench_registers.py [--households 50000] [--loans 15000] [--db path]

Prints figures; asserts nothing. Targets (issue 14): the village exit check and the loan due list at
50,000 households under 1 s each.
"""

import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from demo_db import demo_arguments, demo_database  # beside this script
from sqlalchemy import select

from fupin_desktop.db.base import Base
from fupin_desktop.db.changelog import bulk_insert
from fupin_desktop.db.models import Household, Member, MicroLoan
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import clock
from fupin_desktop.domain.ids import uuid7
from fupin_desktop.services import exits, loans


def _median(f, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    f()  # warm up (statement cache, pages)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _add_loans(db, n: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(14)
    today = clock.today()
    with db.transaction() as s:
        heads = s.execute(select(Member.household_id, Member.id).join(Household).where(
            Member.relation == "户主", Household.status.like("已脱贫%") | (Household.status == "未脱贫"))).all()
        heads = heads * (n // max(len(heads), 1) + 1)
        now = datetime.now(UTC)
        rows = []
        for hid, mid in heads[:n]:
            lent = today - timedelta(days=rng.randint(30, 3 * 365))
            rows.append({"id": uuid7(), "created_at": now, "updated_at": now, "deleted_at": None, "household_id": hid,
                         "borrower_id": mid, "measure_id": None, "bank": "荥阳农商银行",
                         "amount_fen": rng.choice((2, 3, 5)) * 1_000_000, "term_months": 36, "rate_bp": 435,
                         "subsidy_bp": 435, "use_kind": "户贷户用", "use": "养牛", "lent_on": lent,
                         "due_on": date(lent.year + 3, lent.month, min(lent.day, 28)),
                         "repaid_on": None if rng.random() < 0.8 else today, "followed_up_on": None, "note": None})
        bulk_insert(s, Base.metadata.tables["micro_loan"], rows)


def main() -> None:
    p = demo_arguments(50_000)
    p.add_argument("--loans", type=int, default=15_000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = demo_database(args.db, tmp, args.households)
        db = open_database(path)
        with db.reading() as s:
            have = len(s.scalars(select(MicroLoan.id)).all())
        if have < args.loans:
            _add_loans(db, args.loans - have)
        today = clock.today()
        raw = sqlite3.connect(path)

        with db.reading() as s:
            v = exits.village_exit(s, today.year)
            check = _median(lambda: exits.village_exit(s, today.year))
        raw_check = _median(lambda: (raw.execute(
            "SELECT count(DISTINCT h.id), count(m.id) FROM household h JOIN member m ON m.household_id = h.id "
            "WHERE h.deleted_at IS NULL AND m.deleted_at IS NULL AND h.status = '未脱贫'").fetchone(),
            raw.execute("SELECT * FROM village_exit_item WHERE year = ? AND deleted_at IS NULL",
                        (today.year,)).fetchall()))
        print(f"village exit check (贫困发生率 {v.incidence_percent}% + {len(v.items)} items): "
              f"{check * 1000:.1f} ms; bare sqlite3 same reads {raw_check * 1000:.1f} ms "
              f"(×{check / raw_check:.1f})  (target < 1 s)")

        with db.reading() as s:
            due = loans.list_loans(s, due_within=90, today=today)
            listing = _median(lambda: loans.list_loans(s, due_within=90, today=today))
            items = _median(lambda: loans._loans_due(s, today))
        until = (today + timedelta(days=90)).isoformat()
        raw_due = _median(lambda: raw.execute(
            "SELECT l.*, h.number, m.name FROM micro_loan l JOIN household h ON h.id = l.household_id "
            "JOIN member m ON m.id = l.borrower_id WHERE l.deleted_at IS NULL AND h.deleted_at IS NULL "
            "AND l.repaid_on IS NULL AND l.due_on <= ? ORDER BY l.due_on, h.number", (until,)).fetchall())
        print(f"loan due list ({len(due)} of {args.loans} loans due within 90 days): {listing * 1000:.1f} ms; "
              f"bare sqlite3 same join {raw_due * 1000:.1f} ms (×{listing / raw_due:.1f}); "
              f"as 首页 due items (with the follow-up count) {items * 1000:.1f} ms  (target < 1 s)")
        raw.close()
        db.close()


if __name__ == "__main__":
    main()
