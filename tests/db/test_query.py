"""The live-row primitives every service uses: live, get_live/get_any with the model's noun, tombstone."""

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from fupin_desktop.db.models import ChangeLog, Household, Member
from fupin_desktop.db.query import get_any, get_live, is_live, live, tombstone
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.errors import NotFoundError
from fupin_desktop.services.households import save_household


@pytest.fixture
def household(db) -> uuid.UUID:  # type: ignore[no-untyped-def]
    members = [MemberForm(name="张三明", id_number=idcard.make("410182", date(1970, 1, 1), 1, "男"), relation="户主"),
               MemberForm(name="李秀兰", id_number=idcard.make("410182", date(1972, 2, 2), 2, "女"), relation="配偶")]
    with db.transaction() as s:
        return save_household(s, None, HouseholdForm(number="0001", status="一般农户"), members)


def test_tombstone_cascades_through_the_orm_with_one_stamp(db, household):
    with db.transaction() as s:
        h = get_live(s, Household, household)
        assert len(s.scalars(select(Member).where(Member.household_id == household, live(Member))).all()) == 2
        tombstone(s, h, cascade=[Member.household_id])
    with db.reading() as s:
        gone = get_any(s, Household, household)  # still there, to show or restore
        members = s.scalars(select(Member).where(Member.household_id == household)).all()
        assert {m.deleted_at for m in members} == {gone.deleted_at} != {None}  # restored together later
        ops = s.scalars(select(ChangeLog.op).where(ChangeLog.row_id.in_([household, *(m.id for m in members)]),
                                                   ChangeLog.op == "delete")).all()
        assert len(ops) == 3  # the change log has every row, so the deletion travels


def test_a_missing_or_tombstoned_row_is_named_by_its_model(db, household):
    with db.transaction() as s:
        tombstone(s, get_live(s, Household, household))
    with db.reading() as s:
        with pytest.raises(NotFoundError, match="^找不到该户，可能已被删除，请刷新$"):
            get_live(s, Household, household)
        with pytest.raises(NotFoundError, match="^找不到该成员"):
            get_any(s, Member, uuid.uuid4())
        assert not is_live(s, Household, household) and not is_live(s, Household, None)
        assert not is_live(s, Household, uuid.uuid4())


def test_tombstone_of_nothing_writes_nothing(db):
    with db.transaction() as s:
        tombstone(s, cascade=[Member.household_id])
        assert not s.dirty and not s.new
