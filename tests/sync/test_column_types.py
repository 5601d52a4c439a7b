"""Every column type a synced table uses survives a bundle: dates, times of day, JSON, UUIDs."""

from datetime import date, time

from sqlalchemy import select

from fupin_desktop.db.models import Visit
from fupin_desktop.services.village import current_village
from fupin_desktop.sync.importer import import_bundles
from tests.sync.conftest import add_household, export


def test_a_visit_with_a_time_of_day_reaches_the_county(world):
    village = world.village()
    household = add_household(village, "001", "张三明")
    with village.transaction() as s:
        s.add(Visit(village_id=current_village(s).id, household_id=household, visited_on=date(2026, 11, 20),
                    visited_at=time(19, 40), visit_type="帮扶责任人入户", checklist={"吃": "正常"},
                    members_present=[str(household)], next_due=date(2026, 12, 5)))
    import_bundles(world.county, [export(village, world.usb)], backup=False)
    with world.county.reading() as s:
        visit = s.scalars(select(Visit)).one()
    assert (visit.visited_on, visit.visited_at, visit.checklist, visit.next_due) == (
        date(2026, 11, 20), time(19, 40), {"吃": "正常"}, date(2026, 12, 5))
