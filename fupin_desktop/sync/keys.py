"""Each installation's keys: an Ed25519 signing key and an X25519 key for receiving bundles.

The private keys live in a file of their own (never in the database, which gets copied around
and backed up): beside a SQLite database in `keys/`, for a PostgreSQL database in the user data
folder (or $FUPIN_KEY_DIR). The file is written with 0600 permissions. The public keys are on
the local replica row, so they travel in bundles and the other side can pin them (TOFU).
"""

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fupin_desktop import paths
from fupin_desktop.db import cipher
from fupin_desktop.db.models import Replica
from fupin_desktop.db.models.sync_log import COUNTY
from fupin_desktop.db.session import Database
from fupin_desktop.safe_files import write_bytes
from fupin_desktop.sync.errors import KeyFileError

KEY_FORMAT = "fupin-key-1"
COUNTY_FORMAT = "fupin-county-1"


@dataclass(frozen=True)
class KeyPair:
    sign: Ed25519PrivateKey
    box: X25519PrivateKey

    @property
    def sign_public(self) -> str:
        return _raw(self.sign.public_key()).hex()

    @property
    def box_public(self) -> str:
        return _raw(self.box.public_key()).hex()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_public, self.box_public)


def _raw(key: object) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)  # type: ignore[attr-defined]


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def fingerprint(sign_key: str, box_key: str) -> str:
    """What people compare over the phone: 32 hex digits in groups of four."""
    digest = hashlib.sha256(bytes.fromhex(sign_key) + bytes.fromhex(box_key)).hexdigest()[:32].upper()
    return "-".join(digest[i:i + 4] for i in range(0, 32, 4))


def key_dir(db: Database) -> Path:
    if env := os.environ.get("FUPIN_KEY_DIR"):
        return Path(env)
    if db.file is not None:
        return db.file.parent / "keys"
    return paths.data_dir() / "keys"


def key_file(db: Database, sign_key: str) -> Path:
    return key_dir(db) / f"{sign_key[:16]}.key"


def _write_private(path: Path, keys: KeyPair, db_key: bytes | None) -> None:
    """The key file, sealed with the database key when the database is encrypted (`db_key`; the
    database's own key, not a neighbour's: a county and a test village may share a folder)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    body = json.dumps({"format": KEY_FORMAT, "sign": _raw_private(keys.sign).hex(),
                       "box": _raw_private(keys.box).hex(), "created": datetime.now(UTC).isoformat()})
    if db_key is not None:
        body = json.dumps({"format": KEY_FORMAT, "sealed": cipher.seal(body.encode(), db_key)})
    cipher.write_private(path, body)


def _read_private(path: Path, db_key: bytes | None) -> KeyPair:
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != KEY_FORMAT:
            raise ValueError(data.get("format"))
        sealed = "sealed" in data
        if sealed and db_key is None:
            raise KeyFileError(f"本机密钥文件 {path} 已用数据库密钥加密，请先登录（打开加密的数据库）后再操作。")
        if sealed:
            data = json.loads(cipher.unseal(data["sealed"], db_key))  # type: ignore[arg-type]
        pair = KeyPair(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["sign"])),
                       X25519PrivateKey.from_private_bytes(bytes.fromhex(data["box"])))
        if not sealed and db_key is not None:  # written before the database was encrypted
            _write_private(path, pair, db_key)
        return pair
    except FileNotFoundError as e:
        raise KeyFileError(f"找不到本机密钥文件 {path}。密钥文件与数据库应放在一起；"
                           "如已丢失，请用 “fupin keys new” 生成新密钥，并把新指纹告知县里。") from e
    except (OSError, ValueError, KeyError) as e:
        raise KeyFileError(f"本机密钥文件 {path} 已损坏或无法读取。请从备份恢复 keys 文件夹，"
                           "或用 “fupin keys new” 生成新密钥并告知县里新指纹。") from e


def local_replica(session: Session) -> Replica:
    return session.scalars(select(Replica).where(Replica.is_local)).one()


def ensure_keys(db: Database, *, replace: bool = False) -> KeyPair:
    """The local keys, created on first use (at `init`). Returns the pair."""
    with db.transaction() as s:
        me = local_replica(s)
        if me.sign_key and me.box_key and not replace:
            path = key_file(db, me.sign_key)
            if path.exists():
                return _read_private(path, db.key)
            raise KeyFileError(f"找不到本机密钥文件 {path}。如已丢失，请用 “fupin keys new” 生成新密钥，"
                               "并把新指纹告知县里。")
        keys = KeyPair(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
        _write_private(key_file(db, keys.sign_public), keys, db.key)
        s.execute(update(Replica).where(Replica.id == me.id).values(sign_key=keys.sign_public,
                                                                   box_key=keys.box_public))
        return keys


def load_keys(db: Database) -> KeyPair:
    return ensure_keys(db)


def key_info(db: Database) -> dict[str, object]:
    """`fupin keys show`: this installation's replica, fingerprint and key file, and the installations
    it has registered (creating this one's keys the first time)."""
    keys = ensure_keys(db)
    with db.reading() as s:
        me = local_replica(s)
        peers = [{"replica": r.id.hex, "name": r.name, "role": r.role, "village_code": r.village_code,
                  "fingerprint": fingerprint(r.sign_key, r.box_key or "") if r.sign_key else None}
                 for r in s.scalars(select(Replica).where(~Replica.is_local))]
        return {"replica": me.id.hex, "name": me.name, "role": me.role, "fingerprint": keys.fingerprint,
                "key_file": str(key_file(db, keys.sign_public)), "peers": peers}


def renew_keys(db: Database) -> tuple[str, int]:
    """`fupin keys new`: new keys make a new installation to the county, so this one continues under
    a new replica id (the county neither refuses the new key for the old id nor sees sequence numbers
    issued twice). Closes `db`; returns the new fingerprint and how many changes the county has not
    yet confirmed (they go with the next bundle)."""
    from fupin_desktop.db.replicas import continue_as_new_replica
    from fupin_desktop.db.session import open_database
    from fupin_desktop.domain.accounts import may_write
    from fupin_desktop.errors import FupinError, PermissionDeniedError
    from fupin_desktop.sync.exporter import unsent_of_predecessors

    file, key, user = db.file, db.key, db.user
    db.close()
    if file is None:
        raise FupinError("只有本机数据库文件可以换用新密钥；县级 PostgreSQL 汇总库请重新运行 county init。")
    if not may_write(user):
        raise PermissionDeniedError(f"{user.label}不能更换本机密钥。请让第一书记或工作队员操作。")  # type: ignore[union-attr]
    continue_as_new_replica(file, keep_keys=False, key=key)
    db = open_database(file, key=key)
    db.user = user
    try:
        keys = ensure_keys(db)
        with db.reading() as s:
            return keys.fingerprint, unsent_of_predecessors(s)
    finally:
        db.close()


def verify_signature(sign_key_hex: str, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(sign_key_hex)).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


# -- the county's set-up file ------------------------------------------------------------------

def _canonical(obj: dict) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def write_county_file(db: Database, out: Path) -> Path:
    """The county's public set-up file that villages install with `fupin keys import-county`."""
    keys = ensure_keys(db)
    with db.reading() as s:
        me = local_replica(s)
        if me.role != COUNTY:
            raise KeyFileError("本数据库不是县级汇总库，不能导出县级设置文件。请先运行 “fupin county init”。")
        body = {"format": COUNTY_FORMAT, "county_code": me.village_code, "county_name": me.name,
                "replica": me.id.hex, "sign_key": keys.sign_public, "box_key": keys.box_public,
                "fingerprint": keys.fingerprint}
    body["signature"] = keys.sign.sign(_canonical(body)).hex()
    target = out / f"county-{body['county_code']}.fupin-county" if out.is_dir() else out
    write_bytes(target, json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"))
    return target


@dataclass(frozen=True)
class CountyInfo:
    code: str
    name: str
    replica: uuid.UUID
    fingerprint: str
    replaced: bool


def import_county_file(db: Database, file: Path, *, replace: bool = False) -> CountyInfo:
    """Install (pin) the county's public keys in a village database."""
    try:
        body = json.loads(file.read_text("utf-8"))
        signature = bytes.fromhex(body.pop("signature"))
        ok = body.get("format") == COUNTY_FORMAT and verify_signature(body["sign_key"], signature, _canonical(body))
        replica = uuid.UUID(body["replica"])
    except FileNotFoundError as e:
        raise KeyFileError(f"找不到文件 {file}。") from e
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise KeyFileError(f"文件 {file} 不是县级设置文件或已损坏。请向县里重新索取。") from e
    if not ok:
        raise KeyFileError(f"县级设置文件 {file} 的签名不符，文件可能被改动过。请向县里重新索取，未做任何改动。")
    now = datetime.now(UTC)
    with db.transaction() as s:
        if local_replica(s).role == COUNTY:
            raise KeyFileError("本数据库是县级汇总库，不需要导入县级设置文件。")
        existing = s.scalars(select(Replica).where(Replica.role == COUNTY, ~Replica.is_local)).all()
        same = [r for r in existing if r.id == replica]
        if same and same[0].sign_key == body["sign_key"] and same[0].box_key == body["box_key"]:
            return CountyInfo(body["county_code"], body["county_name"], replica, body["fingerprint"], False)
        if existing and not replace:
            old = existing[0]
            raise KeyFileError(
                f"本村已安装县级密钥（{old.name}，指纹 {fingerprint(old.sign_key or '', old.box_key or '')}），"
                f"与此文件（指纹 {body['fingerprint']}）不同。请先与县里电话核对指纹；"
                "确认县里确实更换了密钥后，加 --replace 重新导入。未做任何改动。")
        for r in existing:
            r.role = "county-retired"
        if same:
            same[0].sign_key, same[0].box_key, same[0].role = body["sign_key"], body["box_key"], COUNTY
            same[0].trusted_at = now
        else:
            s.add(Replica(id=replica, name=body["county_name"], is_local=False, role=COUNTY,
                          village_code=body["county_code"], sign_key=body["sign_key"], box_key=body["box_key"],
                          trusted_at=now))
    return CountyInfo(body["county_code"], body["county_name"], replica, body["fingerprint"], bool(existing))
