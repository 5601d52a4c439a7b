"""`fupin visits`, `fupin ledger`, `fupin presence` on the demo village, as a user runs them."""

import json
from pathlib import Path

import pytest

from tests.cli import fupin


@pytest.fixture(scope="module")
def demo(demo_copy, tmp_path_factory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("demo_visits") / "xingou.db")


def test_the_demo_has_a_season_of_visits_with_photos(demo):
    data = json.loads(fupin("--db", demo, "visits", "--limit", "2000", "--json").stdout)
    assert data["total"] > 500
    assert {v["type"] for v in data["visits"]} >= {"帮扶责任人入户", "工作队走访", "书记遍访", "政策宣讲"}
    dates = [v["date"] for v in data["visits"]]
    assert dates == sorted(dates, reverse=True) and dates[0] <= "2026-11-22"
    photos = list((demo.parent / "attachments").rglob("*.jpg"))
    assert len([p for p in photos if "thumbs" not in p.parts]) >= 20


def test_household_history_and_due_lists(demo):
    latest = json.loads(fupin("--db", demo, "visits", "--limit", "1", "--json").stdout)["visits"][0]
    history = json.loads(fupin("--db", demo, "visits", "--household", latest["household"], "--json").stdout)
    assert history["visits"][0]["date"] == latest["date"] and history["visits"][0]["visitors"]
    due = json.loads(fupin("--db", demo, "visits", "--due", "--json").stdout)["due"]
    assert due and all(d["done"] < d["required"] for d in due if d["reason"] != "上次走访约定")
    text = fupin("--db", demo, "visits", "--saturday").stdout
    assert "周六扶贫日" in text and "户待走访" in text


def test_ledger_lists_open_items_and_the_daily_summary(demo):
    data = json.loads(fupin("--db", demo, "ledger", "--open", "--json").stdout)
    assert data["items"] and all(i["status"] != "已销号" for i in data["items"])
    assert data["summary"]["closed"] > 0 and data["summary"]["total"] >= len(data["items"])
    closed = json.loads(fupin("--db", demo, "ledger", "--json").stdout)["items"]
    assert all(i["verifier"] for i in closed if i["status"] == "已销号")
    assert "问题整改日调度" in fupin("--db", demo, "ledger").stdout


def test_presence_by_month(demo):
    data = json.loads(fupin("--db", demo, "presence", "--month", "2026-10", "--json").stdout)
    roles = [c["role"] for c in data["cadres"]]
    assert roles[0] == "第一书记" and roles.count("工作队员") == 2
    first = data["cadres"][0]
    assert first["in_village"] + first["on_business"] + first["on_leave"] + first["rest"] == 31
    r = fupin("--db", demo, "presence", "--month", "2026-13", check=False)
    assert r.returncode == 2 and "应为 YYYY-MM" in r.stderr
    r = fupin("--db", demo, "visits", "--household", "9999999", check=False)
    assert r.returncode == 2 and "找不到户编号" in r.stderr


def test_demo_visits_move_plan_measures_forward_and_the_form_offers_them(demo):
    from sqlalchemy import select

    from fupin_desktop.db.models import PlanMeasure, Visit, VisitMeasure
    from fupin_desktop.db.session import open_database
    from fupin_desktop.services.visits import household_choice, household_visits

    db = open_database(demo)
    try:
        with db.reading() as s:
            link = s.execute(select(VisitMeasure.visit_id, VisitMeasure.measure_id)
                             .join(PlanMeasure, PlanMeasure.id == VisitMeasure.measure_id).limit(1)).one()
            household = s.scalar(select(Visit.household_id).where(Visit.id == link.visit_id))
            choice = household_choice(s, household)
            history = household_visits(s, household)
    finally:
        db.close()
    assert link.measure_id in {m for m, _label in choice.measures}
    assert any(link.measure_id in v.measure_ids for v in history)
