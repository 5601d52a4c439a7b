"""The village this database keeps: its profile and collective income, and its 村民组.

Cadres (work team, 帮扶责任人, 两委) are in cadres.py.

Each mutation is one user action run in the caller's transaction; rules live here and come back
as Chinese FieldErrors. Rows are tombstoned, never deleted.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Cadre, County, Household, Township, Village, VillageIncome, VillagerGroup
from fupin_desktop.db.query import get_live, live, tombstone
from fupin_desktop.domain import clock
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.domain.money import parse_yuan
from fupin_desktop.domain.vocab import VILLAGE_DESIGNATIONS, VILLAGE_TAGS
from fupin_desktop.errors import FieldError, InputError, NotFoundError, ValidationError


def current_village(session: Session) -> Village:
    """The village of a village database (a county database holds many and names one)."""
    villages = session.scalars(select(Village).where(live(Village)).limit(2)).all()
    if len(villages) != 1:
        raise NotFoundError("数据库中没有唯一的本村信息，请先用 fupin init 建立本村。")
    return villages[0]


def village_full_name(session: Session) -> str:
    """荥阳市汜水镇新沟村: county, township and village names."""
    v = current_village(session)
    township = session.get(Township, v.township_id)
    county = session.get(County, township.county_id) if township else None
    return "".join(x.name for x in (county, township, v) if x is not None)


def create_village(session: Session, *, code: str, name: str, township: str, county: str,
                   county_code: str | None = None, city: str | None = None) -> None:
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
    # County and township keep the same id in every village database (uuid5 of their code), so the
    # county's database receives one row for them, not one per village.
    county_code = county_code or code[:6]
    c = County(id=reference_id("county", county_code), code=county_code, name=county.strip(), city=city)
    session.add(c)
    session.flush()
    t = Township(id=reference_id("township", code[:9]), county_id=c.id, code=code[:9], name=township.strip())
    session.add(t)
    session.flush()
    session.add(Village(township_id=t.id, code=code, name=name.strip()))


def group_ids(session: Session, village_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = session.execute(select(VillagerGroup.name, VillagerGroup.id).where(
        VillagerGroup.village_id == village_id, live(VillagerGroup)))
    return {name: id_ for name, id_ in rows}


def group_names(session: Session) -> list[str]:
    village = current_village(session)
    return list(session.scalars(select(VillagerGroup.name).where(
        VillagerGroup.village_id == village.id, live(VillagerGroup)
    ).order_by(VillagerGroup.sort_order, VillagerGroup.name)))


def cadre_ids(session: Session, village_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = session.execute(select(Cadre.name, Cadre.id).where(
        Cadre.village_id == village_id, live(Cadre)))
    return {name: id_ for name, id_ in rows}


# -- the village profile (村情) -------------------------------------------------------------------

MAX_TEXT = 20  # names of groups and people
FIRST_YEAR = 1949


@dataclass(frozen=True)
class IncomeEntry:
    """One year of 村集体经济收入 as typed: `amount` is yuan as text ("52000", "5.2万", "52,000.50")."""

    year: int | None
    amount: str
    note: str | None = None


@dataclass(frozen=True)
class VillageIncomeRow:
    year: int
    amount_fen: int
    note: str | None


@dataclass(frozen=True)
class VillageSettings:
    """The village profile as the settings page shows it (code, township and county are read-only)."""

    code: str
    name: str
    township: str
    county: str
    designation: str | None
    tags: tuple[str, ...]
    designated_year: int | None
    exit_year: int | None
    households_total: int | None
    population_total: int | None
    area_km2: float | None
    natural_villages: int | None
    note: str | None
    incomes: tuple[VillageIncomeRow, ...]


@dataclass
class VillageForm:
    """What a person edits of the village profile.

    `incomes` replaces the whole collective-income table (years left out are tombstoned); None
    leaves the table as it is.
    """

    name: str
    designation: str | None = None
    tags: list[str] = field(default_factory=list)
    designated_year: int | None = None
    exit_year: int | None = None
    households_total: int | None = None
    population_total: int | None = None
    area_km2: float | None = None
    natural_villages: int | None = None
    note: str | None = None
    incomes: list[IncomeEntry] | None = None


_VILLAGE_FIELDS = ("designation", "designated_year", "exit_year", "households_total", "population_total",
                   "area_km2", "natural_villages")
def village_settings(session: Session) -> VillageSettings:
    v = current_village(session)
    township = session.get(Township, v.township_id)
    county = session.get(County, township.county_id) if township else None
    incomes = session.scalars(select(VillageIncome).where(VillageIncome.village_id == v.id, live(VillageIncome))
                              .order_by(VillageIncome.year))
    return VillageSettings(
        code=v.code, name=v.name, township=township.name if township else "", county=county.name if county else "",
        designation=v.designation, tags=tuple(v.tags), designated_year=v.designated_year, exit_year=v.exit_year,
        households_total=v.households_total, population_total=v.population_total, area_km2=v.area_km2,
        natural_villages=v.natural_villages, note=v.note,
        incomes=tuple(VillageIncomeRow(i.year, i.amount_fen, i.note) for i in incomes))


def _year_error(year: int | None, label: str, last: int) -> str | None:
    if year is not None and not FIRST_YEAR <= year <= last:
        return f"{label}应在{FIRST_YEAR}—{last}年之间"
    return None


def check_village(form: VillageForm, *, today: date | None = None) -> list[FieldError]:
    """Field errors of the village form (incomes included); the rules need no database."""
    last = (today or clock.today()).year + 1
    errors: list[FieldError] = []
    if not form.name.strip():
        errors.append(FieldError("name", "村名不能为空"))
    if form.designation and form.designation not in VILLAGE_DESIGNATIONS:
        errors.append(FieldError("designation", f"贫困村类别“{form.designation}”不在可选范围内"))
    unknown = [t for t in form.tags if t not in VILLAGE_TAGS]
    if unknown:
        errors.append(FieldError("tags", f"村标签“{'、'.join(unknown)}”不在可选范围内"))
    for name, label in (("designated_year", "确定为贫困村年份"), ("exit_year", "退出年份")):
        message = _year_error(getattr(form, name), label, last)
        if message:
            errors.append(FieldError(name, message))
    if form.designated_year and form.exit_year and form.exit_year < form.designated_year:
        errors.append(FieldError("exit_year", "退出年份不能早于确定为贫困村的年份"))
    for name, label in (("households_total", "总户数"), ("population_total", "总人口"),
                        ("natural_villages", "自然村数")):
        value = getattr(form, name)
        if value is not None and value < 0:
            errors.append(FieldError(name, f"{label}不能为负数"))
    if form.households_total and form.population_total is not None and form.population_total < form.households_total:
        errors.append(FieldError("population_total", "总人口不应少于总户数"))
    if form.area_km2 is not None and not 0 < form.area_km2 < 10000:
        errors.append(FieldError("area_km2", "面积应大于0（单位：平方公里）"))
    return errors + _income_errors(form.incomes or [], last)


def _income_errors(entries: list[IncomeEntry], last: int) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[int] = set()
    for i, entry in enumerate(entries):
        record = f"第{i + 1}行" if entry.year is None else f"{entry.year}年"
        if entry.year is None:
            errors.append(FieldError("incomes", "请填写年份", record))
        else:
            message = _year_error(entry.year, "年份", last)
            if message:
                errors.append(FieldError("incomes", message, record))
            elif entry.year in seen:
                errors.append(FieldError("incomes", "年份重复，每年只填一行", record))
            seen.add(entry.year)
        try:
            parse_yuan(entry.amount)
        except InputError as e:
            errors.append(FieldError("incomes", str(e), record))
    return errors


def save_village(session: Session, form: VillageForm, *, today: date | None = None) -> None:
    """Store the village profile (and its income table when given). Raises ValidationError."""
    errors = check_village(form, today=today)
    if errors:
        raise ValidationError(errors)
    v = current_village(session)
    assign(v, "name", form.name.strip())
    for name in _VILLAGE_FIELDS:
        assign(v, name, getattr(form, name))
    assign(v, "tags", [t for t in VILLAGE_TAGS if t in form.tags])
    assign(v, "note", (form.note or "").strip() or None)
    if form.incomes is not None:
        _save_incomes(session, v.id, form.incomes)


def _save_incomes(session: Session, village_id: uuid.UUID, entries: list[IncomeEntry]) -> None:
    existing = {i.year: i for i in session.scalars(select(VillageIncome).where(
        VillageIncome.village_id == village_id, live(VillageIncome)))}
    wanted = {e.year: e for e in entries if e.year is not None}
    tombstone(session, *(row for year, row in existing.items() if year not in wanted))
    for year, entry in wanted.items():
        row = existing.get(year)
        if row is None:
            row = VillageIncome(village_id=village_id, year=year, amount_fen=parse_yuan(entry.amount))
            session.add(row)
        assign(row, "amount_fen", parse_yuan(entry.amount))
        assign(row, "note", (entry.note or "").strip() or None)


# -- 村民组 -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupRow:
    id: uuid.UUID
    name: str
    sort_order: int
    households: int  # live households in the group


def list_groups(session: Session) -> list[GroupRow]:
    """The village's 村民组 in their order, with how many households each has."""
    v = current_village(session)
    counts = (select(Household.group_id, func.count().label("n")).where(live(Household))
              .group_by(Household.group_id).subquery())
    rows = session.execute(
        select(VillagerGroup.id, VillagerGroup.name, VillagerGroup.sort_order, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.group_id == VillagerGroup.id)
        .where(VillagerGroup.village_id == v.id, live(VillagerGroup))
        .order_by(VillagerGroup.sort_order, VillagerGroup.name))
    return [GroupRow(*row) for row in rows]



def _group_name(session: Session, village_id: uuid.UUID, name: str, *, own_id: uuid.UUID | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError([FieldError("name", "村民组名称不能为空")])
    if len(name) > MAX_TEXT:
        raise ValidationError([FieldError("name", f"村民组名称过长（最多{MAX_TEXT}个字）")])
    other = group_ids(session, village_id).get(name)
    if other is not None and other != own_id:
        raise ValidationError([FieldError("name", f"已有名为“{name}”的村民组")])
    return name


def add_group(session: Session, name: str) -> uuid.UUID:
    """A new 村民组 at the end of the list; returns its id."""
    v = current_village(session)
    name = _group_name(session, v.id, name)
    last = session.scalar(select(func.max(VillagerGroup.sort_order)).where(
        VillagerGroup.village_id == v.id, live(VillagerGroup)))
    g = VillagerGroup(village_id=v.id, name=name, sort_order=(last or 0) + 1)
    session.add(g)
    session.flush()
    return g.id


def rename_group(session: Session, group_id: uuid.UUID, name: str) -> None:
    g = get_live(session, VillagerGroup, group_id)
    assign(g, "name", _group_name(session, g.village_id, name, own_id=g.id))


def reorder_groups(session: Session, ordered_ids: Sequence[uuid.UUID]) -> None:
    """Put the groups in this order (every live group, each once)."""
    v = current_village(session)
    current = set(group_ids(session, v.id).values())
    if len(ordered_ids) != len(current) or set(ordered_ids) != current:
        raise NotFoundError("村民组名单已被修改，请刷新后再调整顺序")
    for position, group_id in enumerate(ordered_ids, start=1):
        assign(get_live(session, VillagerGroup, group_id), "sort_order", position)


def delete_group(session: Session, group_id: uuid.UUID) -> None:
    """Tombstone an empty group; refuses while households still belong to it."""
    g = get_live(session, VillagerGroup, group_id)
    n = session.scalar(select(func.count()).select_from(Household).where(Household.group_id == g.id,
                                                                         live(Household))) or 0
    if n:
        raise ValidationError([FieldError("name", f"“{g.name}”还有{n}户，不能删除。请先把这些户调到其他村民组。")])
    tombstone(session, g)


def assign(obj: object, name: str, value: object) -> None:
    """Set only what changed, so the change log records real edits only."""
    if getattr(obj, name) != value:
        setattr(obj, name, value)


