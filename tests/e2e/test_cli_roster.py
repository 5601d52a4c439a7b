"""`fupin import-xlsx` and `fupin export-xlsx` as a user runs them: real files."""

import json
import sys
from pathlib import Path

import openpyxl

from tests.cli import fupin

MESSY = Path(__file__).parents[1] / "data" / "messy_roster.xlsx"




def total(db_path: Path) -> int:
    return json.loads(fupin("--db", db_path, "households", "--json").stdout)["total"]


def test_dry_run_lists_problems_and_writes_nothing(db_path):
    r = fupin("--db", db_path, "import-xlsx", MESSY, "--dry-run", "--json")
    data = json.loads(r.stdout)
    assert (data["households_ok"], data["members_ok"], data["households_with_problems"]) == (3, 7, 8)
    assert data["header_row"] == 3 and data["imported"] is None
    assert [(p["row"], p["letter"]) for p in data["problems"]] == [
        (11, "F"), (13, "F"), (14, "E"), (16, "K"), (18, "F"), (19, "F"), (20, "G"), (23, "I")]
    assert data["unknown_headers"] == [{"letter": "R", "header": "微信号"}]
    assert total(db_path) == 0

    text = fupin("--db", db_path, "import-xlsx", MESSY, "--dry-run").stdout
    assert "第11行 F列（身份证号码） [户编号 003]：身份证号校验码错误" in text
    assert "可导入3户7人，有问题8户。" in text and "试运行（--dry-run）：没有写入数据库。" in text


def test_import_then_import_again(db_path):
    r = fupin("--db", db_path, "import-xlsx", MESSY)
    assert "已导入3户7人，有问题未导入8户。" in r.stdout
    assert total(db_path) == 3
    again = fupin("--db", db_path, "import-xlsx", MESSY, check=False)  # every valid household is there now
    assert again.returncode == 1 and "户编号 001 已在本村登记簿中" in again.stdout
    assert total(db_path) == 3


def test_export_and_template(db_path, tmp_path):
    fupin("--db", db_path, "import-xlsx", MESSY)
    out = tmp_path / "导出.xlsx"
    assert "已导出3户7人到" in fupin("--db", db_path, "export-xlsx", out).stdout
    one_group = tmp_path / "二组.xlsx"
    assert "已导出1户2人" in fupin("--db", db_path, "export-xlsx", one_group, "--group", "二组").stdout
    book = openpyxl.load_workbook(out, read_only=True)
    names = [row[3] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert sorted(names) == sorted(["张三明", "李秀英", "张小明", "王小红", "刘丽", "陈刚", "陈小宝"])
    template = tmp_path / "模板.xlsx"
    r = fupin("--db", tmp_path / "没有这个库.db", "export-xlsx", template, "--template")  # no database needed
    assert "已写入空白花名册模板" in r.stdout and template.exists()


def test_bad_files_give_a_message_and_exit_code(db_path, tmp_path):
    fake = tmp_path / "花名册.xlsx"
    fake.write_bytes(b"\x00\x01 not a spreadsheet")
    r = fupin("--db", db_path, "import-xlsx", fake, check=False)
    assert r.returncode == 2 and "不是 Excel 工作簿" in r.stderr and "Traceback" not in r.stderr
    r = fupin("--db", db_path, "import-xlsx", tmp_path / "没有.xlsx", check=False)
    assert r.returncode == 2 and "找不到文件" in r.stderr
    r = fupin("--db", db_path, "import-xlsx", MESSY, "--sheet", "第二页", check=False)
    assert r.returncode == 2 and "现有工作表：花名册" in r.stderr
    r = fupin("--db", db_path, "export-xlsx", tmp_path / "x.xls", check=False)
    assert r.returncode == 2 and "应以 .xlsx 结尾" in r.stderr
    assert total(db_path) == 0


def test_a_real_roster_on_a_fresh_database_from_the_command_line(tmp_path):
    """The first day: `fupin init`, then the team's own 建档立卡户花名册 (.xls, no 户状态, new 村民组)."""
    sys.path.insert(0, str(Path(__file__).parents[2]))
    from tests.data import real_roster

    db = tmp_path / "new.db"
    fupin("--db", db, "init", "--village-code", "410182104201", "--village-name", "新沟村", "--township", "汜水镇",
          "--county", "荥阳市")
    roster = real_roster.write(tmp_path / "建档立卡户花名册.xls", real_roster.rows(20, bad=True))
    r = fupin("--db", db, "import-xlsx", roster, check=False)
    assert r.returncode == 1 and "--default-status" in r.stdout and total(db) == 0
    r = fupin("--db", db, "import-xlsx", roster, "--default-status", "脱贫户", "--dry-run", check=False)
    assert "--default-exit-year" in r.stdout and "--create-groups" in r.stdout and "一组、二组" in r.stdout
    r = fupin("--db", db, "import-xlsx", roster, "--default-status", "脱贫户", "--default-exit-year", "2019",
              "--create-groups")
    assert "已导入20户" in r.stdout and "新建村民组6个" in r.stdout and "有问题未导入5户" in r.stdout
    for text in ("校验码错误", "4.10182E+17", "同一人不能登记两次", "没有户主"):
        assert text in r.stdout
    assert "共20户" in fupin("--db", db, "households", "--status", "脱贫户").stdout
    assert "共0户" in fupin("--db", db, "households", "--status", "监测对象").stdout
    r = fupin("--db", db, "households", "--status", "胡说", check=False)
    assert r.returncode == 2 and "脱贫户" in r.stderr and "Traceback" not in r.stderr
    assert "一组\t" in fupin("--db", db, "groups").stdout
    fupin("--db", db, "groups", "add", "七组")
    assert "共7个村民组" in fupin("--db", db, "groups").stdout
    out = tmp_path / "card.pdf"
    fupin("--db", db, "print", "card", "--household", "000007", "--out", out)
    assert out.exists()
    r = fupin("--db", db, "print", "card", "--household", "1", "--out", tmp_path / "x.pdf", check=False)
    assert r.returncode == 2 and "不止一户" in r.stderr and "410182104201000001" in r.stderr
