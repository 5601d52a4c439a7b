"""扶贫小额信贷 register (domain.md §2.12): loans of ≤ 5万元 for ≤ 3 years to a household member, the
plan measure that funds it, the quarterly follow-up, and loans due within 90 days as a due list."""

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from fupin_desktop.db.models import AssistancePlan, Household, Member, MicroLoan, PlanMeasure
from fupin_desktop.db.query import get_live, live
from fupin_desktop.domain import clock
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.money import yuan_whole
from fupin_desktop.domain.plan_rules import CREDIT_CODES
from fupin_desktop.domain.registers import DUE_SOON_DAYS, FOLLOW_UP_DAYS, LoanForm, check_loan, loan_due
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError
from fupin_desktop.services.due import DueItem, due_source


@dataclass(frozen=True)
class LoanRow:
    id: uuid.UUID
    household_id: uuid.UUID
    household_number: str
    head_name: str
    form: LoanForm  # due date filled in
    measure: str | None  # the plan measure that funds it, as 2026年 产业扶贫贷款

    def days_left(self, today: date) -> int:
        return (loan_due(self.form) - today).days


_COLUMNS = ("bank", "amount_fen", "term_months", "rate_bp", "lent_on", "subsidy_bp", "use_kind", "use", "due_on",
            "repaid_on", "followed_up_on", "note")


def _borrower(session: Session, household_id: uuid.UUID, name: str) -> uuid.UUID:
    names = {n: i for n, i in session.execute(select(Member.name, Member.id).where(
        Member.household_id == household_id, live(Member)))}
    if name.strip() not in names:
        raise ValidationError([FieldError("borrower", f"借款人“{name.strip()}”不是本户成员"
                                                      + (f"（本户成员：{'、'.join(names)}）" if names else ""))])
    return names[name.strip()]


def _measure(session: Session, household_id: uuid.UUID, hex_id: str | None, year: int) -> uuid.UUID | None:
    """The plan measure that funds the loan: the one given, else the household's only 扶贫小额信贷 measure
    in its plan of the loan's year (none or several: left open)."""
    if not hex_id:
        found = session.scalars(select(PlanMeasure.id).join(AssistancePlan, PlanMeasure.plan_id == AssistancePlan.id)
                                .where(AssistancePlan.household_id == household_id, AssistancePlan.year == year,
                                       live(AssistancePlan), live(PlanMeasure),
                                       PlanMeasure.type_code.in_(CREDIT_CODES))).all()
        return found[0] if len(found) == 1 else None
    try:
        mid = uuid.UUID(hex_id)
    except ValueError:
        raise ValidationError([FieldError("measure", "帮扶措施的编号不对")]) from None
    owner = session.scalar(select(AssistancePlan.household_id)
                           .join(PlanMeasure, PlanMeasure.plan_id == AssistancePlan.id)
                           .where(PlanMeasure.id == mid, live(PlanMeasure)))
    if owner != household_id:
        raise ValidationError([FieldError("measure", "所选帮扶措施不属于本户的帮扶计划")])
    return mid


def save_loan(session: Session, household_id: uuid.UUID, form: LoanForm, loan_id: uuid.UUID | None = None, *,
              today: date | None = None) -> uuid.UUID:
    """Add a loan (or change one); a loan above 5万, longer than 3 years … is refused whole with the rule."""
    today = today or clock.today()
    h = get_live(session, Household, household_id)
    errors = check_loan(form, today)
    if errors:
        raise ValidationError(errors)
    borrower = _borrower(session, h.id, form.borrower)
    measure = _measure(session, h.id, form.measure_id, form.lent_on.year)
    form = replace(form, bank=form.bank.strip(), due_on=loan_due(form), use=(form.use or "").strip() or None,
                   note=(form.note or "").strip() or None)
    values = {k: getattr(form, k) for k in _COLUMNS} | {"borrower_id": borrower, "measure_id": measure}
    if loan_id is None:
        row = MicroLoan(household_id=h.id, **values)
        session.add(row)
        session.flush()
        return row.id
    row = get_live(session, MicroLoan, loan_id)
    if row.household_id != h.id:
        raise NotFoundError(f"这笔贷款不属于{household_name(h.number)}，请刷新")
    for k, v in values.items():
        if getattr(row, k) != v:
            setattr(row, k, v)
    return row.id



def record_repaid(session: Session, loan_id: uuid.UUID, on: date, *, today: date | None = None) -> None:
    row = get_live(session, MicroLoan, loan_id)
    if on > (today or clock.today()) or on < row.lent_on:
        raise ValidationError([FieldError("repaid_on", f"还款日期应在放贷日期{row.lent_on:%Y-%m-%d}和今天之间")])
    row.repaid_on = on


def record_follow_up(session: Session, loan_id: uuid.UUID, on: date, note: str | None = None, *,
                     today: date | None = None) -> None:
    """按季进行贷后跟踪调查: the date of the latest visit (and what was found, appended to the note)."""
    row = get_live(session, MicroLoan, loan_id)
    if on > (today or clock.today()) or on < row.lent_on:
        raise ValidationError([FieldError("followed_up_on", f"跟踪日期应在放贷日期{row.lent_on:%Y-%m-%d}和今天之间")])
    row.followed_up_on = on
    if note and note.strip():
        row.note = "\n".join(x for x in (row.note, f"{on:%Y-%m-%d} 贷后跟踪：{note.strip()}") if x)


def list_loans(session: Session, *, household_id: uuid.UUID | None = None, due_within: int | None = None,
               include_repaid: bool = True, today: date | None = None) -> list[LoanRow]:
    """Loans by due date. `due_within`: only those not repaid and due within that many days (or overdue)."""
    today = today or clock.today()
    borrower = aliased(Member)
    head = (select(Member.name).where(Member.household_id == Household.id, Member.relation == "户主",
                                      live(Member)).limit(1).scalar_subquery())
    wanted = [live(MicroLoan), live(Household)]
    if household_id is not None:
        wanted.append(MicroLoan.household_id == household_id)
    if due_within is not None:
        wanted += [MicroLoan.repaid_on.is_(None), MicroLoan.due_on <= today + timedelta(days=due_within)]
    elif not include_repaid:
        wanted.append(MicroLoan.repaid_on.is_(None))
    rows = session.execute(
        select(MicroLoan, Household.number, head, borrower.name, AssistancePlan.year, PlanMeasure.type_name)
        .join(Household, Household.id == MicroLoan.household_id).join(borrower, borrower.id == MicroLoan.borrower_id)
        .outerjoin(PlanMeasure, PlanMeasure.id == MicroLoan.measure_id)
        .outerjoin(AssistancePlan, AssistancePlan.id == PlanMeasure.plan_id)
        .where(*wanted).order_by(MicroLoan.due_on, Household.number))
    return [LoanRow(r.id, r.household_id, number, h or "",
                    LoanForm(borrower=name, measure_id=r.measure_id.hex if r.measure_id else None,
                             **{k: getattr(r, k) for k in _COLUMNS}),
                    f"{year}年 {measure}" if measure else None)
            for r, number, h, name, year, measure in rows]


def outstanding_by_household(session: Session, household_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[LoanRow]]:
    """Loans not repaid of these households (for the 明白卡: a loan is not a benefit received)."""
    wanted = set(household_ids)
    out: dict[uuid.UUID, list[LoanRow]] = {}
    for r in list_loans(session, include_repaid=False):
        if r.household_id in wanted:
            out.setdefault(r.household_id, []).append(r)
    return out


@due_source
def _loans_due(session: Session, today: date) -> list[DueItem]:
    """Loans due within 90 days, each one; loans whose quarterly follow-up is late, as one item."""
    items = [DueItem("小额信贷", f"{r.household_number} {r.form.borrower}：{r.form.bank}贷款"
                                 f"{yuan_whole(r.form.amount_fen)}元到期", r.form.due_on, r.household_id)
             for r in list_loans(session, due_within=DUE_SOON_DAYS, today=today)]
    late = today - timedelta(days=FOLLOW_UP_DAYS)
    n = session.scalar(select(func.count()).select_from(MicroLoan).join(Household).where(
        live(MicroLoan), live(Household), MicroLoan.repaid_on.is_(None),
        MicroLoan.lent_on <= late,
        (MicroLoan.followed_up_on.is_(None)) | (MicroLoan.followed_up_on < late))) or 0
    if n:
        items.append(DueItem("小额信贷", f"{n}笔贷款超过一个季度未做贷后跟踪调查", count=n))
    return items


def short_code(loan_id: uuid.UUID) -> str:
    """The loan's number as people read it: the last 8 hex digits of its id (the random part of a uuid7;
    the first ones are a timestamp, the same for loans entered together)."""
    return loan_id.hex[-8:]


def loan_by_code(session: Session, text: str) -> uuid.UUID:
    """The loan whose id ends with these hex digits (`short_code`, or more of the id)."""
    code = text.strip().lower().replace("-", "")
    if len(code) < 6 or any(c not in "0123456789abcdef" for c in code):
        raise NotFoundError("请写出贷款编号（fupin loans 列表第一列，至少6位）")
    found = [i for i in session.scalars(select(MicroLoan.id).where(live(MicroLoan)))
             if i.hex.endswith(code)]
    if len(found) != 1:
        raise NotFoundError(f"编号为“{code}”的贷款{'不止一笔，请写完整编号' if found else '不存在'}")
    return found[0]
