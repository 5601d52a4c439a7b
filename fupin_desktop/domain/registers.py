"""Rules of the registers the work team is judged by (domain.md §2.12, §2.13, §4.3): the village exit
checklist, 易地扶贫搬迁 and 扶贫小额信贷. Each check returns Chinese FieldErrors that say which rule
and what to change; stdlib only."""

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.money import yuan_whole
from fupin_desktop.errors import FieldError

# -- village exit (§4.3, [004] 目标任务) ------------------------------------------------------------
MET, NOT_MET, UNVERIFIED = "达标", "未达标", "待核实"
ITEM_STATES = (MET, NOT_MET, UNVERIFIED)
VILLAGE_ITEMS = ("通硬化路", "通客车", "通安全饮水", "通生产生活用电", "广播电视户户通", "有综合性文化服务中心",
                 "有标准化卫生室", "有合格乡村医生或执业（助理）医师", "通宽带网络", "有特色产业",
                 "有村集体经济收入")
INCIDENCE_LIMIT = 2.0  # 贫困发生率 below 2 % [004]


@dataclass(frozen=True)
class VillageVerdict:
    ready: bool  # may exit (or stays exited): rate below 2 % and every item met
    gaps: tuple[str, ...]  # what stands in the way, one line each
    watch: tuple[str, ...]  # for a village that has exited: why it is on the fix list ([003])


def judge_village(rate: float | None, states: dict[str, str], exited_year: int | None, year: int) -> VillageVerdict:
    """The village exit test: 贫困发生率 < 2 % and every checklist item met. An exited village whose rate
    is above 2 % or that has a gap goes on the fix list 「已退出但贫困发生率高于2%或…有缺项的村」 [003]."""
    gaps = []
    if rate is None:
        gaps.append("贫困发生率无法计算：请在村情中填写总人口")
    elif rate >= INCIDENCE_LIMIT:
        gaps.append(f"贫困发生率{rate:.2f}%，未降至{INCIDENCE_LIMIT:.0f}%以下")
    not_met = [i for i in VILLAGE_ITEMS if states.get(i) == NOT_MET]
    unknown = [i for i in VILLAGE_ITEMS if states.get(i, UNVERIFIED) == UNVERIFIED]
    if not_met:
        gaps.append(f"未达标：{'、'.join(not_met)}")
    if unknown:
        gaps.append(f"待核实：{'、'.join(unknown)}")
    watch = []
    if exited_year is not None and exited_year <= year:
        if rate is not None and rate > INCIDENCE_LIMIT:
            watch.append(f"已于{exited_year}年退出，但贫困发生率{rate:.2f}%高于{INCIDENCE_LIMIT:.0f}%")
        if not_met:
            watch.append(f"已于{exited_year}年退出，但基础设施、公共服务有缺项：{'、'.join(not_met)}")
    return VillageVerdict(not gaps, tuple(gaps), tuple(watch))


# -- 易地扶贫搬迁 (§2.13) ----------------------------------------------------------------------------
AREA_PER_PERSON_M2 = 25  # 「人均住房建设面积不超过25平方米」
DEMOLISH_MONTHS = (3, 6)  # 「搬迁入住后3—6个月内完成拆旧复垦」


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class RelocationForm:
    site: str
    house_area_m2: float
    members_moved: int
    batch_year: int | None = None
    house_number: str | None = None
    moved_on: date | None = None
    demolish_due: date | None = None  # None: six months after moving in
    demolished_on: date | None = None
    deed_due: date | None = None  # None: the demolition deadline
    deed_surrendered_on: date | None = None
    same_time_non_poor: bool = False
    note: str | None = None


def check_relocation(f: RelocationForm, household_members: int, today: date) -> list[FieldError]:
    errors = []
    if not f.site.strip():
        errors.append(FieldError("site", "请填写安置点（如 雨露社区）"))
    if not 1 <= f.members_moved <= max(household_members, 1):
        most = max(household_members, 1)
        errors.append(FieldError("members_moved", f"搬迁人数应在1到{most}人（本户登记的人数）之间"))
    if not 0 < f.house_area_m2 <= 10_000:
        errors.append(FieldError("house_area_m2", "住房面积应为正数（平方米）"))
    elif f.members_moved >= 1 and f.house_area_m2 > AREA_PER_PERSON_M2 * f.members_moved + 1e-6:
        cap = AREA_PER_PERSON_M2 * f.members_moved
        errors.append(FieldError("house_area_m2", f"住房面积{f.house_area_m2:g}平方米超过上限{cap}平方米"
                                                  f"（建档立卡搬迁人口人均不超过{AREA_PER_PERSON_M2}平方米 × "
                                                  f"{f.members_moved}人）：请核对面积或搬迁人数"))
    if f.batch_year is not None and not 2000 <= f.batch_year <= today.year + 1:
        errors.append(FieldError("batch_year", f"搬迁批次年度{f.batch_year}不合理"))
    for name, label in (("moved_on", "入住日期"), ("demolished_on", "拆旧日期"),
                        ("deed_surrendered_on", "交回宅基证日期")):
        value = getattr(f, name)
        if value is not None and value > today:
            errors.append(FieldError(name, f"{label}不能晚于今天"))
    if f.moved_on is None:
        if f.demolish_due or f.demolished_on:
            errors.append(FieldError("moved_on", "请先填写入住日期：拆旧期限从入住日期起算"))
    else:
        latest = add_months(f.moved_on, DEMOLISH_MONTHS[1])
        if f.demolish_due is not None and not f.moved_on < f.demolish_due <= latest:
            errors.append(FieldError("demolish_due", f"拆旧复垦期限应在入住后{DEMOLISH_MONTHS[0]}—{DEMOLISH_MONTHS[1]}"
                                                     f"个月内（不晚于{latest:%Y-%m-%d}）"))
        for name, label in (("demolished_on", "拆旧日期"), ("deed_surrendered_on", "交回宅基证日期")):
            value = getattr(f, name)
            if value is not None and value < f.moved_on:
                errors.append(FieldError(name, f"{label}不能早于入住日期{f.moved_on:%Y-%m-%d}"))
    return errors


def relocation_deadlines(f: RelocationForm) -> tuple[date | None, date | None]:
    """(demolition deadline, deed deadline): six months after moving in unless set."""
    if f.moved_on is None:
        return f.demolish_due, f.deed_due
    demolish = f.demolish_due or add_months(f.moved_on, DEMOLISH_MONTHS[1])
    return demolish, f.deed_due or demolish


# -- 扶贫小额信贷 (§2.12) ----------------------------------------------------------------------------
MAX_LOAN_FEN = 50_000 * 100  # 「5万元以下」
MAX_TERM_MONTHS = 36  # 「3年期」
LOAN_USES = ("户贷户用", "企业带贫")
DUE_SOON_DAYS = 90
FOLLOW_UP_DAYS = 92  # 「按季进行贷后跟踪调查」


@dataclass(frozen=True)
class LoanForm:
    borrower: str  # a member's name
    bank: str
    amount_fen: int
    term_months: int
    rate_bp: int
    lent_on: date
    subsidy_bp: int = 0
    use_kind: str = LOAN_USES[0]
    use: str | None = None
    due_on: date | None = None  # None: the term after the loan date
    repaid_on: date | None = None
    followed_up_on: date | None = None
    measure_id: str | None = None  # hex id of the plan measure that funds it
    note: str | None = None


def check_loan(f: LoanForm, today: date) -> list[FieldError]:
    errors = []
    if not f.bank.strip():
        errors.append(FieldError("bank", "请填写放贷银行（如 荥阳农商银行）"))
    if f.amount_fen <= 0:
        errors.append(FieldError("amount", "贷款金额应大于0"))
    elif f.amount_fen > MAX_LOAN_FEN:
        errors.append(FieldError("amount", f"贷款金额{yuan_whole(f.amount_fen)}元超过扶贫小额信贷上限5万元"
                                           "（5万元以下、3年期）：请改为5万元以内，超出部分不属于扶贫小额信贷"))
    if not 1 <= f.term_months <= MAX_TERM_MONTHS:
        errors.append(FieldError("term", f"贷款期限{f.term_months}个月不符合扶贫小额信贷规定（3年期以内，1—36个月）"))
    if not 0 <= f.rate_bp <= 2_000:
        errors.append(FieldError("rate", "年利率应在0到20%之间（如 4.35）"))
    if not 0 <= f.subsidy_bp <= max(f.rate_bp, 0):
        errors.append(FieldError("subsidy", "财政贴息利率不能高于贷款利率"))
    if f.use_kind not in LOAN_USES:
        errors.append(FieldError("use_kind", f"贷款用途方式应为：{'、'.join(LOAN_USES)}"))
    if f.lent_on > today:
        errors.append(FieldError("lent_on", "放贷日期不能晚于今天"))
    if f.due_on is not None:
        if f.due_on <= f.lent_on:
            errors.append(FieldError("due_on", "到期日期应晚于放贷日期"))
        elif f.due_on > add_months(f.lent_on, MAX_TERM_MONTHS):
            errors.append(FieldError("due_on", "到期日期超过放贷后3年，不符合扶贫小额信贷3年期的规定"))
    for name, label in (("repaid_on", "还款日期"), ("followed_up_on", "贷后跟踪日期")):
        value = getattr(f, name)
        if value is not None and value > today:
            errors.append(FieldError(name, f"{label}不能晚于今天"))
        if value is not None and value < f.lent_on:
            errors.append(FieldError(name, f"{label}不能早于放贷日期{f.lent_on:%Y-%m-%d}"))
    return errors


def loan_due(f: LoanForm) -> date:
    return f.due_on or add_months(f.lent_on, f.term_months)
