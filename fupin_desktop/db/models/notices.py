"""公示: a notice is a series of versions; a posted version is frozen (a change is a new version)."""

import uuid
from datetime import date

from sqlalchemy import ForeignKey, event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from fupin_desktop.db.base import Base, Synced
from fupin_desktop.db.models._live import live_unique
from fupin_desktop.errors import FupinError


class Notice(Synced, Base):
    __tablename__ = "notice"
    __noun__ = "公示"

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    kind: Mapped[str]  # domain.notices.NOTICE_KINDS


class NoticeVersion(Synced, Base):
    """The text of a notice as drafted or posted. Once `posted_on` is set only `taken_down_on`
    (and the tombstone of an unposted draft) may change."""

    __tablename__ = "notice_version"
    __table_args__ = (live_unique("uq_notice_version_live_number", "notice_id", "version"),)

    notice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notice.id"), index=True)
    version: Mapped[int]
    title: Mapped[str]
    body: Mapped[str]
    place: Mapped[str]  # 村务公开栏, 一组公示栏 …
    planned_days: Mapped[int]
    posted_on: Mapped[date | None]
    taken_down_on: Mapped[date | None]
    change_reason: Mapped[str | None]  # why this version replaces the previous one


# A sync import applies rows written elsewhere (a posted version arrives before its list): it sets
# session.info[SYNC_APPLY] = True and these guards stand aside.
SYNC_APPLY = "sync_apply"


def _applying_sync(target: object) -> bool:
    session = inspect(target).session
    return bool(session is not None and session.info.get(SYNC_APPLY))


FROZEN_COLUMNS = ("notice_id", "version", "title", "body", "place", "planned_days", "posted_on", "deleted_at")


class FrozenNoticeError(FupinError):
    pass


@event.listens_for(NoticeVersion, "before_update")
def _refuse_editing_posted(_mapper: Mapper, _conn: Connection, target: NoticeVersion) -> None:
    """The last line of defence: whatever code tries it, a posted notice's text does not change."""
    if _applying_sync(target):
        return
    state = inspect(target)
    history = state.attrs.posted_on.history
    before = history.deleted or history.unchanged  # the value loaded from the database
    if not before or before[0] is None:
        return
    changed = [c for c in FROZEN_COLUMNS if state.attrs[c].history.has_changes()]
    if changed:
        raise FrozenNoticeError("公示已张贴，内容不能再修改；如需更正，请另起新版本（原版本保留可查）。")


class NoticeItem(Synced, Base):
    """A household or project a version lists, with an amount where the list has one (雨露计划 2000元)."""

    __tablename__ = "notice_item"

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notice_version.id"), index=True)
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id"), index=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("project.id"), index=True)
    amount_fen: Mapped[int | None]
    note: Mapped[str | None]


class NoticeObjection(Synced, Base):
    """异议: received while (or after) a version was posted, and how it was answered."""

    __noun__ = "条异议"
    __tablename__ = "notice_objection"

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notice_version.id"), index=True)
    received_on: Mapped[date]
    raised_by: Mapped[str | None]  # may stay anonymous
    content: Mapped[str]
    answer: Mapped[str | None]
    answered_on: Mapped[date | None]
    answered_by: Mapped[str | None]
    outcome: Mapped[str | None]  # domain.notices.OBJECTION_OUTCOMES


@event.listens_for(NoticeItem, "before_insert")
@event.listens_for(NoticeItem, "before_update")
def _refuse_changing_a_posted_list(_mapper: Mapper, conn: Connection, target: NoticeItem) -> None:
    """The households and projects a posted version lists are part of its text."""
    if _applying_sync(target):
        return
    posted = conn.execute(select(NoticeVersion.posted_on).where(NoticeVersion.id == target.version_id)).scalar()
    if posted is not None:
        raise FrozenNoticeError("公示已张贴，名单不能再修改；如需更正，请另起新版本（原版本保留可查）。")
