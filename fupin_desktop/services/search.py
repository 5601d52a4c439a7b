"""Finding households: one search box (name, pinyin initials, ID fragment, household number)
plus filters, sorted and paged in SQL so lists stay fast at 50,000 households."""

import uuid
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, String, cast, false, func, literal, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from fupin_desktop.db.models import Cadre, Household, Member, VillagerGroup
from fupin_desktop.db.query import live
from fupin_desktop.domain import idcard
from fupin_desktop.domain.accounts import sees_full_id_numbers
from fupin_desktop.domain.rows import HouseholdRow, Page
from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.services import search_index

_HEAD = aliased(Member, name="head")
SORT_KEYS = {  # how the list can be sorted; "members" is counted per household
    "number": Household.number,
    "head": _HEAD.name,
    "group": VillagerGroup.sort_order,
    "status": Household.status,
    "members": None,
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


def text_condition(session: Session, text: str):
    """Which live households the search box matches (None: no text, all of them)."""
    return _text_match(session, text)[0]


def _text_match(session: Session, text: str):
    """(condition, the rowids of the live households it matches when the index knows them).

    The shape of the text picks the columns: digits → ID-number fragment or household number;
    latin letters → pinyin initials (prefix); anything else → part of a member's name. On SQLite
    the in-memory index answers (services/search_index.py); elsewhere, or for text the index
    cannot hold, SQL scans the member rows.
    """
    text = text.strip()
    if not text:
        return None, None
    found = search_index.households_matching(session, text)
    if found is None:
        return _scan_condition(text), None
    if not found:
        return false(), found
    # the household table's rowids (no VACUUM renumbers them while the program runs)
    listed = "[" + ",".join(map(str, found)) + "]"
    rowids: Select[int] = select(literal_column("value")).select_from(func.json_each(listed))
    return literal_column("household.rowid").in_(rowids), found


_NUMBER, _INITIALS = search_index.NUMBER, search_index.INITIALS_TEXT


def _scan_condition(text: str):
    """The same match in SQL, scanning the member rows: PostgreSQL's way, and the index's reference
    (which also leaves out deleted households, as every caller does)."""
    like = f"%{_escape(text)}%"
    if _NUMBER.fullmatch(text):
        by_number = select(Household.id).where(Household.number.like(like, escape="\\"))
        return Household.id.in_(_members_where(Member.id_number.like(like.upper(), escape="\\")).union(by_number))
    if _INITIALS.fullmatch(text):
        start = text.lower()  # a prefix as a range, so the index is searched, not scanned
        return Household.id.in_(_members_where(Member.name_initials >= start,
                                               Member.name_initials < start[:-1] + chr(ord(start[-1]) + 1)))
    return Household.id.in_(_members_where(Member.name.like(like, escape="\\")))


def _members_where(*conditions) -> Select:
    return select(Member.household_id).where(*conditions, live(Member))


def search_households(session: Session, query: HouseholdQuery) -> Page[HouseholdRow]:
    """One page of households matching the query, and the total count.

    Two steps: the matching households' ids in order, one page of them, with the total as a window
    count over those lean rows; then the columns shown, for that page only. Joining every column
    for each of 12,000 matches of a common surname before the window count doubled the time.
    """
    match, matched = _text_match(session, query.text)
    if matched is not None and not (query.status or query.cause or query.attribute or query.group) \
            and query.sort not in SORT_KEYS.keys() - {"number"}:
        return _index_page(session, matched, query)
    conditions = [match]
    if query.status:
        conditions.append(Household.status == query.status)
    if query.cause:
        conditions.append(or_(Household.main_cause == query.cause,
                              cast(Household.secondary_causes, String).like(f'%"{query.cause}"%')))
    if query.attribute:
        conditions.append(cast(Household.attributes, String).like(f'%"{_escape(query.attribute)}"%', escape="\\"))
    if query.group:
        conditions.append(Household.group_id.in_(select(VillagerGroup.id).where(VillagerGroup.name == query.group)))
    conditions = [c for c in conditions if c is not None]
    text = bool(query.text.strip())
    # the whole register or a filter of it: a lean count beats a window over every row
    ids = select(Household.id, func.count().over() if text else literal(None)).where(
        live(Household), *conditions)
    sort = query.sort if query.sort in SORT_KEYS else "number"
    if sort == "head":
        ids = ids.outerjoin(_HEAD, _head_of_household())
    elif sort == "group":
        ids = ids.outerjoin(VillagerGroup, VillagerGroup.id == Household.group_id)
    order = SORT_KEYS[sort]
    if order is None:  # "members": counted per household
        order = _members_count()
    ids = ids.order_by(order.desc() if query.descending else order, Household.number)
    found = session.execute(ids.limit(query.limit).offset(query.offset)).all()
    if not text:
        total = session.scalar(select(func.count()).select_from(Household).where(live(Household),
                                                                                 *conditions))
    elif found:
        total = found[0][1]
    else:  # past the last page, or nothing matches
        total = session.scalar(select(func.count()).select_from(ids.subquery())) if query.offset else 0
    return Page(rows=_with_matches(session, _rows(session, [hid for hid, _ in found]), query.text), total=total or 0)


def _index_page(session: Session, found: set[int], query: HouseholdQuery) -> Page[HouseholdRow]:
    """The index's matches in number order, paged in Python: sorting 12,000 matches of 王 in SQL
    cost more than finding them. Only the page's households are read."""
    page = search_index.by_number(session, found, descending=query.descending,
                                  first=query.offset + query.limit)[query.offset:]
    ids: dict[int, uuid.UUID] = dict(session.execute(select(literal_column("rowid"), Household.id).where(
        literal_column("rowid").in_(page))).all()) if page else {}
    return Page(rows=_with_matches(session, _rows(session, [ids[r] for r in page if r in ids]), query.text),
                total=len(found))


def _with_matches(session: Session, rows: list[HouseholdRow], text: str) -> list[HouseholdRow]:
    """Name the member the text found where it is not the head (zsm finds 李秀英's household
    through her son 张少明: the list says so). Only the page's households are read."""
    text = text.strip()
    if not text or not rows:
        return rows
    hit: ColumnElement[bool]
    if _NUMBER.fullmatch(text):
        hit = Member.id_number.like(f"%{_escape(text.upper())}%", escape="\\")
    elif _INITIALS.fullmatch(text):
        hit = Member.name_initials.startswith(text.lower(), autoescape=True)
    else:
        hit = Member.name.like(f"%{_escape(text)}%", escape="\\")
    found: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for household_id, name, relation in session.execute(select(Member.household_id, Member.name, Member.relation).where(
            Member.household_id.in_([r.id for r in rows]), live(Member), hit).order_by(Member.name)):
        found.setdefault(household_id, []).append((name, relation))
    return [r if not found.get(r.id) or any(rel == RELATION_HEAD for _n, rel in found[r.id])
            else replace(r, matched=found[r.id][0][0]) for r in rows]


def _head_of_household():
    return (_HEAD.household_id == Household.id) & (_HEAD.relation == RELATION_HEAD) & live(_HEAD)


def _members_count():
    return (select(func.count()).where(Member.household_id == Household.id, live(Member))
            .correlate(Household).scalar_subquery())


def _rows(session: Session, ids: list[uuid.UUID]) -> list[HouseholdRow]:
    """The list's columns for these households, in this order."""
    if not ids:
        return []
    found = session.execute(
        select(Household.id, Household.number, _HEAD.name, _HEAD.id_number, VillagerGroup.name, Household.status,
               _members_count(), Household.attributes, Household.main_cause, Household.phone, Cadre.name)
        .outerjoin(_HEAD, _head_of_household())
        .outerjoin(VillagerGroup, VillagerGroup.id == Household.group_id)
        .outerjoin(Cadre, Cadre.id == Household.helper_id)
        .where(Household.id.in_(ids))).all()
    shown = (lambda n: n) if sees_full_id_numbers(session.info.get("user")) else idcard.mask  # as on screen
    rows = {hid: HouseholdRow(id=hid, number=number, head_name=head or "（无户主）",
                              head_id_number=shown(head_id or ""), group=group or "", status=status, members=n,
                              attributes=tuple(attributes), main_cause=cause, phone=phone, helper=helper)
            for hid, number, head, head_id, group, status, n, attributes, cause, phone, helper in found}
    return [rows[hid] for hid in ids if hid in rows]
