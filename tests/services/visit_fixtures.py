"""Shared test data for visits, ledger, presence and photos: cadres, two households, image files."""

import io
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services.cadres import CadreForm, save_cadre
from fupin_desktop.services.households import save_household


@dataclass(frozen=True)
class Village:
    secretary: uuid.UUID  # 第一书记 李明
    member: uuid.UUID  # 工作队员 赵敏
    helper: uuid.UUID  # 帮扶责任人 王建军, helps household 001
    poor: uuid.UUID  # 001 张三明, 未脱贫, identified 2016, two members
    general: uuid.UUID  # 002 王小红, 一般农户
    poor_members: tuple[uuid.UUID, ...]


def person(name: str, relation: str, birth: date, sex: str, seq: int = 1) -> MemberForm:
    return MemberForm(name=name, id_number=idcard.make("410182", birth, seq, sex), relation=relation)


@pytest.fixture
def village(db) -> Village:  # type: ignore[no-untyped-def]
    return make_village(db)


def make_village(db) -> Village:  # type: ignore[no-untyped-def]
    from fupin_desktop.services.households import get_household

    with db.transaction() as s:
        secretary = save_cadre(s, None, CadreForm("李明", "第一书记", unit="荥阳市农业农村局"))
        member = save_cadre(s, None, CadreForm("赵敏", "工作队员", unit="荥阳市农业农村局"))
        helper = save_cadre(s, None, CadreForm("王建军", "帮扶责任人", unit="汜水镇人民政府"))
        poor = save_household(s, None, HouseholdForm(number="001", status="未脱贫", group="一组", identified_year=2016,
                                                     helper_name="王建军", main_cause="01"),
                              [person("张三明", "户主", date(1970, 1, 1), "男"),
                               person("李秀英", "配偶", date(1972, 3, 8), "女")])
        general = save_household(s, None, HouseholdForm(number="002", status="一般农户", group="二组"),
                                 [person("王小红", "户主", date(1985, 6, 15), "女")])
        members = tuple(m.id for m in get_household(s, poor).members)
    return Village(secretary, member, helper, poor, general, members)


def jpeg(path: Path, size: tuple[int, int] = (800, 600), *, taken: str | None = "2026:11:20 15:30:00",
         noise: bool = False, seed: int = 0) -> Path:
    """A JPEG photo; `noise` makes it large on disk (like a real phone photo)."""
    if noise:
        image = Image.effect_noise(size, 60 + seed).convert("RGB")
    else:
        image = Image.new("RGB", size, (120 + seed % 100, 160, 90))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=95, exif=exif.tobytes())
    path.write_bytes(buf.getvalue())
    return path
