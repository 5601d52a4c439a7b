"""Reference tables loaded from resources/reference; ids are uuid5 of the natural key."""

from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_unique


class Cause(Synced, Base):
    """致贫原因 (12 codes)."""

    __tablename__ = "ref_cause"
    __table_args__ = (live_unique("uq_ref_cause_live_code", "code"),)

    code: Mapped[str]
    name: Mapped[str]
    bureau: Mapped[str | None]  # 对责: the line bureau the cause routes to
    sort_order: Mapped[int] = mapped_column(default=0)


class HouseholdAttribute(Synced, Base):
    """户属性 such as 低保户, 特困供养户; a household holds a set of codes."""

    __tablename__ = "ref_household_attribute"
    __table_args__ = (live_unique("uq_ref_household_attribute_live_code", "code"),)

    code: Mapped[str]
    name: Mapped[str]
    sort_order: Mapped[int] = mapped_column(default=0)


class MeasureType(Synced, Base):
    """One entry of the 转扶搬保救 catalogue used by N+2 plans."""

    __tablename__ = "ref_measure_type"
    __table_args__ = (live_unique("uq_ref_measure_type_live_code", "code"),)

    code: Mapped[str]
    family: Mapped[str]  # 转 / 扶 / 搬 / 保 / 救
    name: Mapped[str]
    level: Mapped[str]  # 户 / 人 / 户或人
    note: Mapped[str | None]
    sort_order: Mapped[int] = mapped_column(default=0)


class PovertyLine(Synced, Base):
    """扶贫标准: per-capita net income line for a year and jurisdiction, in fen."""

    __tablename__ = "ref_poverty_line"
    __table_args__ = (live_unique("uq_ref_poverty_line_live_year", "year", "jurisdiction"),)

    year: Mapped[int]
    jurisdiction: Mapped[str]  # 全国 / 河南省 / 郑州市 …
    amount_fen: Mapped[int]
    source: Mapped[str | None]


class AssistanceStandard(Synced, Base):
    """低保 / 特困 / 孤儿 standards for a year and jurisdiction, in fen per period."""

    __tablename__ = "ref_assistance_standard"
    __table_args__ = (
        live_unique("uq_ref_assistance_standard_live_key", "year", "jurisdiction", "kind"),
    )

    year: Mapped[int]
    jurisdiction: Mapped[str]
    kind: Mapped[str]  # 农村低保 / 特困供养(分散) …
    amount_fen: Mapped[int]
    period: Mapped[str]  # 月 / 年
    source: Mapped[str | None]


class Policy(Synced, Base):
    """享受政策 catalogue: one policy a household or member can receive (低保, 雨露计划, 两项补贴 …).

    The default amount for a year comes from `standard_kind` (a row of ref_assistance_standard,
    latest year not after it) or else from `amount_fen`; both are per `unit` (人 or 户) and `period`.
    """

    __tablename__ = "ref_policy"
    __table_args__ = (live_unique("uq_ref_policy_live_code", "code"),)

    code: Mapped[str]
    name: Mapped[str]
    category: Mapped[str]  # 教育 / 医疗 / 兜底保障 …
    level: Mapped[str]  # 户 / 人 / 户或人: who receives it
    unit: Mapped[str]  # 人 / 户: what the standard amount is per
    income_type: Mapped[str]  # 转移性 / 工资性 / 财产性 / 不计入收入
    standard_kind: Mapped[str | None]  # AssistanceStandard.kind giving the amount by year
    amount_fen: Mapped[int | None]  # fixed default when there is no standard
    period: Mapped[str]  # 月 / 年 / 次
    payer: Mapped[str | None]  # usual paying body
    note: Mapped[str | None]
    sort_order: Mapped[int] = mapped_column(default=0)
