"""The demo village generator: exact default counts, determinism, valid and consistent rows."""

import statistics
import uuid
from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import create_engine, insert

import fupin_desktop.db.models  # noqa: F401  (registers every table)
from fupin_desktop.db.base import Base
from fupin_desktop.domain import idcard, phone, vocab
from fupin_desktop.domain.household import HouseholdForm, MemberForm, check_household, check_members
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.services.demo import (
    GIVEN_NAMES,
    LUOYANG_CAUSE_SHARES,
    SURNAMES,
    DemoVillage,
    cause_quota,
    generate_village,
)
from fupin_desktop.services.text import name_initials

TODAY = date(2026, 11, 22)
ATTRIBUTE_CODES = {"dibao", "tekun", "canji", "shiji_dishouru", "doudi", "banqian"}
CAUSE_CODES = set(LUOYANG_CAUSE_SHARES)


@pytest.fixture(scope="module")
def demo() -> DemoVillage:
    return generate_village()


@pytest.fixture(scope="module")
def scaled() -> DemoVillage:
    return generate_village(households=2000, seed=7)


def registered_ids(v: DemoVillage) -> set[uuid.UUID]:
    return {h["id"] for h in v.households if h["status"] in vocab.REGISTERED_STATUSES}


def by_household(v: DemoVillage) -> dict[uuid.UUID, list[dict]]:
    out: dict[uuid.UUID, list[dict]] = defaultdict(list)
    for m in v.members:
        out[m["household_id"]].append(m)
    return out


def net_per_capita(r: dict) -> float:
    return (r["wage_fen"] + r["operating_fen"] + r["property_fen"] + r["transfer_fen"] - r["expense_fen"]) \
        / 100 / r["persons"]


# -- shape ------------------------------------------------------------------------------------------


def test_default_village_has_the_exact_counts_of_the_seeds(demo: DemoVillage) -> None:
    reg = registered_ids(demo)
    assert len(demo.households) == 437
    assert len(demo.members) == 1688
    assert len(reg) == 87
    assert sum(m["household_id"] in reg for m in demo.members) == 308
    assert len(demo.groups) == 6
    v = demo.village
    assert (v["name"], v["code"]) == ("新沟村", "410182104201")
    assert (v["households_total"], v["population_total"]) == (437, 1688)
    assert (v["natural_villages"], v["area_km2"], v["designated_year"]) == (6, 3.02, 2014)
    assert v["designation"] in ("省级贫困村", "市级贫困村") and v["exit_year"] in (2016, 2017, 2018)
    assert (demo.county["code"], demo.county["name"], demo.county["city"]) == ("410182", "荥阳市", "郑州市")
    assert (demo.township["code"], demo.township["name"]) == ("410182104", "汜水镇")
    statuses = Counter(h["status"] for h in demo.households)
    assert 2 <= statuses["监测户"] + statuses["边缘户"] <= 10
    assert statuses["未脱贫"] <= 2
    assert statuses["一般农户"] == 437 - 87 - statuses["监测户"] - statuses["边缘户"]


def test_rows_carry_exactly_the_model_columns(demo: DemoVillage) -> None:
    for name, rows in demo.tables():
        columns = set(Base.metadata.tables[name].columns.keys())
        assert rows, name
        for row in rows:
            assert set(row) == columns, name
            assert row["deleted_at"] is None
            assert row["created_at"] == row["updated_at"] == demo.village["created_at"]
            assert row["created_at"].tzinfo is not None


def test_tables_insert_cleanly_in_the_given_order(demo: DemoVillage) -> None:
    """Foreign keys and the live-unique indexes hold in a real SQLite database."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        for name, rows in demo.tables():
            conn.execute(insert(Base.metadata.tables[name]), rows)
    engine.dispose()


def test_ids_are_increasing_uuid7_from_the_row_time(demo: DemoVillage) -> None:
    # county and township have the same uuid5 id in every village database (shared at the county)
    assert demo.county["id"] == reference_id("county", demo.county["code"])
    assert demo.township["id"] == reference_id("township", demo.township["code"])
    ids = [row["id"] for name, rows in demo.tables() if name not in ("county", "township") for row in rows]
    assert len(ids) == len(set(ids))
    ms = int(demo.village["created_at"].timestamp() * 1000)
    for i in ids:
        assert i.version == 7 and i.variant == uuid.RFC_4122
        assert i.int >> 80 >= ms
    assert sorted(ids, key=lambda i: i.int >> 80) == sorted(ids)  # time-ordered keys


def test_foreign_keys_point_at_generated_rows(demo: DemoVillage) -> None:
    groups = {g["id"] for g in demo.groups}
    cadres = {c["id"] for c in demo.cadres}
    households = {h["id"] for h in demo.households}
    assert demo.township["county_id"] == demo.county["id"]
    assert demo.village["township_id"] == demo.township["id"]
    assert all(h["group_id"] in groups and h["village_id"] == demo.village["id"] for h in demo.households)
    assert all(h["helper_id"] is None or h["helper_id"] in cadres for h in demo.households)
    assert all(m["household_id"] in households for m in demo.members)
    assert all(r["household_id"] in households for r in demo.household_incomes)


# -- determinism ------------------------------------------------------------------------------------


def test_same_seed_gives_identical_rows(demo: DemoVillage) -> None:
    assert generate_village().tables() == demo.tables()


def test_other_seed_gives_other_rows(demo: DemoVillage) -> None:
    other = generate_village(seed=2021)
    assert len(other.households) == 437 and len(other.members) == 1688
    assert [m["id_number"] for m in other.members] != [m["id_number"] for m in demo.members]
    assert [m["name"] for m in other.members] != [m["name"] for m in demo.members]
    assert other.village["id"] != demo.village["id"]


# -- people -----------------------------------------------------------------------------------------


def test_id_numbers_are_valid_unique_and_match_sex_and_birth(demo: DemoVillage) -> None:
    numbers = [m["id_number"] for m in demo.members]
    assert len(numbers) == len(set(numbers))
    for m in demo.members:
        info = idcard.parse(m["id_number"], today=TODAY)
        assert info.region == "410182"
        assert info.sex == m["sex"]
        assert info.birth_date == m["birth_date"]
        n = m["id_number"]
        assert idcard.make("410182", m["birth_date"], int(n[14:16]) * 5 + int(n[16]) // 2, m["sex"]) == n


def test_names_and_initials(demo: DemoVillage) -> None:
    for m in demo.members:
        assert 2 <= len(m["name"]) <= 4
        assert m["name_initials"] == name_initials(m["name"])
    rare = set("喆淼犇玥珺")
    assert any(rare & set(m["name"]) for m in demo.members)


def test_initials_are_composable_for_every_surname_and_given_name() -> None:
    """The generator joins the initials of surname and given name; that must equal the whole name's."""
    given = sorted({g for pool in GIVEN_NAMES.values() for g in pool})
    bad = [s + g for s in SURNAMES for g in given
           if name_initials(s + g) != name_initials(s) + name_initials("王" + g)[1:]]
    assert not bad


def test_relations_are_consistent(demo: DemoVillage) -> None:
    for members in by_household(demo).values():
        heads = [m for m in members if m["relation"] == vocab.RELATION_HEAD]
        assert len(heads) == 1
        head = heads[0]
        assert members[0] is head
        head_age = idcard.age_on(head["birth_date"], TODAY)
        for m in members:
            assert m["relation"] in vocab.RELATIONS
            expected = vocab.RELATION_SEX.get(m["relation"])
            assert expected is None or expected == m["sex"], m
            gap = (head["birth_date"] - m["birth_date"]).days / 365.25
            if m["relation"] == "配偶":
                assert m["sex"] != head["sex"]
            elif m["relation"] in ("之子", "之女"):
                assert -40 <= gap <= -20, (head, m)
            elif m["relation"] in ("之父", "之母"):
                assert 20 <= gap <= 40, (head, m)
            elif m["relation"] in ("之孙子", "之孙女", "之外孙子女"):
                assert gap <= -38, (head, m)
        assert head_age >= 18
        assert len({m["name"] for m in members}) == len(members)


def test_member_fields_use_the_vocabularies_and_age_rules(demo: DemoVillage) -> None:
    reg = registered_ids(demo)
    for m in demo.members:
        age = idcard.age_on(m["birth_date"], TODAY)
        assert m["labour_ability"] in vocab.LABOUR_ABILITIES
        assert m["health"] in vocab.HEALTH_STATES
        assert (m["disability_category"] is None) == (m["disability_grade"] is None)
        assert m["disability_category"] in (None, *vocab.DISABILITY_CATEGORIES)
        assert m["disability_grade"] in (None, *vocab.DISABILITY_GRADES)
        assert m["schooling_stage"] in (None, *vocab.SCHOOLING_STAGES)
        assert m["employment_status"] in (None, *vocab.EMPLOYMENT_STATUSES)
        assert (m["public_welfare_post"] is not None) == (m["employment_status"] == "公益性岗位")
        assert m["public_welfare_post"] in (None, *vocab.PUBLIC_WELFARE_POSTS)
        if m["employment_status"] == "外出务工":
            assert m["employment_place"]
        if 6 <= age <= 15:
            assert m["schooling_stage"] in ("小学", "初中")
        assert m["schooling_stage"] != "辍学"
        if age < 16:
            assert m["employment_status"] is None and not m["pension_insurance"]
        if age >= 16 and not m["schooling_stage"] and m["household_id"] in reg:
            assert m["pension_insurance"] and m["medical_insurance"]
    assert sum(m["medical_insurance"] for m in demo.members) / len(demo.members) > 0.97
    adults = [m for m in demo.members
              if idcard.age_on(m["birth_date"], TODAY) >= 16 and not m["schooling_stage"]]
    assert sum(m["pension_insurance"] for m in adults) / len(adults) > 0.9
    statuses = Counter(m["employment_status"] for m in demo.members)
    assert statuses["外出务工"] > 100 and statuses["公益性岗位"] > 0 and statuses["务农"] > 50
    assert 0 < sum(m["left_behind"] for m in demo.members) < 400
    assert 5 <= sum(m["disability_category"] is not None for m in demo.members) <= 120
    assert sum(m["health"] in ("大病", "重病") for m in demo.members) > 0


def test_members_pass_the_domain_rules(demo: DemoVillage) -> None:
    fields = MemberForm.__dataclass_fields__
    for members in by_household(demo).values():
        forms = [MemberForm(**{k: v for k, v in m.items() if k in fields}) for m in members]
        assert check_members(forms, today=TODAY) == []


# -- households -------------------------------------------------------------------------------------


def test_households_pass_the_domain_rules(demo: DemoVillage) -> None:
    fields = HouseholdForm.__dataclass_fields__
    for h in demo.households:
        assert check_household(HouseholdForm(**{k: v for k, v in h.items() if k in fields})) == []


def test_household_fields(demo: DemoVillage) -> None:
    numbers = [h["number"] for h in demo.households]
    assert len(set(numbers)) == len(numbers)
    assert numbers[0] == "4101821042010001"
    groups = {g["id"]: g["name"] for g in demo.groups}
    phones = [h["phone"] for h in demo.households if h["phone"]]
    assert len(phones) > 0.9 * len(demo.households) and len(set(phones)) == len(phones)
    members = by_household(demo)
    for h in demo.households:
        assert h["address"].startswith("汜水镇新沟村" + groups[h["group_id"]]) and h["address"].endswith("号")
        if h["phone"]:
            assert phone.validate(h["phone"]) == h["phone"] and len(h["phone"]) == 11
        assert set(h["attributes"]) <= ATTRIBUTE_CODES
        assert h["status"] in vocab.HOUSEHOLD_STATUSES
        people = members[h["id"]]
        assert all(m["dibao"] == ("dibao" in h["attributes"]) for m in people)
        assert all(m["tekun"] == ("tekun" in h["attributes"]) for m in people)
        if "canji" in h["attributes"]:
            assert any(m["disability_category"] for m in people)
        if h["status"] in vocab.REGISTERED_STATUSES:
            assert h["main_cause"] in CAUSE_CODES
            assert 2014 <= h["identified_year"] <= 2016 and 2016 <= h["exit_year"] <= 2019
            assert h["exit_year"] > h["identified_year"]
            assert h["housing_safety"] in vocab.HOUSING_SAFE and h["housing_checked_on"] < TODAY
            assert all(h[c] is True for c in vocab.WATER_INDICATORS) and h["water_checked_on"] < TODAY
            if h["main_cause"] == "01":
                assert any(m["health"] != "健康" for m in people)
            if h["main_cause"] == "02":
                assert any(m["disability_category"] for m in people)
        elif h["status"] == "一般农户":
            assert h["main_cause"] is None and h["secondary_causes"] == [] and h["helper_id"] is None
        secondary = h["secondary_causes"]
        assert len(secondary) <= 2 and len(set(secondary)) == len(secondary)
        assert h["main_cause"] not in secondary and set(secondary) <= CAUSE_CODES
    exits = Counter(h["exit_year"] for h in demo.households if h["exit_year"])
    assert exits[2016] + exits[2017] > 0.8 * 87


def test_main_causes_follow_the_luoyang_shares(demo: DemoVillage) -> None:
    quota = cause_quota(87)
    assert sum(quota.values()) == 87
    for code, share in LUOYANG_CAUSE_SHARES.items():
        assert abs(quota[code] - 87 * share / 100) < 1
    causes = Counter(h["main_cause"] for h in demo.households if h["status"] in vocab.REGISTERED_STATUSES)
    assert causes == Counter({c: n for c, n in quota.items() if n})
    assert causes.most_common(1)[0][0] == "07"  # 缺技术 is the largest


def test_every_supported_household_has_a_helper_with_three_to_five(demo: DemoVillage) -> None:
    helpers = {c["id"]: c for c in demo.cadres if c["role"] == "帮扶责任人"}
    assert 17 <= len(helpers) <= 25
    supported = [h for h in demo.households if h["status"] != "一般农户"]
    assert all(h["helper_id"] in helpers for h in supported)
    loads = Counter(h["helper_id"] for h in supported)
    assert set(loads) == set(helpers)
    assert all(3 <= n <= 5 for n in loads.values())
    units = ("荥阳市", "汜水镇", "中共汜水镇", "国网荥阳市")
    assert all(c["unit"].startswith(units) for c in helpers.values())


def test_cadres(demo: DemoVillage) -> None:
    roles = Counter(c["role"] for c in demo.cadres)
    assert roles["第一书记"] == 1 and roles["工作队员"] == 2
    assert roles["村党支部书记"] == 1 and roles["村委会主任"] == 1 and roles["两委委员"] == 2
    assert set(roles) <= set(vocab.CADRE_ROLES)
    names = [c["name"] for c in demo.cadres]
    assert len(names) == len(set(names))
    first = next(c for c in demo.cadres if c["role"] == "第一书记")
    assert first["unit"].startswith("荥阳市")
    for c in demo.cadres:
        assert phone.validate(c["phone"]) == c["phone"]
        assert c["started_on"] < TODAY and c["ended_on"] is None


# -- incomes ----------------------------------------------------------------------------------------


def test_household_incomes(demo: DemoVillage) -> None:
    sizes = Counter(m["household_id"] for m in demo.members)
    years: dict[uuid.UUID, list[int]] = defaultdict(list)
    for r in demo.household_incomes:
        years[r["household_id"]].append(r["year"])
        assert r["persons"] == sizes[r["household_id"]]
        for k in ("wage_fen", "operating_fen", "property_fen", "transfer_fen", "expense_fen"):
            assert isinstance(r[k], int) and r[k] >= 0 and r[k] % 100 == 0
        assert r["operating_fen"] >= r["expense_fen"]
        assert net_per_capita(r) > 1000
    for h in demo.households:
        expected = list(range(2016, 2026)) if h["status"] != "一般农户" else [2023, 2024, 2025]
        assert years[h["id"]] == expected


def test_registered_income_path(demo: DemoVillage) -> None:
    reg = registered_ids(demo)
    by_year: dict[int, list[float]] = defaultdict(list)
    for r in demo.household_incomes:
        if r["household_id"] in reg:
            by_year[r["year"]].append(net_per_capita(r))
    assert 2500 <= statistics.mean(by_year[2016]) <= 3500
    assert 11500 <= statistics.mean(by_year[2020]) <= 13700
    assert 14500 <= statistics.mean(by_year[2025]) <= 17500
    assert 0 < sum(x < 3000 for x in by_year[2017]) < 20  # a few still under the line
    assert min(by_year[2020]) > 4000


def test_collective_income(demo: DemoVillage) -> None:
    amounts = {r["year"]: r["amount_fen"] for r in demo.village_incomes}
    assert amounts[2016] == 3_800_000 and amounts[2020] == 16_500_000
    assert sorted(amounts) == list(range(2016, 2026))
    assert all(amounts[y] < amounts[y + 1] for y in range(2016, 2025))


# -- scaled -----------------------------------------------------------------------------------------


def test_scaled_village(scaled: DemoVillage) -> None:
    n = len(scaled.households)
    assert n == 2000
    assert len(scaled.groups) == round(2000 / 70)
    assert len({g["name"] for g in scaled.groups}) == len(scaled.groups)
    reg = registered_ids(scaled)
    assert 0.18 <= len(reg) / n <= 0.22
    assert 3.7 <= len(scaled.members) / n <= 4.0
    numbers = [m["id_number"] for m in scaled.members]
    assert len(numbers) == len(set(numbers))
    assert all(idcard.parse(x, today=TODAY).region == "410182" for x in numbers[:2000])
    assert len({h["number"] for h in scaled.households}) == n
    assert scaled.village["households_total"] == n
    assert scaled.village["population_total"] == len(scaled.members)
    loads = Counter(h["helper_id"] for h in scaled.households if h["status"] != "一般农户")
    assert None not in loads and all(3 <= k <= 5 for k in loads.values())
    causes = Counter(h["main_cause"] for h in scaled.households if h["id"] in reg)
    assert causes == Counter({c: k for c, k in cause_quota(len(reg)).items() if k})
    assert all(m["name_initials"] == name_initials(m["name"]) for m in scaled.members[:3000])


@pytest.mark.parametrize("households", [1, 2, 5, 14, 71])
def test_tiny_villages_work(households: int) -> None:
    v = generate_village(households=households)
    assert len(v.households) == households
    assert all(h["status"] == "一般农户" or h["helper_id"] for h in v.households)


def test_other_village_code_sets_the_codes() -> None:
    v = generate_village(village_code="410181101202", households=30)
    assert v.county["code"] == "410181" and v.township["code"] == "410181101"
    assert all(m["id_number"].startswith("410181") for m in v.members)
    with pytest.raises(ValueError):
        generate_village(village_code="4101")


@pytest.mark.slow
def test_fifty_thousand_households_have_unique_id_numbers() -> None:
    v = generate_village(households=50_000)
    numbers = {m["id_number"] for m in v.members}
    assert len(numbers) == len(v.members) > 180_000
