"""`fupin benefits / notices / projects / board status` on the demo village, as a user runs them."""

import json

import pytest

from tests.cli import fupin


@pytest.fixture(scope="module")
def demo_db(demo_copy, tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("demo-ledgers") / "xingou.db")


def test_board_status_lists_the_boards_changed_after_posting(demo_db):
    data = json.loads(fupin("--db", demo_db, "board", "status", "--year", "2026", "--json").stdout)
    assert data["count"] == 3 and all(h["out_of_date"] and h["posted_on"] == "2026-11-15" for h in data["households"])
    every = json.loads(fupin("--db", demo_db, "board", "status", "--year", "2026", "--all", "--json").stdout)
    assert every["count"] > 87  # registered households, monitored ones and ordinary households on 低保
    assert "3户明白栏需要（重新）打印张贴" in fupin("--db", demo_db, "board", "status", "--year", "2026").stdout


def test_benefits_of_one_household_add_up(demo_db):
    stale = json.loads(fupin("--db", demo_db, "board", "status", "--year", "2026", "--json").stdout)["households"][0]
    data = json.loads(fupin("--db", demo_db, "benefits", "--household", stale["number"][-4:], "--json").stdout)
    assert data["count"] >= 1 and data["total_fen"] == sum(b["amount_fen"] for b in data["benefits"])
    assert {b["household"] for b in data["benefits"]} == {stale["number"]}
    assert "临时救助" in {b["policy"] for b in data["benefits"]}


def test_notices_keep_versions_and_objections(demo_db):
    data = json.loads(fupin("--db", demo_db, "notices", "--json").stdout)
    by_kind = {n["kind"]: n for n in data["notices"]}
    funds = by_kind["资金使用"]
    assert [v["version"] for v in funds["versions"]] == [1, 2] and funds["versions"][1]["change_reason"]
    assert funds["versions"][0]["taken_down_on"] == funds["versions"][1]["posted_on"]
    (objection,) = by_kind["雨露计划补助名单"]["versions"][0]["objections"]
    assert objection["answer"] and objection["outcome"] == "维持原公示"
    posted = json.loads(fupin("--db", demo_db, "notices", "--posted", "--json").stdout)
    assert [n["kind"] for n in posted["notices"]] == ["资金使用"]


def test_projects_show_budget_against_spending(demo_db):
    data = json.loads(fupin("--db", demo_db, "projects", "--json").stdout)
    cold = next(p for p in data["projects"] if "冷库" in p["name"])
    assert cold["status"] == "已完工待验收" and cold["assets"][0]["kind"] == "经营性资产"
    over = [s for s in cold["spending"] if s["over_budget_reason"]]
    assert len(over) == 1 and sum(f["spent_fen"] for f in cold["funds"]) == cold["spent_fen"]
    assert sum(c["amount_fen"] for c in data["collective_income"] if c["year"] == 2025) == 23_800_000
