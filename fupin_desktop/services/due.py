"""Work that is due (首页 待办): every feature contributes its own items through one registry.

A source is `f(session, today) -> list[DueItem]`; add it with `@due_source`. The home page and
`fupin due` show what all sources return, overdue first, then by date.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Household
from fupin_desktop.db.query import live
from fupin_desktop.domain import clock
from fupin_desktop.domain.vocab import REGISTERED_STATUSES

DueSource = Callable[[Session, date], "list[DueItem]"]
_SOURCES: list[DueSource] = []
# The features with sources, which register them by being imported: on the first call of
# `due_items` (on the home page's worker thread), not when the program starts.
_FEATURES = ("monitoring", "plans", "notices", "projects", "board", "ledger", "visits", "exits", "relocation",
             "loans")


@dataclass(frozen=True)
class DueItem:
    kind: str  # what sort of work, shown as the first column: 帮扶计划, 走访, 台账, 档案 …
    title: str  # one line a first secretary understands: "12户建档立卡户未指定帮扶责任人"
    due: date | None = None  # None: no date, do it when convenient
    household_id: UUID | None = None  # to open the household from the list
    count: int = 1  # how many records the item stands for

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def due_source(func_: DueSource) -> DueSource:
    """Register a source of due items (a decorator)."""
    _SOURCES.append(func_)
    return func_


def due_items(session: Session, today: date | None = None) -> list[DueItem]:
    """Everything due, overdue first, then dated items by date, then the rest."""
    day = today or clock.today()
    for feature in _FEATURES:
        importlib.import_module(f"fupin_desktop.services.{feature}")
    items = [item for source in _SOURCES for item in source(session, day)]
    return sorted(items, key=lambda i: (not i.overdue(day), i.due is None, i.due or day, i.kind))


@due_source
def _households_without_helper(session: Session, today: date) -> list[DueItem]:
    """Every registered household needs a 帮扶责任人 (domain.md §1)."""
    n = session.scalar(select(func.count()).select_from(Household).where(
        live(Household), Household.status.in_(REGISTERED_STATUSES), Household.helper_id.is_(None)))
    return [DueItem("档案", f"{n}户建档立卡户未指定帮扶责任人", count=n)] if n else []

