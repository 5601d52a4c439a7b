"""A season of work in the demo village: home visits with checklists and some photos, problems in the
rectification ledger (open, in progress, closed, a few overdue), and the team's presence days.

Drawn from its own random stream, so the register rows stay exactly as they were without it.
Photos are generated pictures (a house, a yard, a date stamp), stored like real ones.
"""

import hashlib
import io
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from fupin_desktop.db.query import live
from fupin_desktop.domain.visits import CHECKLIST, CHECKLIST_CATEGORY, POLICIES
from fupin_desktop.services.demo.constants import Row, id_salt
from fupin_desktop.services.demo.village import DemoVillage

REGISTERED = ("未脱贫", "已脱贫(享受政策)", "已脱贫(不享受政策)")
SUPPORTED = (*REGISTERED, "监测户", "边缘户")
SEASON_START = date(2026, 9, 1)

# Problems a visit finds, by checklist item: (description, measure, days to fix)
_FOUND = {
    "medical": [("户主患高血压、糖尿病，慢性病卡未办理", "协助到乡卫生院办理慢性病卡", 30),
                ("家庭医生签约未续签", "联系村医上门续签", 14),
                ("住院费用未走“一站式”结算，需补报", "收集票据到县医保中心补报", 30)],
    "housing": [("厨房后墙出现裂缝，需住房安全鉴定", "申请住建部门入户鉴定", 30),
                ("屋顶漏雨", "协调危房改造资金维修屋顶", 45)],
    "water_quality": [("自备井水浑浊，有异味", "送检水样，改接集中供水管网", 30)],
    "water_reliability": [("入户水管冬季易冻裂，停水频繁", "水管员上门包裹保温层", 14)],
    "water_convenience": [("110服务卡未张贴，不知道水管员电话", "补发并张贴饮水110服务卡", 7)],
    "education": [("孩子在县职专就读，雨露计划补助未申请", "指导提交雨露计划申请材料", 30)],
    "income": [("家庭收入下降，外出务工人员返乡", "纳入防返贫监测，推荐公益性岗位", 30)],
    "employment": [("有劳动能力成员未就业", "推荐到海棠园务工，报名技能培训", 30)],
    "food": [("独居老人做饭困难", "协调邻里照看，落实特困供养生活照料", 14)],
}
# Problems from inspections and assessments: (source, level, category, description, measure)
_INSPECTIONS = [
    ("督查巡查", "户级", "数据质量", "系统中家庭人口数与户口簿不一致", "按户口簿核实更正，户表机三对照"),
    ("督查巡查", "户级", "政策落实", "明白卡未张贴，帮扶措施与实际不符", "重新填写并张贴明白卡"),
    ("考核", "村级", "两不愁三保障", "部分脱贫户住房安全鉴定资料不全", "逐户补充鉴定表和照片"),
    ("第三方评估", "户级", "收入就业", "农户对收入构成说不清，认可度不高", "帮扶责任人入户逐项讲清收入"),
    ("第三方评估", "村级", "政策落实", "个别群众不了解扶贫小额信贷政策", "开展金融扶贫政策进村入户宣讲"),
    ("审计", "村级", "资金项目", "村100吨水塔项目资产未确权登记", "办理扶贫资产确权，明确管护责任人"),
    ("自查", "村级", "资金项目", "光伏电站收益分配公示未上墙", "张贴收益分配公示并拍照留存"),
    ("自查", "户级", "数据质量", "监测户风险消除材料不全", "补齐收入核算表和村民代表评议记录"),
    ("信访", "户级", "作风", "群众反映公益岗人选不公开", "重新公示公益岗人选和评定过程"),
    ("督查巡查", "村级", "两不愁三保障", "控辍保学台账未按月更新", "与学校核对，按月更新台账"),
]
_VERIFIERS = ("汜水镇扶贫办 刘建华", "汜水镇党委副书记 孙国庆", "荥阳市乡村振兴局 周涛", "汜水镇包村干部 马丽")
_NOTES = ("户主在家，了解近期生产生活情况", "查看住房和饮水情况，一切正常", "讲解医疗保障政策，户主表示清楚",
          "子女在外务工，收入稳定", "帮助联系农资，秋播已完成", "核对明白卡信息无误", "讲解防返贫监测政策",
          "老人身体状况良好，已签约家庭医生", "了解秋粮收成，玉米亩产约900斤", "宣传公益性岗位和技能培训")


@dataclass
class DemoSeason:
    salt: int = 0  # constants.id_salt of the village
    visits: list[Row] = field(default_factory=list)
    visitors: list[Row] = field(default_factory=list)
    ledger: list[Row] = field(default_factory=list)
    attachments: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    leaves: list[Row] = field(default_factory=list)
    presence: list[Row] = field(default_factory=list)
    files: list[tuple[str, bytes, bytes]] = field(default_factory=list)  # (sha256, photo, thumbnail)

    def tables(self) -> list[tuple[str, list[Row]]]:
        return [("visit", self.visits), ("visit_visitor", self.visitors), ("ledger_item", self.ledger),
                ("attachment", self.attachments), ("attachment_link", self.links), ("leave_record", self.leaves),
                ("presence_day", self.presence)]

    def forget_all_but_links(self) -> None:
        """Once written: keep of the visits only what `link_plan_measures` reads, drop the rest."""
        self.visits = [{k: v[k] for k in ("id", "created_at", "household_id", "visit_type")} for v in self.visits]
        self.visitors, self.ledger, self.attachments, self.links, self.leaves, self.presence = [], [], [], [], [], []
        self.files = []


class _Ids:
    """Time-ordered uuid7-shaped ids from the season's own stream."""

    def __init__(self, rng: random.Random, start: datetime, salt: int) -> None:
        self._bits = rng.getrandbits
        self._ms = int(start.timestamp() * 1000)
        self._salt = salt

    def __call__(self) -> uuid.UUID:
        self._ms += 1
        r = self._bits(74) ^ self._salt
        return uuid.UUID(int=(self._ms << 80) | (0x7 << 76) | ((r >> 62) << 64) | (0b10 << 62) | (r & ((1 << 62) - 1)))


def generate_season(village: DemoVillage, *, seed: int = 2020, today: date = date(2026, 11, 22),
                    photos: int = 24) -> DemoSeason:
    rng = random.Random(f"demo-season:{seed}")
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC) - timedelta(hours=20)
    season = DemoSeason(salt=id_salt(village.village["code"]))
    new_id = _Ids(rng, stamp, season.salt)

    def meta() -> Row:
        return {"id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None}

    village_id = village.village["id"]
    cadres = village.cadres
    team = [c for c in cadres if c["role"] in ("第一书记", "工作队员")]
    secretary = next((c for c in cadres if c["role"] == "村党支部书记"), team[0] if team else None)
    lianwei = [c for c in cadres if c["role"] in ("村党支部书记", "村委会主任", "两委委员")]
    school_age = {m["household_id"] for m in village.members if m["schooling_stage"] in ("小学", "初中")}
    heads = {m["household_id"]: m["name"] for m in village.members if m["relation"] == "户主"}
    supported = [h for h in village.households if h["status"] in SUPPORTED]
    numbers: dict[int, int] = {}
    alike: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}

    def ledger(source: str, received: date, description: str, category: str, level: str, household: Row | None,
               responsible: uuid.UUID | None, measure: str, days: int, visit_id: uuid.UUID | None) -> Row:
        numbers[received.year] = numbers.get(received.year, 0) + 1
        deadline = received + timedelta(days=days)
        r = rng.random()
        if deadline < today - timedelta(days=3) and r < 0.8 or r < 0.35:
            status = "已销号"
        elif r < 0.7:
            status = "整改中"
        else:
            status = "未整改"
        closed = None
        if status == "已销号":
            closed = min(today, received + timedelta(days=rng.randint(3, max(4, days))))
        row = {**meta(), "village_id": village_id, "number": f"{received.year}-{numbers[received.year]:03d}",
               "source": source, "received_on": received, "description": description, "category": category,
               "level": level, "household_id": household["id"] if household else None, "member_id": None,
               "project_id": None, "visit_id": visit_id, "responsible_id": responsible, "measure": measure,
               "deadline": deadline, "status": status,
               "evidence_note": f"已{measure}，整改到位，佐证材料已归档" if closed else None,
               "verifier": rng.choice(_VERIFIERS) if closed else None, "closed_on": closed}
        season.ledger.append(row)
        return row

    def visit(household: Row, day: date, kind: str, visitor_ids: list[uuid.UUID]) -> Row:
        checklist: dict[str, str] = {}
        notes: dict[str, str] = {}
        for key in CHECKLIST:
            if key == "education" and household["id"] not in school_age:
                checklist[key] = "不涉及"
            else:
                checklist[key] = "正常"
        v = {**meta(), "village_id": village_id, "household_id": household["id"], "visited_on": day,
             "visited_at": time(rng.choice((9, 10, 15, 16, 17, 19)), rng.choice((0, 10, 20, 30, 40))),
             "visit_type": kind, "members_present": [], "checklist": checklist, "checklist_notes": notes,
             "policies": rng.sample(POLICIES, rng.randint(0, 2)), "notes": rng.choice(_NOTES),
             "confirmation": "户主签字确认" if rng.random() < 0.85 else "口头确认（未签字）",
             "confirmed_by": heads.get(household["id"]), "next_due": None}
        if rng.random() < 0.06:  # a problem found
            key = rng.choice(list(_FOUND))
            text, measure, days = rng.choice(_FOUND[key])
            checklist[key] = "有问题"
            notes[key] = text
            ledger("走访发现", day, f"{CHECKLIST[key]}：{text}", CHECKLIST_CATEGORY[key], "户级", household,
                   household["helper_id"], measure, days, v["id"])
        # most visits find the same: one dict for each checklist seen (76,000 visits at 50,000 households)
        v["checklist"] = alike.setdefault(tuple(checklist.items()), checklist)
        v["checklist_notes"] = alike.setdefault(tuple(notes.items()), notes)
        season.visits.append(v)
        for cadre_id in dict.fromkeys(visitor_ids):
            season.visitors.append({**meta(), "visit_id": v["id"], "cadre_id": cadre_id})
        return v

    # 帮扶责任人: twice a month, a few slip (Saturday 扶贫日 often)
    month = SEASON_START
    while month <= today:
        last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        for h in supported:
            if not h["helper_id"]:
                continue
            n = 2 if rng.random() < 0.85 else rng.choice((0, 1, 1, 3))
            for i in range(n):
                lo = month + timedelta(days=i * 15)
                hi = min(last, month + timedelta(days=i * 15 + 14), today)
                if lo > hi:
                    continue
                day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
                visitors = [h["helper_id"]] + ([rng.choice(team)["id"]] if team and rng.random() < 0.25 else [])
                visit(h, day, "扶贫日/帮扶日" if day.weekday() == 5 else "帮扶责任人入户", visitors)
        month = last + timedelta(days=1)
    # the team's rounds, the village secretary's 遍访 of registered households, a 政策宣讲
    registered = [h for h in supported if h["status"] in REGISTERED]
    if team:
        for h in rng.sample(supported, min(len(supported), len(supported) * 2 // 3)):
            day = SEASON_START + timedelta(days=rng.randint(0, (today - SEASON_START).days))
            visit(h, day, "工作队走访", [c["id"] for c in rng.sample(team, rng.randint(1, len(team)))])
    if secretary:
        for h in registered:
            day = date(2026, 10, 8) + timedelta(days=rng.randint(0, 30))
            visit(h, day, "书记遍访", [secretary["id"]] + ([rng.choice(lianwei)["id"]] if lianwei else []))
        for h in rng.sample(supported, min(len(supported), 30)):
            v = visit(h, date(2026, 10, 17), "政策宣讲", [secretary["id"]] + [c["id"] for c in team[:1]])
            v["policies"] = ["扶贫小额信贷", "防返贫监测"]  # 10月17日 扶贫日: 金融扶贫政策进村入户宣讲
    # next visits agreed on the latest visits of households with open problems
    open_households = {r["household_id"] for r in season.ledger if r["status"] != "已销号" and r["household_id"]}
    latest: dict[uuid.UUID, Row] = {}
    for v in season.visits:
        if v["household_id"] in open_households and (v["household_id"] not in latest
                                                      or v["visited_on"] > latest[v["household_id"]]["visited_on"]):
            latest[v["household_id"]] = v
    for v in latest.values():
        v["next_due"] = v["visited_on"] + timedelta(days=rng.choice((7, 10, 14)))

    # inspections, assessments, audit, petitions
    for source, level, category, text, measure in _INSPECTIONS:
        day = SEASON_START + timedelta(days=rng.randint(0, (today - SEASON_START).days))
        household = rng.choice(registered) if level == "户级" and registered else None
        responsible = (household or {}).get("helper_id") or (rng.choice(team)["id"] if team else None)
        ledger(source, day, text, category, level, household, responsible, measure, rng.choice((15, 30, 45)), None)

    _presence(season, rng, meta, team, today)
    _photos(season, rng, meta, today, photos)
    season.visits.sort(key=lambda v: v["visited_on"])
    return season


def _presence(season: DemoSeason, rng: random.Random, meta, team: list[Row], today: date) -> None:
    """Weekdays and Saturdays in the village, Sundays mostly off, meetings in town, one filed leave each."""
    for c in team:
        leave_start = SEASON_START + timedelta(days=rng.randint(10, 70))
        leave_days = rng.randint(2, 4)
        leave = {**meta(), "cadre_id": c["id"], "kind": rng.choice(("事假", "病假", "年休假")),
                 "starts_on": leave_start, "ends_on": leave_start + timedelta(days=leave_days - 1),
                 "reason": rng.choice(("家中老人住院", "孩子开家长会", "身体不适就医", "回单位述职后休假")),
                 "filed_with": "汜水镇党委组织办", "filed_on": leave_start - timedelta(days=1)}
        season.leaves.append(leave)
        day = SEASON_START
        while day <= today:
            leave_id = None
            if leave["starts_on"] <= day <= leave["ends_on"]:
                state, note, leave_id = "请假(备案)", None, leave["id"]
            elif day.weekday() == 6:
                state, note = ("休息", None) if rng.random() < 0.8 else ("在村", None)
            elif rng.random() < 0.08:
                state, note = "公务外出", rng.choice(("到县乡村振兴局参加业务培训", "到镇里参加周调度会",
                                                      "回派驻单位汇报工作", "陪同农户到县医院慢病鉴定"))
            else:
                state, note = "在村", None
            season.presence.append({**meta(), "cadre_id": c["id"], "day": day, "state": state, "note": note,
                                    "leave_id": leave_id})
            day += timedelta(days=1)


def _photos(season: DemoSeason, rng: random.Random, meta, today: date, count: int) -> None:
    """Generated photos on some visits (house, yard) and on closed ledger items (evidence)."""
    from PIL import Image, ImageDraw

    targets = [("visit", v["id"], v["visited_on"]) for v in rng.sample(season.visits, min(count, len(season.visits)))]
    targets += [("ledger_item", r["id"], r["closed_on"]) for r in season.ledger if r["closed_on"]][: count // 3]
    for table, target_id, day in targets:
        image = Image.new("RGB", (960, 720), (150 + rng.randint(0, 60), 190 + rng.randint(0, 40), 235))
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 430, 960, 720), fill=(150 + rng.randint(0, 40), 130, 90))  # the yard
        x = rng.randint(120, 420)
        wall = rng.choice(((225, 220, 205), (200, 180, 160), (235, 235, 230)))
        draw.rectangle((x, 260, x + 420, 470), fill=wall, outline=(90, 80, 70), width=3)
        draw.polygon([(x - 30, 265), (x + 210, 150), (x + 450, 265)], fill=rng.choice(((150, 60, 50), (70, 80, 90))))
        draw.rectangle((x + 180, 360, x + 240, 470), fill=(110, 70, 40))  # the door
        draw.rectangle((x + 50, 310, x + 130, 370), fill=(120, 170, 200))
        draw.rectangle((x + 290, 310, x + 370, 370), fill=(120, 170, 200))
        when = datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59)))
        draw.text((760, 680), f"{when:%Y-%m-%d %H:%M}", fill=(255, 140, 0))
        exif = Image.Exif()
        exif.get_ifd(0x8769)[36867] = f"{when:%Y:%m:%d %H:%M:%S}"
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=82, exif=exif.tobytes())
        data = buf.getvalue()
        thumb = image.copy()
        thumb.thumbnail((256, 256))
        tbuf = io.BytesIO()
        thumb.save(tbuf, "JPEG", quality=80)
        sha = hashlib.sha256(data).hexdigest()
        taken = (datetime.combine(day, when.time()) - timedelta(hours=8)).replace(tzinfo=UTC)
        a = {**meta(), "sha256": sha, "ext": "jpg", "kind": "照片", "file_name": f"IMG_{when:%Y%m%d_%H%M}.jpg",
             "size": len(data), "width": 960, "height": 720, "taken_at": taken, "original_sha256": sha,
             "original_size": len(data), "original_kept": True, "original_ext": "jpg"}
        season.attachments.append(a)
        season.links.append({**meta(), "attachment_id": a["id"], "target_table": table, "target_id": target_id,
                             "caption": None})
        season.files.append((sha, data, tbuf.getvalue()))


def link_plan_measures(session, season: DemoSeason, *, seed: int = 2020) -> int:
    """After the demo plans are written: about a third of the 帮扶责任人's visits moved one of the
    household's N+2 measures forward (visit_measure rows)."""
    from sqlalchemy import select

    from fupin_desktop.db.base import Base
    from fupin_desktop.db.changelog import bulk_insert
    from fupin_desktop.db.models import AssistancePlan, PlanMeasure

    rows = session.execute(select(AssistancePlan.household_id, AssistancePlan.year, PlanMeasure.id)
                           .join(PlanMeasure, PlanMeasure.plan_id == AssistancePlan.id)
                           .where(live(AssistancePlan), live(PlanMeasure))).all()
    latest: dict[uuid.UUID, int] = {}
    for household, year, _m in rows:
        latest[household] = max(year, latest.get(household, year))
    measures: dict[uuid.UUID, list[uuid.UUID]] = {}
    for household, year, measure in rows:
        if year == latest[household]:
            measures.setdefault(household, []).append(measure)
    rng = random.Random(f"demo-season-measures:{seed}")
    stamp = season.visits[0]["created_at"] if season.visits else datetime.now(UTC)
    new_id = _Ids(rng, stamp + timedelta(minutes=30), season.salt)
    links = []
    for v in season.visits:
        options = measures.get(v["household_id"])
        if options and v["visit_type"] in ("帮扶责任人入户", "扶贫日/帮扶日") and rng.random() < 0.35:
            links.append({"id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None,
                          "visit_id": v["id"], "measure_id": rng.choice(options), "note": None})
    return bulk_insert(session, Base.metadata.tables["visit_measure"], links)
