"""Village → county → village: keys, export, import, idempotence, gaps, return bundles."""

import json
import os
import stat

import pytest
from sqlalchemy import func, select

from fupin_desktop.db.models import ChangeLog, Household, Member, Replica, SyncBundle
from fupin_desktop.domain.progress import Progress
from fupin_desktop.sync.county import export_return
from fupin_desktop.sync.errors import KeyFileError
from fupin_desktop.sync.exporter import export_bundle
from fupin_desktop.sync.importer import (
    APPLIED,
    DUPLICATE,
    HELD,
    UNCONFIRMED,
    WOULD_APPLY,
    import_bundles,
    import_confirmed,
)
from fupin_desktop.sync.keys import ensure_keys, import_county_file, key_file
from tests.sync.conftest import add_household, edit, export, snapshot


def count(db, model):
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_keys_are_made_at_init_private_file_is_0600_and_county_key_is_pinned(world, tmp_path):
    v = world.village()
    keys = ensure_keys(v)
    path = key_file(v, keys.sign_public)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert ensure_keys(v).fingerprint == keys.fingerprint  # loaded, not made again
    # importing the same county file again is fine; a different county key is refused (TOFU)
    import_county_file(v, world.setup)
    other = json.loads(world.setup.read_text("utf-8"))
    from tests.sync.conftest import World
    w2 = World(tmp_path / "other") if (tmp_path / "other").mkdir() is None else None
    try:
        with pytest.raises(KeyFileError, match="指纹"):
            import_county_file(v, w2.setup)
        import_county_file(v, w2.setup, replace=True)
    finally:
        w2.close()
    assert other["county_code"] == "410182"


def test_a_tampered_county_file_is_refused(world):
    v = world.village()
    body = json.loads(world.setup.read_text("utf-8"))
    body["county_name"] = "别的县"
    bad = world.root / "bad.fupin-county"
    bad.write_text(json.dumps(body, ensure_ascii=False), "utf-8")
    with pytest.raises(KeyFileError, match="签名不符"):
        import_county_file(v, bad)


def test_export_import_is_idempotent_and_the_return_bundle_moves_the_cursor(world):
    v = world.village()
    h = add_household(v, "001", "张三")
    first = export(v, world.usb)
    report = import_bundles(world.county, [first])
    assert [f.status for f in report.files] == [APPLIED]
    assert not report.files[0].first_contact  # the clerk confirmed its fingerprint (World.village)
    assert report.backup and os.path.exists(report.backup)
    with world.county.reading() as s:
        assert s.get(Household, h).number == "001"
        assert s.scalar(select(func.count()).select_from(Member)) == 1
    before = snapshot(world.county)
    again = import_bundles(world.county, [first])
    assert [f.status for f in again.files] == [DUPLICATE]
    assert snapshot(world.county) == before
    # the county answers; the village's next export starts after what the county acknowledged
    ret = export_return(world.county, "410182104201", world.usb)
    assert list(ret.acks.values()) == [count(v, ChangeLog)]
    r = import_bundles(v, [ret.file])
    assert [f.status for f in r.files] == [APPLIED]
    assert export_bundle(v, world.usb).file is None  # nothing new
    edit(v, Household, h, phone="13800000000")
    nxt = export_bundle(v, world.usb)
    assert nxt.changes == 1 and nxt.streams[0].seq_from == ret.acks[nxt.streams[0].replica.hex] + 1
    import_bundles(world.county, [nxt.file])
    with world.county.reading() as s:
        assert s.get(Household, h).phone == "13800000000"


def test_a_bundle_whose_predecessor_is_missing_is_held_then_applied(world):
    v = world.village()
    add_household(v, "001", "张三")
    b1 = export(v, world.usb)
    with v.transaction() as s:  # pretend the county acknowledged b1 (it has not received it)
        s.execute(Replica.__table__.update().where(Replica.is_local).values(acked_seq=Replica.last_seq))
    h2 = add_household(v, "002", "李四")
    b2 = export(v, world.usb)
    r = import_bundles(world.county, [b2])
    assert r.files[0].status == HELD and r.files[0].missing
    assert "新沟村" in r.files[0].message and "缺少变更" in r.files[0].message
    with world.county.reading() as s:
        assert s.get(Household, h2) is None
        assert s.scalar(select(func.count()).select_from(SyncBundle).where(SyncBundle.status == "held")) == 1
    r = import_bundles(world.county, [b1])
    assert r.released == [b2.name]
    with world.county.reading() as s:
        assert s.get(Household, h2).number == "002"
        assert s.scalar(select(func.count()).select_from(SyncBundle).where(SyncBundle.status == "held")) == 0


def test_dry_run_previews_and_writes_nothing(world):
    v = world.village()
    add_household(v, "001", "张三")
    b = export(v, world.usb)
    before = snapshot(world.county)
    r = import_bundles(world.county, [b], dry_run=True)
    assert r.total["new_rows"] >= 2 and r.files[0].status == WOULD_APPLY
    assert snapshot(world.county) == before
    assert count(world.county, SyncBundle) == 0


def test_a_restored_village_continues_under_a_new_replica_and_reuses_no_sequence_number(world):
    from fupin_desktop.db.session import open_database
    from fupin_desktop.services.backup import backup_now, restore_backup

    v = world.village()
    add_household(v, "001", "张三")
    backup = backup_now(v)
    add_household(v, "002", "李四")
    import_bundles(world.county, [export(v, world.usb)])
    path = v.file
    v.close()
    world.dbs.remove(v)
    restore_backup(path, backup)
    v = open_database(path)
    world.dbs.append(v)
    h3 = add_household(v, "003", "王五")  # would have reused the numbers of 李四's changes
    r = import_bundles(world.county, [export(v, world.usb)])
    assert r.files[0].status == APPLIED, r.files[0].message
    with world.county.reading() as s:
        assert s.get(Household, h3).number == "003"
        assert s.scalar(select(func.count()).select_from(Household)) == 3


def test_keys_new_makes_a_new_installation_the_county_confirms_and_loses_nothing(world):
    from fupin_desktop.cli import main
    from fupin_desktop.sync.trust import trust_key

    v = world.village()
    old_fp = ensure_keys(v).fingerprint
    add_household(v, "001", "张三")
    import_bundles(world.county, [export(v, world.usb)])
    h1b = add_household(v, "009", "赵六")  # made before the key was lost, never sent
    path = v.file
    lost = key_file(v, ensure_keys(v).sign_public)
    v.close()
    world.dbs.remove(v)
    lost.unlink()  # the village's private keys are lost
    assert main(["--db", str(path), "keys", "new"]) == 0
    from fupin_desktop.db.session import open_database
    v = open_database(path)
    world.dbs.append(v)
    h2 = add_household(v, "002", "李四")
    b = export(v, world.usb)
    r = import_bundles(world.county, [b])  # new keys: held unopened until the clerk confirms them
    assert r.files[0].status == UNCONFIRMED and r.files[0].first_contact
    with world.county.reading() as s:
        assert s.get(Household, h2) is None
    done = trust_key(world.county, ensure_keys(v).fingerprint, replace=True)
    assert done.revoked == (old_fp,)
    r = import_confirmed(world.county)
    assert r is not None and r.files[0].status == APPLIED, r.files[0].message
    with world.county.reading() as s:
        assert s.get(Household, h2).number == "002"
        assert s.get(Household, h1b).number == "009"  # the predecessor's unsent change came along


def test_import_tells_its_progress_with_pace_and_time_left(world):
    a = world.village()
    b = world.village("410182104202", "河西村")
    add_household(a, "001", "张三")
    add_household(b, "001", "李四")
    heard: list[str] = []
    r = import_bundles(world.county, [export(a, world.usb), export(b, world.usb)],
                       progress=Progress(report=lambda _d, _t, text: heard.append(text)))
    assert [f.status for f in r.files] == [APPLIED, APPLIED]
    assert heard[0].startswith("正在检查第 1/2 个数据包")
    applying = [h for h in heard if h.startswith("正在导入")]
    assert applying[0].startswith("正在导入第 1/2 个数据包") and applying[1].startswith("正在导入第 2/2 个数据包")
    assert "每秒约" in applying[1] and "预计还需" in applying[1]
