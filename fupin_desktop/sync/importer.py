"""Importing bundles: verify everything first, preview, back up, apply in one transaction, ledger.

A county imports village change bundles; a village imports the county's return bundle. Both go
through here and through merge.apply_changes, so the rules are the same on both sides.
"""

import hashlib
import os
import time
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fupin_desktop.db.models import ChangeLog, Replica, SyncBundle
from fupin_desktop.db.models.sync_log import COUNTY, VILLAGE
from fupin_desktop.db.session import Database
from fupin_desktop.errors import FupinError
from fupin_desktop.services.backup import backup_before_import
from fupin_desktop.sync import bundle
from fupin_desktop.sync.errors import ASK_AGAIN, CHECK_STICK, BundleError
from fupin_desktop.sync.keys import KeyPair, ensure_keys, fingerprint, local_replica
from fupin_desktop.sync.merge import ApplyStats, Change, apply_changes, change_from_row

APPLIED, HELD, DUPLICATE, REFUSED = "已导入", "暂存（缺前序数据包）", "重复（已导入过）", "拒绝"
# Test hook: seconds to wait inside the import transaction (to kill the process there).
_PAUSE = "FUPIN_TEST_PAUSE_IN_IMPORT"


@dataclass
class FileReport:
    file: str
    status: str
    message: str = ""
    kind: str = ""
    village_code: str | None = None
    village_name: str | None = None
    sender: str | None = None
    fingerprint: str | None = None
    first_contact: bool = False
    streams: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # held: which ranges are missing
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    files: list[FileReport]
    dry_run: bool
    backup: str | None = None
    released: list[str] = field(default_factory=list)  # held bundles applied now that their gap closed
    total: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Verified:
    opened: bundle.Opened
    changes: list[Change]
    acks: dict[str, int]
    report: FileReport


def _decode(opened: bundle.Opened, payload: dict[str, Any]) -> tuple[list[Change], dict[str, int]]:
    """The payload's changes, checked against the signed header's streams."""
    try:
        changes = [Change.from_wire(w) for w in payload.get("changes", [])]
        acks = {str(k): int(v) for k, v in payload.get("acks", {}).items()}
    except (ValueError, TypeError, IndexError, KeyError) as e:
        raise BundleError(opened.file, "数据内容格式错误", ASK_AGAIN) from e
    if opened.kind == bundle.CHANGES:
        declared = {s["replica"]: s for s in opened.header.get("streams", [])}
        per: dict[str, list[int]] = defaultdict(list)
        for c in changes:
            per[c.replica.hex].append(c.seq)
        for rep, seqs in per.items():
            s = declared.get(rep)
            if s is None or seqs != list(range(s["seq_from"], s["seq_to"] + 1)) or len(seqs) != s["count"]:
                raise BundleError(opened.file, "数据内容与文件头记录的变更范围不符", ASK_AGAIN)
        if set(declared) != set(per):
            raise BundleError(opened.file, "数据内容与文件头记录的变更范围不符", ASK_AGAIN)
    return changes, acks


def _check_sender(s: Session, opened: bundle.Opened, me: Replica, *, known_only: bool) -> tuple[bool, str]:
    """TOFU: a replica's first bundle pins its keys; a different key later is refused."""
    sender = opened.sender
    sid = uuid.UUID(sender["replica"])
    fp = fingerprint(sender["sign_key"], sender["box_key"])
    if sid == me.id:
        raise BundleError(opened.file, "这是本机自己导出的数据包", "请在县里（或另一台电脑）导入。")
    known = s.get(Replica, sid)
    if opened.kind == bundle.RETURN:
        if me.role == COUNTY:
            raise BundleError(opened.file, "这是县里发给村里的回执数据包", "请在村里的电脑上导入。")
        if known is None or known.role != COUNTY or known.sign_key != sender["sign_key"]:
            raise BundleError(opened.file, f"发送方（指纹 {fp}）不是本村已安装的县级密钥",
                              "请确认数据包来自本县；如县里更换了密钥，请先导入新的县级设置文件。")
        return False, fp
    if me.role != COUNTY:
        raise BundleError(opened.file, "这是村里导出的数据包，只能在县级汇总库中导入", "请在县里的电脑上导入。")
    for x in opened.header.get("streams", []):  # earlier incarnations must be signed with their own key
        other = s.get(Replica, uuid.UUID(x["replica"]))
        if x["replica"] != sender["replica"] and other is not None and other.sign_key \
                and other.sign_key != sender["sign_key"]:
            raise BundleError(opened.file, f"数据包中含有另一台电脑（{other.name}）的变更，但签名密钥不同",
                              ASK_AGAIN)
    if known is not None and known.sign_key:
        if known.sign_key != sender["sign_key"] or known.box_key != sender["box_key"]:
            raise BundleError(opened.file, f"发送方 {known.name} 的密钥与之前登记的不同（新指纹 {fp}，原指纹 "
                              f"{fingerprint(known.sign_key, known.box_key or '')}），可能是冒充",
                              "请与该村电话核对指纹；确属更换电脑或重装，请在县里为该村重新登记后再导入。")
        return False, fp
    same_key = s.scalars(select(Replica).where(Replica.sign_key == sender["sign_key"])).first()
    if same_key is not None:
        return False, fp  # a restored or re-incarnated installation with the keys we know
    if known_only:
        raise BundleError(opened.file, f"发送方（{opened.header.get('village_name')}，指纹 {fp}）尚未登记",
                          "请与该村电话核对指纹后，不加 --known-only 再导入（首次信任）。")
    return True, fp


def verify_files(db: Database, files: list[Path], *, known_only: bool = False,
                 keys: KeyPair | None = None) -> tuple[list[_Verified], list[FileReport]]:
    """Everything that can be checked without writing: framing, signature, hashes, schema,
    recipient, sender keys, decryption, declared ranges, and change ids seen before."""
    keys = keys or ensure_keys(db)
    good: list[_Verified] = []
    reports: list[FileReport] = []
    seen: dict[tuple[str, int], tuple[str, bytes]] = {}
    digests: set[str] = set()
    with db.reading() as s:
        me = local_replica(s)
        for path in files:
            name = path.name
            try:
                try:
                    data = path.read_bytes()
                except OSError as e:
                    raise BundleError(name, f"无法读取文件（{e.strerror}）", CHECK_STICK) from e
                opened = bundle.read_header(data, name)
                report = FileReport(name, "", kind=opened.kind, village_code=opened.header.get("village_code"),
                                    village_name=opened.header.get("village_name"), sender=opened.sender.get("name"),
                                    streams=opened.header.get("streams", []))
                if opened.digest in digests:
                    report.status, report.message = DUPLICATE, "与本次另一个文件内容相同，不再重复处理。"
                    reports.append(report)
                    continue
                digests.add(opened.digest)
                ledger = s.get(SyncBundle, opened.digest)
                if ledger is not None and ledger.direction == "in":
                    report.status = DUPLICATE if ledger.status == "applied" else HELD
                    report.message = "此数据包已导入过，本次不再处理。" if ledger.status == "applied" \
                        else "此数据包已在暂存中，等待缺少的前序数据包。"
                    reports.append(report)
                    continue
                report.first_contact, report.fingerprint = _check_sender(s, opened, me, known_only=known_only)
                changes, acks = _decode(opened, bundle.open_payload(opened, keys, me.id.hex))
                _check_replays(s, name, changes, seen)
                reports.append(report)
                # the changes are decrypted again when applied: 300 villages' changes held at once
                # would take gigabytes
                good.append(_Verified(opened, [], acks, report))
                del changes
            except BundleError as e:
                reports.append(FileReport(name, REFUSED, str(e)))
    return good, reports


def _check_replays(s: Session, file: str, changes: list[Change],
                   seen: dict[tuple[str, int], tuple[str, bytes]]) -> None:
    """A change id already stored (or in another file of this import) must carry the same content."""
    by_replica: dict[uuid.UUID, list[Change]] = defaultdict(list)
    for c in changes:
        by_replica[c.replica].append(c)
        key = (c.replica.hex, c.seq)
        if key in seen and seen[key][1] != _fingerprint(c):
            raise BundleError(file, f"变更 {c.replica.hex[:8]}…#{c.seq} 与数据包 {seen[key][0]} "
                              "中同一编号的变更内容不同"
                              "（数据包被改动、伪造或重放）", ASK_AGAIN + "如再次出现，请与发送方核实。")
    log = ChangeLog.__table__
    for rep, group in by_replica.items():
        lo, hi = group[0].seq, group[-1].seq
        stored = {r.seq: change_from_row(r) for r in s.execute(
            select(log).where(log.c.replica_id == rep, log.c.seq.between(min(lo, hi), max(lo, hi))))}
        for c in group:
            old = stored.get(c.seq)
            if old is not None and not old.same_as(c):
                raise BundleError(file, f"变更 {rep.hex[:8]}…#{c.seq} 已导入过，但本次内容不同"
                                  "（数据包被改动、伪造或重放）",
                                  ASK_AGAIN + "如再次出现，请与发送方核实。")
    for c in changes:
        seen.setdefault((c.replica.hex, c.seq), (file, _fingerprint(c)))


def _fingerprint(c: Change) -> bytes:
    return hashlib.blake2b(bundle.canonical([c.hlc, c.table, c.row_id.hex, c.op, c.fields, c.base]),
                           digest_size=16).digest()


class _DryRun(Exception):
    pass


def import_bundles(db: Database, files: list[Path], *, dry_run: bool = False, known_only: bool = False,
                   backup: bool = True) -> ImportReport:
    keys = ensure_keys(db)
    good, reports = verify_files(db, files, known_only=known_only, keys=keys)
    report = ImportReport(reports, dry_run)
    if not good:
        return report
    if backup and not dry_run and db.file is not None:
        report.backup = str(backup_before_import(db))  # rotated, and copied to the second folder when set
    total = ApplyStats()
    try:
        with db.transaction(actor="同步导入") as s:
            # streams in order, so a batch needs no holding when it is complete
            good.sort(key=lambda v: min(((x["replica"], x.get("seq_from", 0))
                                         for x in v.opened.header.get("streams", [])), default=("", 0)))
            for v in good:
                _apply_one(s, v, keys, total)
            report.released = _release_held(s, keys, total)
            if pause := os.environ.get(_PAUSE):
                time.sleep(float(pause))
            report.total = {k: v for k, v in asdict(total).items()}
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _ensure_peer(s: Session, opened: bundle.Opened) -> None:
    sender = opened.sender
    now = datetime.now(UTC)
    ids = {uuid.UUID(x["replica"]) for x in opened.header.get("streams", [])} | {uuid.UUID(sender["replica"])}
    for rid in ids:
        r = s.get(Replica, rid)
        is_sender = rid.hex == sender["replica"]
        if r is None:
            s.add(Replica(id=rid, name=sender.get("name") or "?", is_local=False,
                          role=sender.get("role") or VILLAGE, village_code=sender.get("village_code"),
                          sign_key=sender["sign_key"], box_key=sender["box_key"], trusted_at=now,
                          successor_of=uuid.UUID(sender["successor_of"]) if is_sender and sender.get("successor_of")
                          else None))
        elif r.sign_key is None:
            r.sign_key, r.box_key, r.trusted_at = sender["sign_key"], sender["box_key"], now
    s.flush()


def _gaps(s: Session, opened: bundle.Opened) -> list[str]:
    missing = []
    for x in opened.header.get("streams", []):
        r = s.get(Replica, uuid.UUID(x["replica"]))
        have = r.last_seq if r is not None else 0
        if x["seq_from"] > have + 1:
            missing.append(f"{have + 1}–{x['seq_from'] - 1}")
    return missing


def _apply_one(s: Session, v: _Verified, keys: KeyPair, total: ApplyStats) -> None:
    opened, rep = v.opened, v.report
    _ensure_peer(s, opened)
    if opened.kind == bundle.CHANGES:
        missing = _gaps(s, opened)
        if missing:
            rep.status, rep.missing = HELD, missing
            rep.message = (f"{opened.header.get('village_name') or ''}（{opened.header.get('village_code')}）"
                           f"缺少变更 {'、'.join(missing)}：请让该村导出（或找到）之前的数据包；收到后将自动补上。")
            _ledger(s, opened, "held", {}, keep=True)
            return
    changes = v.changes or _decode(opened, bundle.open_payload(opened, keys, local_replica(s).id.hex))[0]
    stats = apply_changes(s, changes, file=opened.file)
    if opened.kind == bundle.CHANGES:
        for x in opened.header["streams"]:
            s.execute(update(Replica).where(Replica.id == uuid.UUID(x["replica"]), Replica.last_seq < x["seq_to"])
                      .values(last_seq=x["seq_to"]))
    else:
        for rid, seq in v.acks.items():
            s.execute(update(Replica).where(Replica.id == uuid.UUID(rid), Replica.acked_seq < seq)
                      .values(acked_seq=seq))
    total.add(stats)
    rep.status = APPLIED
    rep.stats = asdict(stats)
    rep.message = (f"新增{stats.new_rows}条、更新{stats.changed_rows}条记录；新冲突{stats.conflicts_new}个"
                   + (f"；{stats.duplicates}条变更已存在" if stats.duplicates else ""))
    _ledger(s, opened, "applied", asdict(stats), keep=False)


def _ledger(s: Session, opened: bundle.Opened, status: str, summary: dict[str, Any], *, keep: bool) -> None:
    row = s.get(SyncBundle, opened.digest)
    now = datetime.now(UTC)
    if row is None:
        row = SyncBundle(id=opened.digest, direction="in", kind=opened.kind,
                         sender_id=uuid.UUID(opened.sender["replica"]),
                         village_code=opened.header.get("village_code"), streams=opened.header.get("streams", []),
                         status=status, file_name=opened.file, header=opened.header, summary=summary)
        s.add(row)
    row.status, row.summary = status, summary
    row.data = opened.raw if keep else None
    row.applied_at = now if status == "applied" else None
    s.flush()


def _release_held(s: Session, keys: KeyPair, total: ApplyStats) -> list[str]:
    """Apply held bundles whose predecessors have arrived, until nothing more can be applied."""
    released = []
    me = local_replica(s)
    while True:
        progress = False
        for row in s.scalars(select(SyncBundle).where(SyncBundle.status == "held", SyncBundle.direction == "in")).all():
            opened = bundle.read_header(row.data or b"", row.file_name)
            if _gaps(s, opened):
                continue
            changes, acks = _decode(opened, bundle.open_payload(opened, keys, me.id.hex))
            v = _Verified(opened, changes, acks, FileReport(row.file_name, ""))
            _apply_one(s, v, keys, total)
            released.append(row.file_name)
            progress = True
        if not progress:
            return released


def held_bundles(db: Database) -> list[dict[str, Any]]:
    with db.reading() as s:
        out = []
        for row in s.scalars(select(SyncBundle).where(SyncBundle.status == "held")):
            out.append({"file": row.file_name, "village_code": row.village_code, "streams": row.streams,
                        "missing": _gaps(s, bundle.read_header(row.data or b"", row.file_name))})
        return out


def refuse_if_any(report: ImportReport) -> None:
    bad = [f for f in report.files if f.status == REFUSED]
    if bad and len(bad) == len(report.files):
        raise FupinError("\n".join(f.message for f in bad))
