"""What the GUI's dialogs read before they open, one read each (run through DbOps, reusable by the
CLI and tests): a household's details, the household editor's choices, a ledger problem's form,
a visit's form."""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fupin_desktop.domain.rows import HistoryRow, HouseholdDetail
from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.services.benefits import BenefitRow, list_benefits
from fupin_desktop.services.history import household_history
from fupin_desktop.services.households import get_household, next_number
from fupin_desktop.services.ledger import LedgerRow
from fupin_desktop.services.loans import LoanRow, list_loans
from fupin_desktop.services.reference import attribute_names, cause_names
from fupin_desktop.services.relocation import RelocationRow, list_relocations
from fupin_desktop.services.village import cadre_ids, current_village, group_names
from fupin_desktop.services.visits import (
    HouseholdChoice,
    VisitDetail,
    VisitHistoryRow,
    get_visit,
    household_choice,
    household_visits,
    serving_cadres,
)


@dataclass(frozen=True)
class HouseholdView:
    """A household with the names of the codes it uses (户属性, 致贫原因) and its history."""

    detail: HouseholdDetail
    attribute_names: dict[str, str]
    cause_names: dict[str, str]
    history: tuple[HistoryRow, ...] = ()
    benefits: tuple[BenefitRow, ...] = ()  # 享受政策, newest year first
    visits: tuple[VisitHistoryRow, ...] = ()
    relocation: RelocationRow | None = None  # 易地扶贫搬迁
    loans: tuple[LoanRow, ...] = ()  # 扶贫小额信贷, repaid ones too

    @property
    def head_name(self) -> str:
        return next((m.name for m in self.detail.members if m.relation == RELATION_HEAD), "")


def load_household(session: Session, household_id: uuid.UUID) -> HouseholdView:
    """The 户详情 dialog: the household, its history, benefits, visits, relocation and loans."""
    return HouseholdView(get_household(session, household_id), attribute_names(session), cause_names(session),
                         tuple(household_history(session, household_id)),
                         tuple(list_benefits(session, household_id=household_id)),
                         tuple(household_visits(session, household_id)),
                         next(iter(list_relocations(session, household_id=household_id)), None),
                         tuple(list_loans(session, household_id=household_id)))


@dataclass(frozen=True)
class EditorData:
    """What the editor needs from the database: the household (None for a new one) and the choices."""

    detail: HouseholdDetail | None
    groups: list[str]
    helpers: list[str]
    causes: dict[str, str]
    attributes: dict[str, str]
    next_number: str = ""  # the village's next free 户编号, shown as the example


def load_editor(session: Session, household_id: uuid.UUID | None) -> EditorData:
    """The household editor: the household (None: a new one) and the choices it offers."""
    detail = get_household(session, household_id) if household_id is not None else None
    return EditorData(detail=detail, groups=group_names(session),
                      helpers=sorted(cadre_ids(session, current_village(session).id)),
                      causes=cause_names(session), attributes=attribute_names(session),
                      next_number=next_number(session))


@dataclass(frozen=True)
class LedgerDialogData:
    cadres: list[tuple[uuid.UUID, str, str]]
    row: LedgerRow | None


def load_ledger_dialog(session: Session, row: LedgerRow | None = None) -> LedgerDialogData:
    return LedgerDialogData(serving_cadres(session), row)


@dataclass(frozen=True)
class VisitFormData:
    cadres: list[tuple[uuid.UUID, str, str]]
    household: HouseholdChoice | None
    detail: VisitDetail | None


def load_visit_form(session: Session, *, household_id: uuid.UUID | None = None,
                    visit_id: uuid.UUID | None = None) -> VisitFormData:
    detail = get_visit(session, visit_id) if visit_id else None
    target = detail.household_id if detail else household_id
    return VisitFormData(serving_cadres(session), household_choice(session, target) if target else None, detail)
