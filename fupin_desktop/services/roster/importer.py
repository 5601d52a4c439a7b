"""Importing the valid households of a roster: all of them in one transaction, or none.

A household with any problem in the preview is left out whole, never in part. Households whose
户编号 is already in the register are problems too: an import only adds households and never
changes existing ones (a roster edited elsewhere is not a safe way to overwrite the register).

Rows are written with the change log's bulk insert, which logs every row like the ORM path does
but is an order of magnitude faster; the rows are built exactly as `save_household` builds them
(tests/services/test_roster_import.py compares the two).
"""

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fupin_desktop.db.base import utcnow
from fupin_desktop.db.changelog import bulk_insert
from fupin_desktop.db.models import Household, Member
from fupin_desktop.db.session import Database
from fupin_desktop.domain import idcard, phone
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.domain.ids import uuid7
from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.services.roster.checks import preview_roster
from fupin_desktop.services.roster.places import Places
from fupin_desktop.services.roster.register import Register, register_problems
from fupin_desktop.services.roster.results import (
    ImportResult,
    RosterChangedError,
    RosterHousehold,
    RosterOptions,
    RosterPreview,
)
from fupin_desktop.services.text import name_initials
from fupin_desktop.services.village import add_group

CHUNK = 250  # households per insert: progress and cancel in between, still few statements

# HouseholdForm fields stored as they are; the others are normalised or looked up below.
_DERIVED_HOUSEHOLD = {"number", "group", "helper_name", "phone", "attributes", "secondary_causes"}
_HOUSEHOLD_COPIED = [f.name for f in dataclasses.fields(HouseholdForm) if f.name not in _DERIVED_HOUSEHOLD]
_MEMBER_COPIED = [f.name for f in dataclasses.fields(MemberForm) if f.name not in {"id", "id_number"}]


def import_roster(db: Database, source: RosterPreview | str | Path, *, sheet: str | None = None,
                  mapping: Mapping[str, str | None] | None = None, options: RosterOptions | None = None,
                  today: date | None = None, progress: Progress = QUIET,
                  actor: str | None = None) -> ImportResult:
    """Import every household of the roster that has no problem, in one transaction.

    Args:
        db: the register to import into.
        source: a preview (imports what it showed) or an .xlsx file (previewed first).
        sheet, mapping, options, today: as for `preview_roster`, when `source` is a file (a preview
            carries its options: 村民组 it lists are created when they say so).
        progress: steps are households written of those to write; a cancel rolls everything back.
        actor: who the change log names (default: the operating-system user).

    Raises:
        RosterChangedError: the register changed since the preview (a 户编号 or ID number is now
            taken); nothing was imported.
        Cancelled: cancelled; nothing was imported.
    """
    if isinstance(source, RosterPreview):
        preview = source
    else:
        with db.reading() as session:
            preview = preview_roster(session, source, sheet=sheet, mapping=mapping, options=options, today=today)
    households = preview.ok_households
    skipped = len(preview.bad_households)
    if not households:
        return ImportResult(households=0, members=0, skipped=skipped)
    groups = len({h.form.group for h in households if h.form.group in preview.new_groups})
    try:
        with db.transaction(actor=actor) as session:
            register = Register.load(session)
            if preview.options.create_groups:  # in the same transaction: no group without its households
                wanted = dict.fromkeys(h.form.group for h in households if h.form.group)
                for name in wanted:
                    if name not in register.groups:
                        add_group(session, name)
                register = Register.load(session)
            stale = register_problems(session, register, households, Places(preview.columns))
            if stale:
                shown = "；".join(str(p) for _, p in stale[:5]) + ("……" if len(stale) > 5 else "")
                raise RosterChangedError(f"预览之后登记簿已有变化，未导入任何农户：{shown}。请重新预览后再导入。")
            members = _write(session, register, households, today, progress)
    except IntegrityError as e:  # another program wrote the same number at the same moment
        raise RosterChangedError("导入时登记簿已有变化（户编号或身份证号刚被占用），未导入任何农户。"
                                 "请重新预览后再导入。") from e
    return ImportResult(households=len(households), members=members, skipped=skipped, new_groups=groups)


def _write(session: Session, register: Register, households: list[RosterHousehold], today: date | None,
           progress: Progress) -> int:
    now = utcnow()
    members = 0
    for start in range(0, len(households), CHUNK):
        progress.check()
        household_rows: list[dict[str, Any]] = []
        member_rows: list[dict[str, Any]] = []
        for h in households[start:start + CHUNK]:
            row = household_row(h.form, register, now)
            household_rows.append(row)
            member_rows += [member_row(m, row["id"], now, today) for m in h.members]
        bulk_insert(session, _table(Household), household_rows)
        bulk_insert(session, _table(Member), member_rows)
        members += len(member_rows)
        progress.step(min(start + CHUNK, len(households)), len(households))
    progress.check()  # the last chance before the commit
    return members


def _table(model: type[Household] | type[Member]) -> Table:
    return model.__table__


def _blank(model: type[Household] | type[Member], now: datetime) -> dict[str, Any]:
    """Every column (bulk_insert wants them all), with a new key and timestamps."""
    row: dict[str, Any] = dict.fromkeys(_table(model).columns.keys())
    row.update(id=uuid7(), created_at=now, updated_at=now)
    return row


def household_row(form: HouseholdForm, register: Register, now: datetime) -> dict[str, Any]:
    """The household's row as `save_household` would store it."""
    row = _blank(Household, now)
    row.update({name: getattr(form, name) for name in _HOUSEHOLD_COPIED})
    row.update(village_id=register.village_id, number=form.number.strip(),
               phone=phone.normalize(form.phone) if form.phone else None,
               attributes=sorted(set(form.attributes)), secondary_causes=list(dict.fromkeys(form.secondary_causes)),
               group_id=register.groups.get(form.group or ""), helper_id=register.helpers.get(form.helper_name or ""))
    _same_columns(row, Household)
    return row


def member_row(form: MemberForm, household_id: Any, now: datetime, today: date | None) -> dict[str, Any]:
    """The member's row as `save_household` would store it: sex and birth from the ID number."""
    info = idcard.parse(form.id_number, today=today)
    row = _blank(Member, now)
    for name in _MEMBER_COPIED:
        value = getattr(form, name)
        row[name] = value.strip() if isinstance(value, str) else value
    row.update(household_id=household_id, id_number=info.number, sex=info.sex, birth_date=info.birth_date,
               name_initials=name_initials(row["name"]))
    _same_columns(row, Member)
    return row


def _same_columns(row: dict[str, Any], model: type[Household] | type[Member]) -> None:
    extra = row.keys() - _table(model).columns.keys()
    if extra:  # a form field without a column: save_household must have learned something new
        raise AssertionError(f"{model.__name__} has no columns {sorted(extra)}; update the roster importer")
