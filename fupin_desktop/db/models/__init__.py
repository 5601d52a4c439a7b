"""All ORM models; importing this package registers every table on Base.metadata."""

from fupin_desktop.db.models.geography import County, Township, Village, VillageIncome, VillagerGroup
from fupin_desktop.db.models.household import Household, HouseholdIncome, Member
from fupin_desktop.db.models.people import Cadre
from fupin_desktop.db.models.reference import (
    AssistanceStandard,
    Cause,
    HouseholdAttribute,
    MeasureType,
    PovertyLine,
)
from fupin_desktop.db.models.sync_log import ChangeLog, Replica, SyncBundle, SyncConflict, SyncPending

__all__ = [
    "AssistanceStandard", "Cadre", "Cause", "ChangeLog", "County", "Household", "HouseholdAttribute",
    "HouseholdIncome", "MeasureType", "Member", "PovertyLine", "Replica", "SyncBundle", "SyncConflict", "SyncPending",
    "Township",
    "Village", "VillageIncome", "VillagerGroup",
]
