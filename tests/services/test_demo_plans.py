"""The demo village's plans, monitoring cases and exit procedure: realistic, deterministic, mostly compliant."""

from collections import Counter

import pytest

from fupin_desktop.db.session import open_database
from fupin_desktop.services import exits, monitoring, plans
from fupin_desktop.services.demo.assistance import demo_plans
from fupin_desktop.services.demo.village import generate_village


@pytest.fixture(scope="module")
def demo_db(demo_copy, tmp_path_factory):  # type: ignore[no-untyped-def]
    db = open_database(demo_copy(tmp_path_factory.mktemp("demo-plans") / "demo.db"))
    yield db
    db.close()


def test_every_supported_household_has_a_plan_mostly_compliant(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reading() as s:
        r = plans.compliance_report(s, 2026)
        overview = plans.plan_overview(s, 2026)
    assert r.households == r.plans == 92 and r.without_plan == 0
    assert 0.9 <= r.compliant / r.plans < 1  # a few realistic slips, not a clean sheet
    assert {1, 4, 5} <= set(r.by_rule)
    statuses = Counter(o.status for o in overview)
    assert statuses["执行中"] > 70 and statuses["草稿"] > 0 and statuses["已提交"] > 0
    assert r.poverty_line_fen == 400_000


def test_measures_look_like_real_ones(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reading() as s:
        plan_id = plans.plan_overview(s, 2026)[0].plan_id
        detail = plans.get_plan(s, plan_id)  # type: ignore[arg-type]
    for m in detail.measures:
        assert m.family in "转扶搬保救" and m.type_name and m.planned_start and m.deadline
        assert m.planned_start < m.deadline and m.deadline.year == 2026
        if m.amount_fen is not None:
            assert 0 < m.amount_fen <= 5_000_000 and m.fund_source


def test_monitoring_and_exit_demo(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.reading() as s:
        cases = monitoring.monitor_report(s, 2025).cases
        procedures = exits.list_procedures(s)
    statuses = Counter(c.status for c in cases)
    assert statuses["确认"] == 5 and statuses["疑似"] and statuses["甄别中"] and statuses["排除"]
    assert all(c.decided_by for c in cases if c.status in ("确认", "排除"))
    assert len(procedures) == 1 and [st.step for st in procedures[0].steps] == ["统计摸底", "民主评议"]


def test_demo_plans_are_deterministic() -> None:
    v = generate_village(households=200)
    a = demo_plans(v.households, v.members, v.cadres)
    b = demo_plans(v.households, v.members, v.cadres)
    assert a == b and len(a["assistance_plan"]) == sum(h["helper_id"] is not None for h in v.households)


def test_the_demo_team_has_placeholder_photos_for_the_board(demo_db) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from fupin_desktop.services import print_data
    from fupin_desktop.services.cadres import list_cadres

    with demo_db.reading() as s:
        team = print_data.board_data(s, year=2026).team
        photos = {c.name: c.photo for c in list_cadres(s)}
    assert len(team) == 4 and all(c.photo for c in team)  # 第一书记, two 工作队员, 村党支部书记
    assert sum(p is not None for p in photos.values()) == 4  # the others have none
    (secretary,) = [c for c in team if c.role == "第一书记"]
    with Image.open(photos[secretary.name].path) as image:
        assert image.size == (330, 450)
