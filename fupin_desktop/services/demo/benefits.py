"""A realistic year of 享受政策 (Jan–Nov of the demo year) from what the register says of each family.

Amounts are the §2.14 / §8.4 standards of domain.md (郑州市 2020 standards still in force):
低保 730 元/人/月 for the household's 低保 members, 特困 9198 元/年, 两项补贴 120 / 100 元/月,
雨露计划 2000 / 4000 元, 公益岗 520 元/月 (wages), 到户增收补贴, 小额信贷贴息, 医疗救助 for 大病.
Transfer-type benefits are folded into an income row of the year, as services/benefits.py does.
Randomness has its own stream, so the rest of the village is the same with or without this module.
"""

import random
from datetime import date
from typing import Any

from fupin_desktop.domain.vocab import REGISTERED_STATUSES
from fupin_desktop.services.benefits import AUTO_INCOME_NOTE
from fupin_desktop.services.demo.constants import Row
from fupin_desktop.services.demo.draws import Draws

SUPPORTED = (*REGISTERED_STATUSES[:2], "监测户", "边缘户")  # 已脱贫(不享受政策) only keeps education aid
TRANSFER = {"P01", "P02", "P09", "P10", "P11", "P12", "P13", "P18"}  # the catalogue's 转移性 codes used here
PAYERS = {"P01": "荥阳市乡村振兴局", "P02": "荥阳市教育局", "P06": "荥阳市医疗保障局", "P08": "荥阳市医疗保障局",
          "P09": "荥阳市民政局", "P10": "荥阳市民政局", "P11": "荥阳市残疾人联合会", "P12": "荥阳市残疾人联合会",
          "P13": "荥阳市乡村振兴局", "P14": "荥阳市财政局", "P15": "汜水镇人民政府", "P18": "荥阳市民政局"}


def village_benefits(g: Draws, households: list[Row], members: list[Row], year: int) -> tuple[list[Row], list[Row]]:
    """(benefit rows, income rows of `year` carrying their transfer total)."""
    rng = random.Random(f"demo-benefits:{g.stamp.isoformat()}")
    rr = rng.random
    months = 11  # January to November
    jan, nov = date(year, 1, 1), date(year, 11, 30)
    by_household: dict[Any, list[Row]] = {}
    for m in members:
        by_household.setdefault(m["household_id"], []).append(m)
    rows: list[Row] = []

    def add(h: Row, code: str, amount: int, member: Row | None = None, *, start: date = jan, end: date = nov,
            paid: date | None = None, proof: str | None = None) -> None:
        rows.append({**g.meta(), "household_id": h["id"], "member_id": member["id"] if member else None,
                     "year": year, "policy_code": code, "amount_fen": amount, "period_from": start, "period_to": end,
                     "payer": PAYERS.get(code), "paid_on": paid or date(year, 11, 10),
                     "proof": proof or f"一卡通{year}年{end.month}月批次", "note": None})

    for h in households:
        people = by_household.get(h["id"], [])
        status = h["status"]
        supported = status in SUPPORTED
        for m in people:
            stage = m["schooling_stage"]
            if stage in ("中职", "高职") and status != "一般农户":
                add(h, "P01", 200000, m, start=date(year, 9, 1), end=date(year + 1, 7, 31), paid=date(year, 10, 28),
                    proof=f"雨露计划{year}年秋季批次")
            elif stage == "本科及以上" and status != "一般农户" and rr() < 0.5:
                add(h, "P02", 400000, m, start=date(year, 9, 1), end=date(year + 1, 7, 31), paid=date(year, 10, 28),
                    proof=f"{year}年本科新生助学")
            if not supported:
                continue
            if m["tekun"]:
                add(h, "P10", 919800 * months // 12, m)
            if m["disability_category"] and (m["dibao"] or m["tekun"] or status == "未脱贫"):
                add(h, "P11", 12000 * months, m)
                if m["disability_grade"] in ("一级", "二级"):
                    add(h, "P12", 10000 * months, m)
            if m["public_welfare_post"]:
                add(h, "P15", 52000 * months, m, proof=f"{year}年公益岗工资表")
            if status in ("未脱贫", "监测户") and m["medical_insurance"]:
                add(h, "P06", 40000, m, start=jan, end=date(year, 12, 31), paid=date(year - 1, 12, 15),
                    proof=f"{year}年度城乡居民医保代缴名册")
            if m["health"] in ("大病", "重病") and rr() < 0.6:
                add(h, "P08", int(1500 + 6500 * rr()) * 100, m, start=date(year, 3, 1), end=date(year, 3, 31),
                    paid=date(year, 4, 20), proof="一站式结算单")
        if not people or (not supported and not any(m["dibao"] for m in people)):
            continue
        dibao_people = sum(m["dibao"] for m in people)
        if dibao_people:
            add(h, "P09", 73000 * months * dibao_people)
        if not supported:
            continue
        if status in REGISTERED_STATUSES and rr() < 0.45:
            add(h, "P13", int(5 + 10 * rr()) * 10000, start=date(year, 5, 1), end=date(year, 5, 31),
                paid=date(year, 6, 18), proof=f"{year}年产业到户增收补贴花名册")
        if status in REGISTERED_STATUSES and rr() < 0.15:
            loan = int(2 + 3 * rr()) * 10000  # 2–5万 at a 3.45 % base rate, fully subsidised
            add(h, "P14", loan * 345 // 10000 * 100, start=jan, end=date(year, 12, 31), paid=date(year, 9, 21),
                proof=f"小额信贷贴息（贷款{loan}元）")

    incomes = _income_rows(g, households, by_household, rows, year)
    return rows, incomes


def _income_rows(g: Draws, households: list[Row], by_household: dict[Any, list[Row]], rows: list[Row],
                 year: int) -> list[Row]:
    totals: dict[Any, int] = {}
    for r in rows:
        if r["policy_code"] in TRANSFER:
            totals[r["household_id"]] = totals.get(r["household_id"], 0) + r["amount_fen"]
    return [{**g.meta(), "household_id": h["id"], "year": year, "persons": len(by_household.get(h["id"], [])) or 1,
             "wage_fen": 0, "operating_fen": 0, "property_fen": 0, "transfer_fen": totals[h["id"]], "expense_fen": 0,
             "note": AUTO_INCOME_NOTE} for h in households if h["id"] in totals]
