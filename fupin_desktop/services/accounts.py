"""Accounts: the first secretary's set-up, sign-in with a wrong-password back-off, resets, roles.

Passwords are hashed with argon2id (argon2-cffi). The signed-in account is `db.user`; every
transaction carries it in `session.info["user"]`, the change log records its login name as the
actor and refuses writes of a read-only account (db/changelog.record), and the functions here
that manage accounts check it too. The GUI and the `fupin` command both sign in once the
database has an account, so the same rules bind both; with no account yet (a fresh
installation, scripts, tests) nothing is restricted. Every account change is written to
`account_event` with who made it.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.keyslots import PASSWORD, RECOVERY
from fupin_desktop.db.models import AccountEvent, LocalSetting, UserAccount
from fupin_desktop.db.session import Database
from fupin_desktop.domain import accounts as rules
from fupin_desktop.domain.accounts import FIRST_SECRETARY, MANAGERS, ROLES, CurrentUser
from fupin_desktop.errors import FieldError, NotFoundError, PermissionDeniedError, SignInError, ValidationError

_hasher = PasswordHasher()  # argon2id, 64 MiB, 3 passes: ≈ 50 ms on an old laptop, per attempt
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
IDLE_MINUTES_KEY = "idle_lock_minutes"
_NOBODY = "本机"  # the actor of account changes made before any account existed


@dataclass(frozen=True)
class UserRow:
    username: str
    full_name: str
    role: str
    active: bool
    must_change_password: bool
    last_sign_in: datetime | None
    locked_until: datetime | None


def _row(u: UserAccount) -> UserRow:
    return UserRow(u.username, u.full_name, u.role, u.active, u.must_change_password, u.last_sign_in,
                   u.locked_until)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def has_accounts(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(UserAccount)))


def list_users(session: Session) -> list[UserRow]:
    return [_row(u) for u in session.scalars(select(UserAccount).order_by(UserAccount.created_at))]


def actor_names(session: Session) -> dict[str, str]:
    """Login name → the person's name, for showing the change log's actors."""
    return dict(session.execute(select(UserAccount.username, UserAccount.full_name)).all())


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def normal_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


_normal_code = normal_code


def check_new_account(username: str, full_name: str, role: str, password: str) -> None:
    errors = []
    if (p := rules.username_problem(username)) is not None:
        errors.append(FieldError("username", p))
    if not full_name.strip():
        errors.append(FieldError("full_name", "请填写姓名"))
    if role not in ROLES:
        errors.append(FieldError("role", f"角色只能是：{'、'.join(ROLES)}"))
    if (p := rules.password_problem(password, username)) is not None:
        errors.append(FieldError("password", p))
    if errors:
        raise ValidationError(errors)


def _require_manager(session: Session) -> CurrentUser | None:
    user: CurrentUser | None = session.info.get("user")
    if user is not None and not user.can_manage_users:
        raise PermissionDeniedError(f"{user.label}不能管理账户，请找第一书记。")
    return user


def _get(session: Session, username: str) -> UserAccount:
    account = session.scalar(select(UserAccount).where(UserAccount.username == username))
    if account is None:
        raise NotFoundError(f"没有登录名为“{username}”的账户。")
    return account


def create_first_account(session: Session, *, username: str, full_name: str, password: str,
                         role: str = FIRST_SECRETARY) -> str:
    """The first account of a new installation (第一书记, or 县级管理员 at the county). Returns its
    recovery code, to be printed or written down at set-up: it resets this account's password."""
    if has_accounts(session):
        raise PermissionDeniedError("本机已有账户；新账户请由第一书记在“设置 → 账户”中添加。")
    if role not in MANAGERS:
        raise ValidationError([FieldError("role", "第一个账户必须是第一书记或县级管理员")])
    check_new_account(username, full_name, role, password)
    code = new_recovery_code()
    session.add(UserAccount(username=username, full_name=full_name.strip(), role=role,
                            password_hash=_hasher.hash(password), recovery_hash=_hasher.hash(_normal_code(code))))
    _event(session, "add", username, role, actor=username)
    session.flush()
    return code


def create_user(session: Session, *, username: str, full_name: str, role: str, password: str) -> UserRow:
    """A team member's account, with a first password the person must change at first sign-in."""
    _require_manager(session)
    if not has_accounts(session):
        raise PermissionDeniedError("请先建立第一书记的账户。")
    check_new_account(username, full_name, role, password)
    if session.scalar(select(UserAccount.id).where(UserAccount.username == username)) is not None:
        raise ValidationError([FieldError("username", f"登录名“{username}”已被使用")])
    account = UserAccount(username=username, full_name=full_name.strip(), role=role,
                          password_hash=_hasher.hash(password), must_change_password=True)
    session.add(account)
    _slot(session, PASSWORD, username, password)
    _event(session, "add", username, role)
    session.flush()
    return _row(account)


def _who_helps(role: str) -> str:
    """Whom a locked-out user asks: the 第一书记 for the team, the recovery code for the 第一书记."""
    if role in (rules.FIRST_SECRETARY, rules.COUNTY_ADMIN):
        return "忘记了密码可点“忘记密码”，用建立账户时抄下的恢复码重设。"
    return "忘记了密码请找第一书记，在“设置 → 账户”中为您重设。"


def sign_in(db: Database, username: str, password: str, *, now: datetime | None = None) -> CurrentUser:
    """Check the password and make the account the database's current user.

    A wrong password is counted (in its own committed transaction, so restarting the program
    does not reset it); after a few in a row sign-in waits 30 s, then 1, 2, 4 … up to 15 minutes.
    """
    at = _now(now)
    unlock(db, username, password, now=now)
    with db.transaction(actor=username) as s:
        account = s.scalar(select(UserAccount).where(UserAccount.username == username.strip()))
        if account is None or not account.active:
            _verify(_dummy_hash(), password)  # as long as for a real name: the time tells nothing
            raise SignInError("登录名或密码不正确。")
        if account.locked_until is not None and account.locked_until > at:
            seconds = int((account.locked_until - at).total_seconds()) + 1
            raise SignInError(f"密码错误次数过多，请{_duration(seconds)}后再试。{_who_helps(account.role)}")
        if not _verify(account.password_hash, password):
            account.failed_attempts += 1
            wait = rules.wait_after(account.failed_attempts)
            account.locked_until = at + wait if wait else None
            message = "登录名或密码不正确。"
            if wait:
                message += (f"已连续错误{account.failed_attempts}次，请{_duration(int(wait.total_seconds()))}后再试。"
                            f"{_who_helps(account.role)}")
            failed = SignInError(message)
        else:
            failed = None
            account.failed_attempts = 0
            account.locked_until = None
            account.last_sign_in = at
            if _hasher.check_needs_rehash(account.password_hash):
                account.password_hash = _hasher.hash(password)
            if db.slots is not None and account.username not in db.slots.names(PASSWORD):
                _slot(s, PASSWORD, account.username, password)  # an account from before encryption
            user = CurrentUser(account.username, account.full_name, account.role)
    if failed is not None:
        raise failed
    db.user = user
    return user


def unlock(db: Database, username: str, password: str, *, now: datetime | None = None) -> None:
    """Encrypted and locked: the password's key slot opens the file (and counts wrong passwords)."""
    if db.locked:
        db.unlock(db.slots.unlock(PASSWORD, username.strip(), password, now=now))  # type: ignore[union-attr]


def sign_out(db: Database) -> None:
    db.user = None


def must_change_password(session: Session, username: str) -> bool:
    return _get(session, username).must_change_password


def needs_new_password(db: Database, username: str) -> bool:
    """Just signed in with a temporary password (a new account, or one reset): change it first."""
    with db.reading() as s:
        return must_change_password(s, username)


def change_password(session: Session, *, username: str, old_password: str, new_password: str) -> None:
    """A person changes their own password (needs the old one)."""
    account = _get(session, username)
    if not _verify(account.password_hash, old_password):
        raise ValidationError([FieldError("old_password", "原密码不正确")])
    if new_password == old_password:
        raise ValidationError([FieldError("password", "新密码不能与原密码相同")])
    _set_password(account, new_password, must_change=False, session=session)
    _event(session, "password", username, actor=username)


def change_own_password(db: Database, *, username: str, old_password: str, new_password: str) -> None:
    """`change_password` in a transaction of its own (the sign-in dialog, `fupin users passwd`)."""
    with db.transaction() as s:
        change_password(s, username=username, old_password=old_password, new_password=new_password)


def reset_password(session: Session, *, username: str, new_password: str) -> None:
    """The first secretary sets a temporary password; the person must change it at the next
    sign-in. Also lifts a wrong-password wait."""
    by = _require_manager(session)
    account = _get(session, username)
    if by is not None and by.username == username:
        raise PermissionDeniedError("不能用重设功能修改自己的密码；请用“修改密码”（需要原密码），或用恢复码。")
    _set_password(account, new_password, must_change=True, session=session)
    _event(session, "reset", username)


def recover_with_code(db: Database, *, username: str, code: str, new_password: str) -> str:
    """The first secretary forgot the password: the recovery code from set-up sets a new one.

    Returns a NEW recovery code (the old one is used up), to be written down again.
    """
    if db.locked:  # encrypted: the recovery code's key slot opens the file
        db.unlock(db.slots.unlock(RECOVERY, username.strip(), normal_code(code)))  # type: ignore[union-attr]
    with db.transaction(actor=username) as s:
        account = _get(s, username)
        if account.recovery_hash is None or not _verify(account.recovery_hash, _normal_code(code)):
            raise SignInError("恢复码不正确。恢复码在建立账户时打印或抄写在纸上，请核对后重试。")
        _set_password(account, new_password, must_change=False, session=s)
        fresh = new_recovery_code()
        account.recovery_hash = _hasher.hash(_normal_code(fresh))
        _slot(s, RECOVERY, username, normal_code(fresh))
        _event(s, "recover", username, actor=username)
    return fresh


def new_recovery_code_for(session: Session, username: str) -> str:
    """Issue a fresh recovery code for a managing account (the old one stops working)."""
    _require_manager(session)
    account = _get(session, username)
    if account.role not in MANAGERS:
        raise ValidationError([FieldError("role", "只有第一书记和县级管理员有恢复码")])
    code = new_recovery_code()
    account.recovery_hash = _hasher.hash(_normal_code(code))
    _slot(session, RECOVERY, username, normal_code(code))
    _event(session, "recovery_code", username)
    return code


def set_role(session: Session, *, username: str, role: str) -> None:
    _require_manager(session)
    if role not in ROLES:
        raise ValidationError([FieldError("role", f"角色只能是：{'、'.join(ROLES)}")])
    account = _get(session, username)
    if account.role in MANAGERS and role not in MANAGERS:
        _keep_a_manager(session, account)
    if account.role != role:
        _event(session, "role", username, f"{account.role} → {role}")
    account.role = role


def set_active(session: Session, *, username: str, active: bool) -> None:
    """Disable (or enable again) an account; accounts are never deleted (the log names them)."""
    by = _require_manager(session)
    account = _get(session, username)
    if not active:
        if by is not None and by.username == username:
            raise PermissionDeniedError("不能停用自己正在使用的账户。")
        if account.role in MANAGERS:
            _keep_a_manager(session, account)
    if account.active != active:
        _event(session, "enable" if active else "disable", username)
    if not active:  # a disabled person's password must not open the file either
        _drop_slots(session, username)
    account.active = active


def _keep_a_manager(session: Session, account: UserAccount) -> None:
    others = session.scalar(select(func.count()).select_from(UserAccount).where(
        UserAccount.role.in_(MANAGERS), UserAccount.active, UserAccount.id != account.id))
    if not others:
        raise PermissionDeniedError("这是唯一能管理账户的账户（第一书记/县级管理员），不能停用或降级。")


def idle_lock_minutes(session: Session) -> int:
    value = session.get(LocalSetting, IDLE_MINUTES_KEY)
    return int(value.value) if value is not None else rules.IDLE_LOCK_MINUTES


def set_idle_lock_minutes(session: Session, minutes: int) -> None:
    if not 1 <= minutes <= 240:
        raise ValidationError([FieldError("idle", "自动锁定时间应在1到240分钟之间")])
    session.merge(LocalSetting(key=IDLE_MINUTES_KEY, value=str(minutes)))


def _set_password(account: UserAccount, password: str, *, must_change: bool, session: Session | None = None) -> None:
    if (p := rules.password_problem(password, account.username)) is not None:
        raise ValidationError([FieldError("password", p)])
    if session is not None:
        _slot(session, PASSWORD, account.username, password)
    account.password_hash = _hasher.hash(password)
    account.must_change_password = must_change
    account.failed_attempts = 0
    account.locked_until = None


EVENT_NAMES = {"add": "新建账户", "role": "修改角色", "reset": "重设密码", "recover": "用恢复码重设密码",
               "password": "修改密码", "disable": "停用账户", "enable": "启用账户", "recovery_code": "发新恢复码"}


@dataclass(frozen=True)
class EventRow:
    at: datetime  # UTC
    actor: str
    action: str  # EVENT_NAMES' words
    username: str
    detail: str


def _event(session: Session, action: str, username: str, detail: str = "", *, actor: str | None = None) -> None:
    user: CurrentUser | None = session.info.get("user")
    who = actor or (user.username if user is not None else _NOBODY)
    session.add(AccountEvent(actor=who, action=action, username=username, detail=detail))


def account_events(session: Session, *, limit: int = 200) -> list[EventRow]:
    """The newest account changes first (for the first secretary or county administrator)."""
    _require_manager(session)
    rows = session.scalars(select(AccountEvent).order_by(AccountEvent.at.desc()).limit(limit))
    return [EventRow(e.at, e.actor, EVENT_NAMES.get(e.action, e.action), e.username, e.detail) for e in rows]


def _slot(session: Session, kind: str, username: str, secret: str) -> None:
    """Keep the key slots of an encrypted database with the accounts: a new slot for the new secret
    now; the old ones go when the transaction commits (the new one, if it rolls back). A crash in
    between leaves both, so whichever the database holds still opens the file."""
    db = session.info.get("database")
    if db is None or db.slots is None or db.key is None:
        return
    slots = db.slots
    new = slots.add(kind, username, secret, db.key)
    slots.save()
    session.info["on_commit"].append(lambda: (slots.drop(username, kind, keep=new), slots.save()))
    session.info["on_rollback"].append(lambda: (slots.drop(username, kind, only=new), slots.save()))


def _drop_slots(session: Session, username: str) -> None:
    db = session.info.get("database")
    if db is not None and db.slots is not None:
        slots = db.slots
        session.info["on_commit"].append(lambda: (slots.drop(username), slots.save()))


_dummy: list[str] = []


def _dummy_hash() -> str:
    """A hash made with the current parameters, checked for unknown names."""
    if not _dummy or _hasher.check_needs_rehash(_dummy[0]):
        _dummy[:] = [_hasher.hash(secrets.token_hex(8))]
    return _dummy[0]


def verify(hashed: str, password: str) -> bool:
    return _verify(hashed, password)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _duration(seconds: int) -> str:
    return f"{seconds}秒" if seconds < 60 else f"{(seconds + 59) // 60}分钟"
