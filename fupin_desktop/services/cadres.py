"""The work team, 帮扶责任人 and the village 两委: list, add, edit, retire (a tombstone).

Names are unique among serving cadres because the household register names its 帮扶责任人;
someone still paired with households cannot leave until the households are handed over.

A cadre may have one photo (the portrait on the 明白栏): an attachment linked to the cadre
(services/attachments.py, target "cadre"); setting another takes the old one off.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Cadre, Household
from fupin_desktop.db.query import get_live, live, tombstone
from fupin_desktop.domain import clock, phone
from fupin_desktop.domain.vocab import CADRE_ROLES
from fupin_desktop.errors import FieldError, FupinError, InputError, ValidationError
from fupin_desktop.services.attachments import (
    PHOTO,
    AttachmentRow,
    PreparedFile,
    add_attachment,
    attachments_of,
    prepare_photo,
    remove_link,
)
from fupin_desktop.services.village import MAX_TEXT, assign, cadre_ids, current_village


@dataclass
class CadreForm:
    name: str
    role: str
    unit: str | None = None  # 派驻单位 / 工作单位
    position: str | None = None  # 职务
    phone: str | None = None
    started_on: date | None = None
    ended_on: date | None = None


@dataclass(frozen=True)
class CadreRow:
    id: uuid.UUID
    name: str
    role: str
    unit: str | None
    position: str | None
    phone: str | None
    started_on: date | None
    ended_on: date | None
    households: int  # live households this person is 帮扶责任人 of
    photo: AttachmentRow | None = None  # the portrait for the 明白栏

    def form(self) -> CadreForm:
        return CadreForm(self.name, self.role, self.unit, self.position, self.phone, self.started_on, self.ended_on)


def list_cadres(session: Session) -> list[CadreRow]:
    """Serving cadres: the team first, then 帮扶责任人, then the village's own (role order of CADRE_ROLES)."""
    v = current_village(session)
    counts = (select(Household.helper_id, func.count().label("n")).where(live(Household))
              .group_by(Household.helper_id).subquery())
    rows = session.execute(select(Cadre, func.coalesce(counts.c.n, 0))
                           .outerjoin(counts, counts.c.helper_id == Cadre.id)
                           .where(Cadre.village_id == v.id, live(Cadre))).all()
    order = {role: i for i, role in enumerate(CADRE_ROLES)}
    photos = cadre_photos(session, [c.id for c, _n in rows])
    cadres = [CadreRow(c.id, c.name, c.role, c.unit, c.position, c.phone, c.started_on, c.ended_on, n, photos.get(c.id))
              for c, n in rows]
    return sorted(cadres, key=lambda c: (order.get(c.role, len(order)), c.started_on or date.min, c.name))


def check_cadre(form: CadreForm) -> list[FieldError]:
    """Field errors of a cadre form that need no database."""
    errors: list[FieldError] = []
    name = form.name.strip()
    if not name:
        errors.append(FieldError("name", "姓名不能为空"))
    elif len(name) > MAX_TEXT:
        errors.append(FieldError("name", f"姓名过长（最多{MAX_TEXT}个字）"))
    if not form.role:
        errors.append(FieldError("role", "请选择身份"))
    elif form.role not in CADRE_ROLES:
        errors.append(FieldError("role", f"身份“{form.role}”不在可选范围内（{'、'.join(CADRE_ROLES)}）"))
    if form.phone and form.phone.strip():
        try:
            phone.validate(form.phone)
        except InputError as e:
            errors.append(FieldError("phone", str(e)))
    if form.started_on and form.ended_on and form.ended_on < form.started_on:
        errors.append(FieldError("ended_on", "离任日期不能早于到任日期"))
    return errors



def save_cadre(session: Session, cadre_id: uuid.UUID | None, form: CadreForm, *,
               photo: str | Path | PreparedFile | None = None, remove_photo: bool = False) -> uuid.UUID:
    """Add (cadre_id None) or edit a cadre, with a new `photo` or without the old one (`remove_photo`);
    returns the id. Raises ValidationError, writing nothing.

    Names are unique among serving cadres, because the household register names its 帮扶责任人.
    """
    errors = check_cadre(form)
    v = current_village(session)
    name = form.name.strip()
    other = cadre_ids(session, v.id).get(name)
    if name and other is not None and other != cadre_id:
        errors.append(FieldError("name", f"已有同名人员“{name}”。同名时请加以区分，如“{name}（县农业局）”"))
    if errors:
        raise ValidationError(errors)
    if cadre_id is None:
        c = Cadre(village_id=v.id, name=name, role=form.role)
        session.add(c)
    else:
        c = get_live(session, Cadre, cadre_id)
    assign(c, "name", name)
    assign(c, "role", form.role)
    for field_name in ("unit", "position"):
        assign(c, field_name, (getattr(form, field_name) or "").strip() or None)
    assign(c, "phone", phone.validate(form.phone) if form.phone and form.phone.strip() else None)
    assign(c, "started_on", form.started_on)
    assign(c, "ended_on", form.ended_on)
    session.flush()
    if photo is not None:
        set_cadre_photo(session, c.id, photo)
    elif remove_photo:
        remove_cadre_photo(session, c.id)
    return c.id


def retire_cadre(session: Session, cadre_id: uuid.UUID, *, reassign_to: uuid.UUID | None = None,
                 today: date | None = None) -> None:
    """Take a cadre off the list (a tombstone; 离任日期 today unless set).

    Someone who is still 帮扶责任人 of households is refused, unless `reassign_to` names the
    serving cadre who takes those households over.
    """
    c = get_live(session, Cadre, cadre_id)
    paired = session.scalars(select(Household).where(Household.helper_id == c.id, live(Household))).all()
    if paired and reassign_to is None:
        raise ValidationError([FieldError(
            "households", f"{c.name}还是{len(paired)}户的帮扶责任人，不能直接移除。请先把这些户改派给其他帮扶人。")])
    if paired:
        if reassign_to == c.id:
            raise ValidationError([FieldError("households", "请改派给另一位帮扶人")])
        successor = get_live(session, Cadre, reassign_to)  # type: ignore[arg-type]
        for h in paired:
            h.helper_id = successor.id
    if c.ended_on is None:
        c.ended_on = today or clock.today()
    tombstone(session, c)


# -- the portrait ---------------------------------------------------------------------------------------

PHOTO_TARGET = "cadre"


def cadre_photos(session: Session, cadre_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, AttachmentRow]:
    """The photo of each cadre that has one (the latest, should two replicas each have set one)."""
    found = attachments_of(session, PHOTO_TARGET, cadre_ids)
    return {cid: rows[-1] for cid, rows in found.items() if rows}


def set_cadre_photo(session: Session, cadre_id: uuid.UUID, source: str | Path | PreparedFile) -> AttachmentRow:
    """Give a cadre a photo (stored once by content beside the database), replacing the one before.

    A file that is not a photo, or not readable as one, raises FupinError and stores nothing.
    """
    c = get_live(session, Cadre, cadre_id)
    prepared = source if isinstance(source, PreparedFile) else prepare_photo(source)
    if prepared.kind != PHOTO:
        raise FupinError(f"“{prepared.file_name}”不是照片文件，请选择JPG或PNG格式的照片。")
    row = add_attachment(session, prepared, target_table=PHOTO_TARGET, target_id=c.id)
    for old in attachments_of(session, PHOTO_TARGET, [c.id])[c.id]:
        if old.link_id != row.link_id and old.link_id is not None:
            remove_link(session, old.link_id)
    return row


def remove_cadre_photo(session: Session, cadre_id: uuid.UUID) -> bool:
    """Take the cadre's photo off (the stored file stays, it may serve elsewhere); False when there was none."""
    c = get_live(session, Cadre, cadre_id)
    links = [r.link_id for r in attachments_of(session, PHOTO_TARGET, [c.id])[c.id] if r.link_id is not None]
    for link_id in links:
        remove_link(session, link_id)
    return bool(links)
