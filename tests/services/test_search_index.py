"""The in-memory search index gives exactly the households the SQL scan gives, and follows every
write (ORM edits, bulk inserts, moves, deletes) through the change log."""

import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from fupin_desktop.db.models import Household, Member
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services import households, search_index
from fupin_desktop.services.search import _scan_condition, text_condition


def found(session, text):
    """(households by the index, households by the SQL scan) for this search text."""
    search_index.warm(session)
    by_index = text_condition(session, text)
    by_scan = _scan_condition(text.strip()) & Household.deleted_at.is_(None)
    indexed = set(session.scalars(select(Household.id).where(by_index))) if by_index is not None else set()
    return indexed, set(session.scalars(select(Household.id).where(by_scan)))


def queries(session, rng: random.Random) -> list[str]:
    members = session.execute(select(Member.name, Member.name_initials, Member.id_number)).all()
    numbers = list(session.scalars(select(Household.number)))
    texts = ["王", "张", "秀", "无此人", "%", "_", "\\", "x", "X", "0", "19", "a", "Z", "张a", "王 ", " 1970",
             "00000000000000000000", "zz", "'", "王%"]
    for name, initials, id_number in rng.sample(members, 60):
        start = rng.randrange(len(id_number) - 3)
        texts += [name, name[1:], name[:1], name[-1:], initials, initials[:1], initials.upper(),
                  id_number, id_number[-4:], id_number[-6:], id_number[start:start + 4], id_number.lower()[-1:]]
    return texts + rng.sample(numbers, 20) + [n[-2:] for n in rng.sample(numbers, 10)]


def test_index_answers_exactly_as_the_scan(demo_path):
    db = open_database(demo_path)
    try:
        with db.reading() as s:
            for text in queries(s, random.Random(7)):
                indexed, scanned = found(s, text)
                assert indexed == scanned, text
            assert len(found(s, "王")[0]) > 10  # the sample is not trivially empty
    finally:
        db.close()


def _member(name: str, i: int, relation: str = "户主") -> MemberForm:
    return MemberForm(name, idcard.make("410182", date(1960 + i, 1, 2 + i), i, "男"), relation)


@pytest.fixture
def two_households(db):
    with db.transaction() as s:
        a = households.save_household(s, None, HouseholdForm(number="001", status="一般农户"),
                                      [_member("张三明", 1), _member("李四", 2, "配偶")])
        b = households.save_household(s, None, HouseholdForm(number="002", status="一般农户"),
                                      [_member("王喆", 3)])
    return db, a, b


def hits(db, text):
    with db.reading() as s:
        indexed, scanned = found(s, text)
    assert indexed == scanned, text
    return indexed


def test_index_follows_edits_through_the_change_log(two_households):
    db, a, b = two_households
    assert hits(db, "李") == {a} and hits(db, "ls") == {a} and hits(db, "001") == {a}
    with db.transaction() as s:  # a member moves to the other household
        s.scalars(select(Member).where(Member.name == "李四")).one().household_id = b
    assert hits(db, "李") == {b} and hits(db, "ls") == {b}
    with db.transaction() as s:  # renamed, initials kept by the service
        detail = households.get_household(s, b)
        forms = [households.member_form(m) for m in detail.members]
        forms = [MemberForm(**{**f.__dict__, "name": "王小喆"}) if f.name == "王喆" else f for f in forms]
        households.save_household(s, b, HouseholdForm(number="102", status="一般农户"), forms)
    assert hits(db, "王小") == {b} and hits(db, "wxz") == {b} and hits(db, "王喆") == set()
    assert hits(db, "102") == {b} and hits(db, "002") == set()
    with db.transaction() as s:  # a member tombstoned, then the whole household
        s.scalars(select(Member).where(Member.name == "李四")).one().deleted_at = datetime.now(UTC)
    assert hits(db, "李") == set()
    with db.transaction() as s:
        households.delete_household(s, a)
    assert hits(db, "张三明") == set()
    with db.transaction() as s:
        households.restore_household(s, a)
    assert hits(db, "张三明") == {a}


def test_many_changes_at_once_rebuild_the_index(two_households, monkeypatch):
    db, a, _b = two_households
    assert hits(db, "张") == {a}
    monkeypatch.setattr(search_index, "_REBUILD_ABOVE", 0)
    with db.transaction() as s:
        c = households.save_household(s, None, HouseholdForm(number="003", status="一般农户"), [_member("张淼", 4)])
    assert hits(db, "张") == {a, c}


def test_without_a_built_index_sql_scans(two_households):
    db, a, _b = two_households
    with db.reading() as s:
        assert search_index.households_matching(s, "张三明") is None  # not built: the caller scans
        search_index.warm(s)
        assert search_index.households_matching(s, "张三明") is not None
        assert search_index.households_matching(s, "张\x1f三") is None  # a separator: scanned


def test_each_database_has_its_own_index(two_households, tmp_path):
    db, a, _b = two_households
    assert hits(db, "张三明") == {a}
    other = open_database(db.engine.url.database)  # another engine on the same file: same answers
    try:
        assert hits(other, "张三明") == {a}
    finally:
        other.close()


@pytest.mark.parametrize("walk_above", [search_index._WALK_ABOVE, 0])  # 0: every page by walking the number order
def test_pages_from_the_index_equal_the_sql_pages(demo_path, walk_above, monkeypatch):
    """The whole search (total, order, paging, sorts, filters) with and without the index."""
    from fupin_desktop.services.search import HouseholdQuery, search_households

    monkeypatch.setattr(search_index, "_WALK_ABOVE", walk_above)

    queries = [HouseholdQuery(text=t, sort=sort, descending=desc, offset=offset, limit=7, status=status)
               for t in ("王", "1970", "zh", "秀", "无此人") for sort in ("number", "head", "members")
               for desc in (False, True) for offset in (0, 7, 10_000) for status in (None, "一般农户")]
    pages = []
    for indexed in (False, True):
        db = open_database(demo_path)
        try:
            with db.reading() as s:
                if indexed:
                    search_index.warm(s)
                pages.append([search_households(s, q) for q in queries])
        finally:
            db.close()
    for q, plain, fast in zip(queries, *pages, strict=True):
        assert (fast.total, [r.id for r in fast.rows]) == (plain.total, [r.id for r in plain.rows]), q
