"""`fupin print …` as a user runs it, on a small demo village."""

import json

import pytest

from tests.cli import fupin
from tests.reports.pdf import flat, pages, pdf_fonts, pdf_images, pdf_info, pdf_text


@pytest.fixture(scope="module")
def demo(demo_copy, tmp_path_factory):
    return demo_copy(tmp_path_factory.mktemp("print") / "demo.db", households=40)


def test_cards_of_the_registered_households_into_one_pdf(demo, tmp_path):
    out = tmp_path / "cards.pdf"
    r = fupin("--db", demo, "print", "cards", "--out", out)
    assert "已生成" in r.stdout and "已排版" in r.stderr
    households = int(r.stdout.split("共 ")[1].split(" 户")[0])
    assert households > 0 and pages(out) >= households
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in pdf_fonts(out))
    assert flat(pdf_text(out)).count("帮扶明白卡") >= households


def test_one_card_plan_and_dossier(demo, tmp_path):
    found = json.loads(fupin("--db", demo, "households", "--status", "已脱贫(享受政策)", "--json").stdout)
    number = found["households"][0]["number"]
    fupin("--db", demo, "print", "card", "--household", number, "--out", tmp_path / "c.pdf")
    card = flat(pdf_text(tmp_path / "c.pdf"))
    assert number in card
    plans = json.loads(fupin("--db", demo, "plans", "--json").stdout)  # the card shows the plan's measures (issue 4)
    assert "尚未录入" not in card.split("2026年度帮扶措施")[1][:40], plans
    fupin("--db", demo, "print", "plan", "--household", number, "--year", "2026", "--out", tmp_path / "p.pdf")
    assert "2026年度帮扶措施（N+2）" in flat(pdf_text(tmp_path / "p.pdf"))
    fupin("--db", demo, "print", "dossier", "--household", number, "--out", tmp_path / "d.pdf")
    assert "历年收入" in flat(pdf_text(tmp_path / "d.pdf"))


def test_village_documents(demo, tmp_path):
    fupin("--db", demo, "print", "board", "--out", tmp_path / "b.pdf")
    assert pdf_info(tmp_path / "b.pdf")["Page size"].startswith("1190.55 x 841.89")
    fupin("--db", demo, "print", "summary", "--out", tmp_path / "s.pdf")
    assert "退出标准核对" in flat(pdf_text(tmp_path / "s.pdf"))
    fupin("--db", demo, "print", "monitoring", "--out", tmp_path / "m.pdf")
    assert "人均纯收入" in flat(pdf_text(tmp_path / "m.pdf"))
    fupin("--db", demo, "print", "visits", "--from", "2026-11-01", "--to", "2026-11-07", "--out", tmp_path / "v.pdf")
    visits = flat(pdf_text(tmp_path / "v.pdf"))  # the demo season of visits (issue 5)
    assert "2026-11-0" in visits and "人入户" in visits and "尚未录入本系统" not in visits
    fupin("--db", demo, "print", "ledger", "--out", tmp_path / "l.pdf")
    ledger = flat(pdf_text(tmp_path / "l.pdf"))
    assert "已销号" in ledger and "尚未录入本系统" not in ledger


def test_bad_input_is_a_chinese_message_and_no_file(demo, tmp_path):
    r = fupin("--db", demo, "print", "card", "--household", "nope", "--out", tmp_path / "x.pdf", check=False)
    assert r.returncode == 2 and "找不到户编号为“nope”的农户" in r.stderr
    r = fupin("--db", demo, "print", "summary", "--out", tmp_path / "gone" / "x.pdf", check=False)
    assert r.returncode == 2 and "U盘被拔出了吗" in r.stderr
    r = fupin("--db", demo, "print", "visits", "--from", "2026-13-01", "--to", "2026-06-30", "--out",
              tmp_path / "v.pdf", check=False)
    assert r.returncode == 2 and "日期应写成" in r.stderr
    r = fupin("--db", demo, "print", "cards", "--status", "已脱贫(享受政策)", "--group", "没有这个组", "--out",
              tmp_path / "y.pdf", check=False)
    assert r.returncode == 2 and "村民组“没有这个组”不存在" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_team_photos_from_the_cli_reach_the_board(demo, tmp_path):
    from PIL import Image

    team = [c for c in json.loads(fupin("--db", demo, "cadres", "--json").stdout) if c["photo"]]
    assert len(team) == 4  # the demo's placeholder portraits
    name = team[0]["name"]
    fupin("--db", demo, "cadres", "photo", "--name", name, "--remove")
    fupin("--db", demo, "print", "board", "--out", tmp_path / "b3.pdf")
    assert len(pdf_images(tmp_path / "b3.pdf")) == 3
    bad = tmp_path / "证件照.png"
    bad.write_text("不是图片", encoding="utf-8")
    r = fupin("--db", demo, "cadres", "photo", "--name", name, bad, check=False)
    assert r.returncode == 2 and "“证件照.png”不是图片文件" in r.stderr
    Image.new("RGB", (413, 579), "white").save(tmp_path / "二寸.jpg")
    assert "已设置" in fupin("--db", demo, "cadres", "photo", "--name", name, tmp_path / "二寸.jpg").stdout
    assert "照片：有" in next(line for line in fupin("--db", demo, "cadres").stdout.splitlines() if name in line)
    fupin("--db", demo, "print", "board", "--out", tmp_path / "b4.pdf")
    assert len(pdf_images(tmp_path / "b4.pdf")) == 4


def test_the_board_prints_household_attributes_only_when_chosen(demo, tmp_path):
    assert "不印户属性" in fupin("--db", demo, "board", "attributes").stdout
    fupin("--db", demo, "print", "board", "--out", tmp_path / "public.pdf")
    public = flat(pdf_text(tmp_path / "public.pdf"))
    assert "户属性等敏感信息不在明白栏公开" in public
    try:
        assert "印出户属性" in fupin("--db", demo, "board", "attributes", "on").stdout
        fupin("--db", demo, "print", "board", "--out", tmp_path / "chosen.pdf")
        fupin("--db", demo, "print", "board", "--no-attributes", "--out", tmp_path / "once.pdf")
    finally:
        fupin("--db", demo, "board", "attributes", "off")
    assert "不在明白栏公开" not in flat(pdf_text(tmp_path / "chosen.pdf"))
    assert "不在明白栏公开" in flat(pdf_text(tmp_path / "once.pdf"))
