"""The county hub on a real PostgreSQL server: same migrations, same import, same conflicts."""

from datetime import date

import pytest
from sqlalchemy import func, select, update

from fupin_desktop.db.models import Household, Member, Replica
from fupin_desktop.domain import idcard
from fupin_desktop.sync.county import export_return, list_conflicts
from fupin_desktop.sync.importer import APPLIED, DUPLICATE, import_bundles
from tests.sync.conftest import World, add_household, edit, export, snapshot


@pytest.fixture
def pg_world(tmp_path, postgres_url, monkeypatch):
    monkeypatch.setenv("FUPIN_KEY_DIR", str(tmp_path / "county-keys"))
    w = World(tmp_path, county_url=postgres_url)
    yield w
    w.close()


def test_county_on_postgresql_imports_merges_and_answers(pg_world):
    w = pg_world
    assert w.county.engine.dialect.name == "postgresql"
    same = idcard.make("410182", date(1966, 6, 6), 12, "女")
    a = w.village()
    c = w.village("410182104202", "石井村")
    h = add_household(a, "001", "张三", same)
    add_household(c, "007", "王秀兰", same)
    ba, bc = export(a, w.usb), export(c, w.usb)
    r = import_bundles(w.county, [bc, ba])
    assert [f.status for f in r.files] == [APPLIED, APPLIED], [f.message for f in r.files]
    assert import_bundles(w.county, [ba]).files[0].status == DUPLICATE
    b = w.second_laptop(a, "laptop-b")
    edit(a, Household, h, phone="13800000001")
    edit(b, Household, h, phone="13900000002")
    import_bundles(w.county, [export(b, w.usb), export(a, w.usb)])
    with w.county.reading() as s:
        kinds = sorted(x.kind for x in list_conflicts(s))
        assert kinds == ["duplicate", "field"]
        assert s.scalar(select(func.count()).select_from(Member)) == 2
        assert s.get(Household, h).phone in ("13800000001", "13900000002")
    ret = export_return(w.county, "410182104201", w.usb)
    assert import_bundles(a, [ret.file]).files[0].status == APPLIED


def test_sqlite_and_postgresql_counties_end_in_the_same_state(pg_world, tmp_path):
    from fupin_desktop.sync.county import init_county
    from fupin_desktop.sync.keys import ensure_keys
    from fupin_desktop.sync.trust import trust_key

    w = pg_world
    a = w.village()
    for i in range(1, 6):
        add_household(a, f"{i:03d}", f"户主{i}")
    b = export(a, w.usb)
    sqlite_root = tmp_path / "sqlite-county"
    sqlite_root.mkdir()
    created = init_county(sqlite_root / "county.db", code="410182", name="荥阳市", city="郑州市", setup_dir=sqlite_root)
    try:
        # the village encrypted to the PostgreSQL county's key; the SQLite county borrows it (all keys
        # are in $FUPIN_KEY_DIR here) so both can read the same bundle
        with w.county.reading() as s:
            me = s.scalars(select(Replica).where(Replica.is_local)).one()
            sign, box = me.sign_key, me.box_key
        with created.db.transaction() as s:
            s.execute(update(Replica).where(Replica.is_local).values(sign_key=sign, box_key=box))
        trust_key(created.db, ensure_keys(a).fingerprint, village_code="410182104201")
        import_bundles(w.county, [b])
        import_bundles(created.db, [b])
        tables = ("household", "member", "village")
        assert snapshot(w.county, tables) == snapshot(created.db, tables)
    finally:
        created.db.close()
