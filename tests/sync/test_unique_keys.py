"""Unique keys at the county: whatever order rows reach their final keys in, no statement of an
import may see two live rows with one key (a unique index is checked at each statement), and the
result is the same in any order. Generic over every live unique index; member.id_number and
assistance_plan (household, year) are two of them."""

import shutil
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import Index, select

from fupin_desktop.db.base import Base, synced_tables
from fupin_desktop.db.models import AssistancePlan, ChangeLog, Member, Replica, SyncConflict
from fupin_desktop.db.session import Database, open_database
from fupin_desktop.domain import idcard
from fupin_desktop.sync.importer import REFUSED, import_bundles
from fupin_desktop.sync.merge import HELD, _unique_keys, apply_changes, change_from_row
from tests.sync.conftest import World, add_household, edit, export, snapshot

X, Y, T = (idcard.make("410182", date(1960, 3, 3), n, "女") for n in (21, 22, 23))
TABLES = ("household", "member", "assistance_plan")


def member_id(db: Database, id_number: str) -> uuid.UUID:
    with db.reading() as s:
        return s.scalars(select(Member.id).where(Member.id_number == id_number, Member.deleted_at.is_(None))).one()


def add_plan(db: Database, household: uuid.UUID, year: int) -> uuid.UUID:
    with db.transaction(actor="测试") as s:
        p = AssistancePlan(household_id=household, year=year, status="草稿")
        s.add(p)
        s.flush()
        return p.id


def counties(world: World, n: int) -> list[Database]:
    """n copies of the county as it is now (each imports the same bundles in another order)."""
    template = world.county.file
    assert template is not None
    world.county.close()
    world.dbs.remove(world.county)
    out = []
    for i in range(n):
        target = Path(template).with_name(f"county-{i}.db")
        shutil.copy(template, target)
        out.append(open_database(target))
    world.dbs += out
    return out


def imported(county: Database, *batches: list[Path]) -> dict:
    for files in batches:
        r = import_bundles(county, files, backup=False)
        assert not [f.message for f in r.files if f.status == REFUSED]
    return snapshot(county, TABLES)


def test_a_new_row_takes_the_id_number_an_existing_row_gives_up_in_the_same_bundle(world):
    """The failing seed of the property test: at the county member M holds X; one bundle moves M to
    Y and registers a new member with X. The insert must not run while M still holds X."""
    a = world.village()
    add_household(a, "001", "张三", X)
    first = export(a, world.usb)
    m = member_id(a, X)
    edit(a, Member, m, id_number=Y)
    add_household(a, "002", "李四", X)
    second = export(a, world.usb)
    one, two, three = counties(world, 3)
    s1 = imported(one, [first], [second])
    assert imported(two, [first, second]) == s1
    assert imported(three, [second], [first], [second, first]) == s1  # held gap, then repeats
    with one.reading() as s:
        rows = s.execute(select(Member.id_number, Member.id).where(Member.deleted_at.is_(None)))
        live = {r.id_number: r.id for r in rows}
        assert live[Y] == m and live[X] != m
    assert s1["conflicts"] == []


def test_two_existing_rows_swap_their_keys_in_one_bundle(world):
    a = world.village()
    add_household(a, "001", "张三", X)
    add_household(a, "002", "李四", Y)
    first = export(a, world.usb)
    mx, my = member_id(a, X), member_id(a, Y)
    edit(a, Member, mx, id_number=T)  # the village goes through a spare number; the county sees a swap
    edit(a, Member, my, id_number=X)
    edit(a, Member, mx, id_number=Y)
    second = export(a, world.usb)
    one, two = counties(world, 2)
    s1 = imported(one, [first], [second])
    assert imported(two, [first, second]) == s1
    with one.reading() as s:
        assert (s.get(Member, mx).id_number, s.get(Member, my).id_number) == (Y, X)
    assert s1["conflicts"] == []


def _log(db: Database, after: int = 0) -> list:
    log = ChangeLog.__table__
    with db.reading() as s:
        me = s.scalars(select(Replica.id).where(Replica.is_local)).one()
        return [change_from_row(r) for r in s.execute(
            select(log).where(log.c.replica_id == me, log.c.seq > after).order_by(log.c.seq))]


def test_a_row_already_here_is_held_in_the_same_batch_that_brings_its_older_rival(world):
    """One batch touches member B (live at the county) and brings member A, registered earlier in
    another village with the same ID number: B must be held before A is inserted."""
    v2 = world.village("410182104202", "石井村")
    add_household(v2, "007", "王秀兰", X)  # A: the smaller (earlier) id
    v1 = world.village()
    add_household(v1, "001", "王秀兰", X)  # B
    import_bundles(world.county, [export(v1, world.usb)], backup=False)
    a, b = member_id(v2, X), member_id(v1, X)
    assert a < b
    with world.county.transaction() as s:  # v2's computer is known, as after its first bundle
        s.add(Replica(id=v2.local_replica_id(), name="石井村", is_local=False, role="village",
                      village_code="410182104202"))
    seen = max(c.seq for c in _log(v1))
    edit(v1, Member, b, name="王秀兰（娘家）")
    with world.county.transaction() as s:
        apply_changes(s, _log(v2) + _log(v1, after=seen), file="test")
    with world.county.reading() as s:
        assert s.get(Member, a).deleted_at is None
        assert s.get(Member, b).deleted_at == HELD and s.get(Member, b).name == "王秀兰（娘家）"
        [c] = s.scalars(select(SyncConflict)).all()
        assert (c.kind, c.table_name, c.row_id, c.field) == ("duplicate", "member", b, "uq_member_live_id_number")


def test_assistance_plan_one_per_household_and_year_is_held_like_an_id_number(world):
    """A second unique key from a later feature goes through the same generic path: two laptops make
    a plan for the same household and year; and an existing plan moves to another year while a new
    plan takes its year in the same bundle."""
    a = world.village()
    h = add_household(a, "001", "张三", X)
    import_bundles(world.county, [export(a, world.usb)], backup=False)
    b = world.second_laptop(a, "laptop-b")
    p_a = add_plan(a, h, 2026)
    p_b = add_plan(b, h, 2026)
    ba, bb = export(a, world.usb), export(b, world.usb)
    edit(a, AssistancePlan, p_a, year=2027)
    p_a2 = add_plan(a, h, 2026)
    ba2 = export(a, world.usb)
    one, two, three = counties(world, 3)
    s1 = imported(one, [ba], [bb], [ba2])
    assert imported(two, [bb, ba, ba2]) == s1
    assert imported(three, [ba2, bb], [ba]) == s1
    with one.reading() as s:
        live = {(p.year, p.id) for p in s.scalars(select(AssistancePlan).where(AssistancePlan.deleted_at.is_(None)))}
        assert live == {(2027, p_a), (2026, min(p_b, p_a2))}
        held = s.scalars(select(SyncConflict).where(SyncConflict.kind == "duplicate")).all()
        assert [(c.table_name, c.field, c.row_id) for c in held] == [
            ("assistance_plan", "uq_assistance_plan_live_year", max(p_b, p_a2))]


def test_every_unique_key_of_a_synced_table_is_a_live_partial_index_the_merge_sees():
    """The merge holds duplicates by tombstoning, which only frees a key in an index over live rows
    (deleted_at IS NULL). A unique key of another kind would break imports: use live_unique."""
    found = 0
    for name in synced_tables():
        table = Base.metadata.tables[name]
        unique = [ix for ix in table.indexes if ix.unique]
        assert not [c for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"], name
        for ix in unique:
            assert isinstance(ix, Index)
            for dialect in ("sqlite", "postgresql"):
                where = ix.dialect_options[dialect]["where"]
                assert where is not None and str(where) == "deleted_at IS NULL", (name, ix.name, dialect)
        assert {k for k, _ in _unique_keys(table)} == {ix.name for ix in unique}, name
        found += len(unique)
    assert found >= 20


def test_every_column_type_reaches_the_county(world):
    """A visit has a time-of-day column (the only Time column): it must arrive as a time."""
    from datetime import time

    from fupin_desktop.db.models import Household, Visit

    a = world.village()
    h = add_household(a, "001", "张三", X)
    with a.transaction(actor="测试") as s:
        v = Visit(village_id=s.get(Household, h).village_id, household_id=h, visited_on=date(2026, 3, 5),
                  visited_at=time(9, 30), visit_type="工作队走访", checklist={"收入": "已核"}, policies=["低保"])
        s.add(v)
        s.flush()
        vid = v.id
    r = import_bundles(world.county, [export(a, world.usb)], backup=False)
    assert not [f.message for f in r.files if f.status == REFUSED]
    with world.county.reading() as s:
        got = s.get(Visit, vid)
        assert (got.visited_at, got.checklist, got.policies) == (time(9, 30), {"收入": "已核"}, ["低保"])
