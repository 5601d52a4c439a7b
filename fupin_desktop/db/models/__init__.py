"""All ORM models; importing this package registers every table on Base.metadata."""

from fupin_desktop.db.models.accounts import AccountEvent, LocalSetting, UserAccount
from fupin_desktop.db.models.benefits import Benefit, BoardPosting
from fupin_desktop.db.models.geography import County, Township, Village, VillageIncome, VillagerGroup
from fupin_desktop.db.models.household import Household, HouseholdIncome, Member
from fupin_desktop.db.models.notices import Notice, NoticeItem, NoticeObjection, NoticeVersion
from fupin_desktop.db.models.people import Cadre
from fupin_desktop.db.models.plan import (
    AssistancePlan,
    ExitProcedure,
    ExitStep,
    MeasureProgress,
    MonitoringSettings,
    PlanMeasure,
    RiskCase,
)
from fupin_desktop.db.models.projects import (
    Asset,
    CollectiveIncome,
    Project,
    ProjectBeneficiary,
    ProjectFund,
    ProjectSpending,
    ProjectStep,
)
from fupin_desktop.db.models.reference import (
    AssistanceStandard,
    Cause,
    HouseholdAttribute,
    MeasureType,
    Policy,
    PovertyLine,
)
from fupin_desktop.db.models.registers import MicroLoan, Relocation, VillageExitItem
from fupin_desktop.db.models.sync_log import (
    ChangeLog,
    RejectedChange,
    Replica,
    SyncBundle,
    SyncConflict,
    SyncPending,
    TrustedKey,
)
from fupin_desktop.db.models.visits import (
    Attachment,
    AttachmentLink,
    LeaveRecord,
    LedgerItem,
    PresenceDay,
    Visit,
    VisitMeasure,
    VisitRuleRow,
    VisitVisitor,
)

__all__ = [
    "AssistancePlan", "ExitProcedure", "ExitStep", "MeasureProgress", "MonitoringSettings", "PlanMeasure",
    "RiskCase",
    "Asset", "Benefit", "BoardPosting", "CollectiveIncome", "Notice", "NoticeItem", "NoticeObjection",
    "NoticeVersion", "Policy", "Project", "ProjectBeneficiary", "ProjectFund", "ProjectSpending", "ProjectStep",
    "AssistanceStandard", "Cadre", "Cause", "ChangeLog", "County", "Household", "HouseholdAttribute",
    "HouseholdIncome", "LocalSetting", "MeasureType", "Member", "PovertyLine", "Replica", "Township", "Village",
    "AccountEvent", "RejectedChange", "TrustedKey", "UserAccount", "VillageIncome", "VillagerGroup",
    "Attachment", "AttachmentLink", "LeaveRecord", "LedgerItem", "PresenceDay", "Visit", "VisitMeasure",
    "VisitRuleRow", "VisitVisitor",
    "SyncBundle", "SyncConflict", "SyncPending",
    "MicroLoan", "Relocation", "VillageExitItem",
]
