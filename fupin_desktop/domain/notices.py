"""Vocabularies and pure rules of 享受政策, 公示, 项目资金台账 and the 明白栏 (domain.md §2.14–2.15, §5, §6).

No database here: the services apply these to rows.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# -- 享受政策 -------------------------------------------------------------------------------------
INCOME_TRANSFER = "转移性"
INCOME_TYPES = (INCOME_TRANSFER, "工资性", "财产性", "不计入收入")
PERIODS = ("月", "年", "次")

# -- 公示 -----------------------------------------------------------------------------------------
NOTICE_KINDS = ("贫困户识别名单", "贫困户退出名单", "雨露计划补助名单", "项目立项", "项目验收", "资金使用",
                "易地搬迁名单", "其他")
# What a notice of each kind must list: households, projects, or nothing in particular.
NOTICE_LISTS = {"贫困户识别名单": "户", "贫困户退出名单": "户", "雨露计划补助名单": "户", "易地搬迁名单": "户",
                "项目立项": "项目", "项目验收": "项目", "资金使用": "项目", "其他": ""}
NOTICE_PLACES = ("村务公开栏", "村党群服务中心", "各村民组公示栏", "乡镇政府公示栏", "政府网站")
DEFAULT_NOTICE_DAYS = 7  # 公示7天: a common local rule, not in the seeds (domain.md §5); configurable per notice
OBJECTION_OUTCOMES = ("维持原公示", "更正后重新公示", "撤销公示", "其他")

# -- 项目资金台账 ----------------------------------------------------------------------------------
FUND_SOURCES = ("中央财政", "省级财政", "市级财政", "县级财政", "整合涉农资金", "社会/企业", "第一书记专项")
PROJECT_TYPES = ("产业发展", "基础设施", "安全饮水", "住房保障", "教育", "医疗卫生", "就业", "公共服务", "其他")
APPROVAL_MODES = ("四议两公开", "一事一议")
# The steps of each mode; a project may spend once the decision steps (all but the last, which
# publishes the result after the work) have dates. domain.md §4.4 item 7: usual form, not in seeds.
APPROVAL_STEPS = {
    "四议两公开": ("党支部提议", "两委商议", "党员大会审议", "村民代表会议决议", "决议公开", "实施结果公开"),
    "一事一议": ("村民会议议事", "方案公示", "乡镇审核", "县级审批", "实施结果公开"),
}
ASSET_KINDS = ("经营性资产", "公益性资产", "到户类资产")
COLLECTIVE_INCOME_SOURCES = ("资产收益", "光伏收益", "土地流转服务费", "入股分红", "房屋场地租赁", "经营服务",
                             "上级补助", "其他")

# -- 明白栏 ----------------------------------------------------------------------------------------
# Hotlines on every board. 12317 (national 扶贫 supervision line, general knowledge) and 12314
# (水利部, domain.md §2.10); the county's own 扶贫 hotline is not in the seeds: set it per county.
HOTLINES = (("全国扶贫监督举报电话", "12317"), ("农村饮水安全监督电话", "12314"))


def months_between(start: date | None, end: date | None) -> int | None:
    """Whole months a period covers, counting both ends' months (Jan–Dec → 12); None if open."""
    if start is None or end is None:
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def suggest_amount(amount_fen: int | None, period: str, *, months: int | None = None, persons: int = 1) -> int | None:
    """The default amount of a benefit: the standard × months (monthly) × persons; None without standard."""
    if amount_fen is None:
        return None
    factor = (months if months is not None else 12) if period == "月" else 1
    return amount_fen * factor * max(persons, 1)


def notice_due(posted_on: date, days: int) -> date:
    """The last day a notice stays posted: posted on day 1, down after `days` days."""
    return posted_on + timedelta(days=days - 1)


def missing_steps(mode: str, held: Mapping[str, date | None]) -> list[str]:
    """The decision steps of `mode` that have no date yet (the final 结果公开 comes after the work)."""
    steps = APPROVAL_STEPS.get(mode, ())
    return [s for s in steps[:-1] if held.get(s) is None]


def approved_on(mode: str, held: Mapping[str, date | None]) -> date | None:
    """The day the project was approved (its last decision step), or None while steps are missing."""
    steps = APPROVAL_STEPS.get(mode, ())
    if not steps or missing_steps(mode, held):
        return None
    return max(held[s] for s in steps[:-1])  # type: ignore[type-var]


@dataclass(frozen=True)
class BudgetLine:
    source: str
    budget_fen: int
    spent_fen: int

    @property
    def left_fen(self) -> int:
        return self.budget_fen - self.spent_fen


def budget_lines(budgets: Iterable[tuple[str, int]], spending: Iterable[tuple[str, int]]) -> list[BudgetLine]:
    """Budget vs spent per fund source, in FUND_SOURCES order (sources spent without budget included)."""
    budget: dict[str, int] = {}
    spent: dict[str, int] = {}
    for source, amount in budgets:
        budget[source] = budget.get(source, 0) + amount
    for source, amount in spending:
        spent[source] = spent.get(source, 0) + amount
    order = {s: i for i, s in enumerate(FUND_SOURCES)}
    sources = sorted(budget.keys() | spent.keys(), key=lambda s: (order.get(s, len(order)), s))
    return [BudgetLine(s, budget.get(s, 0), spent.get(s, 0)) for s in sources]
