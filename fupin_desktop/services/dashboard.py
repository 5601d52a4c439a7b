"""The village at a glance (首页): households and persons by status, attributes and causes."""

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Household, Member
from fupin_desktop.db.query import live
from fupin_desktop.domain.vocab import REGISTERED_STATUSES
from fupin_desktop.services.reference import attribute_names, cause_names
from fupin_desktop.services.village import current_village, village_full_name


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
    households = (Household.village_id == v.id, live(Household))
    # Grouped in SQL: a village has a few dozen combinations, not thousands of rows, to count in Python.
    combos = session.execute(
        select(Household.status, cast(Household.attributes, String), Household.main_cause, func.count())
        .where(*households).group_by(Household.status, cast(Household.attributes, String), Household.main_cause)
    ).all()
    persons_by_status: Counter[str] = Counter(dict(session.execute(
        select(Household.status, func.count()).join(Member, Member.household_id == Household.id)
        .where(*households, live(Member)).group_by(Household.status)).all()))
    by_status: Counter[str] = Counter()
    attrs: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    for status, attributes, cause, n in combos:
        by_status[status] += n
        for code in json.loads(attributes or "[]"):
            attrs[code] += n
        if status in REGISTERED_STATUSES and cause:
            causes[cause] += n
    attr_names, cause_label = attribute_names(session), cause_names(session)
    return VillageProfile(
        name=village_full_name(session), code=v.code,
        designation=v.designation, exit_year=v.exit_year,
        households=sum(by_status.values()), persons=sum(persons_by_status.values()),
        registered_households=sum(by_status[s] for s in REGISTERED_STATUSES),
        registered_persons=sum(persons_by_status[s] for s in REGISTERED_STATUSES),
        by_status={s: (by_status[s], persons_by_status[s]) for s in by_status},
        by_attribute={attr_names.get(c, c): n for c, n in attrs.most_common()},
        by_cause={cause_label.get(c, c): n for c, n in causes.most_common()},
    )
