"""What the 同步 page (and `fupin sync status`-like commands) show, and the clerk's conflict picks."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fupin_desktop.db.session import Database
from fupin_desktop.sync.county import (
    ConflictRow,
    is_county,
    list_conflicts,
    local_status,
    resolve_conflict,
    village_status,
)
from fupin_desktop.sync.importer import ImportReport, import_confirmed
from fupin_desktop.sync.keys import ensure_keys
from fupin_desktop.sync.trust import PendingSender, pending_senders, trust_key


@dataclass(frozen=True)
class SyncOverview:
    county: bool  # county mode: villages and senders waiting; else what this village sent
    fingerprint: str  # this computer's key, read out over the phone
    villages: list[Any] = field(default_factory=list)
    local: Any = None
    conflicts: list[ConflictRow] = field(default_factory=list)
    pending: list[PendingSender] = field(default_factory=list)


def sync_overview(db: Database) -> SyncOverview:
    keys = ensure_keys(db)
    county = is_county(db)
    with db.reading() as s:
        return SyncOverview(county=county, fingerprint=keys.fingerprint,
                            villages=village_status(s) if county else [], local=None if county else local_status(s),
                            conflicts=list_conflicts(s), pending=pending_senders(s) if county else [])


def resolve_picks(db: Database, picks: Sequence[tuple[ConflictRow, int]]) -> int:
    """Resolve each conflict with the value the clerk picked (1-based): a field takes that value; a
    delete against an update keeps the record unless the delete was picked. Returns how many."""
    for c, i in picks:
        if c.kind == "field":
            resolve_conflict(db, c.id, pick=i)
        else:
            resolve_conflict(db, c.id, keep=c.values[i - 1].value != "删除")
    return len(picks)


def confirm_sender(db: Database, fingerprint: str, *, replace: bool = False) -> ImportReport | None:
    """The clerk has checked a computer's fingerprint over the phone: trust its key (`replace`: and
    retire the village's other keys), then import the bundles it sent that were held unopened."""
    trust_key(db, fingerprint, replace=replace)
    return import_confirmed(db)
