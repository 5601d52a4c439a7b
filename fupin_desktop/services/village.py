"""The village this database keeps, its 村民组 and cadres."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Cadre, County, Township, Village, VillagerGroup
from fupin_desktop.domain.rows import Changes
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError


def current_village(session: Session) -> Village:
    """The village of a village database (a county database holds many and names one)."""
    villages = session.scalars(select(Village).where(Village.deleted_at.is_(None)).limit(2)).all()
    if len(villages) != 1:
        raise NotFoundError("数据库中没有唯一的本村信息，请先用 fupin init 建立本村。")
    return villages[0]


def create_village(session: Session, *, code: str, name: str, township: str, county: str,
                   county_code: str | None = None, city: str | None = None) -> Changes:
    """Create county, township and village rows for a new village database."""
    code = code.strip()
    errors = []
    if not (code.isdigit() and len(code) in (9, 12)):
        errors.append(FieldError("village_code", "村代码应为12位统计用区划代码（如410182104201）"))
    for field_name, value, label in (("village_name", name, "村名"), ("township", township, "乡镇"),
                                     ("county", county, "县（市、区）")):
        if not value.strip():
            errors.append(FieldError(field_name, f"{label}不能为空"))
    if errors:
        raise ValidationError(errors)
    c = County(code=county_code or code[:6], name=county.strip(), city=city)
    session.add(c)
    session.flush()
    t = Township(county_id=c.id, code=code[:9], name=township.strip())
    session.add(t)
    session.flush()
    session.add(Village(township_id=t.id, code=code, name=name.strip()))
    return Changes(village=True)


def group_ids(session: Session, village_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = session.execute(select(VillagerGroup.name, VillagerGroup.id).where(
        VillagerGroup.village_id == village_id, VillagerGroup.deleted_at.is_(None)))
    return {name: id_ for name, id_ in rows}


def group_names(session: Session) -> list[str]:
    village = current_village(session)
    return list(session.scalars(select(VillagerGroup.name).where(
        VillagerGroup.village_id == village.id, VillagerGroup.deleted_at.is_(None)
    ).order_by(VillagerGroup.sort_order, VillagerGroup.name)))


def cadre_ids(session: Session, village_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = session.execute(select(Cadre.name, Cadre.id).where(
        Cadre.village_id == village_id, Cadre.deleted_at.is_(None)))
    return {name: id_ for name, id_ in rows}
