"""`fupin exits`, `fupin village-exit`, `fupin relocation`, `fupin loans` as a user runs them."""

import json

import pytest

from tests.cli import fupin


@pytest.fixture(scope="module")
def demo_db(demo_copy, tmp_path_factory):  # type: ignore[no-untyped-def]
    return demo_copy(tmp_path_factory.mktemp("registers") / "demo.db", households=120)


def test_exit_confirmation_from_the_command_line(demo_db) -> None:  # type: ignore[no-untyped-def]
    (p,) = json.loads(fupin("--db", demo_db, "exits", "--json").stdout)
    members = json.loads(fupin("--db", demo_db, "households", "--search", p["household"], "--json").stdout)
    assert p["household_confirmed_on"] is None and p["next_step"] == "核实认可"
    bad = fupin("--db", demo_db, "exits", "confirm", "--household", p["household"], "--signer", "不相干",
                "--method", "签字", "--on", "2026-11-20", check=False)
    assert bad.returncode == 2 and "不是本户成员" in bad.stderr and "Traceback" not in bad.stderr
    head = members["households"][0]["head"]
    fupin("--db", demo_db, "exits", "confirm", "--household", p["household"], "--signer", head, "--method", "按手印",
          "--on", "2026-11-20", "--government-by", "汜水镇人民政府", "--government-on", "2026-11-21")
    (p,) = json.loads(fupin("--db", demo_db, "exits", "--json").stdout)
    assert (p["household_signer"], p["household_sign_method"], p["government_confirmed_by"]) == (
        head, "按手印", "汜水镇人民政府")


def test_village_exit_set_and_judge(demo_db) -> None:  # type: ignore[no-untyped-def]
    bad = fupin("--db", demo_db, "village-exit", "--year", "2026", "--set", "通客车", "--state", "达标", check=False)
    assert bad.returncode == 2 and "须写明依据" in bad.stderr
    fupin("--db", demo_db, "village-exit", "--year", "2026", "--set", "通客车", "--state", "达标",
          "--evidence", "县交通局通车验收单", "--checked-on", "2026-06-01")
    data = json.loads(fupin("--db", demo_db, "village-exit", "--year", "2026", "--json").stdout)
    item = next(i for i in data["items"] if i["item"] == "通客车")
    assert item == {"item": "通客车", "state": "达标", "evidence": "县交通局通车验收单", "checked_on": "2026-06-01",
                    "note": None}
    assert data["ready"] is False and any(g.startswith("待核实") for g in data["gaps"])
    text = fupin("--db", demo_db, "village-exit", "--year", "2026").stdout
    assert "[达标] 通客车：县交通局通车验收单" in text and "结论：尚不具备退出条件" in text


def test_relocation_and_loans(demo_db) -> None:  # type: ignore[no-untyped-def]
    h = json.loads(fupin("--db", demo_db, "households", "--status", "脱贫户", "--json").stdout)["households"][0]
    too_big = fupin("--db", demo_db, "relocation", "set", "--household", h["number"], "--site", "雨露社区",
                    "--area", str(25 * h["members"] + 5), "--members", str(h["members"]), "--moved-on", "2026-08-01",
                    check=False)
    assert too_big.returncode == 2 and "人均不超过25平方米" in too_big.stderr
    fupin("--db", demo_db, "relocation", "set", "--household", h["number"], "--site", "雨露社区",
          "--area", str(25 * h["members"]), "--members", str(h["members"]), "--moved-on", "2026-08-01")
    (r,) = [r for r in json.loads(fupin("--db", demo_db, "relocation", "--json").stdout)
            if r["household"] == h["number"]]  # the demo has two relocated households of its own
    assert r["demolish_due"] == "2027-02-01" and r["open_tasks"] == ["拆旧复垦", "交回宅基证"]
    bad = fupin("--db", demo_db, "loans", "add", "--household", h["number"], "--borrower", h["head"], "--bank",
                "荥阳农商银行", "--yuan", "6万", "--months", "48", "--rate", "4.35", "--lent-on", "2024-03-01",
                check=False)
    assert bad.returncode == 2 and "上限5万元" in bad.stderr and "3年期以内" in bad.stderr
    def ours(*options: str) -> list[dict]:  # type: ignore[type-arg]
        return [r for r in json.loads(fupin("--db", demo_db, "loans", *options, "--json").stdout)
                if r["household"] == h["number"]]

    assert ours("--all") == []  # nothing saved
    fupin("--db", demo_db, "loans", "add", "--household", h["number"], "--borrower", h["head"], "--bank",
                "荥阳农商银行", "--yuan", "5万", "--months", "36", "--rate", "4.35", "--lent-on", "2020-03-01",
                "--use", "养牛")
    (row,) = ours("--due")  # long overdue: on the due list
    assert row["amount_fen"] == 5_000_000 and row["due_on"] == "2023-03-01" and row["days_left"] < 0
    fupin("--db", demo_db, "loans", "repay", "--loan", row["code"], "--on", "2023-02-20")
    assert ours("--due") == []
