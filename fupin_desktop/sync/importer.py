"""Importing bundles: verify everything first, preview, back up, apply in one transaction, ledger.

A county imports village change bundles; a village imports the county's return bundle. Both go
through here and through merge.apply_changes, so the rules are the same on both sides.
"""

import hashlib
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Replica, SyncBundle, SyncConflict, Village
from fupin_desktop.db.session import Database
from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.safe_files import reason
from fupin_desktop.services.backup import backup_before_import
from fupin_desktop.sync import attachments, bundle, notices, trust, wire
from fupin_desktop.sync.errors import ASK_AGAIN, CHECK_STICK, BundleError
from fupin_desktop.sync.keys import KeyPair, ensure_keys, fingerprint, local_replica
from fupin_desktop.sync.merge import OPEN, ApplyStats, Change, apply_changes, stored_changes
from fupin_desktop.sync.report import safe_text
from fupin_desktop.sync.rights import split_by_rights

APPLIED, HELD, DUPLICATE, REFUSED = "已导入", "暂存（缺前序数据包）", "重复（已导入过）", "拒绝"
WOULD_APPLY = "将导入"  # --dry-run: what an import would do
UNCONFIRMED = "待确认指纹（未打开）"
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
    rejected: list[str] = field(default_factory=list)  # changes the sender had no right to make (first 20)
    missing_files: list[str] = field(default_factory=list)  # attachments whose file did not come


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
    report: FileReport
    confirmed: bool = True  # False: sender not confirmed, the bundle is held unopened


def _checked(opened: bundle.Opened, payload: dict[str, Any], *, check: bool = True) -> list[list[Any]]:
    """The payload's changes in wire form, each checked (wire.check_changes; `check` off for the
    bytes verified moments ago in the same import), and checked against the signed header's
    streams: a changes bundle carries exactly its declared ranges, a return only the county's own
    changes. Replica and row ids are lower-case hex once checked."""
    wires = payload.get("changes", [])
    if check:
        wire.check_changes(wires, opened.file, created_ms=wire.iso_ms(opened.header["created_at"]))
    declared = {s["replica"]: s for s in opened.header["streams"]}
    per: dict[str, list[int]] = defaultdict(list)
    for w in wires:
        per[w[0]].append(w[1])
    if opened.kind == bundle.CHANGES:
        for rep, seqs in per.items():
            s = declared.get(rep)
            if s is None or seqs != list(range(s["seq_from"], s["seq_to"] + 1)):
                raise BundleError(opened.file, "数据内容与文件头记录的变更范围不符", ASK_AGAIN)
        if set(declared) != set(per):
            raise BundleError(opened.file, "数据内容与文件头记录的变更范围不符", ASK_AGAIN)
    elif set(per) - {opened.sender["replica"]} or len(wires) != opened.header["streams"][0]["count"]:
        raise BundleError(opened.file, "回执中含有不是县里自己的变更", ASK_AGAIN)
    if check:
        attachments.check_section(opened.file, payload.get("attachments", []))
    return wires


def _decode(opened: bundle.Opened, payload: dict[str, Any], *, check: bool = True) -> list[Change]:
    return [Change.from_wire(w) for w in _checked(opened, payload, check=check)]


Source = Path | tuple[str, bytes]  # a file, or (name, bytes) of a bundle kept in the ledger


def _read(source: Source) -> tuple[str, bytes]:
    if isinstance(source, tuple):
        return source
    name = safe_text(source.name)
    try:
        if source.stat().st_size > wire.MAX_FILE:
            raise BundleError(name, f"文件超过 {wire.MAX_FILE >> 20} MB 的上限，不是正常的数据包", ASK_AGAIN)
        return name, source.read_bytes()
    except OSError as e:
        raise BundleError(name, f"无法读取文件（{reason(e)}）", CHECK_STICK) from e


def verify_files(db: Database, files: Sequence[Source], *, known_only: bool = False, keys: KeyPair | None = None,
                 progress: Progress = QUIET) -> tuple[list[_Verified], list[FileReport]]:
    """Everything that can be checked without writing, in the order of docs/bundle-format.md §6:
    framing and sizes, signature, header schema, the sender (unconfirmed: held unopened), then
    decryption, bounded inflation, every change's shape, clock and declared range, and change ids
    seen before. Each file is judged on its own: one bad file never stops the others."""
    keys = keys or ensure_keys(db)
    good: list[_Verified] = []
    reports: list[FileReport] = []
    seen: dict[tuple[str, int], tuple[str, bytes]] = {}
    shared = _shared_streams(files)
    digests: set[str] = set()
    with db.reading() as s:
        me = local_replica(s)
        for i, source in enumerate(files, 1):
            name = safe_text(source[0] if isinstance(source, tuple) else source.name)
            progress.step(i, len(files), f"正在检查第 {i}/{len(files)} 个数据包：{name}")
            try:
                name, data = _read(source)
                opened = bundle.read_header(data, name)
                h = opened.header
                report = FileReport(name, "", kind=opened.kind, village_code=h["village_code"],
                                    village_name=safe_text(h["village_name"]), sender=safe_text(opened.sender["name"]),
                                    streams=h["streams"])
                if opened.digest in digests:
                    report.status, report.message = DUPLICATE, "与本次另一个文件内容相同，不再重复处理。"
                    reports.append(report)
                    continue
                digests.add(opened.digest)
                ledger = s.get(SyncBundle, opened.digest)
                if ledger is not None and ledger.direction == "in" and ledger.status != trust.UNCONFIRMED:
                    report.status = DUPLICATE if ledger.status == "applied" else HELD
                    report.message = "此数据包已导入过，本次不再处理。" if ledger.status == "applied" \
                        else "此数据包已在暂存中，等待缺少的前序数据包。"
                    reports.append(report)
                    continue
                bundle.recipient_entry(opened, keys)
                confirmed, report.fingerprint = trust.check_sender(s, opened, known_only=known_only)
                reports.append(report)
                if not confirmed:
                    report.first_contact = True
                    good.append(_Verified(opened, report, confirmed=False))
                    continue
                wires = _checked(opened, bundle.open_payload(opened, keys, me.id.hex))
                _check_replays(s, name, wires, seen, shared)
                # the changes are decrypted again when applied: 300 villages' changes held at once
                # would take gigabytes
                good.append(_Verified(opened, report))
                del wires
            except BundleError as e:
                if reports and reports[-1].file == name and not reports[-1].status:
                    reports.pop()
                reports.append(FileReport(name, REFUSED, str(e)))
    return good, reports


def _shared_streams(files: Sequence[Source]) -> set[uuid.UUID]:
    """The replicas whose changes more than one file declares. Only their changes can arrive twice
    in one import (each change lies in its file's declared range), so only theirs are remembered
    across files: 300 villages' 2.4 million fingerprints would take a gigabyte."""
    declared: dict[uuid.UUID, int] = defaultdict(int)
    for source in files:
        try:
            name, data = _read(source)
            for x in bundle.read_header(data, name).header["streams"]:
                declared[uuid.UUID(x["replica"])] += 1
        except BundleError:
            pass  # judged, and reported, when the file's turn comes
    return {r for r, n in declared.items() if n > 1}


def _check_replays(s: Session, file: str, wires: list[list[Any]],
                   seen: dict[tuple[str, int], tuple[str, bytes]], shared: set[uuid.UUID]) -> None:
    """A change id already stored (applied or rejected), or in another file of this import, must
    carry the same content. Works on the checked wire form: decoding every change twice (here and
    when applied) cost a tenth of a county merge."""
    by_replica: dict[str, list[list[Any]]] = defaultdict(list)
    for w in wires:
        by_replica[w[0]].append(w)
    sharing = {r.hex for r in shared}
    for rep, group in by_replica.items():
        if rep in sharing:
            for w in group:
                key = (rep, w[1])
                if key in seen and seen[key][1] != _fingerprint(w):
                    raise BundleError(file, f"变更 {rep[:8]}…#{w[1]} 与数据包 {seen[key][0]} "
                                      "中同一编号的变更内容不同"
                                      "（数据包被改动、伪造或重放）", ASK_AGAIN + "如再次出现，请与发送方核实。")
        stored = stored_changes(s.connection(), uuid.UUID(rep), group[0][1], group[-1][1])
        for w in group:
            old = stored.get(w[1])
            if old is not None and not old.same_as(Change.from_wire(w)):
                raise BundleError(file, f"变更 {rep[:8]}…#{w[1]} 已导入过，但本次内容不同"
                                  "（数据包被改动、伪造或重放）",
                                  ASK_AGAIN + "如再次出现，请与发送方核实。")
    for rep in sharing.intersection(by_replica):
        for w in by_replica[rep]:
            seen.setdefault((rep, w[1]), (file, _fingerprint(w)))


def _fingerprint(w: list[Any]) -> bytes:
    """[hlc, table, row id, op, fields, base] of a checked wire change."""
    return hashlib.blake2b(bundle.canonical(w[2:8]), digest_size=16).digest()


class _DryRun(Exception):
    pass


class _Failed(Exception):
    """A file (or a held bundle) that turned out bad while applying: the batch is redone without it."""

    def __init__(self, key: str, report: FileReport, message: str):
        self.key, self.report, self.message = key, report, message


def import_bundles(db: Database, files: Sequence[Source], *, dry_run: bool = False, known_only: bool = False,
                   backup: bool = True, progress: Progress = QUIET) -> ImportReport:
    """Verify every file, then apply the good ones in one transaction. `progress` hears what is
    being done, with changes per second and the time left (from the counts the headers declare)."""
    keys = ensure_keys(db)
    good, reports = verify_files(db, files, known_only=known_only, keys=keys, progress=progress)
    report = ImportReport(reports, dry_run)
    if not good:
        return report
    if backup and not dry_run and db.file is not None and any(v.confirmed for v in good):
        report.backup = str(backup_before_import(db))  # rotated, and copied to the second folder when set
    # streams in order, so a batch needs no holding when it is complete
    good.sort(key=lambda v: min((x["replica"], x.get("seq_from", 0)) for x in v.opened.header["streams"]))
    skip: set[str] = set()
    while True:  # one transaction for the batch; a file that fails while applying is left out, the rest redone
        total = ApplyStats()
        pace = _Pace(progress, good)
        try:
            with db.transaction(actor="同步导入") as s:
                for v in good:
                    pace.next(v)
                    try:
                        _apply_one(s, v, keys, total, dry_run=dry_run, checked=True)
                    except BundleError as e:
                        raise _Failed(v.opened.digest, v.report, str(e)) from e
                    except (IntegrityError, DataError) as e:  # the batch is redone without this file
                        raise _Failed(v.opened.digest, v.report, str(BundleError(
                            v.report.file, "数据内容与本库的数据规则不符（缺少必填项或引用不存在的记录）",
                            ASK_AGAIN + "如再次出现，请与发送方核实。"))) from e
                report.released = _release_held(s, keys, total, skip, dry_run=dry_run)
                # a state, not a sum: every file re-examines the duplicates it touches
                total.conflicts_open = s.scalar(select(func.count()).select_from(SyncConflict)
                                                .where(SyncConflict.status == OPEN)) or 0
                if pause := os.environ.get(_PAUSE):
                    time.sleep(float(pause))
                report.total = asdict(total)
                if dry_run:
                    raise _DryRun
            return report
        except _DryRun:
            return report
        except _Failed as f:
            skip.add(f.key)
            good = [v for v in good if v.opened.digest != f.key]
            if f.report not in report.files:
                report.files.append(f.report)
            f.report.status, f.report.message, f.report.stats = REFUSED, f.message, {}


class _Pace:
    """Tells `progress` which file is being applied, how fast and how long the rest will take."""

    def __init__(self, progress: Progress, good: list[_Verified]):
        self.progress, self.total = progress, len(good)
        self.left = sum(x["count"] for v in good for x in v.opened.header["streams"])
        self.done, self.i, self.start = 0, 0, time.monotonic()

    def next(self, v: _Verified) -> None:
        self.i += 1
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed > 0 and self.done else 0
        eta = f"，每秒约 {rate:,.0f} 条，预计还需 {_duration(self.left / rate)}" if rate else ""
        self.progress.step(self.i, self.total, f"正在导入第 {self.i}/{self.total} 个数据包"
                           f"（{v.report.village_name or v.report.file}）：已合并 {self.done:,} 条变更{eta}")
        n = sum(x["count"] for x in v.opened.header["streams"])
        self.done, self.left = self.done + n, self.left - n


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} 秒" if seconds < 90 else f"{seconds / 60:.0f} 分钟"


def import_confirmed(db: Database) -> ImportReport | None:
    """Import the bundles that waited for their sender's fingerprint, now that it is confirmed."""
    with db.reading() as s:
        ok = trust.confirmed_fingerprints(s)
        waiting = [(b.file_name, b.data) for b in s.scalars(select(SyncBundle).where(
            SyncBundle.status == trust.UNCONFIRMED).order_by(SyncBundle.at))
            if b.data and fingerprint(b.header["sender"]["sign_key"], b.header["sender"]["box_key"]) in ok]
    return import_bundles(db, list(waiting)) if waiting else None


def _ensure_peer(s: Session, opened: bundle.Opened) -> None:
    sender = opened.sender
    now = datetime.now(UTC)
    ids = {uuid.UUID(x["replica"]) for x in opened.header["streams"]} | {uuid.UUID(sender["replica"])}
    for rid in ids:
        r = s.get(Replica, rid)
        is_sender = rid.hex == sender["replica"]
        if r is None:
            # an earlier incarnation named only in a stream gets its keys when it sends itself, if ever
            s.add(Replica(id=rid, name=sender["name"] or "?", is_local=False, role=sender["role"],
                          village_code=sender["village_code"], sign_key=sender["sign_key"] if is_sender else None,
                          box_key=sender["box_key"] if is_sender else None, trusted_at=now if is_sender else None,
                          successor_of=uuid.UUID(sender["successor_of"]) if is_sender and sender["successor_of"]
                          else None))
        elif r.sign_key is None and is_sender:
            r.sign_key, r.box_key, r.trusted_at = sender["sign_key"], sender["box_key"], now
    s.flush()


def _gaps(s: Session, opened: bundle.Opened) -> list[str]:
    missing = []
    for x in opened.header["streams"]:
        r = s.get(Replica, uuid.UUID(x["replica"]))
        have = r.last_seq if r is not None else 0
        if x["seq_from"] > have + 1:
            missing.append(f"{have + 1}–{x['seq_from'] - 1}")
    return missing


def _apply_one(s: Session, v: _Verified, keys: KeyPair, total: ApplyStats, *, dry_run: bool,
               checked: bool = False) -> None:
    opened, rep = v.opened, v.report
    h = opened.header
    if not v.confirmed:
        rep.status = UNCONFIRMED
        rep.message = (f"首次收到这台电脑（{rep.sender}）的数据包。"
                       f"请与{rep.village_name}电话核对指纹 {rep.fingerprint}，"
                       f"无误后运行 “fupin keys trust {rep.fingerprint}”（或在同步页点“确认指纹”），数据包会自动导入。"
                       "数据包未解密，未写入任何数据。")
        _ledger(s, opened, trust.UNCONFIRMED, {}, keep=True)
        return
    _ensure_peer(s, opened)
    if opened.kind == bundle.CHANGES:
        missing = _gaps(s, opened)
        if missing:
            rep.status, rep.missing = HELD, missing
            rep.message = (f"{rep.village_name}（{h['village_code']}）"
                           f"缺少变更 {'、'.join(missing)}：请让该村导出（或找到）之前的数据包；收到后将自动补上。")
            _ledger(s, opened, "held", {}, keep=True)
            return
    payload = bundle.open_payload(opened, keys, local_replica(s).id.hex)
    changes = _decode(opened, payload, check=not checked)
    rights = None
    if opened.kind == bundle.CHANGES:
        names = {code: name for code, name in s.execute(select(Village.code, Village.name))}
        rights = partial(split_by_rights, village_code=h["village_code"], names=names)
    stats = apply_changes(s, changes, file=opened.file, rights=rights)
    if opened.kind == bundle.CHANGES:
        for x in h["streams"]:
            s.execute(update(Replica).where(Replica.id == uuid.UUID(x["replica"]), Replica.last_seq < x["seq_to"])
                      .values(last_seq=x["seq_to"]))
    else:
        for rid, seq in h["acks"].items():
            s.execute(update(Replica).where(Replica.id == uuid.UUID(rid), Replica.acked_seq < seq)
                      .values(acked_seq=seq))
        notices.store_elsewhere(s, payload.get("notices", []))
    files = attachments.receive(s, payload.get("attachments", []), changes, write=not dry_run)
    total.add(stats)
    rep.status = WOULD_APPLY if dry_run else APPLIED
    rep.stats = asdict(stats)
    rep.missing_files = files.missing
    rep.rejected = stats.rejected_examples
    rep.message = (f"新增{stats.new_rows}条、更新{stats.changed_rows}条记录；新冲突{stats.conflicts_new}个"
                   + (f"；{stats.duplicates}条变更已存在" if stats.duplicates else "")
                   + (f"；收到照片/文件{files.stored}个" if files.stored else "")
                   + (f"；{len(files.missing)}个照片/文件未随数据包送达" if files.missing else ""))
    if stats.rejected:
        rep.message += (f"。警告：{stats.rejected}条变更无权写入（不属于本村的记录），未采用："
                        + "；".join(rep.rejected[:3]) + ("…" if stats.rejected > 3 else ""))
    _ledger(s, opened, "applied", asdict(stats), keep=False)


def _ledger(s: Session, opened: bundle.Opened, status: str, summary: dict[str, Any], *, keep: bool) -> None:
    row = s.get(SyncBundle, opened.digest)
    now = datetime.now(UTC)
    if row is None:
        row = SyncBundle(id=opened.digest, direction="in", kind=opened.kind,
                         sender_id=uuid.UUID(opened.sender["replica"]),
                         village_code=opened.header["village_code"], streams=opened.header["streams"],
                         status=status, file_name=opened.file, header=opened.header, summary=summary)
        s.add(row)
    row.status, row.summary = status, summary
    row.data = opened.raw if keep else None
    row.applied_at = now if status == "applied" else None
    s.flush()


def _release_held(s: Session, keys: KeyPair, total: ApplyStats, skip: set[str], *, dry_run: bool) -> list[str]:
    """Apply held bundles whose predecessors have arrived, until nothing more can be applied."""
    released = []
    while True:
        progress = False
        for row in s.scalars(select(SyncBundle).where(SyncBundle.status == "held", SyncBundle.direction == "in")).all():
            if row.id in skip:
                continue
            try:
                opened = bundle.read_header(row.data or b"", row.file_name)
                if _gaps(s, opened):
                    continue
                _apply_one(s, _Verified(opened, FileReport(row.file_name, "")), keys, total, dry_run=dry_run)
            except BundleError as e:
                raise _Failed(row.id, FileReport(row.file_name, REFUSED), f"（暂存的数据包）{e}") from e
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
