"""A village's export: its changes since the county last acknowledged, as one bundle file."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db import migrate
from fupin_desktop.db.models import ChangeLog, Replica, SyncBundle
from fupin_desktop.db.models.sync_log import COUNTY
from fupin_desktop.db.session import Database
from fupin_desktop.errors import FupinError
from fupin_desktop.services.village import current_village
from fupin_desktop.sync import attachments, bundle
from fupin_desktop.sync.files import write_verified
from fupin_desktop.sync.keys import KeyPair, ensure_keys, local_replica
from fupin_desktop.sync.merge import change_from_row


@dataclass(frozen=True)
class Stream:
    replica: uuid.UUID
    seq_from: int
    seq_to: int
    count: int
    prev: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"replica": self.replica.hex, "seq_from": self.seq_from, "seq_to": self.seq_to, "count": self.count,
                "prev": self.prev}


@dataclass(frozen=True)
class ExportResult:
    file: Path | None  # None: nothing new to send
    streams: tuple[Stream, ...]
    changes: int
    size: int
    village_code: str
    fingerprint: str
    files: int = 0  # photos and evidence files carried
    missing_files: tuple[str, ...] = ()  # attachment rows whose stored file is gone from this computer


def own_streams(session: Session) -> list[Replica]:
    """The local replica and the incarnations it continues (after a restore, or new keys after a
    lost key or on a replaced laptop), oldest first: their changes the county has not acknowledged
    travel with ours, so nothing made before the switch is lost. (Sent twice by a copy that goes on
    beside its original, they are the same changes; the county takes them once.)"""
    me = local_replica(session)
    chain = [me]
    while chain[-1].successor_of is not None:
        prev = session.get(Replica, chain[-1].successor_of)
        if prev is None or prev in chain or prev.role != me.role:
            break
        chain.append(prev)
    return chain[::-1]


def unsent_of_predecessors(session: Session) -> int:
    """Changes of earlier incarnations the county has not acknowledged yet (they go with the next bundle)."""
    chain = own_streams(session)[:-1]
    return sum(max(0, r.last_seq - r.acked_seq) for r in chain)


def county_peer(session: Session) -> Replica:
    county = session.scalars(select(Replica).where(Replica.role == COUNTY, ~Replica.is_local)).first()
    if county is None or not county.box_key:
        raise FupinError("本村尚未安装县级密钥，无法导出。请先向县里索取县级设置文件，"
                         "并运行 “fupin keys import-county 文件” 安装。")
    return county


def _prev_hash(session: Session, replica: uuid.UUID, seq_from: int) -> str | None:
    for b in session.scalars(select(SyncBundle).where(SyncBundle.direction == "out", SyncBundle.kind == bundle.CHANGES)
                             .order_by(SyncBundle.at.desc())):
        for s in b.streams:
            if s["replica"] == replica.hex and s["seq_to"] == seq_from - 1:
                return b.id
    return None


def sender_info(me: Replica, keys: KeyPair, village_code: str | None) -> dict[str, Any]:
    return {"replica": me.id.hex, "name": me.name, "role": me.role, "village_code": village_code,
            "sign_key": keys.sign_public, "box_key": keys.box_public,
            "successor_of": me.successor_of.hex if me.successor_of else None}


def export_bundle(db: Database, out_dir: Path, *, full: bool = False) -> ExportResult:
    keys = ensure_keys(db)
    if not out_dir.is_dir():
        raise FupinError(f"文件夹 {out_dir} 不存在（U盘未插好？）。请选择已存在的文件夹。")
    with db.reading() as s:
        me = local_replica(s)
        if me.role == COUNTY:
            raise FupinError("县级汇总库不导出村级数据包；给村里的回执请用 “fupin export-return --village 村代码”。")
        county = county_peer(s)
        village = current_village(s)
        streams, wire, changes = [], [], []
        for r in own_streams(s):
            start = 1 if full else r.acked_seq + 1
            rows = s.execute(select(ChangeLog.__table__).where(ChangeLog.replica_id == r.id, ChangeLog.seq >= start)
                             .order_by(ChangeLog.seq)).all()
            if not rows:
                continue
            streams.append(Stream(r.id, rows[0].seq, rows[-1].seq, len(rows), _prev_hash(s, r.id, rows[0].seq)))
            changes += [change_from_row(x) for x in rows]
        if not changes:
            return ExportResult(None, (), 0, 0, village.code, keys.fingerprint)
        wire = [c.wire() for c in changes]
        files = attachments.outgoing(s, changes)
        header = {"kind": bundle.CHANGES, "schema": migrate.head_revision(),
                  "created_at": created_at(max(c.hlc for c in changes)),
                  "county_code": county.village_code, "village_code": village.code, "village_name": village.name,
                  "sender": sender_info(me, keys, village.code), "streams": [x.as_dict() for x in streams]}
        me_id = me.id
    data = bundle.seal(header, {"changes": wire, "attachments": files.section}, keys,
                       [(county.id.hex, county.box_key or "")])
    main = streams[-1]
    name = f"{village.code}-{me_id.hex[:8]}-{main.seq_from:07d}-{main.seq_to:07d}{bundle.SUFFIX}"
    target = out_dir / name

    def verify(back: bytes) -> None:
        bundle.read_header(back, name)

    write_verified(target, data, verify)
    opened = bundle.read_header(data, name)
    with db.transaction() as s:
        if s.get(SyncBundle, opened.digest) is None:
            s.add(SyncBundle(id=opened.digest, direction="out", kind=bundle.CHANGES, sender_id=me_id,
                             village_code=village.code, streams=header["streams"], status="written", file_name=name,
                             header=opened.header, summary={"changes": len(wire)}))
    return ExportResult(target, tuple(streams), len(wire), len(data), village.code, keys.fingerprint,
                        len(files.section), tuple(files.missing))


def created_at(last_hlc: str | None) -> str:
    """The bundle's creation time: now, or the clock of its last change if that runs ahead (a clock
    pushed forward by a faster county clock), so that no change is later than its bundle."""
    now = datetime.now(UTC)
    if last_hlc:
        now = max(now, datetime.fromtimestamp(int(last_hlc[:13]) / 1000, UTC))
    return now.isoformat()
