"""GUI fixtures: a DbOps over the test database, private QSettings, and a few households."""

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from fupin_desktop.db.session import Database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services.households import save_household
from fupin_desktop.ui.ops import DbOps


@dataclass(frozen=True)
class Sample:
    """The households made by the `households` fixture, for assertions."""

    ids: dict[str, uuid.UUID]  # household number → id
    head_id_numbers: dict[str, str]  # household number → the head's ID number


def person(name: str, relation: str, birth: date, sex: str, sequence: int = 1) -> MemberForm:
    return MemberForm(name=name, id_number=idcard.make("410182", birth, sequence, sex), relation=relation)


def add_household(db: Database, number: str, members: list[MemberForm], **form: object) -> uuid.UUID:
    with db.transaction() as s:
        return save_household(s, None, HouseholdForm(number=number, **form), members)  # type: ignore[arg-type]


@pytest.fixture
def ops(db: Database):  # type: ignore[no-untyped-def]
    ops = DbOps(db)
    yield ops
    ops.shutdown()  # no background task may outlive its test's database


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def households(db: Database) -> Sample:
    """Three households: 001 张三明 (2 persons, 一组, 未脱贫), 002 王小红 (二组),
    003 赵大力 (一组, 监测户)."""
    specs = {
        "001": ([person("张三明", "户主", date(1970, 1, 1), "男"),
                 person("李秀英", "配偶", date(1972, 3, 8), "女")],
                dict(status="未脱贫", group="一组", main_cause="01", identified_year=2016,
                     phone="13800138000")),
        "002": ([person("王小红", "户主", date(1985, 6, 15), "女")], dict(status="一般农户", group="二组")),
        "003": ([person("赵大力", "户主", date(1991, 11, 30), "男")], dict(status="监测户", group="一组")),
    }
    ids = {number: add_household(db, number, members, **form) for number, (members, form) in specs.items()}
    return Sample(ids=ids, head_id_numbers={n: members[0].id_number for n, (members, _) in specs.items()})
