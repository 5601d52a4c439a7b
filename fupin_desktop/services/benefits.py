"""享受政策: the policy catalogue with its default amounts per year, and the benefits each household
or member received.

How benefits feed income: `HouseholdIncome.transfer_fen` stays the one figure of a year's transfer
income (per-capita income, exit checks and exports all read it). Every save or removal of a
benefit whose policy counts as 转移性 income moves that figure by the difference, in the same
transaction, so the figure always includes the benefits recorded; what people add by hand on top
(pensions, remittances) stays. A year with no income row yet gets one (the year's other incomes
still to be surveyed, said in its note). Benefits of other income types (公益岗 pay is wages,
医保代缴 or 危房改造 are not income) are shown but do not move the figure.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    AssistanceStandard,
    Benefit,
    County,
    Household,
    HouseholdIncome,
    Member,
    Policy,
    Township,
)
from fupin_desktop.db.query import get_live, is_live, live, tombstone
from fupin_desktop.domain import clock
from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.notices import INCOME_TRANSFER, months_between, suggest_amount
from fupin_desktop.domain.places import CITIES
from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError
from fupin_desktop.services.reference import FILES, read_rows
from fupin_desktop.services.village import assign, current_village

FIRST_YEAR = 2013
# Prefectures of the seeds by the first four digits of the division code, for villages whose county
# row does not name its city.
AUTO_INCOME_NOTE = "年度收入尚未核算：转移性收入由享受政策登记自动累计"


@dataclass(frozen=True)
class PolicyRow:
    code: str
    name: str
    category: str
    level: str  # 户 / 人 / 户或人
    unit: str  # 人 / 户
    income_type: str
    standard_kind: str | None
    amount_fen: int | None
    period: str
    payer: str | None
    note: str | None


def list_policies(session: Session) -> list[PolicyRow]:
    """The catalogue in its order (read from the shipped file if the database has none yet)."""
    rows = session.scalars(select(Policy).where(live(Policy)).order_by(Policy.sort_order, Policy.code)).all()
    fields = PolicyRow.__dataclass_fields__
    if rows:
        return [PolicyRow(**{k: getattr(p, k) for k in fields}) for p in rows]
    ref = next(f for f in FILES if f.model is Policy)
    return [PolicyRow(**{k: r[k] for k in fields}) for r in sorted(read_rows(ref), key=lambda r: r["sort_order"])]


def policy_map(session: Session) -> dict[str, PolicyRow]:
    return {p.code: p for p in list_policies(session)}


@dataclass(frozen=True)
class DefaultAmount:
    """What the catalogue suggests for a benefit: the standard and the amount it gives."""

    standard_fen: int | None  # per unit and period
    period: str
    amount_fen: int | None  # standard × months × persons; None: no standard, type the amount
    basis: str  # "郑州市2020年标准 730.00元/人/月 × 12个月 × 2人"


def _jurisdictions(session: Session) -> list[str]:
    """Where standards apply to this village, most specific first: county, city, province, 全国."""
    try:
        v = current_village(session)
    except NotFoundError:
        return ["河南省", "全国"]
    township = session.get(Township, v.township_id)
    county = session.get(County, township.county_id) if township else None
    city = (county.city if county else None) or CITIES.get(v.code[:4])
    names = [county.name if county else None, city, "河南省", "全国"]
    return [n for n in names if n]


def policy_default(session: Session, code: str, year: int, *, months: int | None = None,
                   persons: int = 1) -> DefaultAmount:
    """The default amount of `code` in `year` (§2.14 standards: latest year not after `year`)."""
    policy = policy_map(session).get(code)
    if policy is None:
        raise NotFoundError(f"政策代码“{code}”不在政策目录中")
    standard, where = policy.amount_fen, ""
    if policy.standard_kind:
        places = _jurisdictions(session)
        rows = session.execute(select(AssistanceStandard.jurisdiction, AssistanceStandard.year,
                                      AssistanceStandard.amount_fen).where(
            AssistanceStandard.kind == policy.standard_kind, AssistanceStandard.year <= year,
            AssistanceStandard.jurisdiction.in_(places), live(AssistanceStandard))).all()
        if rows:
            place, std_year, standard = min(rows, key=lambda r: (places.index(r[0]), -r[1]))
            where = f"{place}{std_year}年标准 "
    persons = persons if policy.unit == "人" else 1
    amount = suggest_amount(standard, policy.period, months=months, persons=persons)
    if standard is None:
        return DefaultAmount(None, policy.period, None, "无统一标准，请按实际发放金额填写")
    basis = f"{where}{yuan(standard, grouping=False)}元/{policy.unit}/{policy.period}"
    if policy.period == "月":
        basis += f" × {months if months is not None else 12}个月"
    if persons > 1:
        basis += f" × {persons}人"
    return DefaultAmount(standard, policy.period, amount, basis)


@dataclass
class BenefitForm:
    household_id: uuid.UUID
    year: int
    policy_code: str
    amount_fen: int
    member_id: uuid.UUID | None = None
    period_from: date | None = None
    period_to: date | None = None
    payer: str | None = None
    paid_on: date | None = None
    proof: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class BenefitRow:
    id: uuid.UUID
    household_id: uuid.UUID
    household_number: str
    head_name: str
    member_id: uuid.UUID | None
    member_name: str | None  # None: the household as a whole
    year: int
    policy_code: str
    policy_name: str
    category: str
    income_type: str
    amount_fen: int
    period_from: date | None
    period_to: date | None
    payer: str | None
    paid_on: date | None
    proof: str | None
    note: str | None

    def form(self) -> BenefitForm:
        return BenefitForm(self.household_id, self.year, self.policy_code, self.amount_fen, self.member_id,
                           self.period_from, self.period_to, self.payer, self.paid_on, self.proof, self.note)

    @property
    def period_text(self) -> str:
        if self.period_from and self.period_to:
            return f"{self.period_from:%Y.%m}—{self.period_to:%Y.%m}"
        return f"{self.year}年"


def check_benefit(session: Session, form: BenefitForm, *, today: date | None = None,
                  kept_member: uuid.UUID | None = None) -> list[FieldError]:
    """Every problem of the form, with the register and the catalogue.

    `kept_member`: the member an existing benefit already names; a member who has left since may
    stay on it (last year's record is still corrected), but no one who left gets a new benefit.
    """
    today = today or clock.today()
    errors: list[FieldError] = []
    policy = policy_map(session).get(form.policy_code)
    if policy is None:
        errors.append(FieldError("policy_code", f"请选择政策（“{form.policy_code}”不在政策目录中）"))
    if not FIRST_YEAR <= form.year <= today.year + 1:
        errors.append(FieldError("year", f"年度应在{FIRST_YEAR}—{today.year + 1}年之间"))
    if form.amount_fen < 0:
        errors.append(FieldError("amount", "金额不能为负数"))
    elif form.amount_fen >= 10**10:
        errors.append(FieldError("amount", "金额过大，请检查单位（元）"))
    if form.period_from and form.period_to and form.period_to < form.period_from:
        errors.append(FieldError("period_to", "享受期限的结束不能早于开始"))
    if form.paid_on and form.paid_on > today:
        errors.append(FieldError("paid_on", "发放日期不能晚于今天"))
    if not is_live(session, Household, form.household_id):
        errors.append(FieldError("household", "找不到该户，可能已被删除"))
        return errors
    if form.member_id is not None:
        member = session.get(Member, form.member_id)
        if member is None or member.household_id != form.household_id:
            errors.append(FieldError("member", "该成员不属于本户"))
        elif member.deleted_at is not None and member.id != kept_member:
            errors.append(FieldError("member", f"{member.name}已不在本户（迁出、注销或已删除），不能为其登记享受政策"))
        elif policy is not None and policy.level == "户":
            errors.append(FieldError("member", f"“{policy.name}”按户享受，不用选择成员"))
    elif policy is not None and policy.level == "人":
        errors.append(FieldError("member", f"“{policy.name}”落实到人，请选择享受的家庭成员"))
    return errors


def save_benefit(session: Session, benefit_id: uuid.UUID | None, form: BenefitForm, *,
                 today: date | None = None) -> uuid.UUID:
    """Create or edit a benefit; the household's transfer income follows (see the module note)."""
    stored = get_live(session, Benefit, benefit_id) if benefit_id is not None else None
    errors = check_benefit(session, form, today=today, kept_member=stored.member_id if stored else None)
    if errors:
        raise ValidationError(errors)
    policies = policy_map(session)
    if benefit_id is None:
        b = Benefit(household_id=form.household_id, year=form.year, policy_code=form.policy_code,
                    amount_fen=form.amount_fen)
        session.add(b)
    else:
        b = stored  # type: ignore[assignment]
        if b.household_id != form.household_id:
            raise ValidationError([FieldError("household", "享受政策不能改到其他户，请删除后在该户重新登记")])
        _feed(session, b, policies, -1)
    for name in ("year", "policy_code", "amount_fen", "member_id", "period_from", "period_to", "paid_on"):
        assign(b, name, getattr(form, name))
    for name in ("payer", "proof", "note"):
        assign(b, name, (getattr(form, name) or "").strip() or None)
    session.flush()
    _feed(session, b, policies, +1)
    return b.id


def delete_benefit(session: Session, benefit_id: uuid.UUID) -> None:
    """Tombstone a benefit entered by mistake; its amount leaves the transfer income."""
    b = get_live(session, Benefit, benefit_id)
    _feed(session, b, policy_map(session), -1)
    tombstone(session, b)



def _feed(session: Session, b: Benefit, policies: dict[str, PolicyRow], sign: int) -> None:
    """Add (sign +1) or take back (-1) a benefit's amount in its year's transfer income."""
    policy = policies.get(b.policy_code)
    if policy is None or policy.income_type != INCOME_TRANSFER or not b.amount_fen:
        return
    income = session.scalar(select(HouseholdIncome).where(
        HouseholdIncome.household_id == b.household_id, HouseholdIncome.year == b.year, live(HouseholdIncome)))
    if income is None:
        if sign < 0:
            return
        persons = session.scalar(select(func.count()).select_from(Member).where(
            Member.household_id == b.household_id, live(Member))) or 1
        income = HouseholdIncome(household_id=b.household_id, year=b.year, persons=persons, wage_fen=0,
                                 operating_fen=0, property_fen=0, transfer_fen=0, expense_fen=0,
                                 note=AUTO_INCOME_NOTE)
        session.add(income)
    income.transfer_fen = max(0, (income.transfer_fen or 0) + sign * b.amount_fen)
    session.flush()


def list_benefits(session: Session, *, year: int | None = None, household_id: uuid.UUID | None = None,
                  household_ids: list[uuid.UUID] | Select[Any] | None = None) -> list[BenefitRow]:
    """Benefits of live households, by household number, then member, then policy order.

    `household_ids`: only these households, a list of ids or a select of them (for thousands)."""
    b_ = Benefit
    q = (select(b_.id, b_.household_id, b_.member_id, b_.year, b_.policy_code, b_.amount_fen, b_.period_from,
                b_.period_to, b_.payer, b_.paid_on, b_.proof, b_.note, Household.number)
         .join(Household, Household.id == b_.household_id).where(live(b_), live(Household)))
    if year is not None:
        q = q.where(Benefit.year == year)
    if household_id is not None:
        q = q.where(Benefit.household_id == household_id)
    if household_ids is not None:
        q = q.where(Benefit.household_id.in_(household_ids))
    found = session.execute(q).all()
    hh_ids = {b.household_id for b in found}
    names: dict[uuid.UUID, str] = {}
    heads: dict[uuid.UUID, str] = {}
    if hh_ids:
        member_ids = {b.member_id for b in found if b.member_id}
        names = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(member_ids))).all())
        heads = dict(session.execute(select(Member.household_id, Member.name).where(
            Member.household_id.in_(hh_ids), Member.relation == RELATION_HEAD, live(Member))).all())
    policies = policy_map(session)
    order = {code: i for i, code in enumerate(policies)}
    rows = []
    for b in found:
        p = policies.get(b.policy_code)
        rows.append(BenefitRow(
            id=b.id, household_id=b.household_id, household_number=b.number, head_name=heads.get(b.household_id, ""),
            member_id=b.member_id, member_name=names.get(b.member_id) if b.member_id else None, year=b.year,
            policy_code=b.policy_code, policy_name=p.name if p else b.policy_code, category=p.category if p else "",
            income_type=p.income_type if p else "", amount_fen=b.amount_fen, period_from=b.period_from,
            period_to=b.period_to, payer=b.payer, paid_on=b.paid_on, proof=b.proof, note=b.note))
    return sorted(rows, key=lambda r: (-r.year, r.household_number, r.member_name is not None,
                                       order.get(r.policy_code, 999), r.member_name or ""))


def household_policies(session: Session, household_id: uuid.UUID, year: int) -> list[BenefitRow]:
    """The policies a household (and its members) received in `year`: what its 明白栏 lists."""
    return list_benefits(session, year=year, household_id=household_id)


@dataclass(frozen=True)
class BenefitTotals:
    year: int
    total_fen: int
    transfer_fen: int  # the part counted as 转移性收入
    by_type: dict[str, int]


def benefit_totals(session: Session, household_id: uuid.UUID, year: int) -> BenefitTotals:
    by_type: dict[str, int] = {}
    for row in household_policies(session, household_id, year):
        by_type[row.income_type] = by_type.get(row.income_type, 0) + row.amount_fen
    return BenefitTotals(year, sum(by_type.values()), by_type.get(INCOME_TRANSFER, 0), by_type)


def period_months(form: BenefitForm) -> int | None:
    return months_between(form.period_from, form.period_to)


@dataclass(frozen=True)
class Choice:
    id: uuid.UUID
    label: str


def household_choices(session: Session) -> list[Choice]:
    """Live households as "户编号 户主（户状态）", for pickers."""
    heads = dict(session.execute(select(Member.household_id, Member.name).where(
        Member.relation == RELATION_HEAD, live(Member))).all())
    rows = session.execute(select(Household.id, Household.number, Household.status).where(live(Household))
                           .order_by(Household.number)).all()
    return [Choice(hid, f"{number} {heads.get(hid, '')}（{status}）") for hid, number, status in rows]


def member_choices(session: Session, household_id: uuid.UUID) -> list[Choice]:
    """The household's present members, head first."""
    rows = session.execute(select(Member.id, Member.name, Member.relation, Member.birth_date).where(
        Member.household_id == household_id, live(Member))).all()
    rows = sorted(rows, key=lambda r: (r[2] != RELATION_HEAD, r[3]))
    return [Choice(mid, f"{name}（{relation}）") for mid, name, relation, _b in rows]
