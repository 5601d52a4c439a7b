"""What a bundle may contain, checked before it is trusted, decrypted or applied.

Every value in a header and in every change is checked for shape, type and size here, against the
limits stated in docs/bundle-format.md. A failed check is a BundleError naming the file and the
place; nothing downstream sees an unchecked value, so no bad value ends in a traceback.
"""

import math
import re
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String, Table, Time, Uuid

from fupin_desktop.db.base import UNLOGGED_COLUMNS, Base, synced_tables
from fupin_desktop.db.changelog import DELETE, INSERT, RESTORE, UPDATE
from fupin_desktop.sync.errors import ASK_AGAIN, BundleError

# -- limits (docs/bundle-format.md §2, §5) -------------------------------------------------------
MAX_FILE = 512 << 20  # a whole bundle file
MAX_HEADER = 1 << 20
MAX_INFLATED = 1 << 30  # the payload JSON after inflation …
MAX_RATIO = 50  # … and at most this many times its compressed size, or INFLATE_FLOOR, if larger
INFLATE_FLOOR = 16 << 20
MAX_STREAMS = 64
MAX_RECIPIENTS = 16
MAX_TEXT = 20_000  # characters of one text field
MAX_JSON_FIELD = 256 << 10  # bytes of one JSON-typed field, encoded
CLOCK_TOLERANCE_MS = 10 * 60 * 1000  # a change's clock may run ahead of the bundle's created_at by this
FUTURE_TOLERANCE_MS = 24 * 3600 * 1000  # a bundle may be created this far ahead of the receiver's clock
MAX_SEQ = 1 << 53
KINDS = ("changes", "return")
OPS = (INSERT, UPDATE, DELETE, RESTORE)

HEX32 = re.compile(r"[0-9a-f]{32}\Z")
UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
HEX64 = re.compile(r"[0-9a-f]{64}\Z")
HLC = re.compile(r"(\d{13})-(\d{5})-([0-9a-f]{32})\Z")
COUNTY_CODE = re.compile(r"\d{6}\Z")
VILLAGE_CODE = re.compile(r"\d{12}\Z")


class Invalid(ValueError):
    """One value that does not fit; the message says which and why (Chinese, for the report)."""


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _hex(v: Any, n: int) -> bool:
    return isinstance(v, str) and (HEX32 if n == 32 else HEX64).match(v) is not None


def _text(v: Any, limit: int = 200) -> bool:
    return isinstance(v, str) and len(v) <= limit


def iso_ms(text: Any) -> int:
    """Milliseconds since the epoch of an ISO 8601 time with offset (naive = UTC)."""
    if not isinstance(text, str) or len(text) > 40:
        raise Invalid("时间格式不对")
    try:
        d = datetime.fromisoformat(text)
    except ValueError as e:
        raise Invalid("时间格式不对") from e
    return int((d if d.tzinfo else d.replace(tzinfo=UTC)).timestamp() * 1000)


# -- header ---------------------------------------------------------------------------------------

def _require(ok: bool, what: str) -> None:
    if not ok:
        raise Invalid(what)


def _a_dict(v: Any, what: str) -> dict[str, Any]:
    """`v` if it is a JSON object, else Invalid(what): the checked value, narrowed for what follows."""
    if not isinstance(v, dict):
        raise Invalid(what)
    return v


def _a_list(v: Any, most: int, what: str) -> list[Any]:
    """`v` if it is a JSON array of 1 to `most` items, else Invalid(what)."""
    if not isinstance(v, list) or not 1 <= len(v) <= most:
        raise Invalid(what)
    return v


def check_header(h: dict[str, Any], *, now_ms: int) -> None:
    """The signed header's shape (after the signature and the format number were checked)."""
    _require(h.get("kind") in KINDS, f"数据包类型 {str(h.get('kind'))[:20]!r} 未知")
    kind = h["kind"]
    _require(_text(h.get("schema"), 20), "schema 应为文字")
    _require(isinstance(h.get("county_code"), str) and COUNTY_CODE.match(h["county_code"]) is not None,
             "county_code 应为6位数字")
    _require(isinstance(h.get("village_code"), str) and VILLAGE_CODE.match(h["village_code"]) is not None,
             "village_code 应为12位数字")
    _require(_text(h.get("village_name"), 100), "village_name 应为不超过100字的文字")
    created = iso_ms(h.get("created_at"))
    if created > now_ms + FUTURE_TOLERANCE_MS:
        raise Invalid(f"数据包的生成时间（{h['created_at'][:19]}）比本机时间晚一天以上：发送方电脑的日期设置错误，"
                      "或数据包是伪造的。请发送方校正电脑日期时间后再导出")
    s = _a_dict(h.get("sender"), "sender 缺失")
    _require(_hex(s.get("replica"), 32), "sender.replica 应为32位十六进制")
    _require(_text(s.get("name"), 100), "sender.name 应为不超过100字的文字")
    _require(s.get("role") in ("village", "county"), "sender.role 应为 village 或 county")
    code = COUNTY_CODE if s["role"] == "county" else VILLAGE_CODE
    _require(isinstance(s.get("village_code"), str) and code.match(s["village_code"]) is not None,
             "sender.village_code 不合规")
    _require(_hex(s.get("sign_key"), 64) and _hex(s.get("box_key"), 64), "sender 的公钥应为64位十六进制")
    _require(s.get("successor_of") is None or _hex(s.get("successor_of"), 32), "sender.successor_of 不合规")
    _require((kind == "changes") == (s["role"] == "village"), "发送方角色与数据包类型不符")
    if kind == "changes":
        _require(s["village_code"] == h["village_code"], "发送方所属村与数据包的村不一致")
        _require(h["village_code"].startswith(h["county_code"]), "村代码不属于数据包所写的县")
    else:
        _require(s["village_code"] == h["county_code"], "发送方不是数据包所写的县")
    streams = _a_list(h.get("streams"), MAX_STREAMS, "streams 应为1至64项的列表")
    for x in streams:
        _require(isinstance(x, dict) and _hex(x.get("replica"), 32), "streams[].replica 应为32位十六进制")
        _require(_is_int(x.get("count")) and 0 <= x["count"] < MAX_SEQ, "streams[].count 应为非负整数")
        if kind == "changes":
            _require(_is_int(x.get("seq_from")) and _is_int(x.get("seq_to"))
                     and 1 <= x["seq_from"] <= x["seq_to"] < MAX_SEQ
                     and x["count"] == x["seq_to"] - x["seq_from"] + 1, "streams[] 的序号范围不合规")
            _require(x.get("prev") is None or _hex(x.get("prev"), 64), "streams[].prev 不合规")
    _require(len({x["replica"] for x in streams}) == len(streams), "streams 中同一副本出现两次")
    if kind == "return":
        _require(len(streams) == 1 and streams[0]["replica"] == s["replica"], "回执只能含县里自己的变更")
        acks = h.get("acks")
        _require(isinstance(acks, dict) and len(acks) <= 10_000
                 and all(_hex(k, 32) and _is_int(v) and 0 <= v < MAX_SEQ for k, v in acks.items()), "acks 不合规")
    recipients = _a_list(h.get("recipients"), MAX_RECIPIENTS, "recipients 应为1至16项")
    for r in recipients:
        _require(isinstance(r, dict) and _text(r.get("replica"), 64) and _hex(r.get("box_key"), 64)
                 and _hex(r.get("ephemeral"), 64) and isinstance(r.get("wrapped_key"), str)
                 and re.fullmatch(r"[0-9a-f]{96}", r["wrapped_key"]) is not None, "recipients[] 不合规")
    p = _a_dict(h.get("payload"), "payload 的加密或压缩方式未知")
    _require(p.get("cipher") == "chacha20-poly1305" and p.get("compression") == "zlib", "payload 的加密或压缩方式未知")
    _require(isinstance(p.get("nonce"), str) and re.fullmatch(r"[0-9a-f]{24}", p["nonce"]) is not None,
             "payload.nonce 不合规")
    _require(_is_int(p.get("size")) and 16 <= p["size"] <= MAX_FILE, "payload.size 不合规")
    _require(_hex(p.get("sha256"), 64), "payload.sha256 不合规")


# -- payload -------------------------------------------------------------------------------------

def inflate_limit(compressed: int) -> int:
    return min(MAX_INFLATED, max(INFLATE_FLOOR, MAX_RATIO * compressed))


def inflate(data: bytes, limit: int) -> bytes:
    """zlib, a megabyte at a time, refusing past `limit` bytes: a bomb costs at most `limit`."""
    d = zlib.decompressobj()
    out = bytearray()
    pending = data
    while not d.eof:
        piece = d.decompress(pending, 1 << 20)
        out += piece
        if len(out) > limit:
            raise Invalid(f"解压后超过 {limit >> 20} MB 的上限（压缩炸弹或异常数据）")
        pending = d.unconsumed_tail
        if not piece and not pending:
            raise Invalid("压缩数据不完整")
    if d.unused_data:
        raise Invalid("压缩数据后有多余内容")
    return bytes(out)


# -- changes -------------------------------------------------------------------------------------

def _field_checker(col: Any) -> Callable[[Any], None]:
    """A check of one JSON value against its column's type (the form the change log writes)."""
    t = col.type
    impl = getattr(t, "impl", t)
    nullable = col.nullable

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise Invalid(f"{col.table.name}.{col.name} {what}")

    def parse(fn: Callable[[str], Any], limit: int, what: str) -> Callable[[Any], None]:
        def check(v: Any) -> None:
            need(isinstance(v, str) and len(v) <= limit, what)
            try:
                fn(v)
            except ValueError as e:
                raise Invalid(f"{col.table.name}.{col.name} {what}") from e
        return check

    base: Callable[[Any], None]
    if isinstance(impl, Uuid):
        def base(v: Any) -> None:
            need(isinstance(v, str) and UUID_TEXT.match(v) is not None, "应为 UUID")
    elif isinstance(impl, DateTime):
        base = parse(datetime.fromisoformat, 40, "应为时间")
    elif isinstance(impl, Date):
        base = parse(date.fromisoformat, 10, "应为日期")
    elif isinstance(impl, Time):
        base = parse(time.fromisoformat, 20, "应为时刻")
    elif isinstance(impl, Boolean):
        def base(v: Any) -> None:
            need(isinstance(v, bool), "应为是/否")
    elif isinstance(impl, Integer):
        def base(v: Any) -> None:
            need(_is_int(v) and -(1 << 63) <= v < 1 << 63, "应为整数")
    elif isinstance(impl, Float):
        def base(v: Any) -> None:
            need((_is_int(v) or isinstance(v, float)) and math.isfinite(v), "应为数")
    elif isinstance(impl, Numeric):
        def base(v: Any) -> None:
            ok = _is_int(v) or isinstance(v, float) and math.isfinite(v)
            if isinstance(v, str) and len(v) <= 40:
                try:
                    ok = Decimal(v).is_finite()
                except InvalidOperation:
                    ok = False
            need(ok, "应为数")
    elif isinstance(impl, JSON):
        import orjson

        def base(v: Any) -> None:
            need(len(orjson.dumps(v)) <= MAX_JSON_FIELD, "内容过长")
    elif isinstance(impl, String):
        limit = min(impl.length or MAX_TEXT, MAX_TEXT)
        too_long = f"应为不超过{limit}字的文字"

        def base(v: Any) -> None:
            need(isinstance(v, str) and len(v) <= limit, too_long)
    else:  # a type added later must be listed here before it can travel
        def base(v: Any) -> None:
            need(False, "的类型不能同步")

    def check(v: Any) -> None:
        if v is None:
            need(nullable or col.name == "deleted_at", "不能为空")
        else:
            base(v)
    return check


_CHECKERS: dict[str, dict[str, Callable[[Any], None]]] = {}
_REQUIRED: dict[str, frozenset[str]] = {}


def table_checkers() -> dict[str, dict[str, Callable[[Any], None]]]:
    """Per synced table: column → check. Columns not listed here may not travel."""
    if not _CHECKERS:
        for name in synced_tables():
            table: Table = Base.metadata.tables[name]
            _CHECKERS[name] = {c.name: _field_checker(c) for c in table.columns if c.name not in UNLOGGED_COLUMNS}
            _REQUIRED[name] = frozenset(c.name for c in table.columns if c.name not in UNLOGGED_COLUMNS
                                        and not c.nullable and not (c.default is not None
                                                                    and getattr(c.default, "is_scalar", False)))
    return _CHECKERS


def check_change(w: Any, *, created_ms: int) -> None:
    """One change in wire form: [replica, seq, hlc, table, row_id, op, fields, base, actor, at].
    Messages are composed only for a change that fails: a county checks millions that pass."""
    if not isinstance(w, list) or len(w) != 10:
        raise Invalid("应为10项的列表")
    replica, seq, clock, table, row_id, op, fields, base, actor, at = w
    if not _hex(replica, 32):
        raise Invalid("副本编号不合规")
    if not (_is_int(seq) and 1 <= seq < MAX_SEQ):
        raise Invalid("序号不合规")
    m = HLC.match(clock) if isinstance(clock, str) else None
    if m is None:
        raise Invalid("时钟值格式不对（应为 13位毫秒-5位计数-32位副本）")
    if m.group(3) != replica:
        raise Invalid("时钟值中的副本与变更的副本不一致")
    if int(m.group(1)) > created_ms + CLOCK_TOLERANCE_MS:
        raise Invalid(f"时钟值 {clock[:19]}… 晚于数据包的生成时间（时钟超前或伪造）")
    checkers = table_checkers().get(table) if isinstance(table, str) else None
    if checkers is None:
        raise Invalid(f"表 {str(table)[:40]!r} 不是同步的数据表")
    if not _hex(row_id, 32):
        raise Invalid("记录编号不合规")
    if op not in OPS:
        raise Invalid(f"操作 {str(op)[:20]!r} 未知")
    if not (isinstance(fields, dict) and isinstance(base, dict)):
        raise Invalid("fields/base 应为对象")
    for name, value in fields.items():
        check = checkers.get(name)
        if check is None:
            raise Invalid(f"{table} 没有可同步的字段 {str(name)[:40]!r}")
        check(value)
    for name, value in base.items():
        if name not in checkers or not (value == "" or isinstance(value, str) and HLC.match(value) is not None):
            raise Invalid(f"base 中 {str(name)[:40]!r} 不合规")
    if op == INSERT:
        required = _REQUIRED[table]
        if not required <= fields.keys():
            raise Invalid(f"新增 {table} 缺少必填字段 {'、'.join(sorted(required - fields.keys()))[:80]}")
        if any(fields[k] is None for k in required):
            raise Invalid(f"新增 {table} 的必填字段为空")
    elif op == DELETE and fields.get("deleted_at", "x") is None:
        raise Invalid("删除操作没有删除时间")
    elif op == RESTORE and not ("deleted_at" in fields and fields["deleted_at"] is None):
        raise Invalid("恢复操作应清除删除时间")
    if not _text(actor):
        raise Invalid("操作人应为不超过200字的文字")
    iso_ms(at)


def check_changes(wires: Any, file: str, *, created_ms: int) -> None:
    if not isinstance(wires, list):
        raise BundleError(file, "数据内容格式错误（changes 应为列表）", ASK_AGAIN)
    for i, w in enumerate(wires, 1):
        try:
            check_change(w, created_ms=created_ms)
        except Invalid as e:
            raise BundleError(file, f"第 {i} 条变更不合规：{e}", ASK_AGAIN) from None
