"""generate_village: the whole demo village, from the county down to each household's incomes."""

import gc
from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.ids import reference_id
from fupin_desktop.services.demo.benefits import village_benefits
from fupin_desktop.services.demo.cadres import village_cadres
from fupin_desktop.services.demo.constants import (
    CITY_NAME,
    COUNTY_NAME,
    DEFAULT_VILLAGE_CODE,
    DEMO_TODAY,
    TEKUN,
    TOWNSHIP_NAME,
    VILLAGE_NAME,
    Row,
)
from fupin_desktop.services.demo.draws import Draws
from fupin_desktop.services.demo.families import family
from fupin_desktop.services.demo.households import assess, risk_cause
from fupin_desktop.services.demo.incomes import household_incomes, village_incomes
from fupin_desktop.services.demo.names import group_names
from fupin_desktop.services.demo.people import members
from fupin_desktop.services.demo.plan import Plan, draw_roster, plan_for


@dataclass
class DemoVillage:
    county: Row
    township: Row
    village: Row
    groups: list[Row]
    cadres: list[Row]
    households: list[Row]
    members: list[Row]
    household_incomes: list[Row]
    village_incomes: list[Row]
    benefits: list[Row]
    benefit_incomes: list[Row]  # this year's income rows, holding only the transfer-type benefits so far

    def tables(self) -> list[tuple[str, list[Row]]]:
        """(table name, rows) in an order that satisfies every foreign key."""
        return [
            ("county", [self.county]),
            ("township", [self.township]),
            ("village", [self.village]),
            ("villager_group", self.groups),
            ("cadre", self.cadres),
            ("household", self.households),
            ("member", self.members),
            ("household_income", self.household_incomes),
            ("village_income", self.village_incomes),
            ("benefit", self.benefits),
            ("household_income", self.benefit_incomes),
        ]


def generate_village(*, village_code: str = DEFAULT_VILLAGE_CODE, households: int | None = None,
                     seed: int = 2020, today: date = DEMO_TODAY) -> DemoVillage:
    """Build the demo village. Pure and deterministic: the same arguments give identical rows.

    Only the codes follow `village_code` (county = first 6 digits, township = first 9, and the
    region of every ID number); the names stay 荥阳市 汜水镇 新沟村.
    """
    if not (len(village_code) == 12 and village_code.isdigit()):
        raise ValueError("village_code must be a 12-digit statistical code such as 410182104201")
    plan = plan_for(households)
    # Hundreds of thousands of small dicts and no cycles: the cyclic collector would only slow this down.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(plan, village_code, seed, today)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(plan: Plan, village_code: str, seed: int, today: date) -> DemoVillage:
    g = Draws(seed, today, village_code)
    rr, ri, meta = g.rr, g.ri, g.meta
    last_year = today.year - 1

    # -- geography ------------------------------------------------------------------------------
    # county and township: the same ids in every village database (see services.village.create_village)
    county = {**meta(), "code": village_code[:6], "name": COUNTY_NAME, "city": CITY_NAME}
    county["id"] = reference_id("county", village_code[:6])
    township = {**meta(), "county_id": county["id"], "code": village_code[:9], "name": TOWNSHIP_NAME}
    township["id"] = reference_id("township", village_code[:9])
    village_id = g.new_id()
    group_specs = group_names(plan.groups)
    groups = [{**meta(), "village_id": village_id, "name": name, "sort_order": i + 1}
              for i, (name, _) in enumerate(group_specs)]
    roster = draw_roster(g.rng, plan)

    # -- households, members, incomes ------------------------------------------------------------
    hh_rows: list[Row] = []
    member_rows: list[Row] = []
    income_rows: list[Row] = []
    supported_pos: list[int] = []  # positions in hh_rows that get a 帮扶责任人
    lianwei_candidates: list[tuple[str, str]] = []  # (name, phone) of male general household heads 38-62
    number_width = max(4, len(str(plan.households)))
    hh_index = 0
    for group, (group_name, cluster), count in zip(groups, group_specs, roster.per_group, strict=True):
        door = 0
        for _ in range(count):
            kind = roster.kinds[hh_index]
            registered, supported = kind == "reg", kind != "gen"
            cause = risk_cause(g) if kind in ("mon", "edge") else roster.causes.get(hh_index)
            hh_id = g.new_id()
            specs = family(g, roster.sizes[hh_index], cause == "08" or (registered and rr() < 0.25))
            people = members(g, hh_id, specs, cluster, supported, cause)
            ages = [spec[2] for spec in specs]  # exact ages on `today`
            register = assess(g, kind, cause, people, ages, hh_index in roster.banqian, last_year)
            door += 1 if rr() < 0.7 else ri(2, 3)
            phone = None if (TEKUN in register["attributes"] and rr() < 0.5) or rr() < 0.04 else g.mobile()
            household = {
                "id": hh_id, "created_at": g.stamp, "updated_at": g.stamp, "deleted_at": None,
                "village_id": village_id, "group_id": group["id"],
                "number": f"{village_code}{hh_index + 1:0{number_width}d}",
                "address": f"{TOWNSHIP_NAME}{VILLAGE_NAME}{group_name}{door}号", "phone": phone, **register,
            }
            hh_rows.append(household)
            head = people[0]
            if supported:
                supported_pos.append(hh_index)
            elif 38 <= ages[0] <= 62 and head["sex"] == "男" and phone:
                lianwei_candidates.append((head["name"], phone))
            income_rows += household_incomes(g, household, kind, people, ages, last_year)
            member_rows += people
            hh_index += 1

    cadres = village_cadres(g, village_id, hh_rows, supported_pos, lianwei_candidates)
    village = {
        "id": village_id, "created_at": g.stamp, "updated_at": g.stamp, "deleted_at": None,
        "township_id": township["id"], "code": village_code, "name": VILLAGE_NAME,
        "designation": "省级贫困村",
        "tags": ["美丽乡村"], "designated_year": 2014, "exit_year": 2017,
        "households_total": len(hh_rows), "population_total": len(member_rows), "area_km2": 3.02,
        "natural_villages": len(groups), "note": "海棠园、鸵鸟谷带动就业；2017年贫困村退出",
    }
    village_income_rows = village_incomes(g, village_id, last_year)
    benefits, benefit_incomes = village_benefits(g, hh_rows, member_rows, today.year)
    return DemoVillage(county=county, township=township, village=village, groups=groups, cadres=cadres,
                       households=hh_rows, members=member_rows, household_incomes=income_rows,
                       village_incomes=village_income_rows, benefits=benefits, benefit_incomes=benefit_incomes)
