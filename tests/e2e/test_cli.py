"""The `fupin` command as a user runs it, on a real database file: in this process (tests/cli.py),
and as a real process where only a process shows it (start-up, argparse's exit, a closed pipe)."""

import json
import subprocess
import sys

import pytest

from tests.cli import fupin, fupin_process, process

INIT = ("init", "--village-code", "410182104201", "--village-name", "新沟村", "--township", "汜水镇",
        "--county", "荥阳市")


@process
def test_help_is_chinese():
    out = fupin_process("--help", env={"LC_ALL": "C", "LANG": "C"}).stdout  # a console without a UTF-8 locale
    assert "用法" in out and "显示本帮助并退出" in out and "生成演示村数据库" in out
    assert "usage" not in out and "show this help" not in out


@process
def test_missing_argument_is_reported_in_chinese(tmp_path):
    r = fupin_process("--db", tmp_path / "x.db", "init", "--village-code", "410182104201", check=False)
    assert r.returncode == 2 and "缺少必需的参数" in r.stderr
    assert not (tmp_path / "x.db").exists()


def test_init_then_refuse_to_overwrite(tmp_path):
    db = tmp_path / "village.db"
    assert "已新建数据库" in fupin("--db", db, *INIT).stdout
    before = db.read_bytes()
    r = fupin("--db", db, *INIT, check=False)
    assert r.returncode == 2 and "已存在，不会覆盖" in r.stderr
    assert db.read_bytes() == before


def test_init_with_a_bad_code_leaves_no_file(tmp_path):
    db = tmp_path / "village.db"
    r = fupin("--db", db, "init", "--village-code", "12AB", "--village-name", "新沟村", "--township", "汜水镇",
              "--county", "荥阳市", check=False)
    assert r.returncode == 2 and "村代码应为12位" in r.stderr
    assert not db.exists()


def test_commands_on_a_file_that_is_not_a_database(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("不是数据库", encoding="utf-8")
    for command in ("check", "households"):
        r = fupin("--db", bogus, command, check=False)
        assert r.returncode == 2 and "不是本程序的数据库" in r.stderr
    assert bogus.read_text(encoding="utf-8") == "不是数据库"


@pytest.fixture(scope="module")
def demo_db(demo_copy, tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("demo") / "xingou.db")


def test_demo_command_writes_a_village(tmp_path):
    db = tmp_path / "small.db"
    r = fupin("--db", db, "demo", "--households", "30")
    assert "已生成演示村 荥阳市汜水镇新沟村：30户" in r.stdout and str(db) in r.stdout
    assert "写入 household" in r.stderr  # progress goes to stderr
    assert json.loads(fupin("--db", db, "check", "--json").stdout)["households"] == 30


def test_demo_village_numbers(demo_db):
    data = json.loads(fupin("--db", demo_db, "households", "--limit", "1000", "--json").stdout)
    assert data["total"] == 437 and sum(h["members"] for h in data["households"]) == 1688
    registered = [h for h in data["households"] if h["status"] in ("未脱贫", "已脱贫(享受政策)", "已脱贫(不享受政策)")]
    assert len(registered) == 87 and sum(h["members"] for h in registered) == 308


def test_demo_refuses_an_existing_database(demo_db):
    r = fupin("--db", demo_db, "demo", check=False)
    assert r.returncode == 2 and "不会覆盖" in r.stderr


def test_check_passes_on_the_demo_and_fails_on_a_broken_register(demo_db, tmp_path):
    report = json.loads(fupin("--db", demo_db, "check", "--json").stdout)
    assert report["errors"] == 0 and report["households"] == 437 and report["members"] == 1688
    import shutil
    import sqlite3

    broken = tmp_path / "broken.db"
    shutil.copy(demo_db, broken)
    with sqlite3.connect(broken) as conn:  # a second 户主 typed in behind the program's back
        conn.execute("UPDATE member SET relation='户主' "
                     "WHERE id IN (SELECT id FROM member WHERE relation='配偶' LIMIT 1)")
    r = fupin("--db", broken, "check", check=False)
    assert r.returncode == 1 and "只能有一名户主" in r.stdout


def test_search_by_pinyin_initials_from_the_cli(demo_db):
    first = json.loads(fupin("--db", demo_db, "households", "--limit", "1", "--json").stdout)["households"][0]
    from fupin_desktop.services.text import name_initials

    found = json.loads(fupin("--db", demo_db, "households", "--search", name_initials(first["head"]), "--json",
                             "--limit", "1000").stdout)
    assert first["number"] in [h["number"] for h in found["households"]]
    by_id = json.loads(fupin("--db", demo_db, "households", "--search", first["id_number"][-8:], "--json").stdout)
    assert first["number"] in [h["number"] for h in by_id["households"]]


def test_fupin_gui_opens_the_database_it_is_given(monkeypatch, db_path):
    """The installed `fupin-gui` script (and the frozen program) pass their arguments to `fupin … gui`."""
    import sys

    from fupin_desktop import cli
    from fupin_desktop.ui import app

    opened: list[str] = []
    monkeypatch.setattr(app, "main", lambda db=None: opened.append(db) or 0)
    monkeypatch.setattr(sys, "argv", ["fupin-gui", "--db", str(db_path)])
    assert cli.gui() == 0
    assert opened == [str(db_path)]


@process
def test_output_cut_short_by_a_pipe_is_no_error(demo_db):
    """`fupin households | head -1`: the reader stops early; no traceback, exit code 0."""
    command = [sys.executable, "-m", "fupin_desktop.cli", "--db", str(demo_db), "households", "--limit", "1000",
               "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        errors = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 0, errors
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def test_every_command_of_the_table_is_built_by_its_own_module():
    """cli/commands.py names the commands for --help; each module must build exactly its own."""
    import argparse

    from fupin_desktop.cli import build_parser
    from fupin_desktop.cli.commands import COMMANDS

    def choices(parser):  # type: ignore[no-untyped-def]
        return parser._subparsers._group_actions[0].choices

    assert list(choices(build_parser())) == [name for name, _module, _help in COMMANDS]  # all modules, all parsers
    for name, _module, _help in COMMANDS:
        assert isinstance(choices(build_parser(["--db", "x.db", name]))[name], argparse.ArgumentParser), name
