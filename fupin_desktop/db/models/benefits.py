"""享受政策 received by a household or one of its members, and the 明白栏 posted per household."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_index


class Benefit(Synced, Base):
    """One policy benefit of one year: to the household, or to one member (member_id set)."""

    __noun__ = "条享受政策记录"
    __tablename__ = "benefit"
    __table_args__ = (live_index("ix_benefit_live_year", "year", "household_id"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"), index=True)
    year: Mapped[int]
    policy_code: Mapped[str]  # ref_policy.code
    amount_fen: Mapped[int]
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    payer: Mapped[str | None]  # 发放单位
    paid_on: Mapped[date | None]
    proof: Mapped[str | None]  # 凭证: 一卡通流水号, 文件号, 收据号
    note: Mapped[str | None]


class BoardPosting(Synced, Base):
    """A household's 明白栏 as it was posted on a day: the content itself, so later edits show as
    "out of date" and the posted sheet stays readable."""

    __tablename__ = "board_posting"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int]
    posted_on: Mapped[date]
    content_hash: Mapped[str]  # sha-256 of the content's canonical JSON
    content: Mapped[dict[str, Any]]
    note: Mapped[str | None]
