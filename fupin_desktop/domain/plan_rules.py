"""N+2 assistance plans (N+2帮扶计划): vocabularies and the validator of domain.md §3.4.

Pure rules on plain dataclasses: the GUI editor, the CLI (`fupin plans --check`) and later the
county run the same `check_plan`. Every finding carries the rule number of the table in §3.4
(0 for input sanity: dates, amounts, members who left), a severity and a Chinese message.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from fupin_desktop.domain.money import yuan_brief
from fupin_desktop.domain.vocab import HOUSING_SAFE

PLAN_STATUSES = ("草稿", "已提交", "已审核", "执行中", "已完结")
DRAFT, SUBMITTED, APPROVED, EXECUTING, CLOSED = PLAN_STATUSES
# Statuses in which the plan has been approved (双认定 must be complete).
APPROVED_STATUSES = (APPROVED, EXECUTING, CLOSED)

FAMILIES = ("转", "扶", "搬", "保", "救")
FAMILY_NAMES = {"转": "转移就业", "扶": "产业扶持", "搬": "易地扶贫搬迁", "保": "社会保障", "救": "特殊救助"}
LEVEL_HOUSEHOLD, LEVEL_PERSON, LEVEL_EITHER = "户", "人", "户或人"

# Households that keep a yearly plan: 建档立卡 households plus the two monitored kinds.
PLAN_HOUSEHOLD_STATUSES = ("未脱贫", "已脱贫(享受政策)", "已脱贫(不享受政策)", "监测户", "边缘户")

FUND_SOURCES = ("中央财政", "省级财政", "市级财政", "县级财政", "整合涉农资金", "社会/企业", "第一书记专项",
                "金融机构", "其他")

ERROR, WARNING = "错误", "警告"

# Amounts above this for one measure are typing mistakes (a 易地搬迁 household gets about 13万元 in all).
MAX_AMOUNT_FEN = 50_000_000  # 50万元
SCHOOL_AGE = (6, 15)  # 义务教育 age band [derived]

# Catalogue codes (resources/reference/measure_types.csv) the rules look for. Codes are stable keys.
EDUCATION_CODES = frozenset({"BZ03", "BZ04", "BZ05", "BZ06", "BZ07", "BZ08", "J09"})
HEALTH_CODES = frozenset({"BZ09", "BZ10", "BZ11", "BZ12", "BZ13", "BZ14", "BZ15", "BZ16", "J10"})
DISABILITY_CODES = frozenset({"J03", "J04", "J05", "J06", "J07"})
HOUSING_CODES = frozenset({"BZ19", "J11", "B01"})  # 危房改造, 住房救助, 易地扶贫搬迁
TRAINING_CODES = frozenset({"Z07", "Z08", "Z09", "Z10", "Z11"})
CREDIT_CODES = frozenset({"F10"})
RELOCATION_CODES = frozenset({"B01", "B03"})
DISASTER_CODES = frozenset({"J02", "BZ20", "J13"})
NO_LABOUR = ("丧失劳动能力", "无劳动能力")
LABOUR_CAPABLE = ("有劳动能力", "弱劳动力或半劳动力")
IN_WORK = ("外出务工", "就近就业", "公益性岗位", "自主创业", "居家灵活就业", "产业就业", "务农")
DIBAO_ATTRS = frozenset({"dibao", "tekun"})
RELOCATION_ATTR = "banqian"


@dataclass(frozen=True)
class PlanMember:
    """What the rules need of one member of the household (as the register has it now)."""

    id: uuid.UUID
    name: str
    age: int
    labour_ability: str | None = None
    health: str | None = None
    disability_category: str | None = None
    schooling_stage: str | None = None
    employment_status: str | None = None
    public_welfare_post: str | None = None
    medical_insurance: bool = True
    pension_insurance: bool = False
    dibao: bool = False
    tekun: bool = False

    @property
    def in_school(self) -> bool:
        return bool(self.schooling_stage) and self.schooling_stage != "辍学"

    @property
    def has_income_source(self) -> bool:
        return (self.employment_status in IN_WORK or bool(self.public_welfare_post)
                or (self.pension_insurance and self.age >= 60))


@dataclass(frozen=True)
class MeasureForm:
    """One measure of a plan: the 五对 fields. `member_id` None = a household-level measure (对户)."""

    type_code: str
    family: str
    type_name: str
    level: str = LEVEL_EITHER  # from the catalogue: 户 / 人 / 户或人
    member_id: uuid.UUID | None = None
    target: str | None = None
    responsible_person: str | None = None
    responsible_unit: str | None = None
    planned_start: date | None = None
    deadline: date | None = None
    multi_year: bool = False  # a stated multi-year measure may end after the plan year
    completed_on: date | None = None
    funded: bool = False
    amount_fen: int | None = None
    fund_source: str | None = None
    disbursed_on: date | None = None
    payee: str | None = None
    description: str | None = None
    notice_posted: bool = False
    id: uuid.UUID | None = None

    @property
    def label(self) -> str:
        return f"措施“{self.type_name or self.type_code or '未选类型'}”"


@dataclass(frozen=True)
class PlanFacts:
    """A plan with what the rules need of its household."""

    year: int
    status: str
    members: tuple[PlanMember, ...]
    measures: tuple[MeasureForm, ...]
    household_status: str = ""
    attributes: tuple[str, ...] = ()
    main_cause: str | None = None
    housing_safety: str | None = None
    team_confirmed_on: date | None = None
    team_confirmed_by: str | None = None
    household_confirmed_on: date | None = None
    household_signer: str | None = None
    poverty_line_fen: int | None = None  # the year's line; None: not configured
    per_capita_income_fen: int | None = None  # latest known 人均纯收入
    secondary_causes: tuple[str, ...] = ()  # 次要致贫原因 codes
    has_helper: bool | None = None  # a current 帮扶责任人 (a live cadre, not ended); None: not known
    cadre_names: frozenset[str] | None = None  # the village's current cadres (rule 13's confirmer); None: not known


@dataclass(frozen=True)
class Finding:
    rule: int  # number in domain.md §3.4; 0 = input sanity
    severity: str  # 错误 / 警告
    message: str
    measure_index: int | None = None  # position in PlanFacts.measures
    member_id: uuid.UUID | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        return f"[{self.severity}·规则{self.rule}] {self.message}" if self.rule else f"[{self.severity}] {self.message}"


RULE_TITLES = {
    0: "数据有误",
    1: "一人至少一策",
    2: "至少2条对户措施",
    3: "措施总数不少于N+2",
    4: "五对信息齐全",
    5: "资金措施对账",
    6: "兜底保障",
    7: "就业或产业",
    8: "义务教育和教育资助",
    9: "基本医保参保",
    10: "住房安全",
    11: "措施对应致贫原因",
    12: "搬迁户产业后续扶持",
    13: "双认定",
}

# 致贫原因 code → (what the plan must contain, codes or families that satisfy it)
CAUSE_LABELS = {"01": "因病", "02": "因残", "03": "因学", "04": "因灾", "07": "缺技术", "08": "缺劳力",
                "09": "缺资金", "11": "自身发展动力不足"}
_CAUSE_NEEDS: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "01": ("健康扶贫措施（医保代缴、慢病签约、大病救治、医疗救助等）", HEALTH_CODES, frozenset()),
    "02": ("助残措施（两项补贴、康复救助等）或医疗保障措施", DISABILITY_CODES | HEALTH_CODES, frozenset()),
    "03": ("教育资助措施", EDUCATION_CODES, frozenset()),
    "04": ("灾害救助、保险或住房措施", DISASTER_CODES | HOUSING_CODES, frozenset()),
    "07": ("技能培训措施（雨露计划、实用技术培训等）", TRAINING_CODES, frozenset()),
    "08": ("兜底保障或就近就业措施", frozenset({"Z02", "Z03", "Z06"}), frozenset({"保"})),
    "09": ("小额信贷或产业扶持措施", CREDIT_CODES, frozenset({"扶"})),
    "11": ("就业或产业措施（扶志）", frozenset(), frozenset({"转", "扶"})),
}


def check_plan(plan: PlanFacts, *, approving: bool = False, closing: bool = False) -> list[Finding]:
    """Every finding of the N+2 rules for `plan`; errors first, then warnings.

    `approving`: the plan is about to be approved (rule 13 applies, as it does to approved plans).
    `closing`: the plan is about to be closed (rule 5 also applies to funded measures not yet done).
    """
    out: list[Finding] = []
    members = {m.id: m for m in plan.members}
    live_measures: list[MeasureForm] = []

    # -- 0 / 4 / 5: each measure on its own ------------------------------------------------------
    for i, m in enumerate(plan.measures):
        out += _measure_findings(plan, i, m, members, closing=closing or plan.status == CLOSED)
        if m.member_id is None or m.member_id in members:
            live_measures.append(m)

    person = [m for m in live_measures if m.member_id is not None]
    household = [m for m in live_measures if m.member_id is None]
    codes = {m.type_code for m in live_measures}
    families = {m.family for m in live_measures}

    # -- 1 / 2 / 3: N+2 counts -------------------------------------------------------------------
    n = len(plan.members)
    for mem in plan.members:
        if not any(m.member_id == mem.id for m in person):
            out.append(Finding(1, ERROR, f"{mem.name}没有对人措施（一人至少一策）", member_id=mem.id))
    if len(household) < 2:
        out.append(Finding(2, ERROR, f"对户措施只有{len(household)}条，至少需要2条（N+2中的“2”）"))
    if len(live_measures) < n + 2:
        out.append(Finding(3, ERROR, f"共{len(live_measures)}条措施，少于N+2={n + 2}条（家庭人口{n}人）"))

    # -- 6: 兜底 -----------------------------------------------------------------------------------
    has_bao_household = any(m.family == "保" for m in household)
    flagged = DIBAO_ATTRS & set(plan.attributes) or any(m.dibao or m.tekun for m in plan.members)
    if flagged and "保" not in families:
        out.append(Finding(6, WARNING, "低保户或特困户，计划中应有“保”类措施（低保兜底、特困供养等）"))
    for mem in plan.members:  # a child or a pupil without work is the family's to keep, not a 兜底 case
        if mem.labour_ability in NO_LABOUR and not mem.has_income_source and mem.age >= 16 and not mem.in_school:
            own = any(m.member_id == mem.id and m.family == "保" for m in person)
            if not own and not has_bao_household:
                out.append(Finding(6, WARNING, f"{mem.name}{mem.labour_ability}且无其他收入来源，"
                                               "应纳入兜底保障（“保”类措施）", member_id=mem.id))

    # -- 7: 两个一 ----------------------------------------------------------------------------------
    workers = [mem for mem in plan.members
               if mem.labour_ability in LABOUR_CAPABLE and 16 <= mem.age <= 60 and not mem.in_school]
    if workers and not families & {"转", "扶"}:
        names = "、".join(w.name for w in workers)
        out.append(Finding(7, WARNING, f"家中有劳动力（{names}），至少应有一条“转”或“扶”类措施"
                                       "（两个一：至少1人掌握一门技术、至少1人稳定就业）"))

    # -- 8: schooling ----------------------------------------------------------------------------
    lo, hi = SCHOOL_AGE
    for mem in plan.members:
        if lo <= mem.age <= hi and not mem.in_school:
            state = "已辍学" if mem.schooling_stage == "辍学" else "未登记在校"
            out.append(Finding(8, ERROR, f"{mem.name}{mem.age}岁，处于义务教育年龄但{state}"
                                         "（家庭无因贫辍学学生）", member_id=mem.id))
        if mem.in_school and not any(m.member_id == mem.id and m.type_code in EDUCATION_CODES for m in person):
            out.append(Finding(8, ERROR, f"{mem.name}在读{mem.schooling_stage}，没有教育资助措施",
                               member_id=mem.id))

    # -- 9: medical insurance --------------------------------------------------------------------
    for mem in plan.members:
        if not mem.medical_insurance:
            out.append(Finding(9, ERROR, f"{mem.name}未参加基本医疗保险（参保率须达到100%）", member_id=mem.id))

    # -- 10: housing -----------------------------------------------------------------------------
    if plan.housing_safety not in HOUSING_SAFE and not codes & HOUSING_CODES:
        state = plan.housing_safety or "未鉴定"
        out.append(Finding(10, ERROR, f"住房安全为“{state}”，计划中须有危房改造或易地搬迁措施"))

    # -- 4 (对责): 「落实单位包村、干部包户」: the household has a current 帮扶责任人 ---------------------
    if plan.has_helper is False:
        out.append(Finding(4, ERROR, "本户没有现任帮扶责任人（对责：干部包户），请在农户档案中指定"))

    # -- 11: cause addressed ---------------------------------------------------------------------
    if not plan.main_cause:
        out.append(Finding(11, WARNING, "未填写主要致贫原因，无法核对措施是否对症"))
    elif plan.main_cause in _CAUSE_NEEDS:
        what, need_codes, need_families = _CAUSE_NEEDS[plan.main_cause]
        if not (codes & need_codes or families & need_families):
            out.append(Finding(11, WARNING, f"主要致贫原因对应的措施缺失：应有{what}"))
    for cause in plan.secondary_causes:
        if cause != plan.main_cause and cause in _CAUSE_NEEDS:
            what, need_codes, need_families = _CAUSE_NEEDS[cause]
            if not (codes & need_codes or families & need_families):
                label = CAUSE_LABELS.get(cause, cause)
                out.append(Finding(11, WARNING, f"次要致贫原因{label}对应的措施缺失：应有{what}"))

    # -- 12: relocation follow-up ----------------------------------------------------------------
    relocated = RELOCATION_ATTR in plan.attributes or codes & RELOCATION_CODES
    if relocated and not (any(m.family == "扶" for m in live_measures) or "B02" in codes):
        out.append(Finding(12, WARNING, "易地搬迁户至少应有1项产业后续扶持措施（“扶”类或搬迁后续扶持）"))

    # -- 13: dual confirmation -------------------------------------------------------------------
    if approving or plan.status in APPROVED_STATUSES:
        confirmer = (plan.team_confirmed_by or "").strip()
        if not (plan.team_confirmed_on and confirmer):
            out.append(Finding(13, ERROR, "审核前须由帮扶责任人（工作队）确认并填写确认人和日期（双认定）"))
        elif plan.cadre_names is not None and confirmer not in plan.cadre_names:
            out.append(Finding(13, ERROR, f"确认人“{confirmer}”不是本村登记在任的帮扶干部或工作队员；"
                                          "请填写帮扶责任人的姓名，或先在“设置 › 工作队与帮扶人”中登记"))
        if not (plan.household_confirmed_on and (plan.household_signer or "").strip()):
            out.append(Finding(13, ERROR, "审核前须由农户签字或按手印确认并填写签字人和日期（双认定）"))

    # -- income against the year's line (context for the plan, not a §3.4 rule) ------------------
    if plan.poverty_line_fen is None:
        out.append(Finding(0, WARNING, f"{plan.year}年未配置扶贫标准（收入线），无法核对收入；"
                                       "请在设置中添加该年度的标准"))
    elif plan.per_capita_income_fen is not None and plan.per_capita_income_fen < plan.poverty_line_fen:
        out.append(Finding(0, WARNING, f"人均纯收入{yuan_brief(plan.per_capita_income_fen)}元低于{plan.year}年标准"
                                       f"{yuan_brief(plan.poverty_line_fen)}元，措施应着重增收"))
    return sorted(out, key=lambda f: (not f.is_error, f.rule))


def _measure_findings(plan: PlanFacts, i: int, m: MeasureForm, members: dict[uuid.UUID, PlanMember], *,
                      closing: bool) -> list[Finding]:
    out: list[Finding] = []
    label = f"第{i + 1}条{m.label}"

    def err(rule: int, text: str) -> None:
        out.append(Finding(rule, ERROR, f"{label}：{text}", measure_index=i))

    def warn(rule: int, text: str) -> None:
        out.append(Finding(rule, WARNING, f"{label}：{text}", measure_index=i))

    if m.member_id is not None and m.member_id not in members:
        err(0, "指定的成员已不在本户（迁出或注销），请改为其他成员或删除该措施")
    if m.member_id is not None and m.level == LEVEL_HOUSEHOLD:
        err(0, "这是对户措施，不能指定到个人")
    if m.member_id is None and m.level == LEVEL_PERSON:
        err(0, "这是对人措施，须指定受益成员")
    # 五对 completeness
    if m.family not in FAMILIES:
        err(4, f"措施大类须为转、扶、搬、保、救之一（现为“{m.family or '空'}”）")
    if not m.type_code:
        err(4, "未选择措施类型")
    if not (m.responsible_person or "").strip():
        err(4, "未填写责任人（对责）")
    if not (m.responsible_unit or "").strip():
        warn(4, "未填写责任单位（对责：任务分解到行业部门或帮扶单位）")
    if not (m.target or "").strip():
        warn(4, "未填写具体目标（对事），如“1人稳定就业”“年增收2000元”")
    if m.deadline is None:
        err(4, "未填写完成时限（对时）")
    else:
        if m.planned_start and m.deadline < m.planned_start:
            err(0, f"完成时限{m.deadline:%Y-%m-%d}早于计划开始{m.planned_start:%Y-%m-%d}")
        if m.deadline.year < plan.year:
            err(4, f"完成时限{m.deadline:%Y-%m-%d}不在{plan.year}年度内")
        elif m.deadline.year > plan.year and not m.multi_year:
            err(4, f"完成时限{m.deadline:%Y-%m-%d}超出{plan.year}年度；跨年度措施请勾选“跨年度”")
    if m.completed_on and m.planned_start and m.completed_on < m.planned_start:
        err(0, f"完成日期{m.completed_on:%Y-%m-%d}早于计划开始{m.planned_start:%Y-%m-%d}")
    # money
    if m.amount_fen is not None:
        if m.amount_fen < 0:
            err(0, "金额不能为负数")
        elif m.amount_fen > MAX_AMOUNT_FEN:
            err(0, f"金额{yuan_brief(m.amount_fen)}元超过单条措施上限{yuan_brief(MAX_AMOUNT_FEN)}元，"
                   "请核对是否多输了位数")
    if m.funded and (m.completed_on or closing):
        missing = [name for name, v in (("金额", m.amount_fen), ("资金来源", (m.fund_source or "").strip() or None),
                                         ("拨付日期", m.disbursed_on)) if v is None]
        if missing:
            when = "已完成" if m.completed_on else "计划完结时"
            err(5, f"资金措施{when}须填写{'、'.join(missing)}（对账）")
        if not (m.payee or "").strip() and m.completed_on:
            warn(5, "资金措施已完成，未填写收款人（一卡通）")
    return out


def errors_of(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


@dataclass(frozen=True)
class ComplianceSummary:
    """A village's plans against the rules: how many comply, and every violation."""

    year: int
    plans: int
    compliant: int  # no error finding
    without_plan: int  # plan households with no plan this year
    by_rule: dict[int, int] = field(default_factory=dict)  # rule → number of plans with an error of it
