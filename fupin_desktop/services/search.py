"""Finding households: one search box (name, pinyin initials, ID fragment, household number)
plus filters, sorted and paged in SQL so lists stay fast at 50,000 households."""

import re
from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, or_, select
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


# Above this many matching households the search stays a subquery (SQL parameter limits).
_MAX_ID_LIST = 20_000


def text_condition(session: Session, text: str):  # type: ignore[no-untyped-def]
    """Which households the search box matches; the shape of the text picks the columns.

    digits → ID-number fragment or household number; latin letters → pinyin initials (prefix);
    anything else → part of a member's name. The members are scanned once, here, and the page
    and total queries reuse the resulting household ids.
    """
    text = text.strip()
    if not text:
        return None
    like = f"%{_escape(text)}%"
    if re.fullmatch(r"[0-9xX]+", text):
        members = _members_where(Member.id_number.like(like.upper(), escape="\\"))
        numbers = select(Household.id).where(Household.number.like(like, escape="\\"), Household.deleted_at.is_(None))
        matching = members.union(numbers)
    elif re.fullmatch(r"[A-Za-z]+", text):
        start = text.lower()  # a prefix as a range, so the index is searched, not scanned
        matching = _members_where(Member.name_initials >= start,
                                  Member.name_initials < start[:-1] + chr(ord(start[-1]) + 1))
    else:
        matching = _members_where(Member.name.like(like, escape="\\"))
    ids = set(session.scalars(matching.limit(_MAX_ID_LIST + 1)))
    if len(ids) > _MAX_ID_LIST:
        return Household.id.in_(matching)
    return Household.id.in_(ids)


def _members_where(*conditions) -> Select:  # type: ignore[no-untyped-def]
    return select(Member.household_id).where(*conditions, Member.deleted_at.is_(None))


def search_households(session: Session, query: HouseholdQuery) -> Page:
    """One page of households matching the query, and the total count."""
    members = (select(func.count()).where(Member.household_id == Household.id, Member.deleted_at.is_(None))
               .correlate(Household).scalar_subquery().label("members"))
    stmt = (
        select(Household, _HEAD.name, _HEAD.id_number, VillagerGroup.name, Cadre.name, members)
        .outerjoin(_HEAD, (_HEAD.household_id == Household.id) & (_HEAD.relation == RELATION_HEAD)
                   & _HEAD.deleted_at.is_(None))
        .outerjoin(VillagerGroup, VillagerGroup.id == Household.group_id)
        .outerjoin(Cadre, Cadre.id == Household.helper_id)
        .where(Household.deleted_at.is_(None))
    )
    conditions = [text_condition(session, query.text)]
    if query.group:
        conditions.append(VillagerGroup.name == query.group)
    if query.status:
        conditions.append(Household.status == query.status)
    if query.cause:
        conditions.append(or_(Household.main_cause == query.cause,
                              cast(Household.secondary_causes, String).like(f'%"{query.cause}"%')))
    if query.attribute:
        conditions.append(cast(Household.attributes, String).like(f'%"{_escape(query.attribute)}"%', escape="\\"))
    for c in conditions:
        if c is not None:
            stmt = stmt.where(c)
    total = session.scalar(select(func.count()).select_from(stmt.with_only_columns(Household.id).subquery()))
    order = SORT_COLUMNS.get(query.sort, Household.number)
    order_expr = members if order == "members" else order
    stmt = stmt.order_by(order_expr.desc() if query.descending else order_expr, Household.number)
    rows = [
        HouseholdRow(id=h.id, number=h.number, head_name=head or "（无户主）", head_id_number=head_id or "",
                     group=group or "", status=h.status, members=n, attributes=tuple(h.attributes),
                     main_cause=h.main_cause, phone=h.phone, helper=helper)
        for h, head, head_id, group, helper, n in session.execute(stmt.limit(query.limit).offset(query.offset))
    ]
    return Page(rows=rows, total=total or 0)
