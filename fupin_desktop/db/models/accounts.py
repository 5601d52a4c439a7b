"""Accounts of this installation and its local settings. Neither travels in sync bundles:
password hashes stay on the laptop; the change log carries only the login name as the actor."""

import uuid
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, utcnow
from fupin_desktop.domain.ids import uuid7


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    username: Mapped[str] = mapped_column(unique=True)
    full_name: Mapped[str]
    role: Mapped[str]  # one of domain.accounts.ROLES
    password_hash: Mapped[str]  # argon2id, encoded with its parameters
    recovery_hash: Mapped[str | None]  # argon2id of the one-time recovery code (first secretary)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)  # accounts are disabled, never deleted
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_sign_in: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LocalSetting(Base):
    """Key/value settings of this installation (second backup folder, idle lock minutes …)."""

    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str]


class AccountEvent(Base):
    """Who added, changed the role of, reset, disabled or enabled an account, and when. Kept
    apart from the change log, whose numbered stream travels to the county; accounts do not."""

    __tablename__ = "account_event"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str]  # login name of whoever did it ("本机" before any account existed)
    action: Mapped[str]  # add / role / reset / recover / password / disable / enable / encrypt
    username: Mapped[str]  # the account concerned
    detail: Mapped[str] = mapped_column(default="")  # the new role …; never a password
