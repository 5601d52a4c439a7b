"""N+2 plans benchmark: validate every plan of a large village, open one plan as the editor does.

    PYTHONPATH=. .venv/bin/python bench/bench_plans.py [--households 50000] [--db path]

Prints figures; asserts nothing. Targets (issue 4): validating every plan of a 50,000-household
database < 10 s; opening a household's plan in the editor < 200 ms.
"""

import statistics
import tempfile
import time

from demo_db import demo_arguments, demo_database  # beside this script
from sqlalchemy import select

from fupin_desktop.db.models import AssistancePlan
from fupin_desktop.db.session import open_database
from fupin_desktop.services import monitoring, plans


def main() -> None:
    args = demo_arguments(50_000).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = demo_database(args.db, tmp, args.households)
        db = open_database(path)
        with db.reading() as s:
            year = s.scalar(select(AssistancePlan.year).limit(1))
            ids = list(s.scalars(select(AssistancePlan.id).where(AssistancePlan.year == year)))
        print(f"plans of {year}: {len(ids)}")
        with db.reading() as s:
            t = time.perf_counter()
            report = plans.compliance_report(s, year)
            elapsed = time.perf_counter() - t
        print(f"compliance_report (validate every plan): {elapsed:.2f} s — {report.plans} plans, "
              f"{report.compliant} compliant, {report.errors} errors, {report.warnings} warnings  (target < 10 s)")
        with db.reading() as s:
            t = time.perf_counter()
            rows = plans.plan_overview(s, year)
            print(f"plan_overview (the page's list): {time.perf_counter() - t:.2f} s for {len(rows)} rows")
        times = []
        for pid in ids[:: max(1, len(ids) // 30)][:30]:
            with db.reading() as s:
                t = time.perf_counter()
                plans.get_plan(s, pid)
                plans.catalogue(s)
                times.append((time.perf_counter() - t) * 1000)
        print(f"open one plan (get_plan + catalogue), 30 plans: median {statistics.median(times):.1f} ms, "
              f"max {max(times):.1f} ms  (target < 200 ms)")
        with db.reading() as s:
            t = time.perf_counter()
            r = monitoring.monitor_report(s)
            print(f"monitor_report (screen every household): {time.perf_counter() - t:.2f} s, "
                  f"{len(r.candidates)} candidates")
        db.close()


if __name__ == "__main__":
    main()
