"""Key slots, as LUKS does: the database key, wrapped once per account password and once per
recovery code, in a small JSON file beside the database (`fupin.db.keys`).

A slot is AES-256-GCM of the database key under a key derived from the secret with argon2id
(its own salt and parameters); the associated data binds it to this database, the kind of
secret and the login name, so a slot cannot be moved to another account or file. Changing a
password writes a new slot and drops the old one; the data is never re-encrypted. The file
holds no secret that opens anything without a password or a recovery code.

Wrong secrets are counted here too (the database cannot be opened to count them), with the same
back-off as the accounts (domain.accounts.wait_after); the time taken does not tell whether a
login name exists (a name without a slot costs one argon2id all the same).
"""

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fupin_desktop.db.cipher import KEY_BYTES
from fupin_desktop.domain.accounts import wait_after
from fupin_desktop.errors import DatabaseFileError, SignInError
from fupin_desktop.safe_files import write_bytes

PASSWORD, RECOVERY = "password", "recovery"
FORMAT, VERSION = "fupin-keyslots", 1
MAX_FILE_BYTES = 1 << 20
MAX_SLOTS = 500


@dataclass(frozen=True)
class Kdf:
    """argon2id cost. 64 MiB and 3 passes: ≈ 0.2 s on this project's 2-core test machine (bench/bench_security.py)."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 2

    def derive(self, secret: str, salt: bytes) -> bytes:
        return hash_secret_raw(secret.encode("utf-8"), salt, time_cost=self.time_cost, memory_cost=self.memory_kib,
                               parallelism=self.parallelism, hash_len=KEY_BYTES, type=Type.ID)


KDF = Kdf()  # tests use a cheap one (tests/conftest.py), as they do for password hashes
_LIMITS = Kdf(time_cost=20, memory_kib=1 << 20, parallelism=16)  # a hostile file cannot ask for more


def keys_file(db_file: Path) -> Path:
    return db_file.with_name(f"{db_file.name}.keys")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, size: int | None = None) -> bytes:
    if not isinstance(text, str) or len(text) > 200:
        raise ValueError("bad field")
    data = base64.b64decode(text, validate=True)
    if size is not None and len(data) != size:
        raise ValueError("bad size")
    return data


class KeySlots:
    """The slots of one database; `save` writes them atomically."""

    def __init__(self, path: Path, data: dict[str, Any]):
        self.path = path
        self.data = data

    # -- making and reading the file ---------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, key: bytes) -> "KeySlots":
        database_id = uuid.uuid4().hex
        return cls(path, {"format": FORMAT, "version": VERSION, "database": database_id,
                          "check": _check(key, database_id), "slots": [], "failures": {}})

    @classmethod
    def load(cls, path: Path) -> "KeySlots":
        """Read and check the file's shape; a damaged or foreign file is refused in Chinese."""
        damaged = DatabaseFileError(f"密钥文件 {path.name} 已损坏或不是本程序的文件，无法解开加密的数据库。"
                                    "请从备份文件夹或U盘复制同名的 .keys 文件回来；文件未做任何改动。")
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise damaged
            data = json.loads(path.read_bytes())
        except FileNotFoundError as e:
            raise DatabaseFileError(f"数据库已加密，但找不到它的密钥文件 {path.name}（应在数据库旁边）。"
                                    "请从备份文件夹或U盘复制回来后重试。") from e
        except (OSError, ValueError) as e:
            raise damaged from e
        try:
            if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
                raise ValueError("format")
            if not isinstance(data.get("database"), str) or not isinstance(data.get("check"), str):
                raise ValueError("ids")
            slots, failures = data.get("slots"), data.get("failures", {})
            if not isinstance(slots, list) or len(slots) > MAX_SLOTS or not isinstance(failures, dict) \
                    or not all(isinstance(f, dict) for f in failures.values()):
                raise ValueError("slots")
            for slot in slots:
                _slot_kdf(slot)
                _unb64(slot["salt"]), _unb64(slot["nonce"], 12), _unb64(slot["wrapped"], KEY_BYTES + 16)
                if slot.get("kind") not in (PASSWORD, RECOVERY) or not isinstance(slot.get("name"), str) \
                        or not isinstance(slot.get("id"), str):
                    raise ValueError("slot")
        except (ValueError, KeyError, TypeError) as e:
            raise damaged from e
        data.setdefault("failures", {})
        return cls(path, data)

    def save(self) -> None:
        """Through the one safe writer: a crash leaves the old file or the new one, never half of one."""
        write_bytes(self.path, json.dumps(self.data, ensure_ascii=False, indent=1).encode("utf-8"), private=True)

    def copy_to(self, target: Path) -> None:
        KeySlots(target, self.data).save()

    # -- the key --------------------------------------------------------------------------------------

    def matches(self, key: bytes) -> bool:
        """Is `key` this database's key? (How a backup encrypted by another village is told apart.)"""
        return hmac.compare_digest(_check(key, self.data["database"]), self.data["check"])

    def unlock(self, kind: str, name: str, secret: str, *, now: datetime | None = None) -> bytes:
        """The database key, from the slot of `name`'s password or recovery code.

        Raises SignInError for a wrong secret or an unknown name (the same message, after the same
        work) and while the back-off after repeated wrong secrets lasts.
        """
        at = now or datetime.now(UTC)
        wait = self._waiting(name, at)
        if wait:
            raise SignInError(f"密码错误次数过多，请{_duration(wait)}后再试。")
        candidates = [s for s in self.data["slots"] if s["kind"] == kind and s["name"] == name]
        for slot in candidates:
            key = self._open(slot, secret)
            if key is not None:
                self._forget_failures(name)
                return key
        if not candidates:  # as slow as a real slot: the time tells nothing about the name
            KDF.derive(secret, b"\0" * 16)
        raise self._failed(name, at, "恢复码不正确。" if kind == RECOVERY else "登录名或密码不正确。")

    def add(self, kind: str, name: str, secret: str, key: bytes) -> str:
        """A new slot for `secret` (older slots of the same name and kind stay until `drop`); its id."""
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        slot_id = uuid.uuid4().hex
        wrapped = AESGCM(KDF.derive(secret, salt)).encrypt(nonce, key, self._aad(kind, name))
        self.data["slots"].append({"id": slot_id, "kind": kind, "name": name, "kdf": "argon2id",
                                   "t": KDF.time_cost, "m": KDF.memory_kib, "p": KDF.parallelism,
                                   "salt": _b64(salt), "nonce": _b64(nonce), "wrapped": _b64(wrapped)})
        return slot_id

    def drop(self, name: str, kind: str | None = None, *, keep: str | None = None, only: str | None = None) -> None:
        """Remove `name`'s slots (of one kind), except the one with id `keep`, or only the one with id `only`."""
        self.data["slots"] = [s for s in self.data["slots"] if not (
            s["name"] == name and (kind is None or s["kind"] == kind) and s["id"] != keep
            and (only is None or s["id"] == only))]

    def names(self, kind: str = PASSWORD) -> set[str]:
        return {s["name"] for s in self.data["slots"] if s["kind"] == kind}

    # -- inside -----------------------------------------------------------------------------------------

    def _aad(self, kind: str, name: str) -> bytes:
        return f"{FORMAT}|{self.data['database']}|{kind}|{name}".encode()

    def _open(self, slot: dict[str, Any], secret: str) -> bytes | None:
        kdf = _slot_kdf(slot)
        try:
            kek = kdf.derive(secret, _unb64(slot["salt"]))
            key = AESGCM(kek).decrypt(_unb64(slot["nonce"], 12), _unb64(slot["wrapped"]), self._aad(slot["kind"],
                                                                                                       slot["name"]))
        except (InvalidTag, ValueError):
            return None
        return key if self.matches(key) else None

    def _waiting(self, name: str, at: datetime) -> int:
        until = self.data["failures"].get(name, {}).get("until")
        try:
            left = (datetime.fromisoformat(until) - at).total_seconds() if until else 0
        except (TypeError, ValueError):
            left = 0
        return int(left) + 1 if left > 0 else 0

    def _failed(self, name: str, at: datetime, message: str) -> SignInError:
        entry = self.data["failures"].setdefault(name, {})
        entry["count"] = count = int(entry.get("count", 0)) + 1 if isinstance(entry.get("count"), int) else 1
        wait = wait_after(count)
        entry["until"] = (at + wait).isoformat() if wait else None
        try:
            self.save()
        except OSError:
            pass  # a read-only folder: no back-off, the argon2id cost still slows guessing
        if wait:
            message += f"已连续错误{count}次，请{_duration(int(wait.total_seconds()))}后再试。"
        return SignInError(message)

    def _forget_failures(self, name: str) -> None:
        if self.data["failures"].pop(name, None) is not None:
            try:
                self.save()
            except OSError:
                pass


def _slot_kdf(slot: dict[str, Any]) -> Kdf:
    values = (slot.get("t"), slot.get("m"), slot.get("p"))
    if slot.get("kdf") != "argon2id" or not all(type(v) is int and v > 0 for v in values):
        raise ValueError("kdf")
    kdf = Kdf(*values)  # type: ignore[arg-type]
    if (kdf.time_cost > _LIMITS.time_cost or kdf.memory_kib > _LIMITS.memory_kib
            or kdf.parallelism > _LIMITS.parallelism or kdf.memory_kib < 8 * kdf.parallelism):
        raise ValueError("kdf limits")
    return kdf


def _check(key: bytes, database_id: str) -> str:
    return hmac.new(key, f"{FORMAT}|check|{database_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _duration(seconds: int) -> str:
    return f"{seconds}秒" if seconds < 60 else f"{(seconds + 59) // 60}分钟"
