"""Cadres: the 驻村工作队, the 村两委 and the 帮扶责任人 with the households each one helps."""

import math
import uuid
from datetime import date

from fupin_desktop.services.demo.constants import Row
from fupin_desktop.services.demo.draws import Draws
from fupin_desktop.services.demo.plan import split

_HELPER_UNITS = (
    ("汜水镇人民政府", ("副镇长", "党政办主任", "农业服务中心主任", "经管站站长", "一级科员",
                       "四级主任科员", "民政所所长")),
    ("中共汜水镇委员会", ("组织委员", "宣传委员", "纪委副书记", "党建办主任")),
    ("荥阳市农业农村局", ("副局长", "科长", "四级主任科员", "一级科员")),
    ("荥阳市财政局", ("副局长", "农业科科长", "四级主任科员")),
    ("荥阳市教育局", ("副局长", "资助中心主任", "一级科员")),
    ("荥阳市卫生健康委员会", ("副主任", "医政科科长", "四级主任科员")),
    ("荥阳市人力资源和社会保障局", ("副局长", "就业服务中心主任", "一级科员")),
    ("荥阳市民政局", ("副局长", "社会救助科科长", "四级主任科员")),
    ("荥阳市住房和城乡建设局", ("副局长", "村镇建设科科长", "一级科员")),
    ("荥阳市水利局", ("副局长", "农水科科长", "四级主任科员")),
    ("荥阳市乡村振兴局", ("副局长", "综合科科长", "一级科员", "四级主任科员")),
    ("荥阳市交通运输局", ("副局长", "四级主任科员")),
    ("荥阳市自然资源局", ("副局长", "一级科员")),
    ("荥阳市市场监督管理局", ("副局长", "四级主任科员")),
    ("国网荥阳市供电公司", ("副经理", "汜水供电所所长")),
)


def cadre_count(supported: int) -> int:
    """How many cadres `village_cadres` makes for that many supported households (known before they are drawn)."""
    return 7 + _helpers(supported)


def _helpers(n: int) -> int:
    """帮扶责任人 for n supported households: 3-5 households each."""
    if not n:
        return 0
    return 1 if n < 3 else max(math.ceil(n / 5), min(n // 3, round(n / 4.6)))


def village_cadres(g: Draws, village_id: uuid.UUID, supported: list[Row],
                   lianwei_candidates: list[tuple[str, str]]) -> list[Row]:
    """The team, the 两委 (drawn from the village's own household heads) and the 帮扶责任人, who
    are set as the `helper_id` of the `supported` households (in register order)."""
    rr, ri, today = g.rr, g.ri, g.today
    names: set[str] = set()

    def cadre(role: str, unit: str, position: str, started: date, *, sex: str | None = None,
              name: str | None = None, phone: str | None = None) -> Row:
        while name is None or name in names:
            s = sex or ("男" if rr() < 0.7 else "女")
            name = g.name(g.surname(), s, ri(1968, 1997))[0]
        names.add(name)
        return {**g.meta(), "village_id": village_id, "name": name, "role": role, "unit": unit,
                "position": position, "phone": phone or g.mobile(), "started_on": started, "ended_on": None}

    team_start = date(today.year - 2, 7, ri(1, 20))
    unit = "荥阳市农业农村局"
    cadres = [cadre("第一书记", unit, "四级主任科员", team_start),
              cadre("工作队员", unit, "一级科员", team_start),
              cadre("工作队员", unit, "一级科员", team_start)]
    term_start = date(2021, ri(5, 7), ri(1, 28))
    g.rng.shuffle(lianwei_candidates)
    # unit + position is how they are printed: 新沟村党支部 + 书记, not 党支部书记 (which prints it twice)
    for role, unit, position in (("村党支部书记", "新沟村党支部", "书记"),
                                 ("村委会主任", "新沟村村民委员会", "主任"),
                                 ("两委委员", "新沟村", "两委委员、村会计")):
        name = phone = None
        while lianwei_candidates and (name is None or name in names):
            name, phone = lianwei_candidates.pop()
        cadres.append(cadre(role, unit, position, term_start, name=name, phone=phone))
    cadres.append(cadre("两委委员", "新沟村", "两委委员、妇联主席", term_start, sex="女"))

    # 帮扶责任人: 3-5 households each, neighbours in register order
    n = len(supported)
    if not n:
        return cadres
    h = _helpers(n)
    loads = split(n, [1.0] * h)
    for _ in range(h):  # some variety, staying within 3..5
        i, j = int(rr() * h), int(rr() * h)
        if loads[i] > 3 and loads[j] < 5:
            loads[i] -= 1
            loads[j] += 1
    start_lo = date(2021, 3, 1).toordinal()
    pos = 0
    for load in loads:
        unit, positions = _HELPER_UNITS[0 if rr() < 0.35 else int(rr() * len(_HELPER_UNITS))]
        helper = cadre("帮扶责任人", unit, g.choice(positions),
                       date.fromordinal(start_lo + int(rr() * max(1, today.toordinal() - 60 - start_lo))))
        cadres.append(helper)
        for household in supported[pos:pos + load]:
            household["helper_id"] = helper["id"]
        pos += load
    return cadres
