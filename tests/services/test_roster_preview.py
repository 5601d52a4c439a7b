"""Roster preview: every problem of a messy file on the right row and column; headers found under
titles and merged cells; bad files refused with a clear message, never a crash."""

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services.households import save_household
from fupin_desktop.services.roster import RosterFileError, preview_roster, read_roster
from fupin_desktop.services.roster import reader as roster_reader
from fupin_desktop.services.roster.cells import Formula
from fupin_desktop.services.roster.xmlrows import sheet_rows

DATA = Path(__file__).parents[1] / "data"
MESSY = DATA / "messy_roster.xlsx"
HEADER = ["户编号", "户主姓名", "姓名", "与户主关系", "身份证号", "村民组", "户状态"]


def pid(birth: date, sex: str = "男", sequence: int = 1) -> str:
    return idcard.make("410182", birth, sequence, sex)


def write_sheet(path: Path, rows: list[list[object]], *, title: str = "花名册", above: int = 0,
                extra_sheets: tuple[str, ...] = ()) -> Path:
    book = openpyxl.Workbook()
    for name in extra_sheets:
        book.create_sheet(name).append(["说明"])
    ws = book.active
    ws.title = title
    for _ in range(above):
        ws.append(["新沟村花名册"])
    for row in rows:
        ws.append(row)
    if extra_sheets:  # the roster sheet after the others
        book.move_sheet(ws, offset=len(extra_sheets))
    book.save(path)
    return path


def preview(db, source, **options):  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return preview_roster(s, source, **options)


def places(messages) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    return [(m.row, m.letter) for m in messages]


# -- the messy roster (tests/data/make_messy_roster.py documents each row) --------------------------------


@pytest.fixture
def messy(db):  # type: ignore[no-untyped-def]
    return preview(db, MESSY)


def test_messy_roster_summary(messy):
    assert messy.header_row == 3  # under a merged title and a 填报单位 line
    assert [h.number for h in messy.ok_households] == ["001", "002", "010"]
    assert messy.ok_members == 7
    assert [h.number for h in messy.bad_households] == ["003", "004", "005", "006", "007", "008", "009", "011"]
    assert messy.summary() == "可导入3户7人，有问题8户"
    assert [(c.letter, c.header) for c in messy.unknown_headers] == [("R", "微信号")]


def test_messy_roster_problems_on_their_rows(messy):
    found = {(m.row, m.letter): m for m in messy.problems}
    assert sorted(found) == [(11, "F"), (13, "F"), (14, "E"), (16, "K"), (18, "F"), (19, "F"), (20, "G"), (23, "I")]
    assert "校验码错误" in found[11, "F"].message and found[11, "F"].number == "003"
    assert "4.10182E+17" in found[13, "F"].message and "无法恢复" in found[13, "F"].message
    assert "没有户主" in found[14, "E"].message
    assert "因懒" in found[16, "K"].message and "不在致贫原因目录中" in found[16, "K"].message
    assert "与第19行重复" in found[18, "F"].message and "与第18行重复" in found[19, "F"].message
    assert found[20, "G"].message == "性别为“女”，但身份证号显示为男"
    assert "三组" in found[23, "I"].message
    assert found[11, "F"].column == "身份证号码"  # the header as the file has it
    assert str(found[11, "F"]).startswith("第11行 F列（身份证号码）：")


def test_messy_roster_fixes_are_notes(messy):
    notes = {(m.row, m.letter): m.message for m in messy.notes}
    assert "全角" in notes[5, "F"]
    assert "小写x" in notes[6, "F"]
    assert "空格" in notes[21, "F"]
    assert notes[7, ""] == notes[17, ""] == "空行，已跳过"
    assert "合计" in notes[24, ""]
    assert messy.blank_rows == [7, 17]


def test_messy_roster_values_are_normalised(messy):
    first, second, tenth = messy.ok_households
    assert [m.name for m in first.members] == ["张三明", "李秀英", "张小明"]
    assert first.member_rows == [4, 5, 6]  # row 6 has no 户号: it continues 001
    assert first.members[2].id_number.endswith("X")
    assert first.form.attributes == ["dibao", "canji"] and first.form.main_cause == "01"
    assert first.form.status == "未脱贫" and first.form.identified_year == 2016
    assert first.members[0].labour_ability == "有劳动能力"  # 普通劳动力
    assert first.form.phone == "13800138000"
    assert second.number == "002"  # written with full-width digits
    assert tenth.members[1].relation == "之子"  # 儿子


# -- headers and sheets -------------------------------------------------------------------------------


def test_two_row_header_under_merged_cells(db, tmp_path):
    path = tmp_path / "two_rows.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["新沟村花名册"])
    ws.merge_cells("A1:F1")
    ws.append(["户编号", "户状态", "家庭成员信息", None, None, "备注"])
    ws.append([None, None, "姓名", "与户主关系", "身份证号", None])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:E2")
    ws.append(["101", "一般农户", "张三", "户主", pid(date(1970, 1, 1))])
    book.save(path)
    p = preview(db, path)
    assert p.header_row == 3 and p.summary() == "可导入1户1人，有问题0户"
    assert {c.letter: c.key for c in p.columns} == {"A": "number", "B": "status", "C": "name", "D": "relation",
                                                    "E": "id_number", "F": "note"}


def test_the_roster_sheet_is_found_or_named(db, tmp_path):
    rows = [HEADER, ["1", "张三", "张三", "户主", pid(date(1970, 1, 1)), "一组", "一般农户"]]
    path = write_sheet(tmp_path / "sheets.xlsx", rows, extra_sheets=("封面", "说明"))
    p = preview(db, path)
    assert p.sheet == "花名册" and p.sheets == ("封面", "说明", "花名册") and len(p.ok_households) == 1
    with pytest.raises(RosterFileError, match="没有名为“第二页”的工作表。现有工作表：封面、说明、花名册"):
        preview(db, path, sheet="第二页")
    with pytest.raises(RosterFileError, match="工作表“封面”的前30行中没有找到花名册表头"):
        preview(db, path, sheet="封面")


def test_mapping_assigns_unknown_headers(db, tmp_path):
    rows = [["户编号", "姓名", "与户主关系", "公民身份证", "户状态", "手机型号"],
            ["1", "张三", "户主", pid(date(1970, 1, 1)), "一般农户", "华为"]]
    path = write_sheet(tmp_path / "mapping.xlsx", rows)
    p = preview(db, path)
    assert [c.header for c in p.unknown_headers] == ["公民身份证", "手机型号"]
    assert p.problems[0].message.startswith("找不到“身份证号”列") and not p.households
    mapped = preview(db, path, mapping={"公民身份证": "id_number", "F": None})
    assert mapped.unknown_headers == [] and mapped.summary() == "可导入1户1人，有问题0户"
    assert [c.assigned for c in mapped.columns] == [False, False, False, True, False, True]


def test_a_mapping_overrides_the_synonym_table(db, tmp_path):
    rows = [HEADER + ["备注"], ["1", "张三", "张三", "户主", pid(date(1970, 1, 1)), "一组", "一般农户", "村医"]]
    path = write_sheet(tmp_path / "override.xlsx", rows)
    p = preview(db, path, mapping={"备注": "household_note"})
    assert p.ok_households[0].form.note == "村医" and p.ok_households[0].members[0].note is None


# -- household rules the file brings ----------------------------------------------------------------


def test_values_of_one_household_that_disagree(db, tmp_path):
    rows = [HEADER + ["家庭人口数"],
            ["1", "张三", "张三", "户主", pid(date(1970, 1, 1)), "一组", "一般农户", 3],
            ["1", None, "李四", "配偶", pid(date(1971, 1, 1), "女"), "二组", "一般农户", 3],
            ["2", "王五", "王六", "户主", pid(date(1980, 1, 1)), "一组", "一般农户", None],
            ["3", "赵七", "赵七", "户主", pid(date(1981, 1, 1)), "一组", "一般农户", None],
            ["2", None, "王小", "之子", pid(date(2010, 1, 1)), "一组", "一般农户", None]]
    p = preview(db, write_sheet(tmp_path / "disagree.xlsx", rows))
    messages = {(m.row, m.letter): m.message for m in p.problems}
    assert messages[3, "F"] == "同一户的村民组不一致：第2行为“一组”，本行为“二组”"
    assert messages[2, "H"] == "家庭人口数填写为3人，但本户有2行成员"
    assert messages[4, "B"] == "户主姓名“王五”与户主本人（第4行）的姓名“王六”不一致"
    assert "在第4行已出现，中间隔着其他户" in messages[6, "A"]
    assert [h.number for h in p.ok_households] == ["3"]


def test_rows_without_a_household_number(db, tmp_path):
    rows = [HEADER, ["1", "张三", "张三", "户主", pid(date(1970, 1, 1)), "一组", "一般农户"], [],
            [None, None, "李四", "配偶", pid(date(1971, 1, 1), "女"), "一组", "一般农户"]]
    p = preview(db, write_sheet(tmp_path / "orphans.xlsx", rows))
    assert places(p.problems) == [(4, "A")] and "无法判断本行属于哪一户" in p.problems[0].message
    assert p.summary() == "可导入1户1人，有问题0户，另有1行无法归户"


def test_the_register_decides_numbers_and_id_numbers(db, tmp_path):
    taken = pid(date(1960, 6, 6))
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number="001", status="一般农户", group="一组"),
                       [MemberForm(name="老户主", id_number=taken, relation="户主")])
    rows = [HEADER, ["001", "张三", "张三", "户主", pid(date(1970, 1, 1)), "一组", "一般农户"],
            ["002", "李四", "李四", "户主", taken, "一组", "一般农户"]]
    p = preview(db, write_sheet(tmp_path / "register.xlsx", rows))
    messages = {(m.row, m.letter): m.message for m in p.problems}
    assert messages[2, "A"].startswith("户编号 001 已在本村登记簿中。导入只新增农户，不修改已有农户")
    assert messages[3, "E"] == "身份证号已登记在第001户（老户主），同一人不能重复登记"
    assert not p.ok_households


def test_columns_that_disagree_with_the_id_number(db, tmp_path):
    rows = [HEADER + ["性别", "出生日期"],
            ["1", "张三", "张三", "户主", pid(date(1970, 1, 1)), "一组", "一般农户", "男", "1970年1月"],
            ["2", "李四", "李四", "户主", pid(date(1970, 1, 1), sequence=2), "一组", "一般农户", "男性", "1970-01-02"],
            ["3", "王五", "王五", "户主", pid(date(1970, 1, 1), "女"), "一组", "一般农户", "M", "不详"]]
    p = preview(db, write_sheet(tmp_path / "sex.xlsx", rows))
    assert [m.message for m in p.problems] == [
        "出生日期1970-01-02与身份证号中的出生日期1970-01-01不一致",
        "性别“M”无法识别，应为“男”或“女”",
        "出生日期“不详”无法识别，请填写如 1980-01-01 的日期",
    ]
    assert places(p.problems) == [(3, "I"), (4, "H"), (4, "I")]


# -- bad files ------------------------------------------------------------------------------------------


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(RosterFileError, match="找不到文件"):
        read_roster(tmp_path / "没有.xlsx")
    with pytest.raises(RosterFileError, match="是文件夹"):
        read_roster(tmp_path)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "是空文件"),
    ("户编号,姓名\n1,张三\n".encode(), "没有找到花名册表头"),  # a CSV, but not a roster
    (b"\x00\x01\x02binary" * 40, "不是 Excel 工作簿，也不是 CSV"),
    (b"%PDF-1.4\n" + bytes(100), "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Excel（.xls）"),
    ("<html><body><table><tr><td>户编号</td></tr></table></body></html>".encode(), "网页"),
])
def test_files_that_are_not_xlsx(tmp_path, content, message):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(content)
    with pytest.raises(RosterFileError, match=message):
        read_roster(path)


def test_a_valid_xlsx_with_another_extension_is_read(tmp_path):
    path = write_sheet(tmp_path / "roster.dat", [HEADER, ["1", "张三", "张三", "户主", pid(date(1970, 1, 1))]])
    assert len(read_roster(path).rows) == 1


def test_corrupt_files(tmp_path):
    good = write_sheet(tmp_path / "good.xlsx", [HEADER] + [["1", "张三", "张三", "户主", "x"]] * 50)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(RosterFileError, match="已损坏"):
        read_roster(truncated)
    broken = tmp_path / "broken.xlsx"  # a sound zip with a damaged sheet inside
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[: len(data) // 2] if name.endswith("sheet1.xml") else data)
    with pytest.raises(RosterFileError, match="已损坏"):
        read_roster(broken)


def test_a_locked_file(tmp_path, monkeypatch):
    path = write_sheet(tmp_path / "locked.xlsx", [HEADER])
    original = Path.open

    def locked(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == path:
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(RosterFileError, match="独占打开"):
        read_roster(path)


def test_no_header_anywhere(tmp_path):
    path = write_sheet(tmp_path / "notes.xlsx", [["会议记录"], ["2024年3月1日"], ["出席：全体村干部"]])
    with pytest.raises(RosterFileError, match="没有找到花名册表头"):
        read_roster(path)


@pytest.mark.slow  # big generated input
def test_ten_thousand_rows_of_garbage(db, tmp_path):
    rows = [HEADER] + [[f"x{i}", "？？", i * 7, "某某", f"{i}e17", "月球", "不知道"] for i in range(10_000)]
    p = preview(db, write_sheet(tmp_path / "garbage.xlsx", rows))
    assert not p.ok_households and len(p.bad_households) == 10_000
    assert p.problems and all(m.row >= 2 and m.message for m in p.problems)
    garbage_without_header = write_sheet(tmp_path / "noise.xlsx", rows[1:])
    with pytest.raises(RosterFileError, match="没有找到花名册表头"):
        read_roster(garbage_without_header)


def test_a_run_of_blank_rows_ends_the_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(roster_reader, "MAX_BLANK_RUN", 5)
    rows = [HEADER, ["1", "张三", "张三", "户主", "x"]] + [[]] * 6 + [["2", "李四", "李四", "户主", "y"]]
    path = tmp_path / "formatted.xlsx"
    write_sheet(path, [])
    book = openpyxl.load_workbook(path)
    for r, row in enumerate(rows, 1):  # blank rows as formatted, empty cells (what Excel leaves behind)
        for c, value in enumerate(row or [""], 1):
            book.active.cell(r, c, value if value != "" else None).number_format = "@"
    book.save(path)
    sheet = read_roster(path)
    assert [r for r, _ in sheet.rows] == [2]
    assert any("后面的行未读取" in n.message for n in sheet.notes)


# -- the fast row reader gives what openpyxl gives ------------------------------------------------------


def test_fast_rows_equal_openpyxl(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["文本", 1, 2.5, True, date(1980, 1, 2), None, "=1+1", 4.10182197001011e17])
    ws.append([])
    ws.append([None, None, "第三行"])
    ws["B5"] = "跳行"
    ws["D2"] = False
    made = tmp_path / "kinds.xlsx"
    book.save(made)
    for path in (made, MESSY):
        with path.open("rb") as f:
            book = openpyxl.load_workbook(f, read_only=True, data_only=True)
            ws = book.worksheets[0]
            fast = [tuple(_trim(r)) for r in sheet_rows(book, ws)]
            ws.reset_dimensions()
            slow = [tuple(_trim(r)) for r in ws.iter_rows(values_only=True)]
            book.close()
        if path == made:  # except that a formula comes as such, where openpyxl gives its stored result (none here)
            assert isinstance(fast[0][6], Formula) and fast[0][6] == "=1+1" and slow[0][6] is None
            fast[0] = (*fast[0][:6], None, *fast[0][7:])
        assert fast == slow


def _trim(row) -> list[object]:  # type: ignore[no-untyped-def]
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


def test_openpyxl_rows_are_used_when_its_internals_change(tmp_path, monkeypatch):
    monkeypatch.setattr(roster_reader, "sheet_rows", lambda book, ws: None)
    sheet = read_roster(MESSY)
    assert sheet.header_row == 3 and [r for r, _ in sheet.rows][:3] == [4, 5, 6]
