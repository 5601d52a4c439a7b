"""Write tests/data/messy_roster.xlsx: a roster as it arrives from a village, with what goes wrong.

    .venv/bin/python tests/data/make_messy_roster.py

The sheet (rows as Excel numbers them; tests/services/test_roster_preview.py relies on them):

    1   merged title 新沟村农户花名册
    2   填报单位 / 填报日期 line
    3   header (synonyms: 户号, 身份证号码, 组, 脱贫状态, 劳动技能 …; an unknown 微信号 in column R)
    4-6   001 good: 3 persons; row 5 trailing space in the name and full-width digits in the ID,
          row 6 lowercase x and an empty 户号 (continues 001, as a merged cell does)
    7   blank
    8-9   ００２ (full-width) good: 2 persons
    10-11 003 row 11: ID with a wrong check digit
    12-13 004 row 13: ID stored as a number, shown as 4.10182E+17 (digits lost)
    14-15 005 no 户主 (row 14)
    16    006 致贫原因 因懒 (unknown)
    17  blank
    18    007 and 19 008: the same ID number in two households
    20    009 性别 女 but the ID is a man's
    21-22 010 good: ID with spaces (row 21), birth date as text, relation 儿子
    23    011 村民组 三组 (the test database has 一组 and 二组 only)
    24  合计 line (skipped)

Good: 001, 002, 010 — 3 households, 7 persons. With a problem: 003–009 and 011 — 8 households.
"""

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from fupin_desktop.domain import idcard

OUT = Path(__file__).with_name("messy_roster.xlsx")
REGION = "410182"
HEADER = ["序号", "户号", "户主姓名", "姓名", "与户主关系", "身份证号码", "性别", "出生日期", "组", "户属性",
          "主要致贫原因", "脱贫状态", "劳动技能", "健康状况", "在校生状况", "务工情况", "电话", "微信号", "识别年度"]


def person_id(birth: date, sex: str, sequence: int = 1) -> str:
    return idcard.make(REGION, birth, sequence, sex)


def id_ending_in_x(birth: date, sex: str) -> str:
    return next(n for s in range(100) if (n := idcard.make(REGION, birth, s, sex)).endswith("X"))


def full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def rows() -> list[list[object] | None]:
    """The data rows from row 4 on; None is a blank row."""
    son_x = id_ending_in_x(date(2008, 9, 1), "男").lower()
    wrong_check = person_id(date(1988, 2, 2), "女")
    wrong_check = wrong_check[:17] + ("0" if wrong_check[17] != "0" else "1")
    shared = person_id(date(1975, 7, 7), "男", 3)
    return [
        [1, "001", "张三明", "张三明", "户主", person_id(date(1970, 1, 1), "男"), "男", date(1970, 1, 1), "一组",
         "低保户、残疾人家庭", "因病", "未脱贫", "普通劳动力", "健康", None, "外出务工", 13800138000, "wx_zsm", 2016],
        [2, "001", None, "李秀英 ", "配偶", full_width(person_id(date(1972, 3, 8), "女")), "女", None, None, None,
         None, None, "有劳动能力", "长期慢性病", None, "务农", None, None, None],
        [3, None, None, "张小明", "之子", son_x, "男", "2008-09-01", None, None, None, None, None, "健康", "初中",
         None, None, None, None],
        None,
        [4, "００２", "王小红", "王小红", "户主", person_id(date(1985, 6, 15), "女"), "女", None, "二组", None, None,
         "监测户", "有劳动能力", "健康", None, "就近就业", None, None, None],
        [5, "００２", None, "刘丽", "之女", person_id(date(2012, 4, 20), "女"), "女", None, "二组", None, None,
         "监测户", None, "健康", "小学", None, None, None, None],
        [6, "003", "赵大力", "赵大力", "户主", person_id(date(1960, 10, 10), "男"), "男", None, "一组", None, None,
         "一般农户", None, None, None, None, None, None, None],
        [7, "003", None, "孙美", "配偶", wrong_check, "女", None, "一组", None, None, "一般农户", None, None, None,
         None, None, None, None],
        [8, "004", "钱进", "钱进", "户主", person_id(date(1966, 5, 5), "男"), "男", None, "一组", None, None,
         "一般农户", None, None, None, None, None, None, None],
        [9, "004", None, "钱多多", "之子", 4.10182199005051e17, "男", None, "一组", None, None, "一般农户", None,
         None, None, None, None, None, None],
        [10, "005", None, "周芳", "配偶", person_id(date(1980, 8, 8), "女"), "女", None, "二组", None, None,
         "一般农户", None, None, None, None, None, None, None],
        [11, "005", None, "周小军", "之子", person_id(date(2005, 1, 9), "男"), "男", None, "二组", None, None,
         "一般农户", None, None, None, None, None, None, None],
        [12, "006", "吴懒", "吴懒", "户主", person_id(date(1978, 12, 1), "男"), "男", None, "二组", None, "因懒",
         "未脱贫", None, None, None, None, None, None, 2016],
        None,
        [13, "007", "郑一", "郑一", "户主", shared, "男", None, "一组", None, None, "一般农户", None, None, None, None,
         None, None, None],
        [14, "008", "郑二", "郑二", "户主", shared, "男", None, "一组", None, None, "一般农户", None, None, None, None,
         None, None, None],
        [15, "009", "冯强", "冯强", "户主", person_id(date(1990, 3, 3), "男"), "女", None, "一组", None, None,
         "一般农户", None, None, None, None, None, None, None],
        [16, "010", "陈刚", "陈刚", "户主", " " + person_id(date(1990, 5, 6), "男") + " ", "男", "1990/5/6", "一组",
         None, None, "边缘户", "有劳动能力", "健康", None, "就近就业", None, None, None],
        [17, "010", None, "陈小宝", "儿子", person_id(date(2015, 2, 2), "男"), "男", None, "一组", None, None,
         "边缘户", None, "健康", "小学", None, None, None, None],
        [18, "011", "褚远", "褚远", "户主", person_id(date(1970, 6, 6), "男", 4), "男", None, "三组", None, None,
         "一般农户", None, None, None, None, None, None, None],
        ["合计：11户20人", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
         None, None, None],
    ]


def main() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    ws["A1"] = "新沟村农户花名册（2024年）"
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:S1")
    ws["A2"] = "填报单位：汜水镇新沟村村民委员会"
    ws.merge_cells("A2:H2")
    ws["O2"] = "填报日期：2024年3月1日"
    ws.append(HEADER)
    for row in rows():
        ws.append(row if row is not None else [])
    ws["F13"].number_format = "0.00E+00"  # as Excel shows a long number typed into a General cell
    ws.column_dimensions["F"].width = 22
    # the same workbook properties every run; workbook times are local and zoneless in xlsx
    book.properties.created = book.properties.modified = datetime(2024, 3, 1, 9, 0)  # noqa: DTZ001
    book.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
