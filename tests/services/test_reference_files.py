"""The hand-editable reference CSVs in resources/reference match their models and stay consistent."""

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fupin_desktop.db.models.reference import (
    AssistanceStandard,
    Cause,
    HouseholdAttribute,
    MeasureType,
    Policy,
    PovertyLine,
)
from fupin_desktop.services import reference

REF_DIR = Path(reference.__file__).resolve().parent.parent / "resources" / "reference"
BOOKKEEPING = {"id", "created_at", "updated_at", "deleted_at"}

FILES = {
    "causes.csv": Cause,
    "household_attributes.csv": HouseholdAttribute,
    "measure_types.csv": MeasureType,
    "poverty_lines.csv": PovertyLine,
    "assistance_standards.csv": AssistanceStandard,
    "policies.csv": Policy,
}

# [004] Luoyang 2015 causes of poverty with their shares (percent).
CAUSE_SHARES = {
    "01": ("因病", "13.46"),
    "02": ("因残", "2.14"),
    "03": ("因学", "6.55"),
    "04": ("因灾", "0.82"),
    "05": ("缺土地", "5.78"),
    "06": ("缺水", "5.64"),
    "07": ("缺技术", "27.38"),
    "08": ("缺劳动力", "6.84"),
    "09": ("缺资金", "19.61"),
    "10": ("交通条件落后", "9.02"),
    "11": ("自身发展动力不足", "2.27"),
    "99": ("其它", "0.49"),
}

REQUIRED_ATTRIBUTES = {
    "dibao": "低保户",
    "tekun": "特困供养户(五保)",
    "canji": "残疾人家庭",
    "shiji_dishouru": "市级低收入户",
    "doudi": "政策兜底户",
    "banqian": "易地扶贫搬迁户",
}

FAMILIES = {"转", "扶", "搬", "保", "救"}
FAMILY_PREFIX = {"转": "Z", "扶": "F", "搬": "B", "保": "BZ", "救": "J"}
LEVELS = {"户", "人", "户或人"}
PERIODS = {"月", "年"}


def model_columns(model: type) -> list[str]:
    return [c.name for c in model.__table__.columns if c.name not in BOOKKEEPING]


def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(REF_DIR / name, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def duplicates(values: list) -> list:
    return [v for v, n in Counter(values).items() if n > 1]


@pytest.mark.parametrize(("name", "model"), FILES.items())
def test_header_is_model_columns(name: str, model: type) -> None:
    header, _ = read(name)
    assert header == model_columns(model)


@pytest.mark.parametrize("name", FILES)
def test_cells_filled_and_clean(name: str) -> None:
    header, rows = read(name)
    assert rows, f"{name} has no rows"
    optional = {"note", "source", "bureau", "standard_kind", "amount_fen", "payer"}
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"{name}:{i} has more cells than columns"
        for col in header:
            value = row[col]
            assert value is not None, f"{name}:{i} is missing {col}"
            assert value == value.strip(), f"{name}:{i} {col} has surrounding spaces"
            assert "\n" not in value and "\r" not in value, f"{name}:{i} {col} has a line break"
            if col not in optional:
                assert value, f"{name}:{i} {col} is empty"


@pytest.mark.parametrize(("name", "model"), FILES.items())
def test_integer_columns_parse(name: str, model: type) -> None:
    _, rows = read(name)
    int_cols = [c for c in model_columns(model) if c.endswith("_fen") or c in {"year", "sort_order"}]
    for row in rows:
        for col in int_cols:
            optional = col == "amount_fen" and name == "policies.csv" and row[col] == ""
            assert optional or row[col].isdigit(), f"{name} {col}={row[col]!r} is not a plain integer"


def test_sort_order_unique_per_file() -> None:
    for name, model in FILES.items():
        if "sort_order" in model_columns(model):
            _, rows = read(name)
            assert not duplicates([r["sort_order"] for r in rows]), name


@pytest.mark.parametrize("name", ["causes.csv", "household_attributes.csv", "measure_types.csv", "policies.csv"])
def test_codes_and_names_unique(name: str) -> None:
    _, rows = read(name)
    assert not duplicates([r["code"] for r in rows])
    assert not duplicates([r["name"] for r in rows])


def test_causes_are_the_twelve_of_004() -> None:
    _, rows = read("causes.csv")
    assert len(rows) == 12
    assert {r["code"]: r["name"] for r in rows} == {c: n for c, (n, _) in CAUSE_SHARES.items()}
    assert sum(Decimal(s) for _, s in CAUSE_SHARES.values()) == Decimal("100.00")
    assert all(r["bureau"] for r in rows), "every cause routes to a bureau (对责)"
    in_order = sorted(rows, key=lambda r: int(r["sort_order"]))
    assert [r["code"] for r in in_order] == list(CAUSE_SHARES)


def test_required_household_attributes() -> None:
    _, rows = read("household_attributes.csv")
    names = {r["code"]: r["name"] for r in rows}
    for code, name in REQUIRED_ATTRIBUTES.items():
        assert names.get(code) == name
    assert all(c.isascii() and c == c.lower() for c in names), "attribute codes are lower-case ASCII"


def test_measure_families_levels_and_codes() -> None:
    _, rows = read("measure_types.csv")
    for r in rows:
        assert r["family"] in FAMILIES, r
        assert r["level"] in LEVELS, r
        prefix = FAMILY_PREFIX[r["family"]]
        suffix = r["code"][len(prefix):]
        assert r["code"].startswith(prefix) and suffix.isdigit() and len(suffix) == 2, r
    assert {r["family"] for r in rows} == FAMILIES


def test_measure_catalogue_names_the_seed_sub_types() -> None:
    _, rows = read("measure_types.csv")
    names = {r["name"]: r for r in rows}
    expected = {
        "转": ["劳务协作对外输出", "产业发展就地就近吸纳", "居家灵活就业", "扶持自主创业",
              "中介组织介绍就业", "公益性岗位安置", "以工代训", "订单培训"],
        "扶": ["畜牧养殖", "优质粮食", "设施农业", "乡村旅游", "特色加工", "电商流通", "到户增收补贴",
              "扶贫小额信贷", "光伏收益", "资产收益", "带贫协议", "入股分红"],
        "搬": ["易地扶贫搬迁", "搬迁后续扶持", "同步搬迁"],
        "保": ["低保兜底", "特困人员救助供养", "七免一减", "基本医疗保险代缴", "家庭医生慢病签约服务",
              "城乡居民养老保险代缴", "住房保障(危房改造)", "保险救助", "雨露计划助学"],
        "救": ["临时救助", "灾害救助", "残疾人两项补贴", "孤儿和困境儿童救助", "教育救助", "医疗救助",
              "住房救助", "慈善救助"],
    }
    for family, wanted in expected.items():
        for name in wanted:
            assert name in names and names[name]["family"] == family, name
    education = [n for n, r in names.items() if n.startswith("教育保障·")]
    for stage in ("学前", "义务", "高中", "中等职业", "高等"):
        assert any(stage in n for n in education), stage
    assert any("雨露计划" in n and names[n]["family"] == "转" for n in names)
    # N+2 needs household measures to choose the "+2" from and person measures for every member.
    assert names["易地扶贫搬迁"]["level"] == "户"
    assert names["住房保障(危房改造)"]["level"] == "户"
    assert names["低保兜底"]["level"] in {"户", "户或人"}
    assert names["七免一减"]["level"] == "人"


def test_poverty_lines() -> None:
    _, rows = read("poverty_lines.csv")
    assert not duplicates([(r["year"], r["jurisdiction"]) for r in rows])
    for r in rows:
        assert int(r["amount_fen"]) > 0 and int(r["amount_fen"]) % 100 == 0, r
        assert 1978 <= int(r["year"]) <= 2030, r
        assert r["source"], r
    lines = {(int(r["year"]), r["jurisdiction"]): int(r["amount_fen"]) for r in rows}
    assert lines[(2011, "全国")] == 230000
    assert lines[(2012, "郑州市")] == 300000
    assert lines[(2015, "洛阳市")] == 285500
    national = {y: lines[(y, "全国")] for y in range(2014, 2021)}
    assert national == {2014: 280000, 2015: 285500, 2016: 295200, 2017: 295200,
                        2018: 299500, 2019: 321800, 2020: 400000}


def test_assistance_standards() -> None:
    _, rows = read("assistance_standards.csv")
    assert not duplicates([(r["year"], r["jurisdiction"], r["kind"]) for r in rows])
    for r in rows:
        assert int(r["amount_fen"]) > 0, r
        assert r["period"] in PERIODS, r
        assert r["source"], r
    std = {(int(r["year"]), r["jurisdiction"], r["kind"]): (int(r["amount_fen"]), r["period"]) for r in rows}
    assert std[(2016, "郑州市", "农村低保")] == (32000, "月")
    assert std[(2020, "郑州市", "农村低保")] == (73000, "月")
    assert std[(2016, "郑州市", "特困供养")] == (460800, "年")
    assert std[(2020, "郑州市", "特困供养")] == (919800, "年")
    assert std[(2020, "中牟县", "农村低保")] == (51100, "月")
    assert std[(2020, "中牟县", "特困供养")] == (76650, "月")
    assert std[(2016, "洛阳市", "特困供养(集中)")] == (400000, "年")
    assert std[(2016, "洛阳市", "特困供养(分散)")] == (300000, "年")
    assert std[(2016, "郑州市", "孤儿(农村散居)")] == (79000, "月")
    assert std[(2020, "郑州市", "孤儿(农村散居)")] == (108000, "月")


def test_non_seed_values_are_flagged() -> None:
    """Every value not backed by a seed says so; every other row cites a seed key."""
    flag = "【非种子资料，需县扶贫办确认】"
    for name, col in (("poverty_lines.csv", "source"), ("assistance_standards.csv", "source"),
                      ("measure_types.csv", "note"), ("policies.csv", "note")):
        _, rows = read(name)
        for r in rows:
            assert flag in r[col] or "[00" in r[col], (name, r)
    _, rows = read("poverty_lines.csv")
    for r in rows:
        if r["jurisdiction"] == "全国" and int(r["year"]) >= 2012:
            assert flag in r["source"], r


def test_readme_documents_every_file() -> None:
    text = (REF_DIR / "README.md").read_text("utf-8")
    for name in FILES:
        assert name in text
    assert "【非种子资料，需县扶贫办确认】" in text


def test_loader_reads_every_file() -> None:
    for ref in reference.FILES:
        rows = reference.read_rows(ref)
        _, raw = read(ref.file)
        assert len(rows) == len(raw)
        keys = [tuple(r[k] for k in ref.key) for r in rows]
        assert not duplicates(keys), ref.file


def test_load_into_database_is_idempotent(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction(actor="测试") as s:
        reference.load_reference(s)  # the database may already hold them; either way they are in now
    with db.transaction(actor="测试") as s:
        assert reference.load_reference(s) == 0
        for name, model in FILES.items():
            live = s.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None)))
            assert live == len(read(name)[1]), name


def test_policies_name_a_standard_or_an_amount_and_valid_kinds() -> None:
    """Each policy's default amount comes from a standard in assistance_standards.csv or its own column."""
    _, standards = read("assistance_standards.csv")
    kinds = {r["kind"] for r in standards}
    _, rows = read("policies.csv")
    for r in rows:
        assert r["level"] in LEVELS and r["unit"] in {"人", "户"}, r
        assert r["income_type"] in {"转移性", "工资性", "财产性", "不计入收入"}, r
        assert r["period"] in PERIODS | {"次"}, r
        assert not (r["standard_kind"] and r["amount_fen"]), r
        if r["standard_kind"]:
            assert r["standard_kind"] in kinds, r
    by_name = {r["name"]: r for r in rows}
    assert by_name["公益岗位工资"]["amount_fen"] == "52000" and by_name["公益岗位工资"]["income_type"] == "工资性"
    assert by_name["危房改造补助"]["amount_fen"] == "1000000"
    assert by_name["农村低保"]["standard_kind"] == "农村低保"
