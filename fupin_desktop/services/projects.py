"""项目资金台账: projects with fund sources and approval steps, spending checked against budget and
approval, acceptance, beneficiary households, assets formed (扶贫资产) and collective income.

Rules (domain.md §1.4, §2.15, §4.4): no spending before the decision steps of 四议两公开 / 一事一议
have dates, nor dated before the approval; spending above a source's budget only with a recorded
reason; a budget may not drop below what was spent from it; acceptance only after completion.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    Asset,
    CollectiveIncome,
    Household,
    Member,
    Project,
    ProjectBeneficiary,
    ProjectFund,
    ProjectSpending,
    ProjectStep,
)
from fupin_desktop.db.query import get_live, live, tombstone
from fupin_desktop.domain import clock, phone
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.notices import (
    APPROVAL_MODES,
    APPROVAL_STEPS,
    ASSET_KINDS,
    COLLECTIVE_INCOME_SOURCES,
    FUND_SOURCES,
    PROJECT_TYPES,
    BudgetLine,
    approved_on,
    budget_lines,
    missing_steps,
)
from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.errors import FieldError, InputError, NotFoundError, ValidationError
from fupin_desktop.services.due import DueItem, due_source
from fupin_desktop.services.village import assign, current_village

FIRST_YEAR = 2013
MAX_FEN = 10**12
ACCEPTANCE_DAYS = 30  # a completed project is due for acceptance within a month (local practice, configurable)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


# -- projects -------------------------------------------------------------------------------------

@dataclass
class FundForm:
    source: str
    amount_fen: int
    document: str | None = None


@dataclass
class StepForm:
    step: str
    held_on: date
    note: str | None = None


@dataclass
class ProjectForm:
    year: int
    type: str
    name: str
    approval_mode: str = "四议两公开"
    funds: list[FundForm] = field(default_factory=list)
    steps: list[StepForm] = field(default_factory=list)
    implementer: str | None = None
    contract_no: str | None = None
    contractor: str | None = None
    contract_fen: int | None = None
    contract_signed_on: date | None = None
    started_on: date | None = None
    completed_on: date | None = None
    poverty_link: str | None = None
    note: str | None = None


_PROJECT_FIELDS = ("year", "type", "approval_mode", "contract_fen", "contract_signed_on", "started_on",
                   "completed_on")
_PROJECT_TEXT = ("implementer", "contract_no", "contractor", "poverty_link", "note")


def check_project(form: ProjectForm, *, today: date | None = None) -> list[FieldError]:
    today = today or clock.today()
    errors: list[FieldError] = []
    if not form.name.strip():
        errors.append(FieldError("name", "项目名称不能为空"))
    if form.type not in PROJECT_TYPES:
        errors.append(FieldError("type", f"请选择项目类型（{'、'.join(PROJECT_TYPES)}）"))
    if form.approval_mode not in APPROVAL_MODES:
        errors.append(FieldError("approval_mode", f"决策程序应为：{'、'.join(APPROVAL_MODES)}"))
    if not FIRST_YEAR <= form.year <= today.year + 1:
        errors.append(FieldError("year", f"项目年度应在{FIRST_YEAR}—{today.year + 1}年之间"))
    if not form.funds:
        errors.append(FieldError("funds", "请至少填写一项资金来源和金额"))
    seen: set[str] = set()
    for f in form.funds:
        if f.source not in FUND_SOURCES:
            errors.append(FieldError("funds", f"资金来源“{f.source}”不在可选范围内（{'、'.join(FUND_SOURCES)}）"))
        elif f.source in seen:
            errors.append(FieldError("funds", f"资金来源“{f.source}”重复，每个来源填一行"))
        seen.add(f.source)
        if f.amount_fen < 0:
            errors.append(FieldError("funds", f"{f.source}金额不能为负数"))
        elif f.amount_fen >= MAX_FEN:
            errors.append(FieldError("funds", f"{f.source}金额过大，请检查单位（元）"))
    if form.contract_fen is not None and form.contract_fen < 0:
        errors.append(FieldError("contract_fen", "合同金额不能为负数"))
    steps = APPROVAL_STEPS.get(form.approval_mode, ())
    names = [s.step for s in form.steps]
    for s in form.steps:
        if s.step not in steps:
            errors.append(FieldError("steps", f"“{s.step}”不是{form.approval_mode}的步骤"))
        if s.held_on > today:
            errors.append(FieldError("steps", f"“{s.step}”的日期不能晚于今天"))
    if len(set(names)) < len(names):
        errors.append(FieldError("steps", "同一步骤填写了两次"))
    dated = sorted((steps.index(s.step), s.held_on, s.step) for s in form.steps if s.step in steps)
    for (_i, d1, s1), (_j, d2, s2) in zip(dated, dated[1:], strict=False):
        if d2 < d1:
            errors.append(FieldError("steps", f"“{s2}”（{d2}）不能早于前一步“{s1}”（{d1}）"))
    if form.started_on and form.completed_on and form.completed_on < form.started_on:
        errors.append(FieldError("completed_on", "完工日期不能早于开工日期"))
    if form.completed_on and form.completed_on > today:
        errors.append(FieldError("completed_on", "完工日期不能晚于今天"))
    held = {s.step: s.held_on for s in form.steps}
    approval = approved_on(form.approval_mode, held)
    if form.started_on and (approval is None or form.started_on < approval):
        missing = missing_steps(form.approval_mode, held)
        why = f"缺：{'、'.join(missing)}" if missing else f"审批通过于{approval}"
        errors.append(FieldError("started_on", f"项目须先完成{form.approval_mode}再开工（{why}）"))
    return errors


def save_project(session: Session, project_id: uuid.UUID | None, form: ProjectForm, *,
                 today: date | None = None, keep_notes: bool = False) -> uuid.UUID:
    """Create or edit a project with its fund sources and approval steps (both lists replaced).
    `keep_notes`: the steps keep the notes they have (the GUI's form has no field for them)."""
    if keep_notes and project_id is not None:
        notes = {s.step: s.note for s in get_project(session, project_id).steps}
        form.steps = [StepForm(s.step, s.held_on, notes.get(s.step)) for s in form.steps]
    errors = check_project(form, today=today)
    if project_id is not None:
        p = get_live(session, Project, project_id)
        spent = _spent_by_source(session, p.id)
        budget = {f.source: f.amount_fen for f in form.funds}
        for source, amount in spent.items():
            over_reason = session.scalar(select(func.count()).select_from(ProjectSpending).where(
                ProjectSpending.project_id == p.id, ProjectSpending.source == source,
                ProjectSpending.over_budget_reason.is_not(None), live(ProjectSpending)))
            if amount > budget.get(source, 0) and not over_reason:
                errors.append(FieldError("funds", f"{source}已支出{yuan(amount)}元，预算不能少于已支出金额"))
    if errors:
        raise ValidationError(errors)
    if project_id is None:
        p = Project(village_id=current_village(session).id, year=form.year, type=form.type, name=form.name.strip(),
                    approval_mode=form.approval_mode)
        session.add(p)
        session.flush()
    assign(p, "name", form.name.strip())
    for name in _PROJECT_FIELDS:
        assign(p, name, getattr(form, name))
    for name in _PROJECT_TEXT:
        assign(p, name, _text(getattr(form, name)))
    _replace(session, ProjectFund, p.id, "source", {f.source: dict(amount_fen=f.amount_fen, document=_text(f.document))
                                                     for f in form.funds})
    _replace(session, ProjectStep, p.id, "step", {s.step: dict(held_on=s.held_on, note=_text(s.note))
                                                   for s in form.steps})
    session.flush()
    return p.id


Child = TypeVar("Child", ProjectFund, ProjectStep)


def _replace(session: Session, model: type[Child], project_id: uuid.UUID, key: str,
             wanted: dict[str, dict[str, object]]) -> None:
    """Make the project's child rows match `wanted` (keyed by source or step), touching only changes."""
    existing = {getattr(r, key): r for r in session.scalars(select(model).where(model.project_id == project_id,
                                                                                  live(model)))}
    tombstone(session, *(row for name, row in existing.items() if name not in wanted))
    for name, values in wanted.items():
        row = existing.get(name)
        if row is None:
            session.add(model(project_id=project_id, **{key: name}, **values))
            continue
        for k, v in values.items():
            assign(row, k, v)



def _spent_by_source(session: Session, project_id: uuid.UUID) -> dict[str, int]:
    return dict(session.execute(select(ProjectSpending.source, func.sum(ProjectSpending.amount_fen)).where(
        ProjectSpending.project_id == project_id, live(ProjectSpending)).group_by(ProjectSpending.source)).all())


def _held(session: Session, project_id: uuid.UUID) -> dict[str, date | None]:
    return dict(session.execute(select(ProjectStep.step, ProjectStep.held_on).where(
        ProjectStep.project_id == project_id, live(ProjectStep))).all())


@dataclass
class SpendingForm:
    source: str
    paid_on: date
    amount_fen: int
    payee: str | None = None
    purpose: str | None = None
    voucher: str | None = None
    over_budget_reason: str | None = None


def add_spending(session: Session, project_id: uuid.UUID, form: SpendingForm, *,
                 today: date | None = None) -> uuid.UUID:
    """Record a payment. Refused before approval, and above the source's budget without a reason."""
    today = today or clock.today()
    p = get_live(session, Project, project_id)
    errors: list[FieldError] = []
    if form.amount_fen <= 0:
        errors.append(FieldError("amount", "支出金额应大于0" if form.amount_fen == 0 else "支出金额不能为负数"))
    if form.paid_on > today:
        errors.append(FieldError("paid_on", "支出日期不能晚于今天"))
    held = _held(session, p.id)
    approval = approved_on(p.approval_mode, held)
    if approval is None:
        missing = "、".join(missing_steps(p.approval_mode, held))
        errors.append(FieldError("paid_on", f"项目尚未完成{p.approval_mode}（缺：{missing}），不能登记支出"))
    elif form.paid_on < approval:
        errors.append(FieldError("paid_on", f"支出日期不能早于项目审批通过日期（{approval}）"))
    budget = dict(session.execute(select(ProjectFund.source, ProjectFund.amount_fen).where(
        ProjectFund.project_id == p.id, live(ProjectFund))).all())
    if form.source not in FUND_SOURCES:
        errors.append(FieldError("source", f"资金来源“{form.source}”不在可选范围内"))
    spent = _spent_by_source(session, p.id).get(form.source, 0)
    over = spent + max(form.amount_fen, 0) - budget.get(form.source, 0)
    if over > 0 and not _text(form.over_budget_reason) and form.source in FUND_SOURCES:
        where = f"超出{form.source}预算{yuan(over)}元" if form.source in budget else f"{form.source}没有预算"
        errors.append(FieldError("over_budget_reason", f"{where}，须填写超预算原因（如追加预算文号）"))
    if errors:
        raise ValidationError(errors)
    row = ProjectSpending(project_id=p.id, source=form.source, paid_on=form.paid_on, amount_fen=form.amount_fen,
                          payee=_text(form.payee), purpose=_text(form.purpose), voucher=_text(form.voucher),
                          over_budget_reason=_text(form.over_budget_reason) if over > 0 else None)
    session.add(row)
    session.flush()
    return row.id


def delete_spending(session: Session, spending_id: uuid.UUID) -> None:
    tombstone(session, get_live(session, ProjectSpending, spending_id))


def accept_project(session: Session, project_id: uuid.UUID, accepted_on: date, accepted_by: str,
                   note: str | None = None, *, today: date | None = None) -> None:
    """验收: only a completed project, on or after completion, not in the future."""
    today = today or clock.today()
    p = get_live(session, Project, project_id)
    errors = []
    if p.completed_on is None:
        errors.append(FieldError("accepted_on", "项目尚未完工，不能验收；请先填写完工日期"))
    elif accepted_on < p.completed_on:
        errors.append(FieldError("accepted_on", f"验收日期不能早于完工日期（{p.completed_on}）"))
    if accepted_on > today:
        errors.append(FieldError("accepted_on", "验收日期不能晚于今天"))
    if not accepted_by.strip():
        errors.append(FieldError("accepted_by", "请填写验收单位或验收人"))
    if errors:
        raise ValidationError(errors)
    assign(p, "accepted_on", accepted_on)
    assign(p, "accepted_by", accepted_by.strip())
    assign(p, "acceptance_note", _text(note))


def set_beneficiaries(session: Session, project_id: uuid.UUID, beneficiaries: dict[uuid.UUID, str | None]) -> None:
    """The households the project benefits (household id → how), replacing the list."""
    p = get_live(session, Project, project_id)
    live_ids = set(session.scalars(select(Household.id).where(Household.id.in_(beneficiaries), live(Household))))
    if live_ids != set(beneficiaries):
        raise ValidationError([FieldError("beneficiaries", "受益户名单中有已删除或不存在的农户")])
    existing = {r.household_id: r for r in session.scalars(select(ProjectBeneficiary).where(
        ProjectBeneficiary.project_id == p.id, live(ProjectBeneficiary)))}
    tombstone(session, *(row for hid, row in existing.items() if hid not in beneficiaries))
    for hid, how in beneficiaries.items():
        row = existing.get(hid)
        if row is None:
            session.add(ProjectBeneficiary(project_id=p.id, household_id=hid, benefit=_text(how)))
        else:
            assign(row, "benefit", _text(how))
    session.flush()


# -- assets and collective income ---------------------------------------------------------------------

@dataclass
class AssetForm:
    name: str
    kind: str
    value_fen: int
    owner: str
    project_id: uuid.UUID | None = None
    confirmed_on: date | None = None
    custodian: str | None = None
    custodian_phone: str | None = None
    operator: str | None = None
    location: str | None = None
    note: str | None = None


def save_asset(session: Session, asset_id: uuid.UUID | None, form: AssetForm) -> uuid.UUID:
    errors = []
    if not form.name.strip():
        errors.append(FieldError("name", "资产名称不能为空"))
    if form.kind not in ASSET_KINDS:
        errors.append(FieldError("kind", f"资产类别应为：{'、'.join(ASSET_KINDS)}"))
    if form.value_fen < 0:
        errors.append(FieldError("value", "资产金额不能为负数"))
    if not form.owner.strip():
        errors.append(FieldError("owner", "请填写产权归属（确权到谁）"))
    number = None
    if form.custodian_phone and form.custodian_phone.strip():
        try:
            number = phone.validate(form.custodian_phone)
        except InputError as e:
            errors.append(FieldError("custodian_phone", str(e)))
    if form.project_id is not None:
        try:
            get_live(session, Project, form.project_id)
        except NotFoundError:
            errors.append(FieldError("project", "所属项目不存在或已删除"))
    if errors:
        raise ValidationError(errors)
    if asset_id is None:
        a = Asset(village_id=current_village(session).id, name=form.name.strip(), kind=form.kind,
                  value_fen=form.value_fen, owner=form.owner.strip())
        session.add(a)
    else:
        a = get_live(session, Asset, asset_id)
    for name in ("kind", "value_fen", "project_id", "confirmed_on"):
        assign(a, name, getattr(form, name))
    assign(a, "name", form.name.strip())
    assign(a, "owner", form.owner.strip())
    assign(a, "custodian_phone", number)
    for name in ("custodian", "operator", "location", "note"):
        assign(a, name, _text(getattr(form, name)))
    session.flush()
    return a.id


@dataclass
class CollectiveIncomeForm:
    year: int
    source: str
    amount_fen: int
    asset_id: uuid.UUID | None = None
    received_on: date | None = None
    distribution: str | None = None
    note: str | None = None


def save_collective_income(session: Session, income_id: uuid.UUID | None, form: CollectiveIncomeForm, *,
                           today: date | None = None) -> uuid.UUID:
    today = today or clock.today()
    errors = []
    if form.source not in COLLECTIVE_INCOME_SOURCES:
        errors.append(FieldError("source", f"收入来源应为：{'、'.join(COLLECTIVE_INCOME_SOURCES)}"))
    if form.amount_fen < 0:
        errors.append(FieldError("amount", "金额不能为负数"))
    if not FIRST_YEAR <= form.year <= today.year:
        errors.append(FieldError("year", f"年度应在{FIRST_YEAR}—{today.year}年之间"))
    if form.received_on and form.received_on > today:
        errors.append(FieldError("received_on", "到账日期不能晚于今天"))
    if errors:
        raise ValidationError(errors)
    if income_id is None:
        row = CollectiveIncome(village_id=current_village(session).id, year=form.year, source=form.source,
                               amount_fen=form.amount_fen)
        session.add(row)
    else:
        row = get_live(session, CollectiveIncome, income_id)
    for name in ("year", "source", "amount_fen", "asset_id", "received_on"):
        assign(row, name, getattr(form, name))
    for name in ("distribution", "note"):
        assign(row, name, _text(getattr(form, name)))
    session.flush()
    return row.id


# -- reading ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpendingRow:
    id: uuid.UUID
    source: str
    paid_on: date
    amount_fen: int
    payee: str | None
    purpose: str | None
    voucher: str | None
    over_budget_reason: str | None


@dataclass(frozen=True)
class AssetRow:
    id: uuid.UUID
    project_id: uuid.UUID | None
    project: str | None
    name: str
    kind: str
    value_fen: int
    owner: str
    confirmed_on: date | None
    custodian: str | None
    custodian_phone: str | None
    operator: str | None
    location: str | None
    note: str | None
    income_fen: int  # collective income recorded from it, all years


@dataclass(frozen=True)
class ProjectRow:
    id: uuid.UUID
    year: int
    type: str
    name: str
    approval_mode: str
    approved_on: date | None
    budget_fen: int
    spent_fen: int
    status: str
    beneficiaries: int
    assets: int
    accepted_on: date | None
    completed_on: date | None


@dataclass(frozen=True)
class ProjectDetail:
    row: ProjectRow
    form: ProjectForm
    budget: tuple[BudgetLine, ...]
    steps: tuple[StepForm, ...]
    missing_steps: tuple[str, ...]
    spending: tuple[SpendingRow, ...]
    beneficiaries: tuple[tuple[uuid.UUID, str, str | None], ...]  # (household id, "第0001户 张三", how)
    assets: tuple[AssetRow, ...]
    accepted_by: str | None
    acceptance_note: str | None


def _status(p: Project, approval: date | None, spent: int) -> str:
    if p.accepted_on:
        return "已验收"
    if p.completed_on:
        return "已完工待验收"
    if p.started_on or spent:
        return "实施中"
    return "已审批" if approval else "审批中"


def list_projects(session: Session, *, year: int | None = None) -> list[ProjectRow]:
    q = select(Project).where(live(Project))
    if year is not None:
        q = q.where(Project.year == year)
    projects = session.scalars(q).all()
    ids = [p.id for p in projects]
    budgets = dict(session.execute(select(ProjectFund.project_id, func.sum(ProjectFund.amount_fen)).where(
        ProjectFund.project_id.in_(ids), live(ProjectFund)).group_by(ProjectFund.project_id)).all())
    spent = dict(session.execute(select(ProjectSpending.project_id, func.sum(ProjectSpending.amount_fen)).where(
        ProjectSpending.project_id.in_(ids), live(ProjectSpending)).group_by(ProjectSpending.project_id)).all())
    pb = ProjectBeneficiary
    benef = dict(session.execute(select(pb.project_id, func.count()).where(
        pb.project_id.in_(ids), live(pb)).group_by(pb.project_id)).all())
    assets = dict(session.execute(select(Asset.project_id, func.count()).where(
        Asset.project_id.in_(ids), live(Asset)).group_by(Asset.project_id)).all())
    steps: dict[uuid.UUID, dict[str, date | None]] = {}
    for pid, step, held_on in session.execute(select(ProjectStep.project_id, ProjectStep.step, ProjectStep.held_on)
                                              .where(ProjectStep.project_id.in_(ids), live(ProjectStep))):
        steps.setdefault(pid, {})[step] = held_on
    rows = []
    for p in projects:
        approval = approved_on(p.approval_mode, steps.get(p.id, {}))
        rows.append(ProjectRow(p.id, p.year, p.type, p.name, p.approval_mode, approval, budgets.get(p.id, 0) or 0,
                               spent.get(p.id, 0) or 0, _status(p, approval, spent.get(p.id, 0) or 0),
                               benef.get(p.id, 0), assets.get(p.id, 0), p.accepted_on, p.completed_on))
    return sorted(rows, key=lambda r: (-r.year, r.name))


def get_project(session: Session, project_id: uuid.UUID) -> ProjectDetail:
    p = get_live(session, Project, project_id)
    row = next(r for r in list_projects(session) if r.id == p.id)
    funds = session.scalars(select(ProjectFund).where(ProjectFund.project_id == p.id, live(ProjectFund))).all()
    order = {s: i for i, s in enumerate(FUND_SOURCES)}
    funds = sorted(funds, key=lambda f: order.get(f.source, 99))
    steps_order = APPROVAL_STEPS.get(p.approval_mode, ())
    steps = sorted(session.scalars(select(ProjectStep).where(ProjectStep.project_id == p.id, live(ProjectStep))),
                   key=lambda s: steps_order.index(s.step) if s.step in steps_order else 99)
    spending = session.scalars(select(ProjectSpending).where(ProjectSpending.project_id == p.id,
                                                             live(ProjectSpending)).order_by(ProjectSpending.paid_on))
    spend_rows = tuple(SpendingRow(s.id, s.source, s.paid_on, s.amount_fen, s.payee, s.purpose, s.voucher,
                                   s.over_budget_reason) for s in spending)
    step_forms = tuple(StepForm(s.step, s.held_on, s.note) for s in steps)
    form = ProjectForm(p.year, p.type, p.name, p.approval_mode,
                       [FundForm(f.source, f.amount_fen, f.document) for f in funds], list(step_forms),
                       **{k: getattr(p, k) for k in ("implementer", "contract_no", "contractor", "contract_fen",
                                                      "contract_signed_on", "started_on", "completed_on",
                                                      "poverty_link", "note")})
    benef = session.execute(select(ProjectBeneficiary.household_id, Household.number, ProjectBeneficiary.benefit)
                            .join(Household, Household.id == ProjectBeneficiary.household_id)
                            .where(ProjectBeneficiary.project_id == p.id, live(ProjectBeneficiary))
                            .order_by(Household.number)).all()
    heads = dict(session.execute(select(Member.household_id, Member.name).where(
        Member.household_id.in_([b[0] for b in benef]), Member.relation == RELATION_HEAD, live(Member))).all())
    return ProjectDetail(
        row=row, form=form,
        budget=tuple(budget_lines([(f.source, f.amount_fen) for f in funds],
                                  [(s.source, s.amount_fen) for s in spend_rows])),
        steps=step_forms, missing_steps=tuple(missing_steps(p.approval_mode, {s.step: s.held_on for s in steps})),
        spending=spend_rows,
        beneficiaries=tuple((hid, household_name(number, heads.get(hid), brackets=False), how)
                            for hid, number, how in benef),
        assets=tuple(a for a in list_assets(session) if a.project_id == p.id),
        accepted_by=p.accepted_by, acceptance_note=p.acceptance_note)


def list_assets(session: Session) -> list[AssetRow]:
    income = dict(session.execute(select(CollectiveIncome.asset_id, func.sum(CollectiveIncome.amount_fen)).where(
        CollectiveIncome.asset_id.is_not(None), live(CollectiveIncome)).group_by(CollectiveIncome.asset_id)).all())
    rows = session.execute(select(Asset, Project.name).outerjoin(Project, Project.id == Asset.project_id)
                           .where(live(Asset)).order_by(Asset.created_at)).all()
    return [AssetRow(a.id, a.project_id, pname, a.name, a.kind, a.value_fen, a.owner, a.confirmed_on, a.custodian,
                     a.custodian_phone, a.operator, a.location, a.note, income.get(a.id, 0) or 0)
            for a, pname in rows]


@dataclass(frozen=True)
class CollectiveIncomeRow:
    id: uuid.UUID
    year: int
    source: str
    amount_fen: int
    asset: str | None
    received_on: date | None
    distribution: str | None
    note: str | None


def list_collective_income(session: Session, *, year: int | None = None) -> list[CollectiveIncomeRow]:
    q = (select(CollectiveIncome, Asset.name).outerjoin(Asset, Asset.id == CollectiveIncome.asset_id)
         .where(live(CollectiveIncome)))
    if year is not None:
        q = q.where(CollectiveIncome.year == year)
    order = {s: i for i, s in enumerate(COLLECTIVE_INCOME_SOURCES)}
    rows = [CollectiveIncomeRow(c.id, c.year, c.source, c.amount_fen, name, c.received_on, c.distribution, c.note)
            for c, name in session.execute(q)]
    return sorted(rows, key=lambda r: (-r.year, order.get(r.source, 99), r.received_on or date.min))


def collective_income_by_source(session: Session, year: int) -> dict[str, int]:
    """村集体经济收入 of `year` by source (fen), in the order of COLLECTIVE_INCOME_SOURCES."""
    totals: dict[str, int] = {}
    for r in list_collective_income(session, year=year):
        totals[r.source] = totals.get(r.source, 0) + r.amount_fen
    return totals


@due_source
def _projects_due(session: Session, today: date) -> list[DueItem]:
    """Completed projects waiting for acceptance (验收), due a month after completion."""
    return [DueItem("项目", f"项目已完工待验收：{r.name}", r.completed_on + timedelta(days=ACCEPTANCE_DAYS))
            for r in list_projects(session) if r.status == "已完工待验收" and r.completed_on]
