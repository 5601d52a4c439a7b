"""People: the member rows of one household (names, ID numbers, health, schooling, work) and 留守."""

import uuid
from collections.abc import Callable

from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.services.demo.constants import TOWNSHIP_NAME, VILLAGE_NAME, Row
from fupin_desktop.services.demo.draws import Draws, weighted
from fupin_desktop.services.demo.families import Spec

_MIGRANT_PLACES = (
    ("郑州市", 30), ("郑州市航空港区", 6), ("广东省深圳市", 10), ("广东省东莞市", 8),
    ("广东省广州市", 6), ("浙江省杭州市", 6), ("浙江省宁波市", 5), ("江苏省苏州市", 7), ("上海市", 6),
    ("北京市", 6), ("天津市", 3), ("福建省厦门市", 3), ("新疆维吾尔自治区乌鲁木齐市", 2), ("河南省洛阳市", 2),
)
_LOCAL_PLACES = (("汜水镇", 30), ("荥阳市", 30), ("郑州市上街区", 20), ("荥阳市豫龙镇", 8),
                 ("汜水镇工业园", 12))
_INDUSTRY_PLACES = ("新沟村海棠园", "新沟村鸵鸟谷", "汜水镇食用菌基地", "汜水镇石榴种植合作社")
_WELFARE_POSTS = (("保洁", 40), ("护林员", 15), ("保绿", 12), ("社区巡查", 10), ("交通协管", 8),
                  ("文化管理员", 7), ("保安", 5), ("防疫消杀", 3))
_CHRONIC = ("高血压", "糖尿病", "冠心病", "慢性阻塞性肺病", "脑梗死后遗症", "类风湿关节炎", "慢性肾病")
_SERIOUS_ADULT = ("恶性肿瘤", "尿毒症", "重性精神病", "耐多药肺结核", "脑血管意外")
_SERIOUS_CHILD = ("儿童白血病", "儿童先天性心脏病")
_DISABILITY = (("肢体", 45), ("听力", 15), ("视力", 12), ("智力", 10), ("精神", 10), ("多重", 5), ("言语", 3))
_DISABILITY_GRADES = (("一级", 10), ("二级", 25), ("三级", 30), ("四级", 35))
_MIGRANT_TABLE, _LOCAL_TABLE = weighted(_MIGRANT_PLACES), weighted(_LOCAL_PLACES)
_POST_TABLE = weighted(_WELFARE_POSTS)
_DISABILITY_TABLE, _GRADE_TABLE = weighted(_DISABILITY), weighted(_DISABILITY_GRADES)


def members(g: Draws, hh_id: uuid.UUID, specs: list[Spec], cluster: str, supported: bool,
            cause: str | None) -> list[Row]:
    """Member rows of one household (a registered household's main cause shows in them)."""
    rr, stamp, new_id, pick = g.rr, g.stamp, g.new_id, g.pick
    family, inlaw = g.surname(cluster), g.surname()
    # 因病: one member (35+ if any) is ill; 因残: one member is disabled
    forced = -1
    if cause == "01" or cause == "02":
        older = [i for i, spec in enumerate(specs) if spec[2] >= 35] if cause == "01" else []
        forced = g.choice(older) if older else int(rr() * len(specs))
    dis_rate = 0.05 if supported else 0.012
    people: list[Row] = []
    names: list[str] = []
    for i, (rel, sex, age, marker) in enumerate(specs):
        surname = family if marker == "F" else inlaw if marker == "L" else g.surname()
        birth = g.birth(age)
        name, initials = g.name(surname, sex, birth.year)
        while name in names:  # no two members of a household share a name
            name, initials = g.name(surname, sex, birth.year)
        names.append(name)
        if age < 18:
            p_chronic, p_serious = 0.0, 0.003
        elif age < 45:
            p_chronic, p_serious = 0.04, 0.007
        elif age < 60:
            p_chronic, p_serious = 0.12, 0.015
        elif age < 75:
            p_chronic, p_serious = 0.30, 0.03
        else:
            p_chronic, p_serious = 0.42, 0.05
        if supported:
            p_chronic, p_serious = p_chronic * 1.4, p_serious * 1.6
        r = rr()
        if i == forced and cause == "01":
            r = 0.0 if rr() < 0.5 else p_serious  # half serious, half chronic
            p_chronic = max(p_chronic, 0.01)
        if r < p_serious:
            health, note = _serious(g, age)
        elif r < p_serious + p_chronic:
            health, note = "长期慢性病", "慢性病：" + g.choice(_CHRONIC)
        else:
            health, note = "健康", None
        if rr() < dis_rate * (2.0 if age >= 60 else 1.0) or (i == forced and cause == "02"):
            category: str | None = pick(_DISABILITY_TABLE)
            grade: str | None = pick(_GRADE_TABLE)
        else:
            category = grade = None
        stage = None
        if 6 <= age <= 15:  # compulsory schooling, no dropouts
            stage = "小学" if age <= 11 else "初中"
        elif 3 <= age <= 5:
            stage = "学前教育" if rr() < 0.88 else None
        elif 16 <= age <= 18:
            r = rr()
            stage = "普通高中" if r < 0.55 else "中职" if r < 0.85 else None
        elif 19 <= age <= 22:
            r = rr()
            stage = "本科及以上" if r < 0.2 else "高职" if r < 0.35 else None
        if age < 16 or stage:
            labour = "无劳动能力"
        elif grade == "一级" or grade == "二级" or health == "重病" or age >= 75:
            labour = "丧失劳动能力"
        elif grade or health == "大病":
            labour = "部分丧失劳动能力"
        elif age >= 65 or (health == "长期慢性病" and age >= 50) or (age >= 60 and rr() < 0.5):
            labour = "弱劳动力或半劳动力"
        else:
            labour = "有劳动能力"
        if not stage and 16 <= age <= 75 and labour != "丧失劳动能力" and labour != "无劳动能力":
            status, place, post = _employ(g, age, labour == "有劳动能力", supported)
        else:
            status = place = post = None
        people.append({  # g.meta() spelt out: merging it into every row costs ~10 % of the run
            "id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None,
            "household_id": hh_id, "name": name, "name_initials": initials,
            "id_number": g.id_number(birth, sex), "relation": rel, "sex": sex, "birth_date": birth,
            "labour_ability": labour, "health": health, "disability_category": category,
            "disability_grade": grade, "schooling_stage": stage, "employment_status": status,
            "employment_place": place, "public_welfare_post": post,
            "medical_insurance": supported or rr() >= 0.012,
            "pension_insurance": age >= 16 and not stage and (supported or rr() < 0.95),
            "dibao": False, "tekun": False, "left_behind": False, "note": note,
        })
    return people


def _serious(g: Draws, age: int) -> tuple[str, str]:
    health = "重病" if g.rr() < 0.2 else "大病"
    return health, "大病：" + g.choice(_SERIOUS_CHILD if age < 15 else _SERIOUS_ADULT)


def _employ(g: Draws, age: int, able: bool, supported: bool) -> tuple[str | None, str | None, str | None]:
    r = g.rr()
    status = place = post = None
    if able and age <= 55:
        status = ("外出务工" if r < 0.44 else "就近就业" if r < 0.64 else "务农" if r < 0.76 else
                  "自主创业" if r < 0.80 else "居家灵活就业" if r < 0.86 else "产业就业" if r < 0.91 else
                  "公益性岗位" if r < 0.97 and supported else "务农" if r < 0.985 else "未就业")
    elif age <= 64:
        status = ("务农" if r < 0.45 else "就近就业" if r < 0.62 else
                  "公益性岗位" if r < 0.85 and supported else
                  "居家灵活就业" if r < 0.9 else "外出务工" if r < 0.95 else "未就业")
    elif supported and r < 0.18:
        status = "公益性岗位"
    elif r < 0.7:
        status = "务农"
    if status == "外出务工":
        place = g.pick(_MIGRANT_TABLE)
    elif status == "就近就业":
        place = g.pick(_LOCAL_TABLE)
    elif status == "产业就业":
        place = g.choice(_INDUSTRY_PLACES)
    elif status == "公益性岗位":
        place, post = VILLAGE_NAME, g.pick(_POST_TABLE)
    elif status == "自主创业":
        place = TOWNSHIP_NAME if g.rr() < 0.4 else VILLAGE_NAME
    return status, place, post


def left_behind(people: list[Row], ages: list[int], rr: Callable[[], float]) -> None:
    """留守: children and elders whose working-age family is away, wives of migrant husbands."""
    away = [p for p in people if p["employment_status"] == "外出务工"]
    if not away and len(people) > 2:
        return
    home_workers = any(18 <= a < 60 and p["employment_status"] != "外出务工"
                       for p, a in zip(people, ages, strict=True))
    husband_away = any(q["sex"] == "男" and q["relation"] in (RELATION_HEAD, "之子") for q in away)
    young_kids = any(a < 16 for a in ages)
    for p, a in zip(people, ages, strict=True):
        if a < 16:
            p["left_behind"] = bool(away) and rr() < (0.85 if len(away) >= 2 else 0.5)
        elif a >= 60:
            p["left_behind"] = not home_workers and rr() < 0.55
        elif (husband_away and young_kids and p["sex"] == "女" and p["relation"] in ("配偶", "之儿媳")
              and 20 <= a and p["employment_status"] != "外出务工"):
            p["left_behind"] = rr() < 0.5

