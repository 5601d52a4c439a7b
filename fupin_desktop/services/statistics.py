"""统计: the figures of the 统计 page — counts by cause, status, attribute and measure family, plan
compliance, income distribution and the members of registered households — as ordered
(label, value) series ready for a chart and a table.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import AssistancePlan, Household, HouseholdIncome, Member, PlanMeasure
from fupin_desktop.db.query import live
from fupin_desktop.domain import clock
from fupin_desktop.domain import plan_rules as rules
from fupin_desktop.domain.vocab import HOUSEHOLD_STATUSES, REGISTERED_STATUSES
from fupin_desktop.services.dashboard import village_profile
from fupin_desktop.services.lines import poverty_line
from fupin_desktop.services.plans import compliance_report

Series = list[tuple[str, int]]
# 人均纯收入 bands in 元 (lower bounds); the last band is open.
INCOME_BANDS = (0, 4000, 6000, 8000, 10000, 15000, 20000, 30000)


@dataclass(frozen=True)
class Statistics:
    year: int  # plan year
    income_year: int
    by_cause: Series  # main cause → registered households
    by_status: Series  # household status → households
    persons_by_status: Series
    by_attribute: Series
    by_family: Series  # measure family → measures in the year's plans
    households_by_family: Series  # measure family → households with at least one such measure
    compliance: Series  # 合规 / 有错误 / 无计划
    by_rule: Series  # rule title → plans with an error of it
    income_bands: Series  # band label → households
    line_fen: int | None
    below_line: int  # households whose per-capita income is below the year's line
    labour: Series  # labour ability of members of registered households
    health: Series


def _band_label(i: int) -> str:
    lo = INCOME_BANDS[i]
    if i + 1 < len(INCOME_BANDS):
        return f"{lo}–{INCOME_BANDS[i + 1]}元" if lo else f"{INCOME_BANDS[1]}元以下"
    return f"{lo}元以上"


def village_statistics(session: Session, year: int | None = None) -> Statistics:
    today = clock.today()
    year = year or today.year
    income_year = year - 1
    profile = village_profile(session)
    statuses = [*HOUSEHOLD_STATUSES, *(s for s in profile.by_status if s not in HOUSEHOLD_STATUSES)]
    by_family: Counter[str] = Counter()
    households_by_family: dict[str, set] = {f: set() for f in rules.FAMILIES}
    for family, hid in session.execute(select(PlanMeasure.family, AssistancePlan.household_id)
                                       .join(AssistancePlan, PlanMeasure.plan_id == AssistancePlan.id)
                                       .where(AssistancePlan.year == year, live(AssistancePlan),
                                              live(PlanMeasure))):
        by_family[family] += 1
        households_by_family.setdefault(family, set()).add(hid)
    report = compliance_report(session, year, include_warnings=False)
    bands = [0] * len(INCOME_BANDS)
    line = poverty_line(session, income_year)
    below = 0
    for persons, w, o, p, t, e in session.execute(
            select(HouseholdIncome.persons, HouseholdIncome.wage_fen, HouseholdIncome.operating_fen,
                   HouseholdIncome.property_fen, HouseholdIncome.transfer_fen, HouseholdIncome.expense_fen)
            .join(Household).where(HouseholdIncome.year == income_year, live(HouseholdIncome),
                                   live(Household))):
        if not persons:
            continue
        per_capita = (w + o + p + t - e) / persons / 100
        i = max(k for k, lo in enumerate(INCOME_BANDS) if per_capita >= lo) if per_capita >= 0 else 0
        bands[i] += 1
        below += line is not None and per_capita * 100 < line
    labour: Counter[str] = Counter()
    health: Counter[str] = Counter()
    for ability, state in session.execute(select(Member.labour_ability, Member.health).join(Household).where(
            live(Member), live(Household), Household.status.in_(REGISTERED_STATUSES))):
        labour[ability or "未填"] += 1
        health[state or "未填"] += 1
    return Statistics(
        year=year, income_year=income_year,
        by_cause=list(profile.by_cause.items()),
        by_status=[(s, profile.by_status.get(s, (0, 0))[0]) for s in statuses],
        persons_by_status=[(s, profile.by_status.get(s, (0, 0))[1]) for s in statuses],
        by_attribute=list(profile.by_attribute.items()),
        by_family=[(f"{f} {rules.FAMILY_NAMES[f]}", by_family[f]) for f in rules.FAMILIES],
        households_by_family=[(f"{f} {rules.FAMILY_NAMES[f]}", len(households_by_family[f])) for f in rules.FAMILIES],
        compliance=[("合规", report.compliant), ("有错误", report.plans - report.compliant),
                    ("无计划", report.without_plan)],
        by_rule=[(f"{r} {rules.RULE_TITLES.get(r, '')}", n) for r, n in sorted(report.by_rule.items())],
        income_bands=[(_band_label(i), n) for i, n in enumerate(bands)],
        line_fen=line, below_line=below,
        labour=labour.most_common(), health=health.most_common())
