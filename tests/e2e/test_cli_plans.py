"""`fupin plans`, `fupin plans clone`, `fupin monitor`, `fupin poverty-line` as a user runs them."""

import json

import pytest

from tests.cli import fupin


@pytest.fixture(scope="module")
def demo_db(demo_copy, tmp_path_factory):  # type: ignore[no-untyped-def]
    return demo_copy(tmp_path_factory.mktemp("plans") / "demo.db", households=120)


def test_plans_check_fails_on_the_demo_slips_and_lists_them(demo_db) -> None:  # type: ignore[no-untyped-def]
    r = fupin("--db", demo_db, "plans", "--year", "2026", "--check", "--json", check=False)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["plans"] == data["households"] > 0 and data["compliant"] < data["plans"]
    assert data["errors"] > 0 and all(v["household"] and v["message"] for v in data["violations"])
    text = fupin("--db", demo_db, "plans", "--year", "2026", "--check", "--errors-only", check=False).stdout
    assert "[错误·规则" in text and "[警告" not in text and "合规" in text


def test_plans_clone_and_a_clean_year(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = fupin("--db", demo_db, "plans", "clone", "--from", "2026", "--to", "2027", "--json")
    created = json.loads(r.stdout)["created"]
    assert created > 0
    again = json.loads(fupin("--db", demo_db, "plans", "clone", "--from", "2026", "--to", "2027", "--json").stdout)
    assert again["created"] == 0 and again["skipped_existing"] == created
    listing = json.loads(fupin("--db", demo_db, "plans", "--year", "2027", "--json").stdout)
    assert {p["status"] for p in listing["plans_list"]} == {"草稿"}
    bad = fupin("--db", demo_db, "plans", "clone", "--from", "2026", check=False)
    assert bad.returncode == 2 and "--to" in bad.stderr
    empty = fupin("--db", demo_db, "plans", "clone", "--from", "2019", "--to", "2026", check=False)
    assert empty.returncode == 2 and "没有帮扶计划可复制" in empty.stderr


def test_monitor_json_and_poverty_line(demo_db) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(fupin("--db", demo_db, "monitor", "--year", "2025", "--json").stdout)
    assert data["line_fen"] == 400_000 and data["monitoring_line_fen"] == 600_000
    assert data["cases"] and data["five_lowest"]
    assert all(len(rows) <= 5 for rows in data["five_lowest"].values())
    # a place that does not cover the village is refused: its line would never apply here
    r = fupin("--db", demo_db, "poverty-line", "--year", "2025", "--yuan", "20000", "--jurisdiction", "洛阳市",
              check=False)
    assert r.returncode == 2 and "不包含本村" in r.stderr and "荥阳市、郑州市、河南省、全国" in r.stderr
    out = fupin("--db", demo_db, "poverty-line", "--year", "2025", "--yuan", "20000", "--jurisdiction", "本县").stdout
    assert "已设置2025年荥阳市扶贫标准：20,000元" in out and "本村2025年适用荥阳市的扶贫标准" in out
    data = json.loads(fupin("--db", demo_db, "monitor", "--year", "2025", "--json").stdout)
    assert data["monitoring_line_fen"] == 3_000_000 and len(data["candidates"]) > 0  # the county's line applies
    shown = json.loads(fupin("--db", demo_db, "poverty-line", "--year", "2024", "--json").stdout)
    assert shown["places"] == ["荥阳市", "郑州市", "河南省", "全国"]
    assert shown["applied"] == {"jurisdiction": "河南省", "amount_fen": 400_000}  # the demo's line, set for 本省
    r = fupin("--db", demo_db, "poverty-line", "--year", "2025", "--yuan", "abc", check=False)
    assert r.returncode == 2 and "不是数字" in r.stderr
