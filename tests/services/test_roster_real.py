"""A roster as teams really have it (tests/data/real_roster.py): no 户状态 column, official status
words, 村民组 the fresh database lacks, .xls and .csv as well as .xlsx — read by content, the missing
answers asked for once, the row checks unchanged."""

import codecs
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fupin_desktop.db.models import Household, Member, VillagerGroup
from fupin_desktop.services.roster import RosterFileError, RosterOptions, import_roster, preview_roster, read_roster
from fupin_desktop.services.roster.sources import text_encoding
from tests.data import real_roster

TODAY = date(2024, 3, 1)
READY = RosterOptions(defaults={"status": "脱贫户", "exit_year": 2019}, create_groups=True)


def preview(db, path, options=None):  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return preview_roster(s, path, options=options, today=TODAY)


def counts(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return tuple(s.scalar(select(func.count()).select_from(m).where(m.deleted_at.is_(None)))  # type: ignore[return-value]
                     for m in (Household, Member, VillagerGroup))


@pytest.fixture(scope="module")
def data() -> list[list[object]]:
    return real_roster.rows(12, bad=True)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv", "csv-bom", "csv-gbk"])
def test_every_format_reads_the_same_roster_whatever_its_name(db, tmp_path, data, fmt):
    path = real_roster.write(tmp_path / "花名册.dat", data, fmt)  # the name says nothing
    sheet = read_roster(path)
    assert sheet.header_row == 3
    assert [c.key for c in sheet.columns] == ["number", "head_name", "relation", "name", "id_number", "sex", "group",
                                              "phone", "labour_ability", "health", "main_cause"]
    p = preview(db, path, READY)
    assert len(p.ok_households) == 12 and len(p.bad_households) == 5
    messages = [m.message for m in p.problems]
    assert any("校验码错误" in m for m in messages)
    assert any("4.10182E+17" in m and "无法恢复" in m for m in messages)
    assert sum("同一人不能登记两次" in m for m in messages) == 2
    assert any("没有户主" in m for m in messages)


def test_missing_status_is_asked_for_once_and_names_the_flag(db, tmp_path, data):
    p = preview(db, real_roster.write(tmp_path / "r.xlsx", data))
    assert [m.message for m in p.problems] == [p.problems[0].message]
    assert "--default-status" in p.problems[0].message and "缺少的列" in p.problems[0].message
    assert p.missing == ["status"] and not p.households
    p = preview(db, real_roster.write(tmp_path / "r.xlsx", data), RosterOptions(defaults={"status": "脱贫户"}))
    assert p.missing == ["status", "exit_year"]
    assert any("--default-exit-year" in m.message for m in p.problems)
    assert any("--create-groups" in m.message for m in p.problems)
    assert list(p.new_groups) == ["三组", "四组", "五组", "六组"]  # the test village has 一组 and 二组


def test_import_creates_the_groups_with_the_households_in_one_go(db, tmp_path, data):
    p = preview(db, real_roster.write(tmp_path / "r.csv", data), READY)
    result = import_roster(db, p, today=TODAY)
    assert (result.households, result.skipped, result.new_groups) == (12, 5, 4)
    assert "新建村民组4个" in result.summary()
    households, members, groups = counts(db)
    assert (households, groups) == (12, 6) and members == p.ok_members
    with db.reading() as s:
        assert set(s.scalars(select(Household.status))) == {"已脱贫(享受政策)"}
        assert set(s.scalars(select(Household.exit_year))) == {2019}
        labour = set(s.scalars(select(Member.labour_ability)))
    assert labour <= {"有劳动能力", "弱劳动力或半劳动力", "丧失劳动能力", "无劳动能力"}  # 普通劳动力 … read


def test_without_create_groups_nothing_is_created(db, tmp_path, data):
    options = RosterOptions(defaults={"status": "脱贫户", "exit_year": 2019})
    p = preview(db, real_roster.write(tmp_path / "r.xlsx", data), options)
    assert {h.form.group for h in p.ok_households} == {"一组", "二组"}  # the groups the village has
    import_roster(db, p, today=TODAY)
    assert counts(db)[::2] == (len(p.ok_households), 2)


def _with_status(data: list[list[object]], words: list[str]) -> list[list[object]]:
    """The roster with a 户状态 column, household i (by 户编号) getting words[i % len]."""
    numbers = list(dict.fromkeys(r[0] for r in data))
    return [[*row, words[numbers.index(row[0]) % len(words)]] for row in data]


def test_official_status_words_map_to_the_program_with_what_they_imply(db, tmp_path, data, monkeypatch):
    monkeypatch.setattr(real_roster, "HEADER", [*real_roster.HEADER, "户状态"])
    words = ["脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "监测对象", "一般户", "贫困户", "低保户",
             "五保户", "稀奇古怪"]
    path = real_roster.write(tmp_path / "r.xlsx", _with_status(data[:-5], words))
    p = preview(db, path, RosterOptions(defaults={"exit_year": 2019}, create_groups=True))
    shown = {v.value: (v.program, v.meaning) for v in p.values}
    assert shown["脱贫户"] == ("已脱贫(享受政策)", "已脱贫(享受政策)")
    assert shown["脱贫不稳定户"] == ("监测户", "监测户，户属性 脱贫不稳定户")
    assert shown["边缘易致贫户"] == ("边缘户", "边缘户，户属性 边缘易致贫户")
    assert shown["突发严重困难户"] == ("监测户", "监测户，监测类型 突发严重困难户")
    assert shown["监测对象"][0] == "监测户" and shown["一般户"][0] == "一般农户" and shown["贫困户"][0] == "未脱贫"
    assert shown["低保户"] == (None, "户状态另定，户属性 低保户")
    assert [(v.value, v.rows) for v in p.unknown_values] == [("稀奇古怪", (p.households[9].rows[0],))]
    by_word = {words[i % len(words)]: h for i, h in enumerate(p.households)}
    assert by_word["脱贫不稳定户"].form.attributes == ["buwending"]
    assert "突发严重困难户" in (by_word["突发严重困难户"].form.note or "")
    assert any("只说明了户属性" in m.message and "--default-status" in m.message for m in by_word["低保户"].problems)
    assert by_word["贫困户"].ok and by_word["贫困户"].form.status == "未脱贫"
    # a person's choices: the unknown word and the attribute-only ones get a status
    chosen = RosterOptions(defaults={"exit_year": 2019}, create_groups=True,
                           values={"status": {"稀奇古怪": "一般户", "低保户": "脱贫户", "五保户": "脱贫户"}})
    p = preview(db, path, chosen)
    assert not p.unknown_values
    by_word = {words[i % len(words)]: h for i, h in enumerate(p.households)}
    assert by_word["低保户"].form.status == "已脱贫(享受政策)" and by_word["低保户"].form.attributes == ["dibao"]
    assert by_word["五保户"].form.attributes == ["tekun"] and by_word["稀奇古怪"].form.status == "一般农户"


def test_unknown_values_of_other_columns_are_listed_once_and_can_be_chosen(db, tmp_path, data):
    rows = [[*r[:9], "残疾" if i in (0, 3) else r[9], *r[10:]] for i, r in enumerate(data[:-5])]
    path = real_roster.write(tmp_path / "r.xls", rows)
    p = preview(db, path, READY)
    assert [(v.header, v.value, v.rows) for v in p.unknown_values] == [("健康状况", "残疾", (4, 7))]
    p = preview(db, path, RosterOptions(defaults=READY.defaults, create_groups=True,
                                        values={"health": {"残疾": "长期慢性病"}}))
    assert not p.unknown_values and not p.problems


# -- files that cannot be read ------------------------------------------------------------------------


def test_encodings_are_recognised():
    assert text_encoding("户编号,姓名".encode()) == "utf-8"
    assert text_encoding(codecs.BOM_UTF8 + "户编号".encode()) == "utf-8-sig"
    assert text_encoding("户编号,姓名,张三".encode("gbk")) == "gb18030"
    assert text_encoding("户编号".encode("utf-16")) == "utf-16"
    assert text_encoding(b"\x00\x01\x02") is None


def test_a_truncated_xls_and_a_password_protected_file_are_refused(tmp_path, data):
    good = real_roster.write(tmp_path / "good.xls", data).read_bytes()
    truncated = tmp_path / "truncated.xls"
    truncated.write_bytes(good[: len(good) // 3])
    with pytest.raises(RosterFileError, match="旧版 Excel（.xls）.*无法读取"):
        read_roster(truncated)
    # an encrypted .xlsx is an OLE file holding an EncryptedPackage stream
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(good[:512] + "EncryptedPackage".encode("utf-16-le") + bytes(2000))
    with pytest.raises(RosterFileError, match="设有打开密码"):
        read_roster(locked)


def test_a_csv_with_broken_characters_is_refused_with_the_line(tmp_path):
    path = real_roster.write(tmp_path / "r.csv", real_roster.rows(600), "csv")  # past the encoding sample
    path.write_bytes(path.read_bytes() + b"\n410182104201999999,\xff\xfe\xfa,\n")
    with pytest.raises(RosterFileError, match="无法识别的字符"):
        read_roster(path)


def test_a_gbk_csv_keeps_its_chinese(tmp_path, data):
    path = real_roster.write(tmp_path / "r.csv", data, "csv-gbk")
    sheet = read_roster(path)
    assert sheet.rows[0][1][3] == data[0][3]
    assert Path(path).read_bytes().decode("gbk").startswith("建档立卡户花名册")
