"""Registers the work team is judged by besides the plan: the village exit checklist (domain.md §4.3),
易地扶贫搬迁 (§2.13) and 扶贫小额信贷 (§2.12). Each row reaches its village through a foreign key,
so sync's rights check covers it like any other village row."""

import uuid
from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_unique


class VillageExitItem(Synced, Base):
    """One item of the village exit checklist (通硬化路, 通客车 …) for a year: met or not, with evidence."""

    __tablename__ = "village_exit_item"
    __table_args__ = (live_unique("uq_village_exit_item_live_item", "village_id", "year", "item"),)

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    year: Mapped[int]
    item: Mapped[str]  # domain.village_exit.ITEMS
    state: Mapped[str]  # 达标 / 未达标 / 待核实
    evidence: Mapped[str | None]  # what shows it: 验收文件, 照片, 合同 …
    checked_on: Mapped[date | None]
    note: Mapped[str | None]


class Relocation(Synced, Base):
    """易地扶贫搬迁 of one household: where to, house, members moved, and the old house and deed."""

    __noun__ = "搬迁登记"
    __tablename__ = "relocation"
    __table_args__ = (live_unique("uq_relocation_live_household", "household_id"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    site: Mapped[str]  # 安置点: 雨露社区 …
    batch_year: Mapped[int | None]
    house_number: Mapped[str | None]
    house_area_m2: Mapped[float]
    members_moved: Mapped[int]
    moved_on: Mapped[date | None]  # 入住
    demolish_due: Mapped[date | None]  # 拆旧复垦期限: 3–6 months after moving in
    demolished_on: Mapped[date | None]
    deed_due: Mapped[date | None]  # 宅基证交回期限
    deed_surrendered_on: Mapped[date | None]
    same_time_non_poor: Mapped[bool] = mapped_column(default=False)  # 同步搬迁
    note: Mapped[str | None]


class MicroLoan(Synced, Base):
    """扶贫小额信贷: one loan to a member of a household, and the plan measure that funds it."""

    __noun__ = "笔贷款"
    __tablename__ = "micro_loan"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    borrower_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id"), index=True)
    measure_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("plan_measure.id"), index=True)
    bank: Mapped[str]
    amount_fen: Mapped[int]
    term_months: Mapped[int]
    rate_bp: Mapped[int]  # annual rate in hundredths of a percent (435 = 4.35%)
    subsidy_bp: Mapped[int] = mapped_column(default=0)  # 财政贴息, same unit
    use_kind: Mapped[str]  # 户贷户用 / 企业带贫
    use: Mapped[str | None]  # 养牛, 香菇 …
    lent_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    repaid_on: Mapped[date | None]
    followed_up_on: Mapped[date | None]  # 按季贷后跟踪: the last visit
    note: Mapped[str | None]
