"""Property: random edits on several replicas, bundles imported in any order (and repeated), give
the same county data and the same conflicts."""

import atexit
import random
import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fupin_desktop.db.models import Household, Member, Replica
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import idcard
from fupin_desktop.sync.importer import REFUSED, import_bundles
from tests.sync.conftest import World, add_household, export, snapshot

IDS = [idcard.make("410182", date(1950 + i, 1, 1), i + 1, "男") for i in range(6)]
PHONES = ["13800000001", "13800000002", "13900000003", None]


def _step(db, rng: random.Random, n: int) -> None:
    with db.reading() as s:
        hh = list(s.scalars(select(Household.id)))
        members = list(s.scalars(select(Member.id)))
    op = rng.choice(["phone", "note", "delete", "restore", "add", "idnum"])
    try:
        with db.transaction(actor="随机") as s:
            if op == "add" or not hh:
                raise _Add
            if op in ("phone", "note"):
                h = s.get(Household, rng.choice(hh))
                setattr(h, op, rng.choice(PHONES) if op == "phone" else rng.choice(["甲", "乙", None]))
            elif op == "delete":
                s.get(Household, rng.choice(hh)).deleted_at = datetime.now(UTC)
            elif op == "restore":
                s.get(Household, rng.choice(hh)).deleted_at = None
            elif members:
                s.get(Member, rng.choice(members)).id_number = rng.choice(IDS)
    except _Add:
        try:
            add_household(db, f"{n:03d}", "某某", rng.choice(IDS))
        except IntegrityError:
            pass
    except IntegrityError:
        pass


class _Add(Exception):
    pass


def _ack_all(db) -> None:
    """Make the next export start after this one (as a return bundle would), so bundles are disjoint."""
    with db.transaction() as s:
        s.execute(Replica.__table__.update().where(Replica.is_local).values(acked_seq=Replica.last_seq))


_TEMPLATES: dict[Path, World] = {}


def _fresh_world(root: Path) -> World:
    """A county and two villages, migrated once per process and copied for each example."""
    if not _TEMPLATES:
        base = Path(tempfile.mkdtemp(prefix="fupin-sync-template-"))
        atexit.register(shutil.rmtree, base, True)
        t = World(base)
        t.village()
        t.village("410182104202", "石井村")
        for db in t.dbs:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        t.close()
        _TEMPLATES[base] = t
    [t] = _TEMPLATES.values()
    return World.copy_of(t, root)


def build_bundles(root: Path, seed: int) -> tuple[World, list[Path]]:
    rng = random.Random(seed)
    world = _fresh_world(root)
    a, c = world.dbs[1], world.dbs[2]
    add_household(a, "900", "张三", IDS[0])
    bundles = [export(a, world.usb)]
    _ack_all(a)
    b = world.second_laptop(a, "laptop-b")
    n = 0
    for _round in range(3):
        for db in (a, b, c):
            for _ in range(rng.randint(1, 4)):
                n += 1
                _step(db, rng, n)
            with db.reading() as s:
                me = s.scalars(select(Replica).where(Replica.is_local)).one()
                dirty = me.last_seq > me.acked_seq
            if dirty:
                bundles.append(export(db, world.usb))
                _ack_all(db)
    return world, bundles


@pytest.mark.slow
@settings(max_examples=10, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), data=st.data())
def test_any_order_and_repeats_give_the_same_county(tmp_path_factory, seed, data):
    root = tmp_path_factory.mktemp("order")
    world, bundles = build_bundles(root, seed)
    try:
        template = world.county.file
        world.county.close()
        world.dbs.remove(world.county)
        results = []
        for attempt in range(3):
            target = root / f"county-{attempt}.db"
            shutil.copy(template, target)
            county = open_database(target)
            try:
                order = list(bundles) if attempt == 0 else data.draw(st.permutations(bundles))
                extra = [] if attempt == 0 else data.draw(st.lists(st.sampled_from(bundles), max_size=3))
                batch = data.draw(st.integers(1, 4)) if attempt else len(order)
                seq = order + extra
                for i in range(0, len(seq), batch):
                    r = import_bundles(county, seq[i:i + batch], backup=False)
                    assert not [f.message for f in r.files if f.status == REFUSED]
                results.append(snapshot(county))
            finally:
                county.close()
        for other in results[1:]:
            for key in results[0]:
                a, b = set(map(repr, results[0][key])), set(map(repr, other[key]))
                if a != b:
                    pytest.fail(f"{key}: only first {sorted(a - b)}\nonly other {sorted(b - a)}")
    finally:
        world.close()
