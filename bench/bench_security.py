"""Encryption at rest: the same work on a plain and on an encrypted (SQLCipher) database, in one run.

    PYTHONPATH=. .venv/bin/python bench/bench_security.py [--households 437] [--rounds 3]

Prints figures; asserts nothing. Targets (issue 19): demo build, search and card printing on the
encrypted database within 15 % of the plain one; unlocking at sign-in under 1 s (argon2id with
the parameters printed). Plain and encrypted runs alternate, and each figure is the median of
`rounds`, so a neighbour's load on the shared machine hits both alike.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fupin_desktop.db import keyslots
from fupin_desktop.db.keyslots import PASSWORD
from fupin_desktop.db.session import create_database, open_database
from fupin_desktop.reports import card, fonts
from fupin_desktop.services import accounts, print_data, security
from fupin_desktop.services.demo import build as demo_build
from fupin_desktop.services.search import HouseholdQuery, search_households

QUERIES = ["张", "王秀", "zsm", "lxw", "0158", "4101821", "001", "兰", "李建", "wf", "88", "新沟", "刘", "chen", "31",
           "赵", "孙", "zh", "1042010", "周"]
USER, SECRET = "bench", "bench-2026-secret"


def encrypted_create(target, *, replica_name):  # type: ignore[no-untyped-def]
    """What the demo builder calls, but the new (empty) database is encrypted before it is filled."""
    db = create_database(target, replica_name=replica_name)
    security._encrypt(db, lambda slots, key: slots.add(PASSWORD, USER, SECRET, key))
    return db


def build(path: Path, households: int, encrypted: bool) -> float:
    demo_build.create_database = encrypted_create if encrypted else create_database  # type: ignore[attr-defined]
    t = time.perf_counter()
    demo_build.build_demo(path, households=households)
    return time.perf_counter() - t


def opened(path: Path, encrypted: bool):  # type: ignore[no-untyped-def]
    db = open_database(path)
    if encrypted:
        accounts.unlock(db, USER, SECRET)
    return db


def search(path: Path, encrypted: bool) -> float:
    db = opened(path, encrypted)
    try:
        with db.reading() as s:
            search_households(s, HouseholdQuery(text="warm-up"))
            t = time.perf_counter()
            for q in QUERIES:
                search_households(s, HouseholdQuery(text=q, limit=100))
            return time.perf_counter() - t
    finally:
        db.close()


def cards(path: Path, encrypted: bool, out: Path) -> float:
    db = opened(path, encrypted)
    try:
        t = time.perf_counter()
        with db.reading() as s:
            rows = print_data.cards_data(s, print_data.Selection(everyone=True))
        card.write_cards(out, rows[:200])
        return time.perf_counter() - t
    finally:
        db.close()


def unlock_time(path: Path) -> float:
    """The key slot's share of a sign-in (argon2id, then the file opens with the raw key)."""
    db = open_database(path)
    try:
        t = time.perf_counter()
        accounts.unlock(db, USER, SECRET)
        return time.perf_counter() - t
    finally:
        db.close()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--households", type=int, default=437)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fupin-bench-security-"))
    fonts.register()
    figures: dict[tuple[str, bool], list[float]] = {}
    for r in range(args.rounds):
        for encrypted in (False, True):
            path = work / f"{'enc' if encrypted else 'plain'}-{r}.db"
            figures.setdefault(("build", encrypted), []).append(build(path, args.households, encrypted))
            figures.setdefault(("search", encrypted), []).append(search(path, encrypted))
            figures.setdefault(("cards", encrypted), []).append(cards(path, encrypted, work / "cards.pdf"))
    print(f"{args.households} 户演示村，每项取 {args.rounds} 轮中位数（明文与加密交替运行）：")
    names = {"build": "生成演示村（含变更日志）", "search": f"{len(QUERIES)} 次搜索",
             "cards": "200 张明白卡（读数据+生成PDF）"}
    for what, label in names.items():
        plain, enc = statistics.median(figures[(what, False)]), statistics.median(figures[(what, True)])
        print(f"  {label}：明文 {plain:.2f} s，加密 {enc:.2f} s，加密/明文 = {enc / plain:.2f}")
    kdf = keyslots.KDF
    times = []
    for _ in range(5):
        times.append(unlock_time(work / f"enc-{args.rounds - 1}.db"))
    print(f"解锁（密钥槽 argon2id：{kdf.memory_kib // 1024} MiB、{kdf.time_cost} 轮、{kdf.parallelism} 线程）："
          f"中位 {statistics.median(times) * 1000:.0f} ms，最慢 {max(times) * 1000:.0f} ms")
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    stored = hasher.hash(SECRET)
    t = time.perf_counter()
    hasher.verify(stored, SECRET)
    check = time.perf_counter() - t
    print(f"登录时另做一次账户密码哈希核对（argon2-cffi 默认 64 MiB、3 轮）：{check * 1000:.0f} ms；"
          f"登录合计约 {(statistics.median(times) + check) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
