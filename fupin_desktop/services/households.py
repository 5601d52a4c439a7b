"""Household register: save (create or edit) a household with its members, delete, restore, read."""

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    Cadre,
    Cause,
    Household,
    HouseholdAttribute,
    HouseholdIncome,
    Member,
    VillagerGroup,
)
from fupin_desktop.db.query import get_any, get_live, live, tombstone
from fupin_desktop.domain import clock, idcard, phone
from fupin_desktop.domain.household import HouseholdForm, MemberForm, check_household, check_members, household_name
from fupin_desktop.domain.rows import HouseholdDetail, IncomeRow, MemberRow
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError
from fupin_desktop.services.text import name_initials
from fupin_desktop.services.village import cadre_ids, current_village, group_ids

_MEMBER_FIELDS = ("name", "relation", "labour_ability", "health", "disability_category", "disability_grade",
                  "schooling_stage", "employment_status", "employment_place", "public_welfare_post",
                  "medical_insurance", "pension_insurance", "dibao", "tekun", "left_behind", "note")
_HOUSEHOLD_FIELDS = ("address", "status", "identified_year", "exit_year", "main_cause", "housing_safety",
                     "housing_checked_on", "water_quality_ok", "water_quantity_ok", "water_convenience_ok",
                     "water_reliability_ok", "water_checked_on", "note")


def _codes(session: Session, model: type[Cause] | type[HouseholdAttribute]) -> set[str]:
    return set(session.scalars(select(model.code).where(live(model))))


def _db_errors(session: Session, village_id: uuid.UUID, household_id: uuid.UUID | None,
               form: HouseholdForm, members: list[MemberForm]) -> tuple[list[FieldError], dict[str, uuid.UUID | None]]:
    """Rules that need the register: unique number and ID numbers, known group, helper and codes."""
    errors: list[FieldError] = []
    taken = select(Household.id).where(Household.village_id == village_id, Household.number == form.number.strip(),
                                       live(Household))
    if household_id is not None:
        taken = taken.where(Household.id != household_id)
    if session.scalar(taken) is not None:
        errors.append(FieldError("number", f"户编号 {form.number} 已被本村其他户使用"))
    groups = group_ids(session, village_id)
    if form.group and form.group not in groups:
        errors.append(FieldError("group", f"村民组“{form.group}”不存在，请先在设置中添加"))
    helpers = cadre_ids(session, village_id)
    if form.helper_name and form.helper_name not in helpers:
        errors.append(FieldError("helper_name", f"帮扶责任人“{form.helper_name}”不在工作队/帮扶人名单中"))
    causes = _codes(session, Cause)
    for code in filter(None, [form.main_cause, *form.secondary_causes]):
        if causes and code not in causes:
            errors.append(FieldError("main_cause", f"致贫原因代码“{code}”不存在"))
    attributes = _codes(session, HouseholdAttribute)
    for code in form.attributes:
        if attributes and code not in attributes:
            errors.append(FieldError("attributes", f"户属性代码“{code}”不存在"))
    numbers = {idcard.normalize(m.id_number): m for m in members}
    clash = select(Member.id_number, Member.name, Household.number).join(Household).where(
        Member.id_number.in_(numbers), live(Member), live(Household))
    if household_id is not None:
        clash = clash.where(Member.household_id != household_id)
    for number, name, other in session.execute(clash):
        errors.append(FieldError(
            "id_number", f"身份证号 {number} 已登记在{household_name(other, name)}，同一人不能重复登记",
            numbers[number].name))
    return errors, {"group": groups.get(form.group or ""), "helper": helpers.get(form.helper_name or "")}


def save_household(session: Session, household_id: uuid.UUID | None, form: HouseholdForm,
                   members: list[MemberForm], *, today: date | None = None) -> uuid.UUID:
    """Create (household_id None) or update a household and its member list in one go.

    Members missing from `members` are tombstoned. Raises ValidationError listing every problem;
    nothing is written then.
    """
    village = current_village(session)
    errors = check_household(form) + check_members(members, today=today)
    if errors:
        raise ValidationError(errors)
    db_errors, refs = _db_errors(session, village.id, household_id, form, members)
    if db_errors:
        raise ValidationError(db_errors)
    if household_id is None:
        h = Household(village_id=village.id, number=form.number.strip(), status=form.status)
        session.add(h)
    else:
        h = get_live(session, Household, household_id)
    h.number = form.number.strip()
    for name in _HOUSEHOLD_FIELDS:
        _assign(h, name, getattr(form, name))
    _assign(h, "phone", phone.normalize(form.phone) if form.phone else None)
    _assign(h, "attributes", sorted(set(form.attributes)))
    _assign(h, "secondary_causes", list(dict.fromkeys(form.secondary_causes)))
    _assign(h, "group_id", refs["group"])
    _assign(h, "helper_id", refs["helper"])
    session.flush()
    _save_members(session, h.id, members, today=today)
    return h.id


def _assign(obj: object, name: str, value: object) -> None:
    """Set only what changed, so the change log records real edits only."""
    if getattr(obj, name) != value:
        setattr(obj, name, value)


def _save_members(session: Session, household_id: uuid.UUID, members: list[MemberForm], *,
                  today: date | None) -> None:
    existing = {m.id: m for m in session.scalars(select(Member).where(Member.household_id == household_id,
                                                                        live(Member)))}
    kept = {m.id for m in members if m.id is not None}
    # tombstone first so a moved ID number is free again
    tombstone(session, *(row for member_id, row in existing.items() if member_id not in kept))
    session.flush()
    for form in members:
        info = idcard.parse(form.id_number, today=today)
        row = existing.get(form.id) if form.id else None
        if row is None:
            if form.id is not None:
                raise NotFoundError(f"成员 {form.name} 已不在本户，请刷新后再编辑")
            row = Member(household_id=household_id)
            session.add(row)
        for name in _MEMBER_FIELDS:
            value = getattr(form, name)
            _assign(row, name, value.strip() if isinstance(value, str) else value)
        _assign(row, "id_number", info.number)
        _assign(row, "sex", info.sex)
        _assign(row, "birth_date", info.birth_date)
        _assign(row, "name_initials", name_initials(row.name))


def delete_household(session: Session, household_id: uuid.UUID) -> None:
    """Tombstone the household and its members (undo with restore_household)."""
    tombstone(session, get_live(session, Household, household_id), cascade=[Member.household_id])


def restore_household(session: Session, household_id: uuid.UUID) -> None:
    """Undo a delete: bring back the household and the members deleted with it."""
    h = get_any(session, Household, household_id)
    if h.deleted_at is None:
        return
    clash = session.scalar(select(func.count()).select_from(Household).where(
        Household.village_id == h.village_id, Household.number == h.number, live(Household)))
    if clash:
        raise ValidationError([FieldError("number", f"户编号 {h.number} 已被其他户使用，无法恢复")])
    members = session.scalars(select(Member).where(Member.household_id == household_id,
                                                   Member.deleted_at == h.deleted_at)).all()
    taken = session.scalars(select(Member.name).where(Member.id_number.in_([m.id_number for m in members]),
                                                      live(Member))).all()
    if taken:
        raise ValidationError([FieldError("id_number", f"{'、'.join(taken)} 已登记在其他户，无法恢复本户")])
    h.deleted_at = None
    for m in members:
        m.deleted_at = None


def get_household(session: Session, household_id: uuid.UUID, *, today: date | None = None) -> HouseholdDetail:
    h = get_any(session, Household, household_id)
    today = today or clock.today()
    group = session.get(VillagerGroup, h.group_id) if h.group_id else None
    helper = session.get(Cadre, h.helper_id) if h.helper_id else None
    # A deleted household shows the members deleted with it.
    alive = live(Member) if h.deleted_at is None else Member.deleted_at == h.deleted_at
    members = session.scalars(select(Member).where(Member.household_id == h.id, alive))
    incomes = session.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id == h.id,
                                                            live(HouseholdIncome)).order_by(HouseholdIncome.year))
    return HouseholdDetail(
        id=h.id, number=h.number, status=h.status, group=group.name if group else None, address=h.address,
        phone=h.phone, attributes=tuple(h.attributes), identified_year=h.identified_year, exit_year=h.exit_year,
        main_cause=h.main_cause, secondary_causes=tuple(h.secondary_causes),
        helper=helper.name if helper else None, housing_safety=h.housing_safety,
        housing_checked_on=h.housing_checked_on,
        water={k: getattr(h, k) for k in ("water_quality_ok", "water_quantity_ok", "water_convenience_ok",
                                           "water_reliability_ok")},
        water_checked_on=h.water_checked_on, note=h.note,
        members=sorted((member_row(m, today) for m in members), key=_member_order),
        incomes=[IncomeRow(i.year, i.persons, i.wage_fen, i.operating_fen, i.property_fen, i.transfer_fen,
                           i.expense_fen) for i in incomes],
        deleted=h.deleted_at is not None,
    )


def _member_order(m: MemberRow) -> tuple[int, date]:
    return (m.relation != "户主", m.birth_date)


def member_row(m: Member, today: date) -> MemberRow:
    return MemberRow(
        id=m.id, name=m.name, id_number=m.id_number, relation=m.relation, sex=m.sex, birth_date=m.birth_date,
        age=idcard.age_on(m.birth_date, today), labour_ability=m.labour_ability, health=m.health,
        disability_category=m.disability_category, disability_grade=m.disability_grade,
        schooling_stage=m.schooling_stage, employment_status=m.employment_status,
        employment_place=m.employment_place, public_welfare_post=m.public_welfare_post,
        medical_insurance=m.medical_insurance, pension_insurance=m.pension_insurance, dibao=m.dibao,
        tekun=m.tekun, left_behind=m.left_behind, note=m.note,
    )


def member_form(m: MemberRow) -> MemberForm:
    """The editable form of an existing member (for the GUI editor and the CLI)."""
    return MemberForm(**{k: getattr(m, k) for k in MemberForm.__dataclass_fields__})


def next_number(session: Session) -> str:
    """The number a new household would get in the village's own numbering: the highest number
    plus one, as long (16 digits: 村代码 and a 4-digit serial; or 001 in a village counting so)."""
    digits = [n for n in session.scalars(select(Household.number)) if n.isdigit()]
    if not digits:
        return current_village(session).code + "0001"
    top = max(digits, key=lambda n: (len(n), n))
    return str(int(top) + 1).zfill(len(top))


def household_by_number(session: Session, number: str) -> uuid.UUID:
    """The live household with this 户编号, or the one whose number ends with these digits
    (`--household 44` for 410182104201000044, as people read the last digits off a card)."""
    number = number.strip()
    if not number:
        raise NotFoundError("请写出户编号（可只写末几位）")
    exact = session.scalar(select(Household.id).where(Household.number == number, live(Household)))
    if exact is not None:
        return exact
    found = session.execute(select(Household.id, Household.number).where(
        Household.number.like(f"%{number}"), live(Household)).order_by(Household.number).limit(6)).all() \
        if number.isdigit() else []
    if len(found) == 1:
        return found[0][0]
    if found:
        shown = "、".join(n for _, n in found[:5]) + ("……" if len(found) > 5 else "")
        raise NotFoundError(f"户编号以“{number}”结尾的农户不止一户（{shown}），请多写几位或写完整户编号")
    raise NotFoundError(f"找不到户编号为“{number}”{'（或以它结尾）' if number.isdigit() else ''}的农户")


def full_number(session: Session, number: str) -> str:
    """The whole 户编号 of `household_by_number`."""
    return session.get_one(Household, household_by_number(session, number)).number
