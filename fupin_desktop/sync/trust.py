"""Which senders the county believes: keys confirmed by a clerk, per village.

A bundle from keys the county has not confirmed is held unopened (not decrypted, not applied)
until the clerk has read its fingerprint over the phone with the village and confirmed it
(`fupin keys trust`, or the button on 同步). A clerk may also confirm a fingerprint before the
first bundle comes. A lost or replaced laptop's keys are revoked (`fupin keys revoke`): its
bundles are refused from then on and returns are no longer encrypted to it.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Replica, SyncBundle, TrustedKey
from fupin_desktop.db.models.sync_log import COUNTY, VILLAGE
from fupin_desktop.db.session import Database
from fupin_desktop.errors import FieldError, FupinError, NotFoundError, ValidationError
from fupin_desktop.sync import bundle
from fupin_desktop.sync.errors import ASK_AGAIN, BundleError
from fupin_desktop.sync.keys import fingerprint, local_replica

UNCONFIRMED = "unconfirmed"  # ledger status of a bundle held until its sender is confirmed
_FP = re.compile(r"[0-9A-F]{4}(-[0-9A-F]{4}){7}\Z")
REREGISTER = ("如确属该村更换或重装了电脑：请在该村电脑上运行 “fupin keys new”（或在同步页生成新密钥）后重新导出，"
              "县里电话核对新指纹后用 “fupin keys trust 新指纹 --replace” 确认。")


def normalize_fingerprint(text: str) -> str:
    compact = re.sub(r"[\s\-–—]", "", text or "").upper()
    fp = "-".join(compact[i:i + 4] for i in range(0, len(compact), 4))
    if not _FP.match(fp):
        raise ValidationError([FieldError("fingerprint", "指纹应为32位十六进制（8组，每组4位），如 86C6-E1A7-…")])
    return fp


def confirmed_key(s: Session, fp: str) -> TrustedKey | None:
    key = s.get(TrustedKey, fp)
    return key if key is not None and key.revoked_at is None else None


def check_sender(s: Session, opened: bundle.Opened, *, known_only: bool = False) -> tuple[bool, str]:
    """May this bundle be opened here? Returns (confirmed, fingerprint); unconfirmed means: hold it
    unopened. Raises BundleError for a bundle that must be refused."""
    me = local_replica(s)
    sender, h = opened.sender, opened.header
    fp = fingerprint(sender["sign_key"], sender["box_key"])
    if sender["replica"] == me.id.hex:
        raise BundleError(opened.file, "这是本机自己导出的数据包", "请在县里（或另一台电脑）导入。")
    known = s.get(Replica, uuid.UUID(sender["replica"]))
    if opened.kind == bundle.RETURN:
        if me.role == COUNTY:
            raise BundleError(opened.file, "这是县里发给村里的回执数据包", "请在村里的电脑上导入。")
        if known is None or known.role != COUNTY or known.sign_key != sender["sign_key"]:
            raise BundleError(opened.file, f"发送方（指纹 {fp}）不是本村已安装的县级密钥",
                              "请确认数据包来自本县；如县里更换了密钥，请先导入新的县级设置文件。")
        if me.village_code and h["village_code"] != me.village_code:
            raise BundleError(opened.file, f"这是发给 {h['village_name']}（{h['village_code']}）的回执，不是本村的",
                              "请在该村的电脑上导入。")
        return True, fp
    if me.role != COUNTY:
        raise BundleError(opened.file, "这是村里导出的数据包，只能在县级汇总库中导入", "请在县里的电脑上导入。")
    if h["county_code"] != me.village_code:
        raise BundleError(opened.file, f"这是发给县代码 {h['county_code']} 的数据包，不是本县（{me.village_code}）的",
                          "请确认该村安装的是本县的县级设置文件。")
    if known is not None and known.sign_key and (known.sign_key != sender["sign_key"]
                                                 or known.box_key != sender["box_key"]):
        raise BundleError(opened.file, f"发送方 {known.name} 的密钥与之前登记的不同（新指纹 {fp}，原指纹 "
                          f"{fingerprint(known.sign_key, known.box_key or '')}），可能是冒充", REREGISTER)
    key = s.get(TrustedKey, fp)
    if key is not None and key.revoked_at is not None:
        raise BundleError(opened.file,
                          f"发送方密钥（指纹 {fp}）已于 {key.revoked_at:%Y-%m-%d} 停用（丢失或更换的电脑）",
                          REREGISTER)
    if key is not None and key.village_code != h["village_code"]:
        raise BundleError(opened.file, f"该密钥（指纹 {fp}）登记的是村代码 {key.village_code}，数据包却写的是 "
                          f"{h['village_code']}（伪造或配置错误）", ASK_AGAIN + "如再次出现，请与发送方核实。")
    for x in h["streams"]:  # another incarnation's stream: only of the same village, never the county's
        if x["replica"] == sender["replica"]:
            continue
        other = s.get(Replica, uuid.UUID(x["replica"]))
        if other is not None and (other.is_local or other.role != VILLAGE or other.village_code != h["village_code"]):
            raise BundleError(opened.file, f"数据包中含有不属于本村的变更序列（{other.name}）",
                              ASK_AGAIN + "如再次出现，请与发送方核实。")
    if key is None:
        if known_only:
            raise BundleError(opened.file, f"发送方（{h['village_name']}，指纹 {fp}）尚未确认",
                              "请与该村电话核对指纹，用 “fupin keys trust 指纹” 确认后再导入。")
        return False, fp
    return True, fp


@dataclass(frozen=True)
class PendingSender:
    fingerprint: str
    village_code: str
    village_name: str
    sender_name: str
    bundles: int
    first_seen: datetime
    confirmed_for_village: tuple[str, ...]  # fingerprints already confirmed for that village


def pending_senders(s: Session) -> list[PendingSender]:
    """Senders whose bundles wait, unopened, for a clerk to confirm their fingerprint."""
    groups: dict[str, list[SyncBundle]] = {}
    for b in s.scalars(select(SyncBundle).where(SyncBundle.status == UNCONFIRMED).order_by(SyncBundle.at)):
        sender = b.header["sender"]
        groups.setdefault(fingerprint(sender["sign_key"], sender["box_key"]), []).append(b)
    out = []
    for fp, rows in groups.items():
        h = rows[0].header
        others = tuple(k.fingerprint for k in s.scalars(select(TrustedKey).where(
            TrustedKey.village_code == h["village_code"], TrustedKey.revoked_at.is_(None))))
        out.append(PendingSender(fp, h["village_code"], h["village_name"], h["sender"]["name"], len(rows),
                                 rows[0].at, others))
    return out


@dataclass(frozen=True)
class Confirmed:
    fingerprint: str
    village_code: str
    revoked: tuple[str, ...]  # fingerprints of the same village revoked with --replace


def trust_key(db: Database, fp_text: str, *, village_code: str | None = None, replace: bool = False,
              by: str = "县级管理员") -> Confirmed:
    """Confirm a fingerprint for a village (from its waiting bundles, or given for one not seen yet).
    `replace`: the village's other confirmed keys are revoked (a lost or replaced laptop)."""
    fp = normalize_fingerprint(fp_text)
    now = datetime.now(UTC)
    with db.transaction(actor=by) as s:
        if local_replica(s).role != COUNTY:
            raise FupinError("只有县级汇总库才需要确认村里的密钥指纹。")
        county_code = local_replica(s).village_code or ""
        waiting = [p for p in pending_senders(s) if p.fingerprint == fp]
        code = waiting[0].village_code if waiting else village_code
        if code is None:
            raise NotFoundError(f"没有等待确认的数据包来自指纹 {fp}。如要预先登记，请加 --village 村代码。")
        if village_code and village_code != code:
            raise ValidationError([FieldError("village",
                                              f"指纹 {fp} 的数据包来自村代码 {code}，与所填 {village_code} 不符")])
        if not (len(code) == 12 and code.isdigit() and code.startswith(county_code)):
            raise ValidationError([FieldError("village", f"村代码 {code} 不是本县（{county_code}）的12位村代码")])
        key = s.get(TrustedKey, fp)
        if key is not None and key.revoked_at is not None:
            raise FupinError(f"指纹 {fp} 已于 {key.revoked_at:%Y-%m-%d} 停用，不能再次确认。"
                             "请让该村运行 “fupin keys new” 生成新密钥。")
        if key is not None and key.village_code != code:
            raise FupinError(f"指纹 {fp} 已确认为村代码 {key.village_code}，不能再确认为 {code}。")
        if key is None:
            s.add(TrustedKey(fingerprint=fp, village_code=code, confirmed_at=now, confirmed_by=by))
        revoked = []
        if replace:
            for other in s.scalars(select(TrustedKey).where(TrustedKey.village_code == code,
                                                            TrustedKey.revoked_at.is_(None),
                                                            TrustedKey.fingerprint != fp)):
                other.revoked_at, other.note = now, f"由 {fp} 取代"
                revoked.append(other.fingerprint)
    return Confirmed(fp, code, tuple(revoked))


def revoke_key(db: Database, fp_text: str, *, by: str = "县级管理员") -> str:
    """Stop trusting a key (a lost laptop): returns its village code."""
    fp = normalize_fingerprint(fp_text)
    with db.transaction(actor=by) as s:
        key = s.get(TrustedKey, fp)
        if key is None:
            raise NotFoundError(f"指纹 {fp} 没有确认过。")
        if key.revoked_at is None:
            key.revoked_at, key.note = datetime.now(UTC), "手动停用"
        return key.village_code


def confirmed_fingerprints(s: Session) -> set[str]:
    return {k.fingerprint for k in s.scalars(select(TrustedKey).where(TrustedKey.revoked_at.is_(None)))}
