"""扶贫标准 per place: a village uses the line of the most specific place covering it that year."""

from pathlib import Path

import pytest

from fupin_desktop.errors import ValidationError
from fupin_desktop.services import exits, plans
from fupin_desktop.services.lines import applied_line, covering_places, poverty_line, set_poverty_line
from fupin_desktop.services.setup import init_village


@pytest.fixture
def luoyang(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = init_village(tmp_path / "luanchuan.db", village_code="410324100201", village_name="庄子村",
                      township="城关镇", county="栾川县", city="洛阳市")
    yield db
    db.close()


def test_a_luoyang_village_does_not_get_zhengzhous_line(luoyang) -> None:  # type: ignore[no-untyped-def]
    with luoyang.reading() as s:
        assert covering_places(s) == ("栾川县", "洛阳市", "河南省", "全国")
        # 2012: 郑州市 raised its own line to 3000 (reference CSV); Luoyang stays on the national 2625
        assert applied_line(s, 2012) == applied_line(s, 2012).__class__(2012, "全国", 262_500)
        assert applied_line(s, 2015).jurisdiction == "洛阳市"  # the city's line beats the national one
        assert poverty_line(s, 2021) is None  # after 2020 nothing is configured until the province says


def test_most_specific_place_wins_not_the_highest(luoyang) -> None:  # type: ignore[no-untyped-def]
    with luoyang.transaction() as s:
        assert set_poverty_line(s, 2024, 700_000, "全国") == "全国"
        assert set_poverty_line(s, 2024, 500_000) == "河南省"  # default: 本省
        assert poverty_line(s, 2024) == 500_000
        assert set_poverty_line(s, 2024, 450_000, "本县") == "栾川县"
        assert poverty_line(s, 2024) == 450_000  # lower than the province's, and still the one that applies
        assert set_poverty_line(s, 2024, 480_000, "本市") == "洛阳市"
        assert applied_line(s, 2024).jurisdiction == "栾川县"
        # the notice board carries the latest earlier line into a year with none
        assert applied_line(s, 2025, carry_forward=True).amount_fen == 450_000


def test_a_place_that_does_not_cover_the_village_is_refused(luoyang) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="“郑州市”不包含本村.*栾川县、洛阳市、河南省、全国"), \
            luoyang.transaction() as s:
        set_poverty_line(s, 2024, 500_000, "郑州市")


def test_exits_and_plans_follow_the_village_line(db) -> None:  # type: ignore[no-untyped-def]
    from tests.services.test_exits import YEAR, poor_household

    with db.transaction() as s:
        hid = poor_household(s, income_yuan=5500)  # sets 河南省 6000 for the year: 5500 is below it
        assert {i.name: i.state for i in exits.exit_check(s, hid, YEAR)}["收入超过扶贫标准"] == "未达标"
        set_poverty_line(s, YEAR, 500_000, "荥阳市")  # the county's own line is lower: the household is above
        item = next(i for i in exits.exit_check(s, hid, YEAR) if i.name == "收入超过扶贫标准")
        assert item.state == "达标" and "5,000元" in item.detail
        assert plans.compliance_report(s, YEAR).poverty_line_fen == 500_000
