"""统计: the series add up to the register and the plans."""

from datetime import date

from fupin_desktop.db.models import HouseholdIncome
from fupin_desktop.domain import clock, idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.domain.plan_rules import MeasureForm
from fupin_desktop.services import plans
from fupin_desktop.services.households import save_household
from fupin_desktop.services.statistics import village_statistics


def test_statistics_series(db) -> None:  # type: ignore[no-untyped-def]
    year = clock.today().year
    with db.transaction() as s:
        ids = []
        for i, (status, income) in enumerate([("已脱贫(享受政策)", 5000), ("一般农户", 25000), ("监测户", 9000)]):
            m = MemberForm(name=f"户主{i}", id_number=idcard.make("410182", date(1970, 1, 1), i, "男"), relation="户主",
                           labour_ability="有劳动能力")
            hid = save_household(s, None, HouseholdForm(number=f"{i:03d}", status=status, main_cause="07",
                                                        exit_year=2017 if i == 0 else None), [m])
            s.add(HouseholdIncome(household_id=hid, year=year - 1, persons=1, wage_fen=income * 100))
            ids.append(hid)
        pid = plans.create_plan(s, ids[0], year)
        head = plans.get_plan(s, pid).members[0].id
        plans.save_plan(s, pid, plans.PlanHeader(), [
            MeasureForm(type_code="Z08", family="转", type_name="农村实用技术培训", member_id=head, level="人"),
            MeasureForm(type_code="F02", family="扶", type_name="畜牧养殖", level="户")])
        st = village_statistics(s, year)
    assert dict(st.by_status)["一般农户"] == 1 and sum(n for _, n in st.by_status) == 3
    assert dict(st.by_family) == {"转 转移就业": 1, "扶 产业扶持": 1, "搬 易地扶贫搬迁": 0, "保 社会保障": 0,
                                  "救 特殊救助": 0}
    assert dict(st.compliance) == {"合规": 0, "有错误": 1, "无计划": 1}  # the 监测户 has no plan
    bands = dict(st.income_bands)
    assert bands["4000–6000元"] == 1 and bands["8000–10000元"] == 1 and bands["20000–30000元"] == 1
    assert dict(st.labour) == {"有劳动能力": 1}  # members of registered households only
