"""The whole demo village, from the county down to each household's incomes: all at once in memory
(`generate_village`) or a part at a time as it is drawn (`VillageStream`, what `fupin demo` writes)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from fupin_desktop.db.changelog import no_cycle_collection
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.services.demo.benefits import village_benefits
from fupin_desktop.services.demo.cadres import cadre_count, village_cadres
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
from fupin_desktop.services.demo.plan import draw_roster, plan_for

# DemoVillage's fields in the order of `DemoVillage.tables()`, with their tables
TABLES = {"county": "county", "township": "township", "village": "village", "groups": "villager_group",
          "cadres": "cadre", "households": "household", "members": "member", "household_incomes": "household_income",
          "village_incomes": "village_income", "benefits": "benefit", "benefit_incomes": "household_income"}
CHUNK = 2_000  # households in a part of the register (whole 村民组), with their members and incomes
Part = tuple[str, list[Row]]  # (a DemoVillage field, rows of it)


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
        return [(table, rows if isinstance(rows := getattr(self, name), list) else [rows])
                for name, table in TABLES.items()]


def generate_village(*, village_code: str = DEFAULT_VILLAGE_CODE, households: int | None = None,
                     seed: int = 2020, today: date = DEMO_TODAY) -> DemoVillage:
    """Build the demo village. Pure and deterministic: the same arguments give identical rows.

    Only the codes follow `village_code` (county = first 6 digits, township = first 9, and the
    region of every ID number); the names stay 荥阳市 汜水镇 新沟村.
    """
    rows: dict[str, list[Row]] = {name: [] for name in TABLES}
    with no_cycle_collection():  # hundreds of thousands of small dicts and no cycles
        for name, part in VillageStream(village_code=village_code, households=households, seed=seed, today=today):
            rows[name] += part
    return DemoVillage(county=rows["county"][0], township=rows["township"][0], village=rows["village"][0],
                       groups=rows["groups"], cadres=rows["cadres"], households=rows["households"],
                       members=rows["members"], household_incomes=rows["household_incomes"],
                       village_incomes=rows["village_incomes"], benefits=rows["benefits"],
                       benefit_incomes=rows["benefit_incomes"])


def awaits_helper(household: Row) -> bool:
    """A household that gets a 帮扶责任人 (every one but the 一般农户), drawn after the register."""
    return household["status"] != "一般农户"


class VillageStream:
    """The demo village in the order its random draws make it, a part at a time, so that a writer
    holds one part of the register (`CHUNK` households) instead of the village.

    Iterating yields (field, rows): county, township, village, groups, then households, members and
    household_incomes per part of the register, then cadres (the 帮扶责任人 are drawn last: they
    become the `helper_id` of households already yielded, the same dicts), village_incomes,
    benefits and benefit_incomes. Afterwards `kept` holds what the later steps (season, plans,
    monitoring) read again: every household that has a 帮扶责任人 or a 低保 member, with its members;
    the others are only counted (and income and benefit rows are not kept).
    """

    def __init__(self, *, village_code: str = DEFAULT_VILLAGE_CODE, households: int | None = None,
                 seed: int = 2020, today: date = DEMO_TODAY) -> None:
        if not (len(village_code) == 12 and village_code.isdigit()):
            raise ValueError("village_code must be a 12-digit statistical code such as 410182104201")
        self.plan = plan_for(households)
        self.village_code, self.seed, self.today = village_code, seed, today
        self.kept: DemoVillage | None = None

    def sizes(self) -> dict[str, int]:
        """Rows of the tables written out of order (see build.py), known before they are drawn."""
        p = self.plan
        return {"cadre": cadre_count(p.registered + p.monitored + p.edge), "household": p.households,
                "member": p.persons}

    def __iter__(self) -> Iterator[Part]:
        plan, village_code, today = self.plan, self.village_code, self.today
        g = Draws(self.seed, today, village_code)
        rr, ri, meta = g.rr, g.ri, g.meta
        last_year = today.year - 1

        # -- geography ---------------------------------------------------------------------------
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
        village = {  # the plan's totals are what the register below adds up to
            "id": village_id, "created_at": g.stamp, "updated_at": g.stamp, "deleted_at": None,
            "township_id": township["id"], "code": village_code, "name": VILLAGE_NAME,
            "designation": "省级贫困村",
            "tags": ["美丽乡村"], "designated_year": 2014, "exit_year": 2017,
            "households_total": plan.households, "population_total": plan.persons, "area_km2": 3.02,
            "natural_villages": len(groups), "note": "海棠园、鸵鸟谷带动就业；2017年贫困村退出",
        }
        yield from (("county", [county]), ("township", [township]), ("village", [village]), ("groups", groups))

        # -- households, members, incomes ----------------------------------------------------------
        hh_rows: list[Row] = []
        member_rows: list[Row] = []
        income_rows: list[Row] = []
        helped: list[Row] = []  # households that get a 帮扶责任人
        kept_households: list[Row] = []
        kept_members: list[Row] = []
        lianwei_candidates: list[tuple[str, str]] = []  # (name, phone) of male general household heads 38-62
        number_width = max(4, len(str(plan.households)))
        hh_index = members_total = 0
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
                if awaits_helper(household):
                    helped.append(household)
                elif 38 <= ages[0] <= 62 and head["sex"] == "男" and phone:
                    lianwei_candidates.append((head["name"], phone))
                if supported or any(p["dibao"] for p in people):  # benefits, visits, plans read them again
                    kept_households.append(household)
                    kept_members += people
                income_rows += household_incomes(g, household, kind, people, ages, last_year)
                member_rows += people
                members_total += len(people)
                hh_index += 1
            if len(hh_rows) >= CHUNK or hh_index == plan.households:
                yield from (("households", hh_rows), ("members", member_rows), ("household_incomes", income_rows))
                hh_rows, member_rows, income_rows = [], [], []

        if (hh_index, members_total) != (plan.households, plan.persons):  # the village row and `sizes` said so
            raise RuntimeError(f"demo register of {hh_index} households, {members_total} persons: not as planned")
        cadres = village_cadres(g, village_id, helped, lianwei_candidates)
        yield "cadres", cadres
        yield "village_incomes", village_incomes(g, village_id, last_year)
        benefits, benefit_incomes = village_benefits(g, kept_households, kept_members, today.year)
        yield from (("benefits", benefits), ("benefit_incomes", benefit_incomes))
        self.kept = DemoVillage(county=county, township=township, village=village, groups=groups, cadres=cadres,
                                households=kept_households, members=kept_members, household_incomes=[],
                                village_incomes=[], benefits=[], benefit_incomes=[])
