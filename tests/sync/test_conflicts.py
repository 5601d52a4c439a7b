"""Concurrent edits: field conflicts keep every value, fields merge, delete vs update, duplicates."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from fupin_desktop.db.models import Household, Member, SyncConflict
from fupin_desktop.domain import idcard
from fupin_desktop.sync.county import export_return, list_conflicts, resolve_conflict
from fupin_desktop.sync.importer import APPLIED, import_bundles
from fupin_desktop.sync.merge import HELD
from tests.sync.conftest import add_household, edit, export


def conflicts(db, **kw):
    with db.reading() as s:
        return list_conflicts(s, **kw)


def two_laptops(world):
    a = world.village()
    h = add_household(a, "001", "张三")
    import_bundles(world.county, [export(a, world.usb)])
    b = world.second_laptop(a, "laptop-b")
    return a, b, h


def test_same_field_edited_on_two_laptops_keeps_both_values_and_a_resolution_travels_back(world):
    a, b, h = two_laptops(world)
    edit(a, Household, h, phone="13800000001", address="一组12号")
    edit(b, Household, h, phone="13900000002", note="低保已办")
    r = import_bundles(world.county, [export(a, world.usb), export(b, world.usb)])
    assert [f.status for f in r.files] == [APPLIED, APPLIED], [f.message for f in r.files]
    [c] = conflicts(world.county)
    assert (c.kind, c.table, c.field, c.status) == ("field", "household", "phone", "open")
    assert sorted(v.value for v in c.values) == ["13800000001", "13900000002"]
    assert c.village_code == "410182104201"
    winner = next(v for v in c.values if v.winner)
    with world.county.reading() as s:
        row = s.get(Household, h)
        assert row.phone == winner.value  # provisional winner: the later clock
        assert (row.address, row.note) == ("一组12号", "低保已办")  # different fields merge
    # the clerk picks the other value; the resolution is a change that goes back to the village
    other = next(i for i, v in enumerate(c.values, 1) if not v.winner)
    resolve_conflict(world.county, c.id, pick=other)
    assert conflicts(world.county) == []
    with world.county.reading() as s:
        assert s.get(Household, h).phone == c.values[other - 1].value
    ret = export_return(world.county, "410182104201", world.usb)
    import_bundles(a, [ret.file])
    with a.reading() as s:
        assert s.get(Household, h).phone == c.values[other - 1].value
    assert conflicts(a) == []
    # the village edits again after the resolution: no new conflict at the county
    edit(a, Household, h, phone="13700000003")
    import_bundles(world.county, [export(a, world.usb)])
    assert conflicts(world.county) == []
    with world.county.reading() as s:
        assert s.get(Household, h).phone == "13700000003"


def test_the_same_value_on_both_sides_is_no_conflict(world):
    a, b, h = two_laptops(world)
    edit(a, Household, h, phone="13800000001")
    edit(b, Household, h, phone="13800000001")
    import_bundles(world.county, [export(a, world.usb), export(b, world.usb)])
    assert conflicts(world.county, include_resolved=True) == []


def test_delete_against_update_keeps_the_record_and_flags_it(world):
    a, b, h = two_laptops(world)
    edit(a, Household, h, deleted_at=datetime.now(UTC))
    edit(b, Household, h, phone="13900000002")
    import_bundles(world.county, [export(b, world.usb), export(a, world.usb)])
    [c] = conflicts(world.county)
    assert c.kind == "delete"
    with world.county.reading() as s:
        row = s.get(Household, h)
        assert row.deleted_at is None and row.phone == "13900000002"
    resolve_conflict(world.county, c.id, keep=False)
    assert conflicts(world.county) == []
    with world.county.reading() as s:
        assert s.get(Household, h).deleted_at is not None


def test_the_same_id_number_in_two_villages_is_flagged_and_held(world):
    same = idcard.make("410182", date(1966, 6, 6), 12, "女")
    v1 = world.village()
    v2 = world.village("410182104202", "石井村")
    add_household(v1, "001", "王秀兰", same)
    add_household(v2, "007", "王秀兰", same)
    b1, b2 = export(v1, world.usb), export(v2, world.usb)
    import_bundles(world.county, [b2])
    import_bundles(world.county, [b1])
    [c] = conflicts(world.county)
    assert c.kind == "duplicate" and c.table == "member"
    with world.county.reading() as s:
        rows = s.scalars(select(Member).where(Member.id_number == same)).all()
        assert len(rows) == 2
        assert sorted(r.deleted_at is None for r in rows) == [False, True]
        held = next(r for r in rows if r.deleted_at is not None)
        assert held.deleted_at == HELD and held.id == c.row_id and held.id == max(r.id for r in rows)
        assert s.scalar(select(SyncConflict.village_code)) in ("410182104201", "410182104202")
    # the village that registered the person twice corrects it: the held row comes back
    with (v1 if c.village_code == "410182104201" else v2).transaction() as s:
        m = s.get(Member, c.row_id) or s.scalars(select(Member).where(Member.id_number == same)).one()
        m.id_number = idcard.make("410182", date(1966, 6, 6), 13, "女")
        fixed = m.id
    loser_village = v1 if c.village_code == "410182104201" else v2
    import_bundles(world.county, [export(loser_village, world.usb)])
    with world.county.reading() as s:
        assert s.get(Member, fixed).deleted_at is None
    assert conflicts(world.county) == []


def test_three_way_check_lists_county_values_the_village_has_not_reported(world):
    from fupin_desktop.sync.check import village_differences

    a, b, h = two_laptops(world)
    edit(a, Household, h, phone="13800000001")
    edit(b, Household, h, phone="13900000002")
    import_bundles(world.county, [export(a, world.usb), export(b, world.usb)])
    with world.county.reading() as s:
        diffs = village_differences(s, "410182104201")
    assert diffs == []  # the county holds the village's latest report
    [c] = conflicts(world.county)
    resolve_conflict(world.county, c.id, value="13700000000")
    with world.county.reading() as s:
        [d] = village_differences(s, "410182104201")
        assert d.county_value == "13700000000" and "县级" in d.changed_by
