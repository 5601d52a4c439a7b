"""The change log records every write to a synced table, in the same transaction."""

import uuid

import pytest
from sqlalchemy import select

from fupin_desktop.db.base import Base
from fupin_desktop.db.changelog import bulk_insert
from fupin_desktop.db.models import ChangeLog, Replica, VillagerGroup
from fupin_desktop.services.village import current_village


def log(db, table=None):
    with db.reading() as s:
        q = select(ChangeLog).order_by(ChangeLog.seq)
        if table:
            q = q.where(ChangeLog.table_name == table)
        return s.scalars(q).all()


def add_group(db, name="三组", actor="王书记"):
    with db.transaction(actor=actor) as s:
        g = VillagerGroup(village_id=current_village(s).id, name=name, sort_order=3)
        s.add(g)
        s.flush()
        return g.id


def test_insert_update_delete_restore_are_logged_with_base_versions(db):
    gid = add_group(db)
    with db.transaction(actor="李队员") as s:
        s.get(VillagerGroup, gid).name = "三组（东）"
    with db.transaction() as s:
        s.get(VillagerGroup, gid).deleted_at = s.get(VillagerGroup, gid).updated_at
    with db.transaction() as s:
        s.get(VillagerGroup, gid).deleted_at = None
    entries = [e for e in log(db, "villager_group") if e.row_id == gid]
    assert [e.op for e in entries] == ["insert", "update", "delete", "restore"]
    insert, upd = entries[0], entries[1]
    assert insert.fields["name"] == "三组" and insert.actor == "王书记" and insert.base == {}
    assert upd.fields == {"name": "三组（东）"} and upd.actor == "李队员"
    assert upd.base == {"name": insert.hlc}  # based on the version the insert wrote
    assert [e.hlc for e in entries] == sorted(e.hlc for e in entries)


def test_sequence_numbers_are_gapless_per_replica(db):
    for i in range(3):
        add_group(db, f"组{i}")
    entries = log(db)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    with db.reading() as s:
        replica = s.get(Replica, db.local_replica_id())
        assert replica.last_seq == len(entries) and replica.last_hlc == entries[-1].hlc
    assert {e.replica_id for e in entries} == {db.local_replica_id()}


def test_a_rolled_back_transaction_leaves_no_log(db):
    before = len(log(db))
    with pytest.raises(RuntimeError), db.transaction() as s:
        s.add(VillagerGroup(village_id=current_village(s).id, name="临时组"))
        s.flush()
        raise RuntimeError("user cancelled")
    assert len(log(db)) == before
    with db.reading() as s:
        assert s.scalar(select(VillagerGroup).where(VillagerGroup.name == "临时组")) is None


def test_an_unchanged_save_writes_nothing(db):
    gid = add_group(db)
    before = len(log(db))
    with db.transaction() as s:
        s.get(VillagerGroup, gid).name = "三组"  # same value
    assert len(log(db)) == before


def test_bulk_insert_logs_every_row(db):
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    with db.transaction() as s:
        vid = current_village(s).id
        rows = [{"id": uuid.uuid4(), "created_at": now, "updated_at": now, "deleted_at": None,
                 "village_id": vid, "name": f"批量{i}", "sort_order": i} for i in range(50)]
        bulk_insert(s, Base.metadata.tables["villager_group"], rows)
    logged = {e.row_id: e for e in log(db, "villager_group")}
    assert all(r["id"] in logged and logged[r["id"]].fields["name"] == r["name"] for r in rows)
    assert logged[rows[0]["id"]].fields["village_id"] == str(vid)
