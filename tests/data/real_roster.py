"""A roster as a work team really has it (exported from the national system or kept in WPS), written
as .xlsx, .xls or .csv: a title row 建档立卡户花名册 and a line under it, then the header
户编号, 户主姓名, 与户主关系, 姓名, 身份证号, 性别, 村民组, 联系电话, 劳动能力, 健康状况, 致贫原因 — no 户状态,
no 脱贫年度, 村民组 一组…六组 that a fresh database does not have, the national system's own words
(普通劳动力, 丧失劳动力, 患有大病).

`bad=True` adds the four households the row checks must name: a wrong check digit, an ID number
Excel stored as 4.10182E+17, an ID number used in two households, a household without 户主.

Used by tests/services/test_roster_real.py, tests/e2e/test_cli_roster.py, tests/ui and
bench/bench_roster_formats.py; `python tests/data/real_roster.py out.xls 5000` writes one.
"""

import csv
import random
import sys
from datetime import date
from pathlib import Path

HEADER = ["户编号", "户主姓名", "与户主关系", "姓名", "身份证号", "性别", "村民组", "联系电话", "劳动能力", "健康状况",
          "致贫原因"]
TITLE = "建档立卡户花名册"
SUBTITLE = "荥阳市汜水镇新沟村　　　　填报日期：2024年3月"
GROUPS = ("一组", "二组", "三组", "四组", "五组", "六组")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英桂兰志强海燕红梅玉珍文明俊杰小红春花德胜爱玲卫东丽娜"
CAUSES = ("因病", "因残", "因学", "缺技术", "缺资金", "缺劳动力", "因灾")
BAD_NUMBERS = ("check digit", "scientific", "twice", "no head")


_USED: set[str] = set()


def _id(birth: date, sequence: int, sex: str) -> str:
    """A valid ID number no other person of the roster has (same birthday: the next sequence)."""
    from fupin_desktop.domain import idcard

    for step in range(999):
        number = idcard.make("410182", birth, (sequence + step) % 999 + 1, sex)
        if number not in _USED:
            _USED.add(number)
            return number
    raise ValueError("too many people born on one day")


def _name(rng: random.Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + "".join(rng.sample(GIVEN, 2))


def rows(households: int = 40, *, seed: int = 16, bad: bool = False) -> list[list[object]]:
    """Data rows (no title, no header), one per member; ID numbers are text except the bad one."""
    rng = random.Random(seed)
    _USED.clear()
    out: list[list[object]] = []
    sequence = 0

    def person(number: str, head: str, relation: str, name: str, birth: date, sex: str, group: str, phone: str,
               labour: str, health: str, cause: str) -> list[object]:
        nonlocal sequence
        sequence += 1
        return [number, head, relation, name, _id(birth, sequence, sex), sex, group, phone, labour, health, cause]

    for i in range(1, households + 1):
        number = f"410182104201{i:06d}"
        surname = rng.choice(SURNAMES)
        head = _name(rng, surname)
        group = GROUPS[(i - 1) * len(GROUPS) // households]
        cause = rng.choice(CAUSES)
        phone = f"13{rng.randrange(10**8, 10**9)}"
        head_sex = rng.choice("男男女")
        out.append(person(number, head, "户主", head, date(rng.randrange(1950, 1985), rng.randrange(1, 13),
                                                               rng.randrange(1, 28)), head_sex, group, phone,
                          rng.choice(("普通劳动力", "普通劳动力", "弱劳动力", "丧失劳动力")),
                          rng.choice(("健康", "健康", "长期慢性病", "患有大病")), cause))
        for _ in range(rng.randrange(0, 4)):
            child_sex = rng.choice("男女")
            out.append(person(number, "", "之子" if child_sex == "男" else "之女", _name(rng, surname),
                              date(rng.randrange(1990, 2018), rng.randrange(1, 13), rng.randrange(1, 28)),
                              child_sex, group, "", rng.choice(("普通劳动力", "无劳动力")), "健康", ""))
    if bad:
        out += _bad_rows()
    return out


def _bad_rows() -> list[list[object]]:
    ok = _id(date(1966, 5, 4), 901, "男")
    wrong_check = ok[:-1] + ("0" if ok[-1] != "0" else "1")
    twice = _id(date(1972, 8, 9), 902, "女")
    return [
        ["410182104201900001", "赵大勇", "户主", "赵大勇", wrong_check, "男", "一组", "13812345678", "普通劳动力",
         "健康", "因病"],
        ["410182104201900002", "钱小芳", "户主", "钱小芳", 4.10182197208e17, "女", "二组", "", "普通劳动力", "健康",
         "缺技术"],
        ["410182104201900003", "孙丽", "户主", "孙丽", twice, "女", "二组", "", "普通劳动力", "健康", "因学"],
        ["410182104201900004", "周红", "户主", "周红", twice, "女", "三组", "", "普通劳动力", "健康", "因学"],
        ["410182104201900005", "吴强", "之子", "吴强", _id(date(2001, 3, 3), 903, "男"), "男", "三组", "",
         "普通劳动力", "健康", "缺资金"],
    ]


def write(path: Path, data: list[list[object]], fmt: str | None = None) -> Path:
    """Write the roster as `fmt` (xlsx, xls, csv, csv-bom, csv-gbk; default: from the suffix)."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "Sheet1"
        ws.append([TITLE])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        ws.append([SUBTITLE])
        ws.append(HEADER)
        for row in data:
            ws.append(row)
        book.save(path)
    elif fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        ws = book.add_sheet("Sheet1")
        ws.write_merge(0, 0, 0, len(HEADER) - 1, TITLE)
        ws.write(1, 0, SUBTITLE)
        for c, text in enumerate(HEADER):
            ws.write(2, c, text)
        for r, row in enumerate(data, 3):
            for c, value in enumerate(row):
                if value != "":
                    ws.write(r, c, value)
        book.save(str(path))
    elif fmt.startswith("csv"):
        encoding = {"csv": "utf-8", "csv-bom": "utf-8-sig", "csv-gbk": "gbk"}[fmt]
        with path.open("w", encoding=encoding, newline="") as f:
            out = csv.writer(f)
            out.writerow([TITLE])
            out.writerow([SUBTITLE])
            out.writerow(HEADER)
            for row in data:  # Excel shows a lost ID number as 4.10182E+17; a CSV saved from it says so
                out.writerow([f"{v:.5E}" if isinstance(v, float) else v for v in row])
    else:
        raise ValueError(f"unknown roster format {fmt}")
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1])
    write(target, rows(int(sys.argv[2]) if len(sys.argv) > 2 else 40, bad="--bad" in sys.argv))
    print(target)
