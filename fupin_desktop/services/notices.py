"""公示: draft, post, take down; objections and their answers; every version kept readable.

A notice is a series of versions. The newest version may be a draft, edited freely; once posted it
is frozen (db/models/notices.py refuses any change to its text), so a correction is saved as a new
draft version with its reason, and posting it takes the old version down the same day.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import (
    Household,
    Member,
    Notice,
    NoticeItem,
    NoticeObjection,
    NoticeVersion,
    Project,
)
from fupin_desktop.db.query import get_live, is_live, live, tombstone
from fupin_desktop.domain import clock
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.notices import (
    DEFAULT_NOTICE_DAYS,
    NOTICE_KINDS,
    NOTICE_LISTS,
    OBJECTION_OUTCOMES,
    notice_due,
)
from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.errors import FieldError, ValidationError
from fupin_desktop.services.due import DueItem, due_source
from fupin_desktop.services.village import current_village

MAX_DAYS = 90
DRAFT, POSTED, EXPIRED, DOWN = "草稿", "公示中", "公示期满待揭下", "已揭下"


@dataclass
class NoticeItemForm:
    household_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    amount_fen: int | None = None
    note: str | None = None


@dataclass
class NoticeForm:
    kind: str
    title: str
    body: str
    place: str = "村务公开栏"
    planned_days: int = DEFAULT_NOTICE_DAYS
    items: list[NoticeItemForm] = field(default_factory=list)
    change_reason: str | None = None  # required when a posted notice gets a new version


@dataclass(frozen=True)
class NoticeItemRow:
    household_id: uuid.UUID | None
    project_id: uuid.UUID | None
    label: str  # 第0001户 张三明 / 项目名
    amount_fen: int | None
    note: str | None


@dataclass(frozen=True)
class ObjectionRow:
    id: uuid.UUID
    received_on: date
    raised_by: str | None
    content: str
    answer: str | None
    answered_on: date | None
    answered_by: str | None
    outcome: str | None

    @property
    def answered(self) -> bool:
        return self.answered_on is not None and bool(self.answer)


@dataclass(frozen=True)
class VersionRow:
    id: uuid.UUID
    version: int
    title: str
    body: str
    place: str
    planned_days: int
    posted_on: date | None
    taken_down_on: date | None
    change_reason: str | None
    items: tuple[NoticeItemRow, ...]
    objections: tuple[ObjectionRow, ...]

    @property
    def last_day(self) -> date | None:
        return notice_due(self.posted_on, self.planned_days) if self.posted_on else None

    def status(self, today: date) -> str:
        if self.posted_on is None:
            return DRAFT
        if self.taken_down_on is not None:
            return DOWN
        return EXPIRED if today > self.last_day else POSTED  # type: ignore[operator]

    def form(self, kind: str) -> NoticeForm:
        return NoticeForm(kind, self.title, self.body, self.place, self.planned_days,
                          [NoticeItemForm(i.household_id, i.project_id, i.amount_fen, i.note) for i in self.items])


@dataclass(frozen=True)
class NoticeRow:
    """A notice as lists show it: its newest version, and how many versions and objections it has."""

    id: uuid.UUID
    kind: str
    title: str
    version: int
    place: str
    posted_on: date | None
    last_day: date | None
    taken_down_on: date | None
    status: str
    items: int
    objections: int
    unanswered: int


@dataclass(frozen=True)
class NoticeDetail:
    id: uuid.UUID
    kind: str
    versions: tuple[VersionRow, ...]  # oldest first; the last is current

    @property
    def current(self) -> VersionRow:
        return self.versions[-1]


def check_notice(form: NoticeForm) -> list[FieldError]:
    errors: list[FieldError] = []
    if form.kind not in NOTICE_KINDS:
        errors.append(FieldError("kind", f"请选择公示类别（{'、'.join(NOTICE_KINDS)}）"))
    if not form.title.strip():
        errors.append(FieldError("title", "标题不能为空"))
    elif len(form.title.strip()) > 60:
        errors.append(FieldError("title", "标题过长（最多60个字）"))
    if not form.body.strip():
        errors.append(FieldError("body", "公示内容不能为空"))
    if not form.place.strip():
        errors.append(FieldError("place", "请填写张贴地点"))
    if not 1 <= form.planned_days <= MAX_DAYS:
        errors.append(FieldError("planned_days", f"公示天数应在1—{MAX_DAYS}天之间"))
    wants = NOTICE_LISTS.get(form.kind, "")
    households = [i for i in form.items if i.household_id is not None]
    projects = [i for i in form.items if i.project_id is not None]
    if wants == "户" and not households:
        errors.append(FieldError("items", f"“{form.kind}”至少要列出一户，请添加公示的农户"))
    if wants == "项目" and not projects:
        errors.append(FieldError("items", f"“{form.kind}”至少要列出一个项目"))
    if any(i.amount_fen is not None and i.amount_fen < 0 for i in form.items):
        errors.append(FieldError("items", "公示名单中的金额不能为负数"))
    if len({i.household_id for i in households}) < len(households):
        errors.append(FieldError("items", "同一户在名单中重复出现"))
    return errors


def _check_refs(session: Session, form: NoticeForm) -> list[FieldError]:
    errors = []
    for item in form.items:
        if item.household_id is not None and not is_live(session, Household, item.household_id):
            errors.append(FieldError("items", "名单中有已删除或不存在的农户"))
        if item.project_id is not None and not is_live(session, Project, item.project_id):
            errors.append(FieldError("items", "名单中有已删除或不存在的项目"))
    return errors


def _versions(session: Session, notice_id: uuid.UUID) -> list[NoticeVersion]:
    return list(session.scalars(select(NoticeVersion).where(NoticeVersion.notice_id == notice_id,
                                                            live(NoticeVersion)).order_by(NoticeVersion.version)))



def save_notice(session: Session, notice_id: uuid.UUID | None, form: NoticeForm) -> uuid.UUID:
    """A new notice (draft), an edit of its draft, or a new draft version of a posted notice.

    Returns the notice id. Raises ValidationError; nothing is written then.
    """
    errors = check_notice(form) + _check_refs(session, form)
    if notice_id is None:
        if errors:
            raise ValidationError(errors)
        notice = Notice(village_id=current_village(session).id, kind=form.kind)
        session.add(notice)
        session.flush()
        _new_version(session, notice.id, 1, form)
        return notice.id
    notice = get_live(session, Notice, notice_id)
    versions = _versions(session, notice.id)
    latest = versions[-1] if versions else None
    if latest is not None and latest.posted_on is not None and not (form.change_reason or "").strip():
        errors.append(FieldError("change_reason", "此公示已张贴，修改将另起新版本，请填写更正原因"))
    if notice.kind != form.kind and any(v.posted_on is not None for v in versions):
        errors.append(FieldError("kind", "已张贴过的公示不能改类别，请新建一条公示"))
    if errors:
        raise ValidationError(errors)
    if notice.kind != form.kind:
        notice.kind = form.kind
    if latest is None or latest.posted_on is not None:
        _new_version(session, notice.id, (latest.version if latest else 0) + 1, form)
        return notice.id
    version = latest  # a draft: edit in place, items replaced
    for name in ("title", "body", "place"):
        value = getattr(form, name).strip()
        if getattr(version, name) != value:
            setattr(version, name, value)
    if version.planned_days != form.planned_days:
        version.planned_days = form.planned_days
    reason = (form.change_reason or "").strip() or None
    if version.change_reason != reason and version.version > 1:
        version.change_reason = reason
    tombstone(session, *session.scalars(select(NoticeItem).where(NoticeItem.version_id == version.id,
                                                                  live(NoticeItem))))
    _add_items(session, version.id, form)
    return notice.id


def _new_version(session: Session, notice_id: uuid.UUID, number: int, form: NoticeForm) -> NoticeVersion:
    version = NoticeVersion(notice_id=notice_id, version=number, title=form.title.strip(), body=form.body.strip(),
                            place=form.place.strip(), planned_days=form.planned_days,
                            change_reason=(form.change_reason or "").strip() or None if number > 1 else None)
    session.add(version)
    session.flush()
    _add_items(session, version.id, form)
    return version


def _add_items(session: Session, version_id: uuid.UUID, form: NoticeForm) -> None:
    for item in form.items:
        session.add(NoticeItem(version_id=version_id, household_id=item.household_id, project_id=item.project_id,
                               amount_fen=item.amount_fen, note=(item.note or "").strip() or None))
    session.flush()


def post_notice(session: Session, notice_id: uuid.UUID, posted_on: date, *, today: date | None = None) -> None:
    """Post the draft: from now on it is frozen. An earlier version still up comes down that day."""
    today = today or clock.today()
    versions = _versions(session, get_live(session, Notice, notice_id).id)
    draft = versions[-1] if versions else None
    if draft is None or draft.posted_on is not None:
        raise ValidationError([FieldError("posted_on", "没有待张贴的草稿；如需更正已张贴的公示，请先修改生成新版本")])
    if posted_on > today:
        raise ValidationError([FieldError("posted_on", "张贴日期不能晚于今天")])
    previous = versions[-2] if len(versions) > 1 else None
    if previous is not None and previous.posted_on and posted_on < previous.posted_on:
        raise ValidationError([FieldError("posted_on", f"新版本的张贴日期不能早于上一版（{previous.posted_on}）")])
    form = VersionRow(draft.id, draft.version, draft.title, draft.body, draft.place, draft.planned_days, None,
                      None, None, tuple(_items(session, [draft.id]).get(draft.id, [])), ()).form(
        get_live(session, Notice, notice_id).kind)
    errors = check_notice(form)
    if errors:
        raise ValidationError(errors)
    draft.posted_on = posted_on
    for v in versions[:-1]:
        if v.posted_on is not None and v.taken_down_on is None:
            v.taken_down_on = posted_on
    session.flush()


def take_down_notice(session: Session, notice_id: uuid.UUID, on: date, *, today: date | None = None) -> None:
    today = today or clock.today()
    versions = _versions(session, get_live(session, Notice, notice_id).id)
    up = next((v for v in reversed(versions) if v.posted_on is not None and v.taken_down_on is None), None)
    if up is None:
        raise ValidationError([FieldError("taken_down_on", "该公示没有正在张贴的版本")])
    if on < up.posted_on or on > today:  # type: ignore[operator]
        raise ValidationError([FieldError("taken_down_on", f"揭下日期应在张贴日期（{up.posted_on}）与今天之间")])
    up.taken_down_on = on
    session.flush()


def discard_draft(session: Session, notice_id: uuid.UUID) -> None:
    """Throw away an unposted draft (a notice never posted disappears with it)."""
    notice = get_live(session, Notice, notice_id)
    versions = _versions(session, notice.id)
    if not versions or versions[-1].posted_on is not None:
        raise ValidationError([FieldError("notice", "已张贴的公示不能删除，只能揭下或另起新版本")])
    tombstone(session, versions[-1], *([notice] if len(versions) == 1 else []))


@dataclass
class ObjectionForm:
    received_on: date
    content: str
    raised_by: str | None = None
    answer: str | None = None
    answered_on: date | None = None
    answered_by: str | None = None
    outcome: str | None = None


def record_objection(session: Session, notice_id: uuid.UUID, form: ObjectionForm, *,
                     objection_id: uuid.UUID | None = None, today: date | None = None) -> uuid.UUID:
    """Record an objection against the posted version (or update one with its answer)."""
    today = today or clock.today()
    if objection_id is not None:
        row = get_live(session, NoticeObjection, objection_id)
        version = session.get(NoticeVersion, row.version_id)
    else:
        versions = [v for v in _versions(session, get_live(session, Notice, notice_id).id) if v.posted_on is not None]
        version = versions[-1] if versions else None
        row = None
    if version is None:
        raise ValidationError([FieldError("received_on", "公示尚未张贴，不能登记异议")])
    errors = []
    if not form.content.strip():
        errors.append(FieldError("content", "请填写异议内容"))
    if form.received_on < version.posted_on or form.received_on > today:  # type: ignore[operator]
        errors.append(FieldError("received_on", f"收到日期应在张贴日期（{version.posted_on}）与今天之间"))
    if form.answered_on is not None:
        if not (form.answer or "").strip():
            errors.append(FieldError("answer", "请填写答复内容"))
        if form.answered_on < form.received_on or form.answered_on > today:
            errors.append(FieldError("answered_on", "答复日期应在收到日期与今天之间"))
    elif (form.answer or "").strip():
        errors.append(FieldError("answered_on", "请填写答复日期"))
    if form.outcome and form.outcome not in OBJECTION_OUTCOMES:
        errors.append(FieldError("outcome", f"处理结果应为：{'、'.join(OBJECTION_OUTCOMES)}"))
    if errors:
        raise ValidationError(errors)
    if row is None:
        row = NoticeObjection(version_id=version.id, received_on=form.received_on, content=form.content.strip())
        session.add(row)
    values = {"received_on": form.received_on, "content": form.content.strip(),
              "raised_by": (form.raised_by or "").strip() or None, "answer": (form.answer or "").strip() or None,
              "answered_on": form.answered_on, "answered_by": (form.answered_by or "").strip() or None,
              "outcome": form.outcome or None}
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    session.flush()
    return row.id


def _items(session: Session, version_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[NoticeItemRow]]:
    items = session.scalars(select(NoticeItem).where(NoticeItem.version_id.in_(version_ids), live(NoticeItem))
                            .order_by(NoticeItem.created_at, NoticeItem.id)).all()
    hh_ids = {i.household_id for i in items if i.household_id}
    numbers = dict(session.execute(select(Household.id, Household.number).where(Household.id.in_(hh_ids))).all())
    heads = dict(session.execute(select(Member.household_id, Member.name).where(
        Member.household_id.in_(hh_ids), Member.relation == RELATION_HEAD, live(Member))).all())
    projects = dict(session.execute(select(Project.id, Project.name).where(
        Project.id.in_({i.project_id for i in items if i.project_id}))).all())
    out: dict[uuid.UUID, list[NoticeItemRow]] = {}
    for i in items:
        if i.household_id:
            label = household_name(numbers.get(i.household_id, "?"), heads.get(i.household_id), brackets=False)
        else:
            label = projects.get(i.project_id, "（已删除的项目）") if i.project_id else "（已删除的项目）"
        out.setdefault(i.version_id, []).append(NoticeItemRow(i.household_id, i.project_id, label, i.amount_fen,
                                                              i.note))
    return out


def get_notice(session: Session, notice_id: uuid.UUID) -> NoticeDetail:
    """Every version of a notice, oldest first, with its list and objections."""
    notice = get_live(session, Notice, notice_id)
    versions = _versions(session, notice.id)
    ids = [v.id for v in versions]
    items = _items(session, ids)
    objections: dict[uuid.UUID, list[ObjectionRow]] = {}
    for o in session.scalars(select(NoticeObjection).where(NoticeObjection.version_id.in_(ids), live(NoticeObjection))
                             .order_by(NoticeObjection.received_on)):
        objections.setdefault(o.version_id, []).append(ObjectionRow(
            o.id, o.received_on, o.raised_by, o.content, o.answer, o.answered_on, o.answered_by, o.outcome))
    return NoticeDetail(notice.id, notice.kind, tuple(
        VersionRow(v.id, v.version, v.title, v.body, v.place, v.planned_days, v.posted_on, v.taken_down_on,
                   v.change_reason, tuple(items.get(v.id, [])), tuple(objections.get(v.id, [])))
        for v in versions))


def list_notices(session: Session, *, posted_only: bool = False, today: date | None = None) -> list[NoticeRow]:
    """Notices, newest first; `posted_only`: those on the board now (公示中 or 期满待揭下)."""
    today = today or clock.today()
    notices = session.scalars(select(Notice).where(live(Notice))).all()
    rows = []
    for n in notices:
        detail = get_notice(session, n.id)
        if not detail.versions:
            continue
        v = detail.current
        status = v.status(today)
        if posted_only and status not in (POSTED, EXPIRED):
            continue
        all_objections = [o for ver in detail.versions for o in ver.objections]
        rows.append(NoticeRow(n.id, n.kind, v.title, v.version, v.place, v.posted_on, v.last_day, v.taken_down_on,
                              status, len(v.items), len(all_objections),
                              sum(not o.answered for o in all_objections)))
    return sorted(rows, key=lambda r: (r.posted_on is not None, r.posted_on or date.max), reverse=True)


def household_notices(session: Session, household_id: uuid.UUID) -> list[tuple[str, str, date, date | None]]:
    """(kind, title, posted on, taken down on) of posted versions that list the household (its dossier)."""
    v = NoticeVersion
    rows = session.execute(select(Notice.kind, v.title, v.posted_on, v.taken_down_on)
                           .join(NoticeVersion, NoticeVersion.notice_id == Notice.id)
                           .join(NoticeItem, NoticeItem.version_id == NoticeVersion.id)
                           .where(NoticeItem.household_id == household_id, NoticeVersion.posted_on.is_not(None),
                                  live(NoticeItem), live(NoticeVersion), live(Notice))
                           .order_by(NoticeVersion.posted_on)).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


@due_source
def _notices_due(session: Session, today: date) -> list[DueItem]:
    """Notices whose posting period ended (take them down) and objections still unanswered."""
    items = []
    for row in list_notices(session, posted_only=True, today=today):
        if row.last_day is not None:
            items.append(DueItem("公示", f"公示期满后揭下并存档：{row.title}", row.last_day + timedelta(days=1)))
    count = session.scalar(select(func.count()).select_from(NoticeObjection)
                           .join(NoticeVersion, NoticeVersion.id == NoticeObjection.version_id)
                           .where(live(NoticeObjection), live(NoticeVersion), NoticeObjection.answered_on.is_(None)))
    if count:
        items.append(DueItem("公示", f"{count}条公示异议尚未答复", count=count))
    return items
