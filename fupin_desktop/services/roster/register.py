"""What a roster is checked against in the database: the village, its 村民组 and helpers, the
reference codes, and the household numbers and ID numbers already registered.

Used twice: by the preview, and again inside the import's transaction, so a register that changed
after the preview is noticed before anything is written.
"""

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Household, Member
from fupin_desktop.db.query import live
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import household_name
from fupin_desktop.services.reference import attribute_names, cause_names
from fupin_desktop.services.roster.places import Places
from fupin_desktop.services.roster.results import RosterHousehold, RowMessage
from fupin_desktop.services.village import cadre_ids, current_village, group_ids

QUERY_CHUNK = 5000  # values per IN (…): well under every database's limit on bound parameters


@dataclass(frozen=True)
class Register:
    """What a roster is checked against: the village, its 村民组 and helpers, the reference codes."""

    village_id: uuid.UUID
    groups: Mapping[str, uuid.UUID]
    helpers: Mapping[str, uuid.UUID]
    causes: Mapping[str, str]  # code → name
    attributes: Mapping[str, str]  # code → name

    @classmethod
    def load(cls, session: Session) -> "Register":
        village = current_village(session)
        return cls(village.id, group_ids(session, village.id), cadre_ids(session, village.id), cause_names(session),
                   attribute_names(session))


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), QUERY_CHUNK):
        yield values[start:start + QUERY_CHUNK]


def taken_numbers(session: Session, village_id: uuid.UUID, numbers: Iterable[str]) -> set[str]:
    """Which of these household numbers the village's register already uses."""
    wanted = sorted(set(numbers))
    taken: set[str] = set()
    for chunk in _chunks(wanted):
        taken.update(session.scalars(select(Household.number).where(
            Household.village_id == village_id, Household.number.in_(chunk), live(Household))))
    return taken


def taken_ids(session: Session, numbers: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Which of these ID numbers the register already holds: number → (name, household number)."""
    wanted = sorted(set(numbers))
    taken: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(wanted):
        rows = session.execute(select(Member.id_number, Member.name, Household.number).join(Household).where(
            Member.id_number.in_(chunk), live(Member), live(Household)))
        taken.update({number: (name, household) for number, name, household in rows})
    return taken


def register_problems(session: Session, register: Register, households: Sequence[RosterHousehold],
                      places: Places, *, create_groups: bool = False) -> list[tuple[RosterHousehold, RowMessage]]:
    """What the register says against these households: numbers and ID numbers already taken,
    村民组 (unless the import is to create them) and 帮扶责任人 it does not have.

    Existing household numbers are not updated: an import only adds households.
    """
    numbers = taken_numbers(session, register.village_id, (h.number for h in households))
    ids = taken_ids(session, (idcard.normalize(m.id_number) for h in households for m in h.members))
    found = []
    for h in households:
        if h.number in numbers:
            found.append((h, places.message(
                h.rows[0], "number", f"户编号 {h.number} 已在本村登记簿中。导入只新增农户，不修改已有农户："
                                     "如需修改请在农户档案中编辑，或给本户换一个新户编号", h.number)))
        if h.form.group and h.form.group not in register.groups and not create_groups:
            found.append((h, places.message(
                h.field_rows.get("group", h.rows[0]), "group",
                f"村民组“{h.form.group}”本村还没有：导入时新建（命令行加 --create-groups，"
                f"导入窗口勾选“新建这些村民组”），"
                f"或先添加（fupin groups add {h.form.group}，或 设置 → 村民组）", h.number)))
        if h.form.helper_name and h.form.helper_name not in register.helpers:
            found.append((h, places.message(h.field_rows.get("helper_name", h.rows[0]), "helper_name",
                                            f"帮扶责任人“{h.form.helper_name}”不在工作队/帮扶人名单中", h.number)))
        for member, row in zip(h.members, h.member_rows, strict=True):
            hit = ids.get(idcard.normalize(member.id_number))
            if hit is not None:
                found.append((h, places.message(
                    row, "id_number", f"身份证号已登记在{household_name(hit[1], hit[0])}，同一人不能重复登记",
                    h.number)))
    return found
