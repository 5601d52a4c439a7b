"""The bundle file: a signed plaintext header and a payload encrypted to its recipients.

Layout (all integers big-endian; see docs/bundle-format.md):

    magic      8 bytes   b"FUPINBDL"
    hlen       4 bytes   length of the header
    header     hlen      UTF-8 JSON (sorted keys, no spaces)
    signature  64 bytes  Ed25519 by header.sender.sign_key over magic + hlen + header
    payload    rest      ChaCha20-Poly1305 ciphertext of zlib(JSON), key wrapped per recipient
"""

import hashlib
import os
import struct
import time
import zlib
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fupin_desktop.db import migrate
from fupin_desktop.sync import wire
from fupin_desktop.sync.errors import ASK_AGAIN, CHECK_STICK, UPDATE_PROGRAM, BundleError
from fupin_desktop.sync.keys import KeyPair, verify_signature

MAGIC = b"FUPINBDL"
FORMAT = 1
SIG_LEN = 64
CHANGES, RETURN = "changes", "return"
WRAP_INFO = b"fupin-bundle-v1 key wrap"
PAYLOAD_AAD = b"fupin-bundle-v1 payload"
SUFFIX = ".fupin"


def canonical(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)


def _kek(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=WRAP_INFO).derive(shared)


def seal(header: dict[str, Any], payload: dict[str, Any], sender: KeyPair, recipients: list[tuple[str, str]]) -> bytes:
    """The bytes of a bundle. `recipients`: (replica hex, X25519 public key hex) pairs."""
    content_key = ChaCha20Poly1305.generate_key()
    nonce = os.urandom(12)
    ciphertext = ChaCha20Poly1305(content_key).encrypt(nonce, zlib.compress(canonical(payload), 6), PAYLOAD_AAD)
    wrapped = []
    for replica, box_key in recipients:
        eph = X25519PrivateKey.generate()
        eph_pub = eph.public_key().public_bytes_raw()
        rpub = bytes.fromhex(box_key)
        kek = _kek(eph.exchange(X25519PublicKey.from_public_bytes(rpub)), eph_pub, rpub)
        wrapped.append({"replica": replica, "box_key": box_key, "ephemeral": eph_pub.hex(),
                        "wrapped_key": ChaCha20Poly1305(kek).encrypt(b"\0" * 12, content_key, None).hex()})
    header = {**header, "format": FORMAT, "recipients": wrapped,
              "payload": {"cipher": "chacha20-poly1305", "compression": "zlib", "nonce": nonce.hex(),
                          "size": len(ciphertext), "sha256": hashlib.sha256(ciphertext).hexdigest()}}
    head = canonical(header)
    signed = MAGIC + struct.pack(">I", len(head)) + head
    return signed + sender.sign.sign(signed) + ciphertext


@dataclass(frozen=True)
class Opened:
    """A bundle whose header is parsed and signature checked (payload not yet decrypted)."""

    file: str
    digest: str  # SHA-256 of the whole file: the bundle's identity in the ledger
    header: dict[str, Any]
    ciphertext: bytes
    raw: bytes

    @property
    def sender(self) -> dict[str, Any]:
        return self.header["sender"]

    @property
    def kind(self) -> str:
        return self.header["kind"]


def read_header(data: bytes, file: str, *, now_ms: int | None = None) -> Opened:
    """Check everything that needs no key of ours, in an order where damage reads as damage:
    framing and sizes, the signature over the header, then the header's schema, format and hashes."""
    if len(data) < len(MAGIC) + 4 or data[:len(MAGIC)] != MAGIC:
        if len(data) < len(MAGIC) + 4 and MAGIC.startswith(data[:len(MAGIC)]):
            raise BundleError(file, "文件不完整（被截断）", CHECK_STICK)
        raise BundleError(file, "不是扶贫工作队桌面助手的同步数据包（或文件开头已损坏）",
                          "请确认选择的是 .fupin 数据包文件。")
    if len(data) > wire.MAX_FILE:
        raise BundleError(file, f"文件超过 {wire.MAX_FILE >> 20} MB 的上限", ASK_AGAIN)
    (hlen,) = struct.unpack(">I", data[8:12])
    if hlen > wire.MAX_HEADER:
        raise BundleError(file, "文件头已损坏", CHECK_STICK)
    if len(data) < 12 + hlen + SIG_LEN:
        raise BundleError(file, "文件不完整（被截断）", CHECK_STICK)
    signed, signature = data[:12 + hlen], data[12 + hlen:12 + hlen + SIG_LEN]
    try:
        header = orjson.loads(data[12:12 + hlen])
        sign_key = header["sender"]["sign_key"]
    except (orjson.JSONDecodeError, KeyError, TypeError) as e:
        raise BundleError(file, "文件头已损坏，无法读取", CHECK_STICK) from e
    if not isinstance(header, dict) or not isinstance(sign_key, str) or not verify_signature(sign_key, signature,
                                                                                             signed):
        raise BundleError(file, "签名验证失败，文件内容被改动过或已损坏", CHECK_STICK)
    # signed by the key it names: from here on a bad value is the sender's doing, not the stick's
    fmt = header.get("format")
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise BundleError(file, "文件头不合规：format 应为正整数", ASK_AGAIN)
    if fmt > FORMAT:
        raise BundleError(file, f"由更新版本的程序生成（格式版本 {fmt}）", UPDATE_PROGRAM)
    try:
        wire.check_header(header, now_ms=int(time.time() * 1000) if now_ms is None else now_ms)
    except wire.Invalid as e:
        raise BundleError(file, f"文件头不合规：{e}", ASK_AGAIN) from None
    if header["schema"] not in migrate.known_revisions():
        raise BundleError(file, f"由更新版本的程序生成（数据结构版本 {header['schema']}），本程序无法读取",
                          UPDATE_PROGRAM)
    ciphertext = data[12 + hlen + SIG_LEN:]
    payload = header["payload"]
    if len(ciphertext) < payload["size"]:
        raise BundleError(file, "文件不完整（被截断）", CHECK_STICK)
    if len(ciphertext) != payload["size"] or hashlib.sha256(ciphertext).hexdigest() != payload["sha256"]:
        raise BundleError(file, "数据内容与签名记录不符，文件被改动过或已损坏", CHECK_STICK)
    return Opened(file, hashlib.sha256(data).hexdigest(), header, ciphertext, data)


def recipient_entry(opened: Opened, keys: KeyPair) -> dict[str, Any]:
    """Our entry among the recipients (no key needed to tell); refuses a bundle not addressed to us."""
    mine = keys.box_public
    entry = next((r for r in opened.header["recipients"] if r["box_key"] == mine), None)
    if entry is None:
        to = "、".join(r["replica"][:12] for r in opened.header["recipients"])
        raise BundleError(opened.file, f"此数据包不是发给本单位的（收件方：{opened.header['county_code']} {to}）",
                          "请确认发送方安装的是本县（本村）的密钥文件，然后重新导出。")
    return entry


def open_payload(opened: Opened, keys: KeyPair, replica_hex: str) -> dict[str, Any]:
    """Decrypt with our X25519 key and inflate within the limits of docs/bundle-format.md."""
    mine = keys.box_public
    entry = recipient_entry(opened, keys)
    try:
        eph = bytes.fromhex(entry["ephemeral"])
        kek = _kek(keys.box.exchange(X25519PublicKey.from_public_bytes(eph)), eph, bytes.fromhex(mine))
        content_key = ChaCha20Poly1305(kek).decrypt(b"\0" * 12, bytes.fromhex(entry["wrapped_key"]), None)
        nonce = bytes.fromhex(opened.header["payload"]["nonce"])
        plain = ChaCha20Poly1305(content_key).decrypt(nonce, opened.ciphertext, PAYLOAD_AAD)
    except (InvalidTag, ValueError, KeyError) as e:
        raise BundleError(opened.file, "无法解密（密钥不符或内容损坏）", ASK_AGAIN) from e
    try:
        payload = orjson.loads(wire.inflate(plain, wire.inflate_limit(len(plain))))
    except (wire.Invalid, zlib.error) as e:
        raise BundleError(opened.file, f"数据内容无法解压：{e}", ASK_AGAIN) from None
    except orjson.JSONDecodeError as e:
        raise BundleError(opened.file, "数据内容格式错误", ASK_AGAIN) from e
    if not isinstance(payload, dict) or not isinstance(payload.get("changes", []), list) \
            or not isinstance(payload.get("attachments", []), list) or not isinstance(payload.get("acks", {}), dict):
        raise BundleError(opened.file, "数据内容格式错误", ASK_AGAIN)
    return payload
