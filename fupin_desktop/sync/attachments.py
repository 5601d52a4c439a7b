"""Photos and evidence files travel with the rows that name them, content-addressed, each once.

A bundle's `attachments` section carries the stored file of every `attachment` row written in the
bundle ({sha256, ext, size, data: base64}). The receiver checks each file against its hash and
stores it beside its database, where the village keeps its own (services.attachments.Store). A
row whose file neither came nor is here already is listed as missing, never silently dropped.
"""

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from fupin_desktop.services.attachments import MAX_FILE_BYTES, store_for
from fupin_desktop.sync.errors import ASK_AGAIN, BundleError
from fupin_desktop.sync.merge import Change

_EXT = re.compile(r"[a-z0-9]{1,10}\Z")
_SHA = re.compile(r"[0-9a-f]{64}\Z")


def _named(changes: Iterable[Change]) -> dict[str, tuple[str, str]]:
    """sha256 → (ext, file name) of the files the attachment rows among these changes name."""
    out = {}
    for c in changes:
        if c.table == "attachment" and isinstance(c.fields.get("sha256"), str):
            out[c.fields["sha256"]] = (str(c.fields.get("ext") or ""), str(c.fields.get("file_name") or ""))
    return out


@dataclass
class Outgoing:
    section: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # file names whose stored file is gone


def outgoing(session: Session, changes: Iterable[Change]) -> Outgoing:
    store = store_for(session)
    out = Outgoing()
    for sha, (ext, name) in sorted(_named(changes).items()):
        path = store.path(sha, ext)
        try:
            data = path.read_bytes()
        except OSError:
            out.missing.append(name or path.name)
            continue
        if hashlib.sha256(data).hexdigest() != sha:
            out.missing.append(f"{name or path.name}（文件已损坏）")
            continue
        out.section.append({"sha256": sha, "ext": ext, "size": len(data), "data": base64.b64encode(data).decode()})
    return out


def _decoded(file: str, section: Any) -> dict[str, tuple[str, bytes]]:
    if not isinstance(section, list):
        raise BundleError(file, "照片/文件部分格式错误", ASK_AGAIN)
    out = {}
    for i, a in enumerate(section, 1):
        ok = (isinstance(a, dict) and isinstance(a.get("sha256"), str) and _SHA.match(a["sha256"])
              and isinstance(a.get("ext"), str) and _EXT.match(a["ext"]) and isinstance(a.get("size"), int)
              and 0 <= a["size"] <= MAX_FILE_BYTES and isinstance(a.get("data"), str)
              and len(a["data"]) <= (MAX_FILE_BYTES * 4) // 3 + 4)
        try:
            data = base64.b64decode(a["data"], validate=True) if ok else b""
        except (binascii.Error, ValueError):
            ok = False
        if not ok or len(data) != a["size"] or hashlib.sha256(data).hexdigest() != a["sha256"]:
            raise BundleError(file, f"第 {i} 个照片/文件与其记录的大小或校验值不符", ASK_AGAIN)
        out[a["sha256"]] = (a["ext"], data)
    return out


def check_section(file: str, section: Any) -> None:
    _decoded(file, section)


@dataclass
class Received:
    stored: int = 0
    missing: list[str] = field(default_factory=list)


def receive(session: Session, section: Any, changes: Iterable[Change], *, write: bool) -> Received:
    """Store the files that came (unless `write` is off: a preview), and list rows without a file."""
    files = _decoded("", section)
    store = store_for(session)
    got = Received()
    for sha, (ext, data) in files.items():
        if write and store.put(store.path(sha, ext), data):
            got.stored += 1
    for sha, (ext, name) in _named(changes).items():
        if sha not in files and not store.path(sha, ext).exists():
            got.missing.append(name or sha[:12])
    return got
