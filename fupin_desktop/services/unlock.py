"""A short-lived unlock for a series of `fupin` commands (like a password manager's CLI session).

`fupin unlock` signs in once and prints a token for the environment variable FUPIN_SESSION. The
token itself is stored nowhere: beside the database a small file (`fupin.db.session`, readable by
the owner only) holds who signed in, until when, a hash of the token, and — for an encrypted
database — the database key encrypted under the token. Neither the file nor the token alone
opens anything; the file stops working at its expiry, at `fupin lock`, or at the next unlock.
"""

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from fupin_desktop.db.models import UserAccount
from fupin_desktop.db.session import Database
from fupin_desktop.domain.accounts import CurrentUser
from fupin_desktop.errors import SignInError
from fupin_desktop.safe_files import write_bytes

ENV = "FUPIN_SESSION"
DEFAULT_MINUTES, MAX_MINUTES = 15, 8 * 60


@dataclass(frozen=True)
class Unlocked:
    token: str
    expires: datetime  # UTC


def session_file(db_file: Path) -> Path:
    return db_file.with_name(f"{db_file.name}.session")


def start(db: Database, *, minutes: int = DEFAULT_MINUTES, now: datetime | None = None) -> Unlocked:
    """For the signed-in `db.user`: write the session file and return the token (shown once)."""
    if db.user is None or db.file is None:
        raise SignInError("请先登录。")
    if not 1 <= minutes <= MAX_MINUTES:
        raise SignInError(f"解锁时长应在1到{MAX_MINUTES}分钟之间。")
    token = secrets.token_urlsafe(32)
    expires = (now or datetime.now(UTC)) + timedelta(minutes=minutes)
    data = {"user": db.user.username, "expires": expires.isoformat(), "check": _check(token)}
    if db.key is not None:
        nonce = secrets.token_bytes(12)
        data["key"] = base64.b64encode(nonce + AESGCM(_kek(token)).encrypt(nonce, db.key, b"fupin-session")).decode()
    target = session_file(db.file)
    write_bytes(target, json.dumps(data).encode("utf-8"), private=True)
    return Unlocked(token, expires)


def resume(db: Database, token: str, *, now: datetime | None = None) -> CurrentUser:
    """Sign `db` in from a token of `start`; SignInError when it is wrong, expired or revoked."""
    expired = SignInError("解锁已过期或已失效，请重新登录（fupin unlock）。")
    if db.file is None:
        raise expired
    file = session_file(db.file)
    try:
        if file.stat().st_size > 4096:
            raise expired
        data = json.loads(file.read_text(encoding="utf-8"))
        expires = datetime.fromisoformat(data["expires"])
        username = str(data["user"])
        ok = hmac.compare_digest(str(data["check"]), _check(token))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise expired from e
    if not ok or expires <= (now or datetime.now(UTC)):
        if ok:
            file.unlink(missing_ok=True)
        raise expired
    if db.locked:
        try:
            raw = base64.b64decode(data["key"])
            key = AESGCM(_kek(token)).decrypt(raw[:12], raw[12:], b"fupin-session")
        except (KeyError, ValueError, TypeError, InvalidTag) as e:
            raise expired from e
        db.unlock(key)
    with db.reading() as s:
        account = s.scalar(select(UserAccount).where(UserAccount.username == username))
    if account is None or not account.active or account.must_change_password:
        raise expired
    db.user = CurrentUser(account.username, account.full_name, account.role)
    return db.user


def stop(db_file: Path) -> bool:
    """`fupin lock`: forget the session now. True when there was one."""
    file = session_file(db_file)
    existed = file.exists()
    file.unlink(missing_ok=True)
    return existed


def _check(token: str) -> str:
    return hashlib.sha256(f"fupin-session-check|{token}".encode()).hexdigest()


def _kek(token: str) -> bytes:
    return hashlib.sha256(f"fupin-session-key|{token}".encode()).digest()
