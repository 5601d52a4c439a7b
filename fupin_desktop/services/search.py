"""Finding households: one search box (name, pinyin initials, ID fragment, household number)
plus filters, sorted and paged in SQL so lists stay fast at 50,000 households."""

import re
from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from fupin_desktop.db.models import Cadre, Household, Member, VillagerGroup
from fupin_desktop.domain.rows import HouseholdRow, Page
from fupin_desktop.domain.vocab import RELATION_HEAD

_HEAD = aliased(Member, name="head")
SORT_COLUMNS = {
    "number": Household.number,
    "head": _HEAD.name,
    "group": VillagerGroup.sort_order,
    "status": Household.status,
    "members": "members",
}


@dataclass(frozen=True)
class HouseholdQuery:
    text: str = ""
    group: str | None = None
    status: str | None = None
    attribute: str | None = None
    cause: str | None = None
    sort: str = "number"
    descending: bool = False
    limit: int = 100
    offset: int = 0


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_condition(text: str):  # type: ignore[no-untyped-def]
    """Which households the search box matches; the shape of the text picks the columns.

    digits → ID-number fragment or household number; latin letters → pinyin initials (prefix);
    anything else → part of a member's name.
    """
    text = text.strip()
    if not text:
        return None
    like = f"%{_escape(text)}%"
    if re.fullmatch(r"[0-9xX]+", text):
        by_number = select(Household.id).where(Household.number.like(like, escape="\\"))
        return Household.id.in_(_members_where(Member.id_number.like(like.upper(), escape="\\")).union(by_number))
    if re.fullmatch(r"[A-Za-z]+", text):
        start = text.lower()  # a prefix as a range, so the index is searched, not scanned
        return Household.id.in_(_members_where(Member.name_initials >= start,
                                               Member.name_initials < start[:-1] + chr(ord(start[-1]) + 1)))
    return Household.id.in_(_members_where(Member.name.like(like, escape="\\")))


def _members_where(*conditions) -> Select:  # type: ignore[no-untyped-def]
    return select(Member.household_id).where(*conditions, Member.deleted_at.is_(None))


def search_households(session: Session, query: HouseholdQuery) -> Page:
    """One page of households matching the query, and the total count.

    One statement: the members are scanned once, and a window count gives the total.
    """
    members = (select(func.count()).where(Member.household_id == Household.id, Member.deleted_at.is_(None))
               .correlate(Household).scalar_subquery())
    stmt = (
        select(Household.id, Household.number, _HEAD.name, _HEAD.id_number, VillagerGroup.name, Household.status,
               members, Household.attributes, Household.main_cause, Household.phone, Cadre.name,
               func.count().over())
        .outerjoin(_HEAD, (_HEAD.household_id == Household.id) & (_HEAD.relation == RELATION_HEAD)
                   & _HEAD.deleted_at.is_(None))
        .outerjoin(VillagerGroup, VillagerGroup.id == Household.group_id)
        .outerjoin(Cadre, Cadre.id == Household.helper_id)
        .where(Household.deleted_at.is_(None))
    )
    conditions = [text_condition(query.text)]
    if query.group:
        conditions.append(VillagerGroup.name == query.group)
    if query.status:
        conditions.append(Household.status == query.status)
    if query.cause:
        conditions.append(or_(Household.main_cause == query.cause,
                              cast(Household.secondary_causes, String).like(f'%"{query.cause}"%')))
    if query.attribute:
        conditions.append(cast(Household.attributes, String).like(f'%"{_escape(query.attribute)}"%', escape="\\"))
    stmt = stmt.where(*(c for c in conditions if c is not None))
    order = SORT_COLUMNS.get(query.sort, Household.number)
    order_expr = members if order == "members" else order
    stmt = stmt.order_by(order_expr.desc() if query.descending else order_expr, Household.number)
    text = conditions[0] is not None
    if not text:  # the whole register or a filter of it: a lean count beats a window over every row
        counted = select(func.count()).select_from(Household).where(Household.deleted_at.is_(None), *conditions[1:])
        if query.group:
            counted = counted.join(VillagerGroup, VillagerGroup.id == Household.group_id)
        stmt = stmt.with_only_columns(*stmt.selected_columns[:-1], literal(None))
    result = session.execute(stmt.limit(query.limit).offset(query.offset)).all()
    if not text:
        total = session.scalar(counted)
    elif result:
        total = result[0][-1]
    else:  # past the last page, or nothing matches
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) if query.offset else 0
    rows = [HouseholdRow(id=hid, number=number, head_name=head or "（无户主）", head_id_number=head_id or "",
                         group=group or "", status=status, members=n, attributes=tuple(attributes),
                         main_cause=cause, phone=phone, helper=helper)
            for hid, number, head, head_id, group, status, n, attributes, cause, phone, helper, _ in result]
    return Page(rows=rows, total=total or 0)
