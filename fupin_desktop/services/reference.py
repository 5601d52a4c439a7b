"""Reference data (causes, attributes, measure catalogue, poverty lines, 低保 standards, policies) from
the CSV files in resources/reference, loaded into synced tables.

Rows keep the same id on every installation (uuid5 of their natural key), so loading twice or
on two laptops gives the same rows, and a later county bundle updates them in place.
"""

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import Integer, select
from sqlalchemy.orm import Session

from fupin_desktop.db.base import Base
from fupin_desktop.db.models import AssistanceStandard, Cause, HouseholdAttribute, MeasureType, Policy, PovertyLine
from fupin_desktop.db.query import live
from fupin_desktop.domain.ids import reference_id


@dataclass(frozen=True)
class ReferenceFile:
    file: str
    model: type[Base]
    key: tuple[str, ...]  # natural key columns


FILES = (
    ReferenceFile("causes.csv", Cause, ("code",)),
    ReferenceFile("household_attributes.csv", HouseholdAttribute, ("code",)),
    ReferenceFile("measure_types.csv", MeasureType, ("code",)),
    ReferenceFile("poverty_lines.csv", PovertyLine, ("year", "jurisdiction")),
    ReferenceFile("assistance_standards.csv", AssistanceStandard, ("year", "jurisdiction", "kind")),
    ReferenceFile("policies.csv", Policy, ("code",)),
)


def read_rows(ref: ReferenceFile) -> list[dict[str, Any]]:
    """The file's rows with values converted to the column types, empty cells as None."""
    columns = ref.model.__table__.columns
    text = resources.files("fupin_desktop.resources.reference").joinpath(ref.file).read_text("utf-8-sig")
    rows = []
    for raw in csv.DictReader(text.splitlines()):
        row: dict[str, Any] = {}
        for name, value in raw.items():
            value = (value or "").strip()
            row[name] = None if value == "" else int(value) if isinstance(columns[name].type, Integer) else value
        rows.append(row)
    return rows


def load_reference(session: Session) -> int:
    """Insert new and update changed reference rows; returns how many rows changed."""
    changed = 0
    for ref in FILES:
        kind = ref.model.__tablename__
        existing = {r.id: r for r in session.scalars(select(ref.model))}
        for row in read_rows(ref):
            rid = reference_id(kind, "|".join(str(row[k]) for k in ref.key))
            current = existing.get(rid)
            if current is None:
                session.add(ref.model(id=rid, **row))
                changed += 1
                continue
            updates = {k: v for k, v in row.items() if getattr(current, k) != v}
            if current.deleted_at is not None:
                updates["deleted_at"] = None
            for k, v in updates.items():
                setattr(current, k, v)
            changed += bool(updates)
    session.flush()
    return changed


def cause_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Cause.code, Cause.name).where(live(Cause))
                                .order_by(Cause.sort_order)).all())


def attribute_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(HouseholdAttribute.code, HouseholdAttribute.name)
                                .where(live(HouseholdAttribute))
                                .order_by(HouseholdAttribute.sort_order)).all())
