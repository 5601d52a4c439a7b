"""Home visits (走访), the problem-rectification ledger (问题整改台账) and the presence log (驻村考勤):
vocabularies and the pure rules (visit due dates, 销号, days in village). No database, no Qt.

Sources: domain.md §6.1 (ledger fields, 销号 needs evidence and a verifier), §7 (visit types,
checklist, frequencies: 帮扶责任人「每月2次进村入户」, 周六“扶贫日”), §9.2 story 7 (presence).
"""

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

from fupin_desktop.errors import InputError

VISIT_TYPES = ("帮扶责任人入户", "工作队走访", "两委走访", "书记遍访", "扶贫日/帮扶日", "政策宣讲", "督查暗访陪同")

# 两不愁三保障 + 饮水 (four indicators) + income and jobs: key → label, in the order of the form.
CHECKLIST = {
    "food": "吃",
    "clothing": "穿",
    "education": "义务教育",
    "medical": "基本医疗",
    "housing": "住房安全",
    "water_quality": "饮水：水质",
    "water_quantity": "饮水：水量",
    "water_convenience": "饮水：方便程度",
    "water_reliability": "饮水：供水保证率",
    "income": "收入",
    "employment": "就业",
}
RESULT_OK, RESULT_PROBLEM, RESULT_NA = "正常", "有问题", "不涉及"
CHECK_RESULTS = (RESULT_OK, RESULT_PROBLEM, RESULT_NA)  # an item left out was not checked (未查)

# Policies a visit typically explains (which 明白卡); free text is allowed too.
POLICIES = ("医疗保障（七免一减、先诊疗后付费）", "教育资助（雨露计划）", "低保/特困供养", "残疾人两项补贴",
            "扶贫小额信贷", "到户增收/产业奖补", "公益性岗位", "转移就业/稳岗补贴", "危房改造", "防返贫监测",
            "养老保险代缴", "饮水安全（110服务卡）")

CONFIRMATIONS = ("户主签字确认", "家庭成员代签", "按手印确认", "口头确认（未签字）")

# -- 问题整改台账 ----------------------------------------------------------------------------------

LEDGER_SOURCES = ("自查", "督查巡查", "考核", "第三方评估", "审计", "信访", "走访发现", "巡视", "暗访")
LEDGER_CATEGORIES = ("两不愁三保障", "饮水安全", "收入就业", "数据质量", "政策落实", "资金项目", "作风")
LEDGER_LEVELS = ("村级", "户级", "人员")
OPEN, IN_PROGRESS, CLOSED = "未整改", "整改中", "已销号"
LEDGER_STATUSES = (OPEN, IN_PROGRESS, CLOSED)

# Which ledger category a checklist item's problem belongs to.
CHECKLIST_CATEGORY = {key: ("饮水安全" if key.startswith("water") else
                            "收入就业" if key in ("income", "employment") else "两不愁三保障")
                      for key in CHECKLIST}

# -- 驻村考勤 -------------------------------------------------------------------------------------

IN_VILLAGE, ON_BUSINESS, ON_LEAVE, REST = "在村", "公务外出", "请假(备案)", "休息"
PRESENCE_STATES = (IN_VILLAGE, ON_BUSINESS, ON_LEAVE, REST)
PRESENCE_SHORT = {IN_VILLAGE: "在", ON_BUSINESS: "公", ON_LEAVE: "假", REST: "休"}
LEAVE_KINDS = ("事假", "病假", "年休假", "探亲假", "婚丧假", "其他")


# -- visit planning --------------------------------------------------------------------------------

PERIODS = ("周", "月", "季度")


@dataclass(frozen=True)
class VisitRule:
    """Who must visit which households how often, e.g. 帮扶责任人 twice a month.

    `by_helper`: only visits in which the household's own 帮扶责任人 took part count.
    `statuses`: the 户状态 the rule covers (empty: all households).
    """

    name: str
    times: int
    period: str = "月"
    statuses: tuple[str, ...] = ()
    by_helper: bool = True
    active: bool = True


DEFAULT_RULES = (
    VisitRule("帮扶责任人每月入户2次", 2, "月",
              ("未脱贫", "已脱贫(享受政策)", "已脱贫(不享受政策)", "监测户", "边缘户"), by_helper=True),
)


def period_bounds(day: date, period: str) -> tuple[date, date]:
    """First and last day of the week (Monday–Sunday), month or quarter containing `day`."""
    if period == "周":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == "月":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if period == "季度":
        first_month = (day.month - 1) // 3 * 3 + 1
        last_month = first_month + 2
        return date(day.year, first_month, 1), date(day.year, last_month,
                                                    calendar.monthrange(day.year, last_month)[1])
    raise ValueError(f"unknown period {period!r}")


def nth_visit_due(start: date, end: date, times: int, n: int) -> date:
    """The day by which the n-th (1-based) of `times` visits in [start, end] is due.

    The period is split evenly: with 2 visits in a 31-day month the first is due on the 16th,
    the second on the 31st; in a 30-day month on the 15th and the 30th.
    """
    days = (end - start).days + 1
    return start + timedelta(days=math.ceil(n * days / times) - 1)


@dataclass(frozen=True)
class Due:
    """What a rule asks of one household in the current period."""

    rule: str
    done: int  # visits that count, this period
    required: int
    due: date  # when the next visit is due
    overdue: bool


def visit_due(rule: VisitRule, visits_in_period: int, today: date) -> Due | None:
    """None when the household has had all the visits the rule asks this period."""
    if visits_in_period >= rule.times:
        return None
    start, end = period_bounds(today, rule.period)
    day = nth_visit_due(start, end, rule.times, visits_in_period + 1)
    return Due(rule.name, visits_in_period, rule.times, day, day < today)


def next_saturday(today: date) -> date:
    """The coming Saturday (today, if today is one): the weekly 扶贫日 of 毕家村."""
    return today + timedelta(days=(5 - today.weekday()) % 7)


RISK_STATUSES = ("未脱贫", "监测户", "边缘户")


# -- ledger rules ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CloseCheck:
    evidence_files: int
    evidence_note: str | None
    verifier: str | None
    closed_on: date | None
    received_on: date | None
    today: date


def close_problems(check: CloseCheck) -> list[tuple[str, str]]:
    """(field, message) for each reason a ledger item cannot be 销号 yet."""
    out = []
    if check.evidence_files == 0 and not (check.evidence_note or "").strip():
        out.append(("evidence", "销号需要整改佐证：请上传照片或文件，或填写佐证说明"))
    if not (check.verifier or "").strip():
        out.append(("verifier", "销号需要填写验收人"))
    if check.closed_on is not None:
        if check.closed_on > check.today:
            out.append(("closed_on", "销号日期不能晚于今天"))
        elif check.received_on is not None and check.closed_on < check.received_on:
            out.append(("closed_on", "销号日期不能早于问题发现日期"))
    return out


def ledger_overdue(status: str, deadline: date | None, today: date) -> bool:
    """An item not yet 销号 whose deadline has passed: shown in red."""
    return status != CLOSED and deadline is not None and deadline < today


# -- presence --------------------------------------------------------------------------------------

def month_days(year: int, month: int) -> list[date]:
    return [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def parse_month(text: str) -> tuple[int, int]:
    """'2026-11' → (2026, 11); InputError with a Chinese message otherwise."""
    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
    except ValueError:
        raise InputError(f"月份“{text}”格式不对，应为 YYYY-MM，如 2026-11") from None
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise InputError(f"月份“{text}”不存在，应为 YYYY-MM，如 2026-11")
    return year, month
