"""County mode: the county database, return bundles to villages, the conflict inbox, status."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fupin_desktop.db import changelog, migrate
from fupin_desktop.db.base import Base
from fupin_desktop.db.models import ChangeLog, County, Replica, SyncBundle, SyncConflict, Village
from fupin_desktop.db.models.sync_log import COUNTY, VILLAGE
from fupin_desktop.db.session import Database, create_database
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.errors import FieldError, FupinError, NotFoundError, ValidationError
from fupin_desktop.services.reference import load_reference
from fupin_desktop.sync import bundle, trust
from fupin_desktop.sync.exporter import created_at, sender_info
from fupin_desktop.sync.files import write_verified
from fupin_desktop.sync.keys import ensure_keys, fingerprint, local_replica, write_county_file
from fupin_desktop.sync.merge import DELETE_KIND, DUPLICATE, FIELD, OPEN, change_from_row, refresh_rows
from fupin_desktop.sync.notices import describe, duplicate_notices
from fupin_desktop.sync.rights import county_only


@dataclass(frozen=True)
class CountyCreated:
    db: Database
    setup_file: Path
    fingerprint: str


def init_county(target: str | Path, *, code: str, name: str, city: str | None, setup_dir: Path) -> CountyCreated:
    """A new county database with its keys; writes the public set-up file for villages."""
    code = code.strip()
    if not (code.isdigit() and len(code) == 6):
        raise ValidationError([FieldError("code", "县级区划代码应为6位数字（如410182）")])
    if not name.strip():
        raise ValidationError([FieldError("name", "县（市、区）名称不能为空")])
    db = create_database(target, replica_name=f"{name.strip()}（县级汇总）")
    try:
        with db.transaction(actor="县级初始化") as s:
            s.execute(update(Replica).where(Replica.is_local).values(role=COUNTY, village_code=code))
            s.add(County(id=reference_id("county", code), code=code, name=name.strip(), city=city))
            load_reference(s)
        keys = ensure_keys(db)
        setup_dir.mkdir(parents=True, exist_ok=True)
        setup = write_county_file(db, setup_dir)
    except BaseException:
        db.discard()
        raise
    return CountyCreated(db, setup, keys.fingerprint)


def is_county(db: Database) -> bool:
    with db.reading() as s:
        return local_replica(s).role == COUNTY


# -- return bundles ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReturnResult:
    file: Path
    village_code: str
    acks: dict[str, int]
    changes: int
    size: int
    corrections: int = 0  # the county's corrections and decisions for this village
    reference: int = 0  # reference data (poverty lines, catalogues) sent again to keep the village current
    notices: int = 0  # people found registered in another village too
    recipients: tuple[str, ...] = ()  # fingerprints of the confirmed installations it is encrypted to


def _village_replicas(s: Session, code: str) -> list[Replica]:
    return list(s.scalars(select(Replica).where(Replica.village_code == code, Replica.role == VILLAGE,
                                               ~Replica.is_local)))


def return_changes(s: Session, me: Replica, village_ids: list[uuid.UUID]) -> list[Any]:
    """The county's own changes that concern this village: rows the village has written, and rows
    no village has written (new reference data such as a poverty line). Nothing of other villages."""
    log = ChangeLog.__table__
    rows = s.execute(select(log).where(log.c.replica_id == me.id).order_by(log.c.seq)).all()
    ids = sorted({r.row_id for r in rows})
    ours: set[uuid.UUID] = set()
    others: set[uuid.UUID] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for rid, rep in s.execute(select(log.c.row_id, log.c.replica_id).distinct()
                                  .where(log.c.row_id.in_(chunk), log.c.replica_id != me.id)):
            (ours if rep in village_ids else others).add(rid)
    return [change_from_row(r).wire() for r in rows if r.row_id in ours or r.row_id not in others]


def export_return(db: Database, village_code: str, out_dir: Path) -> ReturnResult:
    keys = ensure_keys(db)
    if not out_dir.is_dir():
        raise FupinError(f"文件夹 {out_dir} 不存在（U盘未插好？）。请选择已存在的文件夹。")
    with db.reading() as s:
        me = local_replica(s)
        if me.role != COUNTY:
            raise FupinError("只有县级汇总库才能导出回执数据包。")
        replicas = _village_replicas(s, village_code)
        if not replicas:
            raise NotFoundError(f"县里还没有收到过村代码 {village_code} 的数据包，无法给该村导出回执。")
        confirmed = trust.confirmed_fingerprints(s)
        keyed = {r.box_key: r for r in replicas
                 if r.box_key and r.sign_key and fingerprint(r.sign_key, r.box_key) in confirmed}
        if not keyed:
            raise FupinError(f"村代码 {village_code} 还没有经县里确认（或已全部停用）的电脑，回执不能加密发出。"
                             "请先与该村电话核对指纹，用 “fupin keys trust 指纹” 确认。")
        acks = {r.id.hex: r.last_seq for r in replicas}
        wire = return_changes(s, me, [r.id for r in replicas])
        notices = duplicate_notices(s, village_code)
        village = s.scalars(select(Village).where(Village.code == village_code)).first()
        header = {"kind": bundle.RETURN, "schema": migrate.head_revision(), "created_at": created_at(me.last_hlc),
                  "county_code": me.village_code, "village_code": village_code,
                  "village_name": village.name if village else replicas[0].name,
                  "sender": sender_info(me, keys, me.village_code),
                  "streams": [{"replica": me.id.hex, "count": len(wire)}], "acks": acks}
    data = bundle.seal(header, {"changes": wire, "acks": acks, "attachments": [], "notices": notices}, keys,
                       [(r.id.hex, box) for box, r in sorted(keyed.items())])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out_dir / f"return-{village_code}-{stamp}{bundle.SUFFIX}"
    write_verified(target, data, lambda back: bundle.read_header(back, target.name))
    opened = bundle.read_header(data, target.name)
    reference = sum(county_only(w[3]) for w in wire)
    with db.transaction() as s:
        s.add(SyncBundle(id=opened.digest, direction="out", kind=bundle.RETURN, sender_id=me.id,
                         village_code=village_code, streams=header["streams"], status="written",
                         file_name=target.name, header=opened.header,
                         summary={"changes": len(wire), "acks": acks, "reference": reference}))
    return ReturnResult(target, village_code, acks, len(wire), len(data), len(wire) - reference, reference,
                        len(notices), tuple(sorted(fingerprint(r.sign_key or "", box) for box, r in keyed.items())))


# -- conflicts ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConflictValue:
    replica: str
    seq: int
    hlc: str
    who: str  # replica name
    actor: str
    at: datetime
    value: Any
    winner: bool


@dataclass(frozen=True)
class ConflictRow:
    id: uuid.UUID
    kind: str
    table: str
    row_id: uuid.UUID
    field: str
    village_code: str | None
    status: str
    values: tuple[ConflictValue, ...]
    current: Any
    label: str = ""  # the record in people's words: name, household number, village
    detail: str = ""  # for a duplicate: every place the person is registered


def list_conflicts(s: Session, *, village_code: str | None = None, include_resolved: bool = False) -> list[ConflictRow]:
    q = select(SyncConflict).order_by(SyncConflict.village_code, SyncConflict.table_name, SyncConflict.row_id)
    if not include_resolved:
        q = q.where(SyncConflict.status == OPEN)
    if village_code:
        q = q.where(SyncConflict.village_code == village_code)
    names = {r.id.hex: r.name for r in s.scalars(select(Replica))}
    out = []
    for c in s.scalars(q):
        values = []
        for rep, seq, hlc in c.members:
            entry = s.get(ChangeLog, (uuid.UUID(rep), seq)) if seq else None
            value = entry.fields.get(c.field) if entry is not None and c.kind == FIELD else (
                "删除" if entry is not None and entry.op == "delete" else "修改" if entry is not None else rep)
            values.append(ConflictValue(rep, seq, hlc, names.get(rep, rep[:8]), entry.actor if entry else "",
                                        entry.at if entry else datetime.min.replace(tzinfo=UTC), value,
                                        [rep, seq, hlc] == c.winner))
        table = Base.metadata.tables.get(c.table_name)
        current = None
        if table is not None and c.field in table.c:
            current = s.execute(select(table.c[c.field]).where(table.c.id == c.row_id)).scalar()
        detail = c.detail or ""
        if c.kind == DUPLICATE:
            detail = "同一人（同一身份证号）登记在多处：" + "；".join(
                describe(s, c.table_name, uuid.UUID(m[0])) for m in c.members)
        out.append(ConflictRow(c.id, c.kind, c.table_name, c.row_id, c.field, c.village_code, c.status,
                               tuple(values), current, describe(s, c.table_name, c.row_id), detail))
    return out


def resolve_conflict(db: Database, conflict_id: uuid.UUID, *, pick: int | None = None, value: Any = None,
                     keep: bool | None = None) -> None:
    """Resolve: a new change based on every competing value, so it travels back and closes the
    conflict everywhere. `pick` chooses one of the listed values (1-based); `keep` answers a
    delete conflict (True: keep the record, False: delete it)."""
    with db.transaction(actor="县级冲突处理") as s:
        c = s.get(SyncConflict, conflict_id)
        if c is None:
            raise NotFoundError(f"找不到冲突 {conflict_id}。")
        top = max(m[2] for m in c.members)
        if c.kind == FIELD:
            if pick is not None:
                if not 1 <= pick <= len(c.members):
                    raise ValidationError([FieldError("pick", f"请选择 1 到 {len(c.members)} 之间的序号")])
                rep, seq, _ = c.members[pick - 1]
                value = s.get(ChangeLog, (uuid.UUID(rep), seq)).fields.get(c.field)  # type: ignore[union-attr]
            fields = {c.field: value}
        elif c.kind == DELETE_KIND:
            if keep is None:
                raise ValidationError([FieldError("keep", "删除冲突请选择“保留”或“删除”")])
            fields = {"deleted_at": None if keep else datetime.now(UTC)}
        else:
            raise FupinError("重复登记的冲突需要在对应村的数据中修改或删除其中一条记录后才会解除。")
        op = changelog.UPDATE if c.kind == FIELD else (changelog.RESTORE if keep else changelog.DELETE)
        changelog.record(s, [changelog.Entry(c.table_name, c.row_id, op, fields, {k: top for k in fields})])
        refresh_rows(s.connection(), {c.table_name: {c.row_id}})
        s.expire(c)
        if c.status == OPEN:  # never say it worked when it did not (a clock that cannot pass the others)
            raise FupinError("处理结果未能生效：冲突仍然存在，本次未做任何改动。请检查本机日期时间后重试。")


# -- status ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VillageStatus:
    village_code: str | None
    name: str
    replicas: int
    applied_through: int
    last_bundle_at: datetime | None
    held: int
    open_conflicts: int


def village_status(s: Session) -> list[VillageStatus]:
    out = []
    groups: dict[str | None, list[Replica]] = {}
    for r in s.scalars(select(Replica).where(~Replica.is_local, Replica.role == VILLAGE)):
        groups.setdefault(r.village_code, []).append(r)
    for code, reps in sorted(groups.items(), key=lambda g: g[0] or ""):
        last = s.scalar(select(func.max(SyncBundle.applied_at)).where(SyncBundle.village_code == code,
                                                                      SyncBundle.direction == "in"))
        held = s.scalar(select(func.count()).select_from(SyncBundle).where(
            SyncBundle.village_code == code, SyncBundle.status == "held")) or 0
        conflicts = s.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.village_code == code, SyncConflict.status == OPEN)) or 0
        out.append(VillageStatus(code, reps[-1].name, len(reps), max(r.last_seq for r in reps), last, held, conflicts))
    return out


def local_status(s: Session) -> dict[str, Any]:
    """The village side: what was sent and what the county acknowledged."""
    me = local_replica(s)
    county = s.scalars(select(Replica).where(Replica.role == COUNTY, ~Replica.is_local)).first()
    sent = s.scalars(select(SyncBundle).where(SyncBundle.direction == "out").order_by(SyncBundle.at.desc()).limit(10))
    return {"replica": me.id.hex, "role": me.role, "last_seq": me.last_seq, "acked_seq": me.acked_seq,
            "county": county.name if county else None,
            "sent": [{"file": b.file_name, "streams": b.streams, "at": b.at.isoformat()} for b in sent],
            "open_conflicts": s.scalar(select(func.count()).select_from(SyncConflict).where(
                SyncConflict.status == OPEN)) or 0}

