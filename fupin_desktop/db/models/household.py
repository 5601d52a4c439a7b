"""Households, their members and their yearly income."""

import uuid
from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_index, live_unique


class Household(Synced, Base):
    __tablename__ = "household"
    __noun__ = "户"
    # number first: the register lists households in number order straight off this index
    __table_args__ = (live_unique("uq_household_live_number", "number", "village_id"),)

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("villager_group.id"), index=True)
    number: Mapped[str]  # 户编号, human-facing; never the key
    address: Mapped[str | None]
    phone: Mapped[str | None]
    status: Mapped[str] = mapped_column(index=True)  # domain.vocab.HOUSEHOLD_STATUSES
    attributes: Mapped[list[str]] = mapped_column(default=list)  # codes of HouseholdAttribute
    identified_year: Mapped[int | None]
    exit_year: Mapped[int | None]
    main_cause: Mapped[str | None]  # Cause.code
    secondary_causes: Mapped[list[str]] = mapped_column(default=list)
    helper_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cadre.id"), index=True)  # 帮扶责任人
    housing_safety: Mapped[str | None]  # domain.vocab.HOUSING_SAFETY
    housing_checked_on: Mapped[date | None]
    water_quality_ok: Mapped[bool | None]
    water_quantity_ok: Mapped[bool | None]
    water_convenience_ok: Mapped[bool | None]
    water_reliability_ok: Mapped[bool | None]
    water_checked_on: Mapped[date | None]
    note: Mapped[str | None]


class Member(Synced, Base):
    __tablename__ = "member"
    __noun__ = "成员"
    __table_args__ = (
        live_unique("uq_member_live_id_number", "id_number"),
        # The search box scans these covering indexes of live members instead of the table
        # (deleted_at is included so SQLite sees them as covering the query's filter).
        live_index("ix_member_live_search_name", "name", "household_id", "deleted_at"),
        live_index("ix_member_live_search_initials", "name_initials", "household_id", "deleted_at"),
        live_index("ix_member_live_search_id_number", "id_number", "household_id", "deleted_at"),
    )

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    name: Mapped[str]
    name_initials: Mapped[str]  # pinyin initials, "zsm" for 张三明; kept by the service layer
    id_number: Mapped[str]
    relation: Mapped[str]  # domain.vocab.RELATIONS
    sex: Mapped[str]  # derived from id_number
    birth_date: Mapped[date]  # derived from id_number
    labour_ability: Mapped[str | None]
    health: Mapped[str | None]
    disability_category: Mapped[str | None]
    disability_grade: Mapped[str | None]
    schooling_stage: Mapped[str | None]  # empty: not in school
    employment_status: Mapped[str | None]
    employment_place: Mapped[str | None]
    public_welfare_post: Mapped[str | None]  # 公益岗 type, empty if none
    medical_insurance: Mapped[bool] = mapped_column(default=True)
    pension_insurance: Mapped[bool] = mapped_column(default=False)
    dibao: Mapped[bool] = mapped_column(default=False)
    tekun: Mapped[bool] = mapped_column(default=False)
    left_behind: Mapped[bool] = mapped_column(default=False)  # 留守 (child, woman or elder)
    note: Mapped[str | None]


class HouseholdIncome(Synced, Base):
    """One year's income by source, in fen; net = sum of sources − production costs."""

    __noun__ = "年收入记录"
    __tablename__ = "household_income"
    __table_args__ = (live_unique("uq_household_income_live_year", "household_id", "year"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int]
    persons: Mapped[int]  # household size the figure is divided by
    wage_fen: Mapped[int] = mapped_column(default=0)
    operating_fen: Mapped[int] = mapped_column(default=0)
    property_fen: Mapped[int] = mapped_column(default=0)
    transfer_fen: Mapped[int] = mapped_column(default=0)
    expense_fen: Mapped[int] = mapped_column(default=0)  # 生产经营性支出
    note: Mapped[str | None]
