"""The village at a glance (首页): households and persons by status, attributes and causes."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import County, Household, Member, Township
from fupin_desktop.domain.vocab import REGISTERED_STATUSES
from fupin_desktop.services.reference import attribute_names, cause_names
from fupin_desktop.services.village import current_village


@dataclass(frozen=True)
class VillageProfile:
    name: str  # 荥阳市汜水镇新沟村
    code: str
    designation: str | None
    exit_year: int | None
    households: int
    persons: int
    registered_households: int
    registered_persons: int
    by_status: dict[str, tuple[int, int]] = field(default_factory=dict)  # status → (households, persons)
    by_attribute: dict[str, int] = field(default_factory=dict)  # attribute name → households
    by_cause: dict[str, int] = field(default_factory=dict)  # main cause name → registered households


def village_profile(session: Session) -> VillageProfile:
    v = current_village(session)
    township = session.get(Township, v.township_id)
    county = session.get(County, township.county_id) if township else None
    persons = (select(Member.household_id, func.count().label("n")).where(Member.deleted_at.is_(None))
               .group_by(Member.household_id).subquery())
    rows = session.execute(
        select(Household.status, Household.attributes, Household.main_cause, func.coalesce(persons.c.n, 0))
        .outerjoin(persons, persons.c.household_id == Household.id)
        .where(Household.village_id == v.id, Household.deleted_at.is_(None))
    ).all()
    by_status: Counter[str] = Counter()
    persons_by_status: Counter[str] = Counter()
    attrs: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    for status, attributes, cause, n in rows:
        by_status[status] += 1
        persons_by_status[status] += n
        attrs.update(attributes)
        if status in REGISTERED_STATUSES and cause:
            causes[cause] += 1
    attr_names, cause_label = attribute_names(session), cause_names(session)
    return VillageProfile(
        name="".join(x.name for x in (county, township, v) if x is not None), code=v.code,
        designation=v.designation, exit_year=v.exit_year,
        households=len(rows), persons=sum(persons_by_status.values()),
        registered_households=sum(by_status[s] for s in REGISTERED_STATUSES),
        registered_persons=sum(persons_by_status[s] for s in REGISTERED_STATUSES),
        by_status={s: (by_status[s], persons_by_status[s]) for s in by_status},
        by_attribute={attr_names.get(c, c): n for c, n in attrs.most_common()},
        by_cause={cause_label.get(c, c): n for c, n in causes.most_common()},
    )
