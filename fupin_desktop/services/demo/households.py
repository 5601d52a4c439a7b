"""What the register says of one household: attributes, status, causes, housing and drinking water."""

from datetime import date

from fupin_desktop.services.demo.constants import (
    BANQIAN,
    CANJI,
    CAUSE_NAMES,
    DIBAO,
    DOUDI,
    LUOYANG_CAUSE_SHARES,
    SHIJI,
    TEKUN,
    Row,
)
from fupin_desktop.services.demo.draws import Draws, weighted
from fupin_desktop.services.demo.people import left_behind

_CAUSE_TABLE = weighted(tuple((c, round(s * 100)) for c, s in LUOYANG_CAUSE_SHARES.items()))


def risk_cause(g: Draws) -> str:
    """The main cause of a 监测户 or 边缘户: mostly illness, then schooling, disaster, disability."""
    r = g.rr()
    return "01" if r < 0.5 else "03" if r < 0.65 else "04" if r < 0.8 else "02" if r < 0.9 else "08"


def assess(g: Draws, kind: str, cause: str | None, people: list[Row], ages: list[int], banqian: bool,
           last_year: int) -> Row:
    """The household columns from `status` on, in table order, for a household of `kind`.

    Sets the members' 低保 / 特困 flags to mirror the household's attributes, and their 留守 flags.
    """
    rr, ri = g.rr, g.ri
    registered, supported = kind == "reg", kind != "gen"
    # household attributes, mirrored by the members' 低保 / 特困 flags
    has_disabled = any(p["disability_category"] for p in people)
    severe = any(p["health"] in ("大病", "重病") or p["disability_grade"] in ("一级", "二级")
                 for p in people)
    no_labour = not any(p["labour_ability"] in ("有劳动能力", "弱劳动力或半劳动力") for p in people)
    tekun = registered and len(people) == 1 and (ages[0] >= 60 or has_disabled) and rr() < 0.4
    if tekun:
        dibao = False
    elif registered:
        dibao = rr() < (0.6 if severe or no_labour else 0.15)
    elif supported:
        dibao = rr() < (0.5 if severe else 0.15)
    else:
        dibao = rr() < 0.015
    attributes = [a for a, on in ((DIBAO, dibao), (TEKUN, tekun),
                                  (CANJI, has_disabled and (supported or dibao)),
                                  (SHIJI, registered and rr() < 0.18),
                                  (DOUDI, (dibao or tekun) and no_labour),
                                  (BANQIAN, banqian)) if on]
    if dibao or tekun:
        for p in people:
            p["dibao"], p["tekun"] = dibao, tekun
    left_behind(people, ages, rr)

    identified = exit_year = housing = housing_on = water_on = water_ok = note = None
    secondary: list[str] = []
    if registered:
        r = rr()
        identified = 2014 if r < 0.7 else 2015 if r < 0.88 else 2016
        r = rr()
        exit_year = max(identified + 1,
                        2016 if r < 0.40 else 2017 if r < 0.90 else 2018 if r < 0.96 else 2019)
        subsidised_student = any(p["schooling_stage"] in ("普通高中", "中职", "高职", "本科及以上")
                                 for p in people)
        enjoys = (bool({DIBAO, TEKUN, DOUDI} & set(attributes))
                  or (subsidised_student and rr() < 0.7)
                  or ((severe or has_disabled) and rr() < 0.5) or rr() < 0.08)
        status = "已脱贫(享受政策)" if enjoys else "已脱贫(不享受政策)"
        r = rr()
        n_secondary = 0 if r < 0.4 else 1 if r < 0.8 else 2
        while len(secondary) < n_secondary:
            c = g.pick(_CAUSE_TABLE)
            if c != cause and c not in secondary:
                secondary.append(c)
        if BANQIAN in attributes:
            housing, note = "保障安全", f"{ri(2017, 2018)}年易地扶贫搬迁，集中安置"
        elif rr() < 0.28:
            housing = "改造安全"
            note = f"{ri(2016, 2019)}年危房改造（{'拆除重建' if rr() < 0.2 else '维修加固'}）"
        else:
            housing = "鉴定安全"
        if tekun:
            note = (note + "；" if note else "") + "分散供养特困人员"
    elif supported:
        status = "监测户" if kind == "mon" else "边缘户"
        identified = ri(2020, max(2020, min(last_year, 2025)))
        if rr() < 0.4 and cause != "09":
            secondary.append("09")
        housing = "鉴定安全"
        note = f"{identified}年{CAUSE_NAMES[cause]}纳入{'监测' if kind == 'mon' else '边缘户'}"  # type: ignore[index]
    else:
        status = "一般农户"
    if housing:  # 住房 / 饮水 checked within the last ten months
        check_lo, check_span = g.today.toordinal() - 300, 299
        housing_on = date.fromordinal(check_lo + int(rr() * check_span))
        water_on = date.fromordinal(check_lo + int(rr() * check_span))
        water_ok = True
    return {
        "status": status, "attributes": attributes, "identified_year": identified, "exit_year": exit_year,
        "main_cause": cause, "secondary_causes": secondary, "helper_id": None,
        "housing_safety": housing, "housing_checked_on": housing_on,
        "water_quality_ok": water_ok, "water_quantity_ok": water_ok, "water_convenience_ok": water_ok,
        "water_reliability_ok": water_ok, "water_checked_on": water_on, "note": note,
    }
