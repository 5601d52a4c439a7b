"""Home visits, attachments (photos and documents), the problem-rectification ledger and the
presence log of the resident cadres.

Measures progressed by a visit point at N+2 plan measures by a plain `measure_id` UUID without a
foreign key: the plans tables are built in parallel and the key can be added once they land.
"""

import uuid
from datetime import date, datetime, time

from sqlalchemy import JSON, ForeignKey, Index, Time
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_index, live_unique


class Visit(Synced, Base):
    """One visit to one household (走访/入户)."""

    __noun__ = "走访记录"
    __tablename__ = "visit"
    __table_args__ = (
        # the visit list, newest first, straight off this index
        live_index("ix_visit_live_date", "visited_on", "household_id", "deleted_at"),
        # a household's visits, its last visit, and the visits after a given one
        live_index("ix_visit_live_household", "household_id", "visited_on", "deleted_at"),
        live_index("ix_visit_live_next_due", "next_due", "household_id", "visited_on", "deleted_at"),
    )

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    visited_on: Mapped[date]
    visited_at: Mapped[time | None] = mapped_column(Time)  # time of day, China time
    visit_type: Mapped[str]  # domain.visits.VISIT_TYPES
    members_present: Mapped[list[str]] = mapped_column(default=list)  # member ids (text)
    checklist: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # CHECKLIST key → result
    checklist_notes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # CHECKLIST key → note
    policies: Mapped[list[str]] = mapped_column(default=list)  # policies explained
    notes: Mapped[str | None]
    confirmation: Mapped[str | None]  # domain.visits.CONFIRMATIONS; empty: not confirmed
    confirmed_by: Mapped[str | None]  # who signed for the household
    next_due: Mapped[date | None]


class VisitVisitor(Synced, Base):
    """A cadre who took part in a visit."""

    __tablename__ = "visit_visitor"
    __table_args__ = (live_unique("uq_visit_visitor_live", "visit_id", "cadre_id"),)

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    cadre_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cadre.id"), index=True)


class VisitMeasure(Synced, Base):
    """An N+2 plan measure a visit moved forward (no foreign key until the plans tables exist)."""

    __tablename__ = "visit_measure"
    __table_args__ = (live_unique("uq_visit_measure_live", "visit_id", "measure_id"),)

    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id"), index=True)
    measure_id: Mapped[uuid.UUID] = mapped_column(index=True)
    note: Mapped[str | None]


class VisitRuleRow(Synced, Base):
    """A configurable visit-frequency rule (domain.visits.VisitRule); none stored: the defaults."""

    __tablename__ = "visit_rule"

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    name: Mapped[str]
    times: Mapped[int]
    period: Mapped[str]  # 周 / 月 / 季度
    statuses: Mapped[list[str]] = mapped_column(default=list)
    by_helper: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Attachment(Synced, Base):
    """A stored file, content-addressed: the file is attachments/<sha256[:2]>/<sha256>.<ext>.

    Photos are stored downscaled when large; `original_sha256` is the hash of the file as it was
    added (so adding it again is recognised), and the original is kept only when asked.
    """

    __tablename__ = "attachment"
    __table_args__ = (
        live_unique("uq_attachment_live_sha256", "sha256"),
        live_index("ix_attachment_live_original", "original_sha256"),
    )

    sha256: Mapped[str]
    ext: Mapped[str]  # jpg, png, pdf …
    kind: Mapped[str]  # 照片 / 文件
    file_name: Mapped[str]  # the name it had on the stick or phone
    size: Mapped[int]  # bytes stored
    width: Mapped[int | None]
    height: Mapped[int | None]
    taken_at: Mapped[datetime | None]  # EXIF DateTimeOriginal (China time), in UTC
    original_sha256: Mapped[str]
    original_size: Mapped[int]
    original_kept: Mapped[bool] = mapped_column(default=False)
    original_ext: Mapped[str | None]


class AttachmentLink(Synced, Base):
    """An attachment shown with a visit, household, ledger item or project, or a cadre's portrait."""

    __noun__ = "照片/文件"
    __tablename__ = "attachment_link"
    __table_args__ = (
        live_unique("uq_attachment_link_live", "target_table", "target_id", "attachment_id"),
        Index("ix_attachment_link__target", "target_id", "target_table"),
    )

    attachment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attachment.id"), index=True)
    target_table: Mapped[str]  # visit / household / ledger_item / project / cadre
    target_id: Mapped[uuid.UUID]  # no foreign key: the target table varies (projects are not built yet)
    caption: Mapped[str | None]


class LedgerItem(Synced, Base):
    """One problem to rectify (问题整改台账), closed item by item (逐项销号)."""

    __noun__ = "整改问题"
    __tablename__ = "ledger_item"
    __table_args__ = (
        live_index("ix_ledger_item_live_status", "status", "deadline"),
        live_unique("uq_ledger_item_live_number", "village_id", "number"),
    )

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    number: Mapped[str]  # 2026-007, human-facing
    source: Mapped[str]  # domain.visits.LEDGER_SOURCES
    received_on: Mapped[date]
    description: Mapped[str]
    category: Mapped[str]
    level: Mapped[str]  # 村级 / 户级 / 人员
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id"), index=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"))
    project_id: Mapped[uuid.UUID | None]  # no foreign key: projects are not built yet
    visit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("visit.id"), index=True)
    responsible_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cadre.id"), index=True)
    measure: Mapped[str | None]  # 整改措施
    deadline: Mapped[date | None]
    status: Mapped[str]  # 未整改 / 整改中 / 已销号
    evidence_note: Mapped[str | None]  # 整改佐证说明
    verifier: Mapped[str | None]  # 验收人
    closed_on: Mapped[date | None]


class PresenceDay(Synced, Base):
    """One cadre's day: 在村 / 公务外出 / 请假(备案) / 休息."""

    __tablename__ = "presence_day"
    __table_args__ = (live_unique("uq_presence_day_live", "cadre_id", "day"),
                      live_index("ix_presence_day_live_day", "day"))

    cadre_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cadre.id"))
    day: Mapped[date]
    state: Mapped[str]  # domain.visits.PRESENCE_STATES
    note: Mapped[str | None]
    leave_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leave_record.id"))


class LeaveRecord(Synced, Base):
    """A filed leave (离队备案): who, from when to when, why, filed with whom."""

    __noun__ = "请假记录"
    __tablename__ = "leave_record"

    cadre_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cadre.id"), index=True)
    kind: Mapped[str]  # domain.visits.LEAVE_KINDS
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None]
    filed_with: Mapped[str | None]  # 备案单位/审批人, e.g. 汜水镇党委组织办
    filed_on: Mapped[date | None]
