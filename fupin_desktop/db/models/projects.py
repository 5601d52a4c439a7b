"""项目资金台账: projects with fund sources, approval steps, spending, beneficiaries and the assets
they formed (扶贫资产); the village's collective-economy income by year and source."""

import uuid
from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced


class Project(Synced, Base):
    __tablename__ = "project"
    __noun__ = "项目"

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    year: Mapped[int]
    type: Mapped[str]  # domain.notices.PROJECT_TYPES
    name: Mapped[str]
    approval_mode: Mapped[str]  # 四议两公开 / 一事一议
    implementer: Mapped[str | None]  # 实施单位
    contract_no: Mapped[str | None]
    contractor: Mapped[str | None]  # 承建方
    contract_fen: Mapped[int | None]
    contract_signed_on: Mapped[date | None]
    started_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    accepted_on: Mapped[date | None]  # 验收
    accepted_by: Mapped[str | None]
    acceptance_note: Mapped[str | None]
    poverty_link: Mapped[str | None]  # 带贫机制
    note: Mapped[str | None]


class ProjectFund(Synced, Base):
    """Budget of one fund source."""

    __tablename__ = "project_fund"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    source: Mapped[str]  # domain.notices.FUND_SOURCES
    amount_fen: Mapped[int]
    document: Mapped[str | None]  # 资金文号


class ProjectStep(Synced, Base):
    """An approval step (四议两公开 / 一事一议) and the day it was held."""

    __tablename__ = "project_step"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    step: Mapped[str]
    held_on: Mapped[date]
    note: Mapped[str | None]  # 参会人数, 表决结果 …


class ProjectSpending(Synced, Base):
    __tablename__ = "project_spending"
    __noun__ = "笔支出"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    source: Mapped[str]
    paid_on: Mapped[date]
    amount_fen: Mapped[int]
    payee: Mapped[str | None]
    purpose: Mapped[str | None]
    voucher: Mapped[str | None]  # 报账凭证号
    over_budget_reason: Mapped[str | None]  # required when this entry takes the source above budget


class ProjectBeneficiary(Synced, Base):
    __tablename__ = "project_beneficiary"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("project.id"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    benefit: Mapped[str | None]  # 务工, 分红, 饮水 …


class Asset(Synced, Base):
    """扶贫资产 formed by a project: ownership (确权), upkeep (管护) and operation."""

    __noun__ = "资产"
    __tablename__ = "asset"

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("project.id"), index=True)
    name: Mapped[str]
    kind: Mapped[str]  # 经营性 / 公益性 / 到户类
    value_fen: Mapped[int]
    owner: Mapped[str]  # 产权归属
    confirmed_on: Mapped[date | None]  # 确权登记日期
    custodian: Mapped[str | None]  # 管护责任人
    custodian_phone: Mapped[str | None]
    operator: Mapped[str | None]  # 运营主体
    location: Mapped[str | None]
    note: Mapped[str | None]


class CollectiveIncome(Synced, Base):
    """村集体经济收入 of one year from one source, and how it was distributed (收益分配)."""

    __noun__ = "笔集体收入"
    __tablename__ = "collective_income"

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    year: Mapped[int]
    source: Mapped[str]  # domain.notices.COLLECTIVE_INCOME_SOURCES
    amount_fen: Mapped[int]
    asset_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("asset.id"), index=True)
    received_on: Mapped[date | None]
    distribution: Mapped[str | None]  # 分红到户 / 公益岗工资 / 防返贫救助金 / 村集体留存 …
    note: Mapped[str | None]
