from datetime import date

import pytest

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services import households, search_index
from fupin_desktop.services.search import HouseholdQuery, search_households

PEOPLE = [("001", "张三明", date(1968, 3, 4), "一组"), ("002", "李秀英", date(1971, 5, 6), "一组"),
          ("003", "王喆", date(1990, 7, 8), "二组"), ("010", "张淼", date(2001, 1, 9), "二组")]


@pytest.fixture
def register(db):
    with db.transaction() as s:
        for i, (number, name, birth, group) in enumerate(PEOPLE):
            households.save_household(
                s, None, HouseholdForm(number=number, status="未脱贫" if i % 2 else "一般农户", group=group,
                                       main_cause="07" if i % 2 else None, attributes=["dibao"] if i == 2 else []),
                [MemberForm(name, idcard.make("410182", birth, i, "男" if i != 1 else "女"), "户主")])
    return db


def names(db, *, indexed=False, **kw):
    with db.reading() as s:
        if indexed:
            search_index.warm(s)
        return [r.head_name for r in search_households(s, HouseholdQuery(**kw)).rows]


@pytest.mark.parametrize(("text", "expected"), [
    ("张", ["张三明", "张淼"]), ("zsm", ["张三明"]), ("ZM", ["张淼"]), ("wz", ["王喆"]),
    ("19900708", ["王喆"]), ("010", ["张淼"]), ("秀", ["李秀英"]), ("无此人", []), ("%", []),
])
@pytest.mark.parametrize("indexed", [False, True], ids=["sql", "index"])
def test_one_search_box(register, text, expected, indexed):
    assert names(register, text=text, indexed=indexed) == expected


def test_filters_sort_and_pages(register):
    assert names(register, group="二组") == ["王喆", "张淼"]
    assert names(register, status="未脱贫") == ["李秀英", "张淼"]
    assert names(register, attribute="dibao") == ["王喆"]
    assert names(register, cause="07") == ["李秀英", "张淼"]
    for indexed in (False, True):  # a text with a filter: the index's matches, counted by SQL
        with register.reading() as s:
            if indexed:
                search_index.warm(s)
            page = search_households(s, HouseholdQuery(text="张", status="未脱贫"))
        assert [r.head_name for r in page.rows] == ["张淼"] and page.total == 1
    assert names(register, sort="number", descending=True) == ["张淼", "王喆", "李秀英", "张三明"]
    with register.reading() as s:
        page = search_households(s, HouseholdQuery(limit=2, offset=2))
    assert page.total == 4 and [r.number for r in page.rows] == ["003", "010"]


@pytest.mark.parametrize(("name", "initials"), [("张三明", "zsm"), ("曾小贤", "zxx"), ("单田芳", "stf"),
                                                ("王喆", "wz"), ("欧阳娜娜", "oynn"), ("", "")])
def test_pinyin_initials_read_surnames_as_surnames(name, initials):
    from fupin_desktop.services.text import name_initials

    assert name_initials(name) == initials


@pytest.mark.parametrize("indexed", [False, True], ids=["sql", "index"])
def test_the_list_names_the_member_the_search_found(db, indexed):
    """zsm finds 李秀英's household through her son 张少明: the row says so; the head found says nothing."""
    with db.transaction() as s:
        households.save_household(s, None, HouseholdForm(number="020", status="一般农户"), [
            MemberForm("李秀英", idcard.make("410182", date(1971, 5, 6), 1, "女"), "户主"),
            MemberForm("张少明", idcard.make("410182", date(1995, 2, 3), 3, "男"), "之子")])
        households.save_household(s, None, HouseholdForm(number="021", status="一般农户"), [
            MemberForm("张思敏", idcard.make("410182", date(1980, 1, 1), 5, "男"), "户主")])
    with db.reading() as s:
        if indexed:
            search_index.warm(s)
        rows = search_households(s, HouseholdQuery(text="zsm")).rows
        assert [(r.head_name, r.matched) for r in rows] == [("李秀英", "张少明"), ("张思敏", None)]
        [row] = search_households(s, HouseholdQuery(text="19950203")).rows
        assert row.matched == "张少明"
