"""N+2 plans of the demo village for the current year: one per supported household, built from what
the register says of each member (school, illness, disability, work, age) and of the household
(低保/特困, relocation, main cause). Mostly compliant, with a few realistic slips: a draft missing a
member's measure, a finished loan without its disbursement date, a measure nobody is responsible for.
"""

import itertools
import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from fupin_desktop.domain import idcard
from fupin_desktop.services.demo.constants import BANQIAN, DIBAO, TEKUN, Row, id_salt

EDU_UNIT, HEALTH_UNIT, HR_UNIT = "荥阳市教育局", "荥阳市医疗保障局", "荥阳市人力资源和社会保障局"
CIVIL_UNIT, AGRI_UNIT, DISABLED_UNIT = "荥阳市民政局", "荥阳市农业农村局", "荥阳市残疾人联合会"
BANK, TOWN = "荥阳农商银行汜水支行", "汜水镇人民政府"

# stage → (code, name, yearly amount in 元 or None)
_EDU = {
    "学前教育": ("BZ03", "教育保障·学前教育", None), "小学": ("BZ04", "教育保障·义务教育", 1000),
    "初中": ("BZ04", "教育保障·义务教育", 1250), "普通高中": ("BZ05", "教育保障·普通高中", None),
    "中职": ("BZ08", "雨露计划助学", 2000), "高职": ("BZ08", "雨露计划助学", 2000),
    "本科及以上": ("BZ07", "教育保障·高等教育", 4000),
}
_JOB = {
    "外出务工": ("Z01", "转", "劳务协作对外输出", "稳定外出务工，月收入3000元以上"),
    "就近就业": ("Z02", "转", "产业发展就地就近吸纳", "在海棠园稳定就业，月收入1800元左右"),
    "产业就业": ("Z02", "转", "产业发展就地就近吸纳", "在鸵鸟谷稳定就业，月收入1800元左右"),
    "居家灵活就业": ("Z03", "转", "居家灵活就业", "来料加工，月增收800元"),
    "自主创业": ("Z04", "转", "扶持自主创业", "经营稳定，申请创业担保贷款贴息"),
    "公益性岗位": ("Z06", "转", "公益性岗位安置", "公益岗在岗，月补贴520元"),
    "务农": ("Z08", "转", "农村实用技术培训", "掌握一门种养技术（两个一）"),
    "未就业": ("Z07", "转", "雨露计划短期技能培训", "参加技能培训，年内实现就业"),
}
_HOUSEHOLD_OPTIONS = (
    ("F09", "扶", "到户增收补贴", "种植补贴，户增收2000元", (500, 2000), "县级财政"),
    ("F11", "扶", "光伏收益", "光伏电站收益分配", (300, 3000), "整合涉农资金"),
    ("F13", "扶", "带贫协议", "与鸵鸟谷合作社签订带贫协议，年分红1000元", None, None),
    ("F15", "扶", "土地流转", "土地流转给海棠园，每亩年租金800元", None, None),
    ("F14", "扶", "入股分红", "扶贫资金入股鸵鸟谷，年分红1200元", (1000, 1500), "整合涉农资金"),
    ("F02", "扶", "畜牧养殖", "养殖肉牛2头，年增收4000元", (2000, 3000), "县级财政"),
    ("F01", "扶", "特色种植(特色农产品)", "种植石榴2亩，年增收3000元", (1000, 2000), "县级财政"),
)
_NOTES = ("入户核实，措施已落实", "已签字确认，资料归档", "电话回访，户主表示满意", "第一书记走访核实",
          "已按进度推进", "资金已通过一卡通发放")


def demo_plans(households: list[Row], members: list[Row], cadres: list[Row], *, seed: int = 2020,
               today: date = date(2026, 11, 22), salt: int = 0) -> dict[str, list[Row]]:
    """Rows for assistance_plan, plan_measure and plan_measure_progress (in that order)."""
    rng = random.Random(f"demo-plans:{seed}")
    rr = rng.random
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC) - timedelta(hours=12)
    counter = itertools.count(int(stamp.timestamp() * 1000))
    bits = random.Random(f"demo-plans-ids:{seed}").getrandbits
    version = (0x7 << 76) | (0b10 << 62)

    def new_id() -> uuid.UUID:
        r = bits(74) ^ salt
        return uuid.UUID(int=(next(counter) << 80) | version | ((r >> 62) << 64) | (r & ((1 << 62) - 1)))

    def meta() -> Row:
        return {"id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None}

    year = today.year
    helpers = {c["id"]: c for c in cadres}
    team = [c for c in cadres if c["role"] in ("第一书记", "工作队员")]
    secretary = team[0]["name"] if team else "第一书记"
    by_household: dict[uuid.UUID, list[Row]] = {}
    for m in members:
        by_household.setdefault(m["household_id"], []).append(m)
    supported = [h for h in households if h["helper_id"] is not None]
    plans: list[Row] = []
    measures: list[Row] = []
    notes: list[Row] = []
    # a handful of plans are drafts or just submitted; a few carry realistic mistakes
    n = len(supported)
    drafts = set(rng.sample(range(n), min(n, max(1, n // 20))))
    submitted = set(rng.sample(sorted(set(range(n)) - drafts), min(n - len(drafts), max(1, n // 15))))
    slips = rng.sample(sorted(set(range(n)) - drafts - submitted), min(n - len(drafts) - len(submitted), 12))

    def day(lo: date, hi: date) -> date:
        return date.fromordinal(lo.toordinal() + int(rr() * (hi.toordinal() - lo.toordinal() + 1)))

    for k, h in enumerate(supported):
        people = sorted(by_household.get(h["id"], []), key=lambda m: m["relation"] != "户主")
        if not people:
            continue
        head = people[0]["name"]
        helper = helpers.get(h["helper_id"])
        helper_name = helper["name"] if helper else secretary
        status = "草稿" if k in drafts else "已提交" if k in submitted else "执行中"
        confirmed = day(date(year, 2, 20), date(year, 3, 20))
        plan = {**meta(), "household_id": h["id"], "year": year, "version": 1, "status": status,
                "planned_exit_year": None, "submitted_on": None if status == "草稿" else confirmed,
                "approved_on": confirmed + timedelta(days=7) if status == "执行中" else None,
                "approved_by": secretary if status == "执行中" else None,
                "team_confirmed_on": None if status == "草稿" else confirmed, "team_confirmed_by":
                    None if status == "草稿" else helper_name,
                "household_confirmed_on": None if status == "草稿" else confirmed,
                "household_signer": None if status == "草稿" else head, "closed_on": None, "note": None}
        plans.append(plan)
        items: list[tuple[str, str, str, uuid.UUID | None, str, str, tuple[int, int] | None, str | None]] = []

        def add(code: str, family: str, name: str, member: Row | None, target: str, unit: str,
                amount: tuple[int, int] | None = None, source: str | None = None,
                items: list = items) -> None:
            items.append((code, family, name, member["id"] if member else None, target, unit, amount, source))

        # -- person-level: one (or two) per member ------------------------------------------------
        for m in people:
            age = idcard.age_on(m["birth_date"], today)
            stage = m["schooling_stage"]
            covered_by_bao = False
            if stage and stage in _EDU:
                code, name, yearly = _EDU[stage]
                add(code, "保", name, m, f"{stage}在读，按时足额享受资助", EDU_UNIT,
                    (yearly, yearly) if yearly else None, "省级财政" if yearly else None)
                covered_by_bao = True
            elif m["employment_status"] in _JOB and m["labour_ability"] not in ("丧失劳动能力", "无劳动能力"):
                code, family, name, target = _JOB[m["employment_status"]]
                add(code, family, name, m, target, HR_UNIT if family == "转" else TOWN)
            elif age >= 60:
                if m["pension_insurance"]:
                    add("BZ18", "保", "基本养老金领取", m, "按月足额领取基础养老金", "荥阳市社会保险中心")
                else:
                    add("BZ17", "保", "城乡居民养老保险代缴", m, "政府代缴最低档养老保险", "荥阳市社会保险中心")
                covered_by_bao = True
            else:
                add("BZ09", "保", "基本医疗保险代缴", m, "全额资助参加城乡居民医保", HEALTH_UNIT)
                covered_by_bao = True
            if m["health"] == "长期慢性病":
                add("BZ10", "保", "家庭医生慢病签约服务", m, "签约家庭医生，慢病卡按时报销", "荥阳市卫生健康委员会")
            elif m["health"] in ("大病", "重病"):
                add("BZ15" if m["health"] == "大病" else "BZ16", "保",
                    "大病集中救治" if m["health"] == "大病" else "重病兜底保障", m,
                    "一站式结算，自付比例控制在10%以内", HEALTH_UNIT)
            if m["disability_category"]:
                add("J03", "救", "残疾人两项补贴", m, "按月发放困难残疾人生活补贴、重度残疾人护理补贴",
                    DISABLED_UNIT, (1440, 2640), "市级财政")
            no_income = m["labour_ability"] in ("丧失劳动能力", "无劳动能力") and not (
                m["pension_insurance"] and age >= 60)
            if no_income and not covered_by_bao:
                add("BZ09", "保", "基本医疗保险代缴", m, "全额资助参加城乡居民医保", HEALTH_UNIT)

        # -- household-level: at least two -------------------------------------------------------
        attrs = set(h["attributes"])
        size = len(people)
        if TEKUN in attrs:
            add("BZ02", "保", "特困人员救助供养", None, "分散供养，按月足额发放供养金", CIVIL_UNIT,
                (9198, 9198), "县级财政")
        elif DIBAO in attrs:
            add("BZ01", "保", "低保兜底", None, f"{size}人纳入低保，按月发放", CIVIL_UNIT,
                (730 * 12 * size // 2, 730 * 12 * size), "县级财政")
        if BANQIAN in attrs:
            add("B02", "搬", "搬迁后续扶持", None, "搬迁后续产业扶持，每年2000元", "荥阳市发展和改革委员会",
                (2000, 2000), "市级财政")
            add("F12", "扶", "资产收益", None, "安置社区门面房租金收益分配", TOWN, (800, 1500), "整合涉农资金")
        if h["main_cause"] == "09" or rr() < 0.12:
            add("F10", "扶", "扶贫小额信贷", None, "申请5万元以下免抵押免担保贴息贷款", BANK,
                (20000, 50000), "金融机构")
        if h["main_cause"] == "04":
            add("J02", "救", "灾害救助", None, "灾后恢复生产生活", "荥阳市应急管理局", (2000, 5000), "县级财政")
        if h["main_cause"] == "07" and not any(i[0] in ("Z07", "Z08") for i in items):
            add("Z08", "转", "农村实用技术培训", people[0], "户主参加种植养殖技术培训", AGRI_UNIT)
        if h["main_cause"] == "01" and not any(i[0].startswith("BZ1") or i[0] == "BZ09" for i in items):
            add("BZ11", "保", "七免一减", people[0], "县乡住院免七项费用", "荥阳市卫生健康委员会")
        options = list(_HOUSEHOLD_OPTIONS)
        rng.shuffle(options)
        while sum(i[3] is None for i in items) < 2 + (rr() < 0.3):
            code, family, name, target, amount, source = options.pop()
            add(code, family, name, None, target, AGRI_UNIT if family == "扶" else TOWN, amount, source)

        if k in drafts and len(people) > 1:  # a draft still missing one member's measure (rule 1)
            items = [i for i in items if i[3] != people[-1]["id"]]

        # -- dates, completion, money ------------------------------------------------------------
        start_lo, start_hi = date(year, 3, 1), date(year, 4, 30)
        for j, (code, family, name, member_id, target, unit, amount, source) in enumerate(items):
            start = day(start_lo, start_hi)
            deadline = day(date(year, 6, 30), date(year, 12, 20)) if rr() < 0.8 else date(year, 12, 31)
            deadline = max(deadline, start + timedelta(days=30))
            # most measures due by the next few weeks are already done; about one in twelve runs late
            done = status == "执行中" and deadline < today + timedelta(days=21) and rr() < 0.92
            completed = day(start + timedelta(days=20), min(deadline, today)) if done else None
            step = 10_000 if code == "F10" else 10  # loans in whole 万, the rest in tens of yuan
            fen = None if amount is None else (amount[0] + int(rr() * (amount[1] - amount[0] + 1))) // step * step * 100
            row = {**meta(), "plan_id": plan["id"], "member_id": member_id, "sort_order": j, "type_code": code,
                   "family": family, "type_name": name, "target": target, "description": None,
                   "responsible_person": helper_name, "responsible_unit": unit, "planned_start": start,
                   "deadline": deadline, "multi_year": False, "completed_on": completed, "funded": fen is not None,
                   "amount_fen": fen, "fund_source": source,
                   "disbursed_on": completed + timedelta(days=int(rr() * 10)) if completed and fen else None,
                   "payee": head if completed and fen else None, "notice_posted": bool(completed and fen)}
            measures.append(row)
            if status == "执行中" and rr() < 0.35:
                for _ in range(1 + (rr() < 0.3)):
                    noted = day(start, min(today, deadline))
                    notes.append({**meta(), "measure_id": row["id"], "noted_on": noted, "note": rng.choice(_NOTES),
                                  "author": helper_name})
    _slip(plans, measures, slips)
    return {"assistance_plan": plans, "plan_measure": measures, "plan_measure_progress": notes}


def _slip(plans: list[Row], measures: list[Row], slips: list[int]) -> None:
    """Two realistic mistakes in executing plans: money paid without a date (rule 5), nobody
    responsible (rule 4). `slips` are candidate plan positions, tried in order."""
    by_plan: dict[uuid.UUID, list[Row]] = {}
    for r in measures:
        by_plan.setdefault(r["plan_id"], []).append(r)
    used = None
    for k in slips:
        funded_done = [r for r in by_plan.get(plans[k]["id"], []) if r["funded"] and r["completed_on"]]
        if funded_done:
            funded_done[0]["disbursed_on"] = None
            used = k
            break
    for k in slips:
        rows = by_plan.get(plans[k]["id"], [])
        if k != used and rows:
            rows[-1]["responsible_person"] = None
            return


DEMO_LINE_FEN = 400_000
DEMO_LINE_SOURCE = ("演示数据：2021年起防返贫监测收入线由省里每年确定，种子资料没有这些数值；"
                    "演示库沿用2020年标准4000元，使用前须按县扶贫办文件修改")


def write_demo_plans(session, village, seed: int,
                     write: Callable[[str, list[Row]], int]) -> int:
    """Insert the demo plans (`write`: bulk, with their change log) and configure the years after
    2020 with a (demo) poverty line."""
    from fupin_desktop.services.plans import set_poverty_line

    tables = demo_plans(village.households, village.members, village.cadres, seed=seed,
                        salt=id_salt(village.village["code"]))
    rows = sum(write(table, table_rows) for table, table_rows in tables.items())
    year = max((p["year"] for p in tables["assistance_plan"]), default=2026)
    for y in range(2021, year + 1):
        set_poverty_line(session, y, DEMO_LINE_FEN, "本省", DEMO_LINE_SOURCE)
    return rows


def demo_monitoring(session, village, seed: int, *, today: date) -> None:
    """The 监测户/边缘户 as confirmed cases; this year's screening as 疑似, a few already decided."""
    from fupin_desktop.db.models import RiskCase
    from fupin_desktop.domain import monitoring as m
    from fupin_desktop.services.monitoring import advance_case, register_candidates

    rng = random.Random(f"demo-monitoring:{seed}")
    reasons = {"01": m.REASON_MEDICAL, "04": m.REASON_DISASTER, "02": m.REASON_DISABILITY}
    for h in village.households:
        if h["status"] not in ("监测户", "边缘户"):
            continue
        year = h["identified_year"] or today.year
        found = date(year, rng.randint(3, 9), rng.randint(1, 28))
        confirmed = found + timedelta(days=rng.randint(10, 25))
        session.add(RiskCase(
            household_id=h["id"], year=year, found_on=found, reasons=[reasons.get(h["main_cause"], m.REASON_INCOME)],
            status=m.CONFIRMED, category=m.CATEGORIES[0] if h["status"] == "监测户" else m.CATEGORIES[1],
            screened_on=found + timedelta(days=5), decided_on=confirmed, decided_by="村两委会议",
            note="入户核实后经村两委会议研究，纳入监测"))
    session.flush()
    register_candidates(session, today.year - 1, today=today - timedelta(days=20))
    opened = list(session.scalars(select(RiskCase).where(RiskCase.status == m.SUSPECTED)
                                  .order_by(RiskCase.household_id, RiskCase.year)))  # not by id: random within a ms
    rng.shuffle(opened)
    for case in opened[:4]:
        advance_case(session, case.id, m.SCREENING, today=today - timedelta(days=12))
    _demo_exit(session, village, today)
    _demo_registers(session, village, today)
    for case in opened[4:8]:
        advance_case(session, case.id, m.EXCLUDED, decided_by="村两委会议", today=today - timedelta(days=6),
                     note="已享受残疾人两项补贴，家庭收入稳定，排除")


def _demo_exit(session, village, today: date) -> None:
    """One 监测户 whose risk has passed, half-way through the five exit steps."""
    from fupin_desktop.errors import ValidationError
    from fupin_desktop.services.exits import propose_exit, record_step

    for h in village.households:
        if h["status"] != "监测户":
            continue
        try:
            pid = propose_exit(session, h["id"], today.year - 1, food_clothing_ok=True,
                               today=today - timedelta(days=30))
        except ValidationError:
            continue
        record_step(session, pid, "统计摸底", today - timedelta(days=28), participants="驻村工作队、村两委",
                    minutes="入户核实收入和两不愁三保障情况，均已达标", attachments=["入户核实表.jpg"])
        record_step(session, pid, "民主评议", today - timedelta(days=21), participants="村民代表大会（到会41人）",
                    minutes="同意该户风险消除，无异议", attachments=["评议会签到表.jpg", "会议记录.jpg"])
        return


# The demo village's checklist for the year: what a village that exited in 2017 typically shows.
DEMO_CHECKLIST = {
    "通硬化路": "县交通运输局农村公路验收单（2016年）", "通客车": "城乡公交12路通村，站牌照片",
    "通安全饮水": "100吨蓄水塔及管网改造项目验收", "通生产生活用电": "县供电公司农网改造验收单",
    "广播电视户户通": "户户通安装台账", "有综合性文化服务中心": "党群服务中心（200平方米）照片",
    "有标准化卫生室": "县卫健委标准化村卫生室验收", "有合格乡村医生或执业（助理）医师": "乡村医生执业证书2人",
    "通宽带网络": "光纤入户台账", "有村集体经济收入": "村集体经济收入台账",
}


def _demo_registers(session, village, today: date) -> None:
    """The village checklist (one item still to verify), two relocated households and a few loans."""
    from fupin_desktop.domain.registers import LoanForm, RelocationForm
    from fupin_desktop.services.exits import set_village_item
    from fupin_desktop.services.loans import record_follow_up, record_repaid, save_loan
    from fupin_desktop.services.relocation import save_relocation

    for item, evidence in DEMO_CHECKLIST.items():
        set_village_item(session, today.year, item, "达标", evidence=evidence, checked_on=date(today.year, 3, 15),
                         today=today)
    set_village_item(session, today.year, "有特色产业", "待核实", note="石榴种植基地扩建中，待乡里验收", today=today)
    members: dict = {}
    for m in village.members:
        members.setdefault(m["household_id"], []).append(m)
    registered = [h for h in village.households if h["status"].startswith("已脱贫") and members.get(h["id"])]
    for i, h in enumerate(registered[:2]):
        n = len(members[h["id"]])
        moved = date(today.year, 3 + 3 * i, 10)
        save_relocation(session, h["id"], RelocationForm(
            site="雨露社区", house_area_m2=float(min(25 * n, 20 * n + 10)), members_moved=n, batch_year=today.year,
            house_number=f"{3 + i}号楼{101 + i}", moved_on=moved,
            demolished_on=moved + timedelta(days=80) if i == 0 else None,
            deed_surrendered_on=moved + timedelta(days=90) if i == 0 else None), today=today)
    uses = ("养牛", "香菇", "石榴种植", "养羊")
    lent_on = (date(today.year - 3, 12, 20), date(today.year - 2, 4, 15), date(today.year - 1, 7, 15),
               date(today.year - 3, 10, 8))  # the first falls due within 90 days, the last is repaid
    for i, (h, lent) in enumerate(zip(registered[2:6], lent_on, strict=False)):
        head = next((m for m in members[h["id"]] if m["relation"] == "户主"), members[h["id"]][0])
        loan = save_loan(session, h["id"], LoanForm(
            borrower=head["name"], bank="荥阳农商银行", amount_fen=(5 - i) * 1_000_000, term_months=36, rate_bp=435,
            subsidy_bp=435, lent_on=lent, use=uses[i]), today=today)
        record_follow_up(session, loan, today - timedelta(days=40 + 50 * i), "按期付息，产业运转正常", today=today)
        if i == 3:
            record_repaid(session, loan, today - timedelta(days=10), today=today)
