"""Incomes: yearly household incomes and the village's collective income, in integer fen."""

import math
import uuid
from functools import cache

from fupin_desktop.services.demo.constants import CANJI, DIBAO, TEKUN, Row
from fupin_desktop.services.demo.draws import Draws

FIRST_INCOME_YEAR = 2016
# 村集体经济收入 in 元: 3.8万 (2016) → 16.5万 (2020) per [002]; later years are plausible growth.
COLLECTIVE_INCOME = {2016: 38_000, 2017: 67_000, 2018: 98_000, 2019: 132_000, 2020: 165_000,
                     2021: 178_000, 2022: 191_000, 2023: 206_000, 2024: 221_000, 2025: 238_000}
COLLECTIVE_NOTES = {
    2016: "光伏电站收益",
    2017: "光伏电站收益、土地流转服务费",
    2018: "海棠园土地流转服务费、光伏收益",
    2019: "鸵鸟谷入股分红、海棠园流转服务费",
    2020: "鸵鸟谷入股分红、海棠园采摘、光伏收益",
}

# Mean per-capita net income (元) of registered households in the years after they exited.
# Calibrated so the village means come out ≈3000 (2016), ≈12600 (2020) and ≈16000 (2025).
REGISTERED_INCOME = {2016: 3550, 2017: 5200, 2018: 7550, 2019: 9900, 2020: 12350, 2021: 13030,
                     2022: 13720, 2023: 14400, 2024: 15000, 2025: 15680}
GENERAL_INCOME_2025 = 19_500  # 一般农户, per capita (before the household's own spread)
MONITORED_INCOME_2016 = 5_600  # 监测户; 边缘户 12 % more


@cache
def _income_bases(last_year: int) -> dict[str, dict[int, float]]:
    """Mean per-capita net income (元) by household kind and year, up to `last_year`."""
    years = range(FIRST_INCOME_YEAR, max(last_year, FIRST_INCOME_YEAR) + 1)
    return {
        "reg": {y: REGISTERED_INCOME.get(y) or REGISTERED_INCOME[2025] * 1.04 ** (y - 2025) for y in years},
        "gen": {y: GENERAL_INCOME_2025 * 1.055 ** (y - 2025) for y in years},
        "mon": {y: MONITORED_INCOME_2016 * 1.095 ** (y - 2016) for y in years},
        "edge": {y: 1.12 * MONITORED_INCOME_2016 * 1.095 ** (y - 2016) for y in years},
    }


def household_incomes(g: Draws, household: Row, kind: str, people: list[Row], ages: list[int],
                      last_year: int) -> list[Row]:
    """Yearly income rows: 2016 on for registered and monitored households, else the last 3 years."""
    rr, stamp, new_id = g.rr, g.stamp, g.new_id
    hh_id, attributes = household["id"], household["attributes"]
    exit_year, identified = household["exit_year"], household["identified_year"]
    n: dict[str | None, int] = {}
    for p in people:
        n[p["employment_status"]] = n.get(p["employment_status"], 0) + 1
    elders = sum(a >= 60 for a in ages)
    students = sum(p["schooling_stage"] is not None for p in people)
    w = (
        3.0 * n.get("外出务工", 0) + 1.0 * n.get("公益性岗位", 0)
        + 2.0 * (n.get("就近就业", 0) + n.get("产业就业", 0) + n.get("居家灵活就业", 0)),
        0.3 + 1.2 * n.get("务农", 0) + 2.5 * n.get("自主创业", 0),
        0.2 if kind == "gen" else 0.35,
        (1.6 if DIBAO in attributes else 0) + (2.5 if TEKUN in attributes else 0)
        + (0.4 if CANJI in attributes else 0) + 0.35 * elders + 0.25 * students
        + (0.05 if kind == "gen" else 0.3),
    )
    total = sum(w)
    s0, s1, s2 = w[0] / total, w[1] / total, w[2] / total  # the transfer share takes the rest
    expense_ratio = 0.35 + 0.4 * rr()
    size = len(people)
    registered, general = kind == "reg", kind == "gen"
    first = last_year - 2 if general else FIRST_INCOME_YEAR
    bases = _income_bases(last_year)[kind]
    factor = min(1.8, max(0.6, math.exp(g.rng.gauss(0, 0.22))))
    if general:
        factor *= factor  # wider spread among ordinary households
    out = []
    for y in range(first, last_year + 1):
        if registered and y < exit_year:
            pc = 2250 + 700 * rr()  # still under the 3000-yuan line before exiting
        else:
            pc = bases[y] * factor * (0.93 + 0.14 * rr())
            if registered:
                pc = max(pc, 3300 + 450 * (y - FIRST_INCOME_YEAR))
            elif not general:  # 监测户 / 边缘户: a dip in the year the risk appeared, then recovery
                if y == identified:
                    pc *= 0.6
                elif y > identified:
                    pc *= min(1.0, 0.75 + 0.1 * (y - identified))
        net = int(pc * size + 0.5)
        tilt = 0.9 + 0.2 * rr()  # some years more wages, some more farming
        wage, op_net, prop = int(net * s0 * tilt + 0.5), int(net * s1 * (2 - tilt) + 0.5), int(net * s2 + 0.5)
        transfer = net - wage - op_net - prop
        if transfer < 0:  # the tilt overshot: take it back from the larger of wage and farming
            if wage >= op_net:
                wage += transfer
            else:
                op_net += transfer
            transfer = 0
        expense = int(op_net * expense_ratio + 0.5)
        out.append({  # g.meta() spelt out: merging it into every row costs ~10 % of the run
            "id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None,
            "household_id": hh_id, "year": y, "persons": size, "wage_fen": wage * 100,
            "operating_fen": (op_net + expense) * 100, "property_fen": prop * 100,
            "transfer_fen": transfer * 100, "expense_fen": expense * 100, "note": None,
        })
    return out


def village_incomes(g: Draws, village_id: uuid.UUID, last_year: int) -> list[Row]:
    """村集体经济收入 from 2016 on: the recorded years, then 6 % growth a year."""
    rows = []
    for y in range(FIRST_INCOME_YEAR, last_year + 1):
        amount = COLLECTIVE_INCOME.get(y) or round(COLLECTIVE_INCOME[2025] * 1.06 ** (y - 2025), -2)
        rows.append({**g.meta(), "village_id": village_id, "year": y,
                     "amount_fen": int(amount) * 100, "note": COLLECTIVE_NOTES.get(y)})
    return rows
