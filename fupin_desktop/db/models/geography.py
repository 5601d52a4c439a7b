"""County → township → village → 村民组, and the village's collective-economy income."""

import uuid

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_unique


class County(Synced, Base):
    __tablename__ = "county"
    __table_args__ = (live_unique("uq_county_live_code", "code"),)

    code: Mapped[str]  # 6-digit administrative division code, e.g. 410182
    name: Mapped[str]  # 荥阳市
    city: Mapped[str | None]  # 郑州市


class Township(Synced, Base):
    __tablename__ = "township"

    county_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("county.id"), index=True)
    code: Mapped[str | None]  # 9-digit code
    name: Mapped[str]


class Village(Synced, Base):
    __tablename__ = "village"
    __table_args__ = (live_unique("uq_village_live_code", "code"),)

    township_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("township.id"), index=True)
    code: Mapped[str]  # 12-digit statistical code
    name: Mapped[str]
    designation: Mapped[str | None]  # 省级贫困村 / 市级贫困村 / …
    tags: Mapped[list[str]] = mapped_column(default=list)  # 软弱涣散村, 集体经济空壳村 …
    designated_year: Mapped[int | None]
    exit_year: Mapped[int | None]
    households_total: Mapped[int | None]  # all households, registered or not
    population_total: Mapped[int | None]
    area_km2: Mapped[float | None]
    natural_villages: Mapped[int | None]
    note: Mapped[str | None]


class VillagerGroup(Synced, Base):
    """村民组 (or natural village): monitoring and the five-lowest register are per group."""

    __noun__ = "村民组"
    __tablename__ = "villager_group"
    __table_args__ = (live_unique("uq_villager_group_live_name", "village_id", "name"),)

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    name: Mapped[str]  # 一组 / 新沟 …
    sort_order: Mapped[int] = mapped_column(default=0)


class VillageIncome(Synced, Base):
    """村集体经济收入 for one year (money in fen)."""

    __tablename__ = "village_income"
    __table_args__ = (live_unique("uq_village_income_live_year", "village_id", "year"),)

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    year: Mapped[int]
    amount_fen: Mapped[int]
    note: Mapped[str | None]
