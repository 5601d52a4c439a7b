"""N+2 assistance plans, their measures and progress notes; monitoring; the exit procedure."""

import uuid
from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_unique


class AssistancePlan(Synced, Base):
    """One household's N+2帮扶计划 for one year (domain.md §3.2): status and 双认定."""

    __noun__ = "帮扶计划"
    __tablename__ = "assistance_plan"
    __table_args__ = (live_unique("uq_assistance_plan_live_year", "household_id", "year"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str]  # domain.plan_rules.PLAN_STATUSES
    planned_exit_year: Mapped[int | None]
    submitted_on: Mapped[date | None]
    approved_on: Mapped[date | None]
    approved_by: Mapped[str | None]
    team_confirmed_on: Mapped[date | None]  # 双认定: the 帮扶责任人 / work team
    team_confirmed_by: Mapped[str | None]
    household_confirmed_on: Mapped[date | None]  # 双认定: the household's signature or thumbprint
    household_signer: Mapped[str | None]
    closed_on: Mapped[date | None]
    note: Mapped[str | None]


class PlanMeasure(Synced, Base):
    """One measure with its 五对 fields (domain.md §3.3). member_id None: a household-level measure."""

    __noun__ = "措施"
    __tablename__ = "plan_measure"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assistance_plan.id"), index=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"), index=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    type_code: Mapped[str]  # MeasureType.code
    family: Mapped[str]  # 转 / 扶 / 搬 / 保 / 救
    type_name: Mapped[str]
    target: Mapped[str | None]  # 对事: a concrete target
    description: Mapped[str | None]
    responsible_person: Mapped[str | None]  # 对责
    responsible_unit: Mapped[str | None]
    planned_start: Mapped[date | None]  # 对时
    deadline: Mapped[date | None] = mapped_column(index=True)
    multi_year: Mapped[bool] = mapped_column(default=False)
    completed_on: Mapped[date | None]
    funded: Mapped[bool] = mapped_column(default=False)  # 对账
    amount_fen: Mapped[int | None]
    fund_source: Mapped[str | None]
    disbursed_on: Mapped[date | None]
    payee: Mapped[str | None]
    notice_posted: Mapped[bool] = mapped_column(default=False)


class MeasureProgress(Synced, Base):
    """A dated progress note on a measure."""

    __tablename__ = "plan_measure_progress"

    measure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_measure.id"), index=True)
    noted_on: Mapped[date]
    note: Mapped[str]
    author: Mapped[str | None]


class MonitoringSettings(Synced, Base):
    """防返贫监测 thresholds of the village (domain.md §4.5: configurable, the county decides)."""

    __tablename__ = "monitoring_settings"
    __table_args__ = (live_unique("uq_monitoring_settings_live_village", "village_id"),)

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"))
    income_ratio_percent: Mapped[int] = mapped_column(default=150)  # income < line × ratio
    medical_spending_fen: Mapped[int] = mapped_column(default=2_000_000)  # 2万元
    flag_disability: Mapped[bool] = mapped_column(default=True)
    flag_disaster: Mapped[bool] = mapped_column(default=True)
    flag_job_loss: Mapped[bool] = mapped_column(default=True)


class RiskCase(Synced, Base):
    """A household under 防返贫监测: 疑似 → 甄别中 → 确认 / 排除, with dates and who decided."""

    __noun__ = "监测记录"
    __tablename__ = "risk_case"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int]
    found_on: Mapped[date]
    reasons: Mapped[list[str]] = mapped_column(default=list)
    medical_spending_fen: Mapped[int | None]
    status: Mapped[str]  # domain.monitoring.RISK_STATUSES
    category: Mapped[str | None]  # 脱贫不稳定户 / 边缘易致贫户 once confirmed
    screened_on: Mapped[date | None]
    decided_on: Mapped[date | None]
    decided_by: Mapped[str | None]
    note: Mapped[str | None]


class ExitProcedure(Synced, Base):
    """A household proposed to exit (退出程序), one per household and year."""

    __noun__ = "退出程序"
    __tablename__ = "exit_procedure"
    __table_args__ = (live_unique("uq_exit_procedure_live_year", "household_id", "year"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int]
    proposed_on: Mapped[date]
    finished_on: Mapped[date | None]
    note: Mapped[str | None]
    # 双认定 (domain.md §3.3 对账): both are required before 脱贫销号, against 被脱贫 / 数字脱贫
    government_confirmed_on: Mapped[date | None]
    government_confirmed_by: Mapped[str | None]  # 乡镇人民政府 / who signed for it
    household_confirmed_on: Mapped[date | None]
    household_signer: Mapped[str | None]  # the member who signed or pressed a thumbprint
    household_sign_method: Mapped[str | None]  # 签字 / 按手印


class ExitStep(Synced, Base):
    """One of the five steps 统计摸底 → 民主评议 → 核实认可 → 公告公示 → 脱贫销号."""

    __tablename__ = "exit_step"
    __table_args__ = (live_unique("uq_exit_step_live_step", "procedure_id", "step"),)

    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exit_procedure.id"), index=True)
    step: Mapped[str]
    done_on: Mapped[date]
    participants: Mapped[str | None]
    minutes: Mapped[str | None]
    objections: Mapped[str | None]
    attachments: Mapped[list[str]] = mapped_column(default=list)
