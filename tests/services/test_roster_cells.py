"""Roster cells and headers: what Excel and people do to values, undone or reported.

Excel dates are zoneless, so openpyxl gives naive datetimes; the tests use them too (DTZ001).
"""

from datetime import date, datetime

import pytest

from fupin_desktop.services.roster import cells
from fupin_desktop.services.roster.cells import CellError
from fupin_desktop.services.roster.columns import COLUMNS, match_header

ID = "410182197001010011"  # a valid number (check digit 1)
EXCEL_DAY = datetime(1980, 1, 2)  # noqa: DTZ001  (a date cell as openpyxl returns it)


def test_id_as_text_with_the_usual_slips():
    assert cells.id_number(ID).text == ID
    assert cells.id_number(ID).notes == ()
    full = cells.id_number(ID.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    assert full.text == ID and "全角" in full.notes[0]
    lower = cells.id_number("11010519491231002x")
    assert lower.text == "11010519491231002X" and any("小写x" in n for n in lower.notes)
    spaced = cells.id_number(f" {ID[:6]} {ID[6:]}\u3000")
    assert spaced.text == ID and any("空格" in n for n in spaced.notes)


def test_id_that_excel_stored_as_a_number_has_lost_digits():
    with pytest.raises(CellError, match=r"4\.10182E\+17.*无法恢复"):
        cells.id_number(4.10182197001011e17)
    with pytest.raises(CellError, match="无法恢复"):
        cells.id_number("4.10182E+17")  # the same, pasted as text


def test_an_exact_number_is_read_as_text_with_a_note():
    read = cells.id_number(int(ID))  # some programs write every digit; openpyxl then gives an int
    assert read.text == ID and "数字格式" in read.notes[0]
    old = cells.id_number(410182800101123.0)  # 15 digits fit a double exactly; the core judges the length
    assert old.text == "410182800101123"


def test_text_of_any_cell():
    assert cells.text(None) == ""
    assert cells.text("  张三 ") == "张三"
    assert cells.text("张\u3000三\u200b") == "张 三"
    assert cells.text(13800138000.0) == "13800138000"
    assert cells.text(2016) == "2016"
    assert cells.text(EXCEL_DAY) == "1980-01-02"
    assert cells.name("张  三") == "张三"
    assert cells.name("Anna Lee") == "Anna Lee"
    assert cells.number("００１ ") == "001"


@pytest.mark.parametrize("value", [EXCEL_DAY, date(1980, 1, 2), "1980-01-02", "1980/1/2", "1980.01.02",
                                   "19800102", 19800102, "1980年1月2日", "１９８０-０１-０２"])
def test_dates(value):
    assert cells.day(value, "出生日期") == date(1980, 1, 2)


def test_bad_dates_and_months():
    with pytest.raises(CellError, match="无法识别"):
        cells.day("去年", "出生日期")
    with pytest.raises(CellError, match="不是存在的日期"):
        cells.day("1980-02-30", "出生日期")
    with pytest.raises(CellError, match="不是日期"):
        cells.day(29222, "出生日期")  # a date serial number in an unformatted cell
    assert cells.month("1980年1月", "出生日期") == (1980, 1)
    assert cells.month("1980.01", "出生日期") == (1980, 1)
    assert cells.month(EXCEL_DAY, "出生日期") is None


def test_flags_years_words():
    assert cells.flag("是", "低保") is True and cells.flag("√", "低保") is True and cells.flag(1, "低保") is True
    assert cells.flag("否", "低保") is False and cells.flag("×", "低保") is False
    assert cells.flag(None, "低保") is None
    with pytest.raises(CellError, match="请填写“是”或“否”"):
        cells.flag("也许", "低保")
    assert cells.year(2016.0, "识别年度") == 2016 and cells.year("2016年", "识别年度") == 2016
    with pytest.raises(CellError, match="不是年份"):
        cells.year("16", "识别年度")
    assert cells.words("低保户、残疾人家庭, 一般贫困户") == ["低保户", "残疾人家庭", "一般贫困户"]
    assert cells.choice_key("已脱贫（享受政策）") == cells.choice_key("已脱贫(享受政策)")


@pytest.mark.parametrize(("header", "key"), [
    ("户号", "number"), ("户编号", "number"), ("户主姓名", "head_name"), ("关系", "relation"),
    ("身份证号码", "id_number"), ("证件号码", "id_number"), ("身份证号码（18位）", "id_number"),
    ("*身份证号", "id_number"), ("身份证\n号码", "id_number"), ("组", "group"), ("电话", "phone"),
    ("劳动技能", "labour_ability"), ("在校生状况", "schooling_stage"), ("务工情况", "employment_status"),
    ("致贫原因", "main_cause"), ("户类型", "attributes"), ("贫困户属性", "attributes"), ("脱贫状态", "status"),
    ("姓 名", "name"), ("序号", "serial"), ("微信号", None), ("", None),
])
def test_header_synonyms(header, key):
    assert match_header(header) == key


def test_every_header_names_one_column():
    seen: dict[str, str] = {}
    for c in COLUMNS:
        for text in (c.header, *c.synonyms):
            assert seen.setdefault(text, c.key) == c.key, f"{text} is both {seen[text]} and {c.key}"
