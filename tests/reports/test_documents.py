"""Every printout rendered from a real village database and read back as text."""

import errno
import os
import re
from dataclasses import replace
from datetime import date

import pytest

from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.domain.print_rows import BenefitLine, CardMeasure, ContactRow, ProblemRow, VisitLine
from fupin_desktop.domain.progress import Progress
from fupin_desktop.errors import Cancelled, FupinError, NotFoundError, StorageError
from fupin_desktop.reports import board, card, dossier, summary
from fupin_desktop.services import households, print_data
from fupin_desktop.services.cadres import CadreForm, save_cadre
from tests.reports.pdf import flat, page_texts, pages, pdf_fonts, pdf_images, pdf_info, pdf_text

TODAY = date(2026, 12, 1)
HEAD = idcard.make("410182", date(1961, 3, 4), 7, "男")
RELATIONS = ["配偶", "之子", "之女", "之儿媳", "之孙子", "之孙女", "之父", "之母", "之女婿", "之兄弟姐妹", "其他"]
RARE_NAMES = ["李喆", "王堃", "赵昇", "钱淼", "孙犇", "周玥", "吴珺", "郑赟", "冯䶮", "陈頔", "褚淼淼"]


def _member(i: int, relation: str) -> MemberForm:
    sex = "女" if relation in ("配偶", "之女", "之儿媳", "之孙女", "之母") else "男"
    born = date(1930 + i * 7 % 80, 1 + i % 12, 1 + i % 27)
    return MemberForm(RARE_NAMES[i % len(RARE_NAMES)], idcard.make("410182", born, 10 + i, sex), relation,
                      labour_ability="有劳动能力", employment_status="外出务工", employment_place="广东省深圳市宝安区")


@pytest.fixture
def village(db):
    """一户 with 12 members (rare names), one plain household without phone or helper, a team."""
    with db.transaction() as s:
        save_cadre(s, None, CadreForm("刘红星", "第一书记", "荥阳市农业农村局", "四级主任科员", "13044237046"))
        save_cadre(s, None, CadreForm("张帮扶", "帮扶责任人", "荥阳市财政局", "副局长", "18500548304"))
        members = [MemberForm("王淼犇", HEAD, "户主", labour_ability="有劳动能力")]
        members += [_member(i, r) for i, r in enumerate(RELATIONS)]
        households.save_household(s, None, HouseholdForm(
            number="0001", status="未脱贫", group="一组", phone="13812345678", main_cause="01", helper_name="张帮扶",
            attributes=["dibao"], address="汜水镇新沟村一组" + "东" * 40, identified_year=2014), members)
        households.save_household(s, None, HouseholdForm(number="0002", status="监测户", group="二组"),
                                  [MemberForm("赵四", idcard.make("410182", date(1950, 2, 2), 3, "男"), "户主")])
        households.save_household(s, None, HouseholdForm(number="0003", status="一般农户", group="二组"),
                                  [MemberForm("钱五", idcard.make("410182", date(1955, 2, 2), 4, "男"), "户主")])
    return db


def _card(db, number="0001"):
    with db.reading() as s:
        return print_data.card_data(s, number, today=TODAY)


def test_card_names_the_household_masks_ids_and_lists_contacts(village, tmp_path):
    data = _card(village)
    path = card.write_cards(tmp_path / "card.pdf", [data])
    text = flat(pdf_text(path))
    assert pages(path) <= 2  # one sheet: 13 members and a team fill its front and back
    assert "帮扶明白卡" in text and "王淼犇" in text and "荥阳市汜水镇新沟村" in text
    assert idcard.mask(HEAD) in text and HEAD not in text
    for m in data.household.members:
        assert m.id_number not in text
        assert idcard.mask(m.id_number) in text
    assert "18500548304" in text and "13044237046" in text and "13812345678" in text and "12317" in text
    assert "2026年度帮扶计划（N+2）尚未录入本系统" in text and "2026年度暂无享受政策记录" in text
    assert "户主（签字或按手印）" in text and f"第1页共{pages(path)}页" in text
    assert all(name in text for name in RARE_NAMES)


def test_card_fonts_are_embedded_subsets(village, tmp_path):
    path = card.write_cards(tmp_path / "card.pdf", [_card(village)])
    found = pdf_fonts(path)
    assert found and all(f["emb"] == "yes" and f["sub"] == "yes" for f in found)


def test_twelve_members_and_thirty_measures_flow_onto_more_pages_legibly(village, tmp_path):
    data = _card(village)
    assert len(data.household.members) == 12
    measures = tuple(CardMeasure(
        target="全户" if i % 2 else data.household.members[i % 12].name, family="转扶搬保救"[i % 5],
        type=f"措施类型{i}", content=f"第{i}项帮扶内容：发放产业奖补资金并跟踪落实到户到人，确保见效",
        responsible="张帮扶",
        deadline=date(2026, 1 + i % 12, 1), amount_fen=150000 + i) for i in range(30))
    policies = (BenefitLine("教育资助", "周玥", 150000, date(2026, 3, 1)), BenefitLine("医保代缴", "全户", 38000))
    path = card.write_cards(tmp_path / "big.pdf", [replace(data, measures=measures, policies=policies)])
    texts = page_texts(path)
    assert len(texts) >= 2
    assert all(f"共{len(texts)}页" in flat(t) for t in texts)
    everything = flat("".join(texts))
    for i in range(30):
        assert f"第{i}项帮扶内容" in everything
    assert "教育资助" in everything and "1,500" in everything
    assert everything.count("帮扶内容") >= len(texts)  # the header row repeats on each page of the table


def test_a_card_of_an_ordinary_household_shrinks_to_one_page(village, tmp_path):
    data = _card(village, "0002")
    measures = tuple(CardMeasure("全户", "扶", "产业奖补", f"内容{i}", "张帮扶", None, 100000) for i in range(14))
    path = card.write_cards(tmp_path / "fit.pdf", [replace(data, measures=measures)])
    assert pages(path) == 1


def test_a_household_of_six_with_ten_measures_prints_on_one_sheet_in_large_type(village, tmp_path):
    """The wall card of a typical supported household: one sheet, front and back, not two sheets and
    not 9 pt type (demo village: 6 members, 10 measures, 7 policies and a team of 5 is among its
    largest cards)."""
    data = _card(village)
    members = data.household.members[:6]  # long workplaces: 外出务工（广东省深圳市宝安区）
    names = [m.name for m in members]
    kinds = [("转", "产业发展就地就近吸纳", "在海棠园稳定就业，月收入1800元左右"),
             ("转", "劳务协作对外输出", "稳定外出务工，月收入3000元以上"),
             ("保", "家庭医生慢病签约服务", "签约家庭医生，慢病卡按时报销"),
             ("救", "残疾人两项补贴", "按月发放困难残疾人生活补贴、重度残疾人护理补贴"),
             ("保", "教育保障·义务教育", "初中在读，按时足额享受资助")]
    measures = tuple(CardMeasure(names[i % 6], *kinds[i % 5], "张帮扶", date(2026, 6 + i % 6, 1 + i),
                                 125000 if i % 2 else None) for i in range(7))
    for kind, content, amount in (("特色种植(特色农产品)", "种植石榴2亩，年增收3000元", 131000),
                                  ("土地流转", "土地流转给海棠园，每亩年租金800元", None),
                                  ("光伏收益", "光伏电站收益分配", 211000)):
        measures += (CardMeasure("全户", "扶", kind, content, "张帮扶", date(2026, 12, 17), amount),)
    policies = (BenefitLine("临时救助", "全户", 200000, date(2026, 11, 20), "2026.11—2026.11；荥阳市民政局"),
                *(BenefitLine("基本医疗保险代缴", n, 40000, date(2025, 12, 15), "2026.01—2026.12；荥阳市医疗保障局")
                  for n in names))
    team = (*data.team, *(ContactRow("工作队员", n, "荥阳市农业农村局", "一级科员", f"1334074551{i}")
                          for i, n in enumerate(("王宇航", "赵国伟"))),
            ContactRow("村党支部书记", "杨新峰", "新沟村党支部", "党支部书记", "13791801202"))
    data = replace(data, household=replace(data.household, members=members), measures=measures,
                   policies=policies, team=team)
    assert len(data.household.members) == 6 and len(data.measures) == 10
    path = card.write_cards(tmp_path / "six.pdf", [data])
    assert pages(path) == 2
    text = flat(pdf_text(path))
    assert "第1页共2页" in text and "第2页共2页" in text and "户主（签字或按手印）" in text
    # (a long content wraps in its cell: pdftotext reads the row's other cells between its lines)
    assert all(flat(m.content)[:8] in text for m in measures) and all(n in text for n in names)
    assert min(card.CARD_SIZES + card.SIDES_SIZES) >= 10  # it fits by layout, not by type too small for the wall


def test_forty_character_name_no_phone_no_helper_still_prints(village, tmp_path):
    data = _card(village, "0002")
    long_name = "阿卜杜热依木·买买提艾力·库尔班" * 2 + "艾合买提江·吐尔逊"
    assert len(long_name) >= 40
    member = replace(data.household.members[0], name=long_name)
    data = replace(data, household=replace(data.household, head=long_name, members=(member,), helper=None,
                                           phone=None))
    path = card.write_cards(tmp_path / "long.pdf", [data])
    text = flat(pdf_text(path))
    assert long_name.replace("·", "") in text.replace("·", "") and pages(path) == 1
    assert "联系电话无" in text and "帮扶责任人未确定" in text


def test_batch_numbers_each_household_from_page_one(village, tmp_path):
    with village.reading() as s:
        cards = print_data.cards_data(s, today=TODAY)
    assert [c.household.number for c in cards] == ["0001", "0002"]  # 一般农户 not by default
    seen = []
    path = card.write_cards(tmp_path / "all.pdf", cards,
                            progress=Progress(report=lambda done, total, _m: seen.append((done, total))))
    assert seen == [(1, 2), (2, 2)]
    texts = [flat(t) for t in page_texts(path)]
    first = [t for t in texts if "户编号0001" in t]
    second = [t for t in texts if "户编号0002" in t]
    assert len(first) + len(second) == len(texts) and len(second) == 1
    assert "第1页共1页" in second[0] and all(f"第{i}页共{len(first)}页" in t for i, t in enumerate(first, 1))


def test_cancelled_batch_leaves_no_file_and_keeps_the_old_one(village, tmp_path):
    with village.reading() as s:
        cards = print_data.cards_data(s, print_data.Selection(everyone=True), today=TODAY)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "cards.pdf"
    target.write_bytes(b"old")

    seen: list[int] = []
    with pytest.raises(Cancelled):  # the person waiting cancels after the first household
        card.write_cards(target, cards, progress=Progress(report=lambda done, _t, _m: seen.append(done),
                                                          cancelled=lambda: len(seen) >= 1))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in out.iterdir()) == ["cards.pdf"]


def test_full_disk_is_a_clear_message_and_leaves_nothing(village, tmp_path, monkeypatch):
    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    data = _card(village)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match="磁盘空间已满.*没有留下不完整的文件"):
        card.write_cards(out / "card.pdf", [data])
    assert list(out.iterdir()) == []


def test_missing_folder_is_a_clear_message(village, tmp_path):
    with pytest.raises(StorageError, match="不存在（U盘被拔出了吗？）"):
        card.write_cards(tmp_path / "gone" / "card.pdf", [_card(village)])


def test_read_only_folder_is_a_clear_message(village, tmp_path, monkeypatch):
    def refuse(*_args, **_kw):
        raise OSError(errno.EROFS, "Read-only file system")

    data = _card(village)
    monkeypatch.setattr("pathlib.Path.open", refuse)
    with pytest.raises(StorageError, match="只读"):
        card.write_cards(tmp_path / "card.pdf", [data])


def test_one_file_per_household(village, tmp_path):
    with village.reading() as s:
        cards = print_data.cards_data(s, print_data.Selection(group="二组", everyone=True), today=TODAY)
    files = card.write_cards_to_folder(tmp_path, cards)
    assert [f.name for f in files] == ["明白卡_0002_赵四.pdf", "明白卡_0003_钱五.pdf"]
    assert all(pages(f) == 1 for f in files)


def test_unknown_household_and_empty_selection(village):
    with village.reading() as s:
        with pytest.raises(NotFoundError, match="9999"):
            print_data.card_data(s, "9999")
        assert print_data.cards_data(s, print_data.Selection(status="已脱贫(享受政策)")) == []
    with pytest.raises(FupinError, match="没有要打印的农户"):
        card.write_cards("/tmp/never.pdf", [])


def test_plan_sheet_has_signature_lines(village, tmp_path):
    path = card.write_cards(tmp_path / "plan.pdf", [_card(village)], plan=True)
    text = flat(pdf_text(path))
    assert "帮扶计划（N+2）确认表" in text and "驻村第一书记（签字）" in text and "村委会（盖章）" in text


def test_dossier_pages_incomes_and_full_ids_only_when_asked(village, tmp_path):
    with village.reading() as s:
        masked = print_data.dossier_data(s, "0001", today=TODAY)
        full = print_data.dossier_data(s, "0001", mask_ids=False, today=TODAY)
    visits = (VisitLine(date(2026, 5, 1), "0001 王淼犇", "刘红星", "入户走访", "了解务工收入，核实住房饮水"),)
    problems = (ProblemRow(date(2026, 4, 1), "自查", "饮水水量不足", "0001", "张帮扶", "接通自来水", None, "整改中"),)
    path = dossier.write_dossiers(tmp_path / "d.pdf", [replace(masked, visits=visits, problems=problems)])
    text = flat(pdf_text(path))
    assert "一户一档" in text and HEAD not in text and idcard.mask(HEAD) in text
    assert "了解务工收入" in text and "接通自来水" in text and "暂无公示记录" in text
    assert f"第1页共{pages(path)}页" in text
    path = dossier.write_dossiers(tmp_path / "full.pdf", [full])
    assert HEAD in flat(pdf_text(path)) and "内部档案注意保密" in flat(pdf_text(path))


def test_board_is_a3_landscape_with_the_team_and_households(village, tmp_path):
    with village.reading() as s:
        data = print_data.board_data(s, today=TODAY)
    path = board.write_board(tmp_path / "board.pdf", data)
    size = pdf_info(path)["Page size"]
    assert size.startswith("1190.55 x 841.89")
    text = flat(pdf_text(path))
    assert "刘红星" in text and "13044237046" in text and "王淼犇" in text and "赵四" in text
    assert "钱五" not in text  # 一般农户 are not on the board
    assert HEAD not in text and "帮扶计划（N+2）尚未录入本系统" in text and "2026年度暂无项目" in text


def test_summary_counts_and_checklist(village, tmp_path):
    with village.reading() as s:
        data = print_data.summary_data(s, today=TODAY)
    assert (data.households, data.members) == (3, 14)
    assert {r.label: r.households for r in data.by_status}["未脱贫"] == 1
    path = summary.write_summary(tmp_path / "s.pdf", data)
    text = flat(pdf_text(path))
    assert "总户数3户" in text and "住房安全有保障" in text and "因病" in text


def test_monitoring_register_lists_lowest_incomes_per_group(village, tmp_path):
    with village.reading() as s:
        data = print_data.monitoring_data(s, today=TODAY)
    assert [(g.group, g.households, g.without_income) for g in data.groups] == [("一组", (), 1), ("二组", (), 2)]
    path = summary.write_monitoring(tmp_path / "m.pdf", data)
    assert "尚未登记2025年度收入" in flat(pdf_text(path))


def test_the_printed_five_lowest_is_the_screens_register(db, tmp_path):
    """Screen and paper (and the CLI) share services.monitoring.five_lowest: the same households, ranks,
    persons of the income year and per-capita figures, in the same order, ties included."""
    from fupin_desktop.services import monitoring
    from tests.services.test_monitoring import FIVE_LOWEST_ONE, FIVE_LOWEST_TWO, YEAR, five_lowest_village

    with db.transaction() as s:
        five_lowest_village(s)
    with db.reading() as s:
        data = print_data.monitoring_data(s, year=YEAR, today=TODAY)
        assert list(data.groups) == monitoring.five_lowest(s, YEAR, today=TODAY)
    lines = pdf_text(summary.write_monitoring(tmp_path / "m.pdf", data), layout=True).splitlines()
    printed = [line.split() for line in lines if re.match(r"\s*\d+\s+00\d\d\s", line)]
    assert [(int(r[0]), r[1], int(r[3]), r[-1]) for r in printed] == [
        (rank, number, persons, f"{pc:,}") for rank, number, persons, pc in FIVE_LOWEST_ONE + FIVE_LOWEST_TWO]
    assert "另有1户未登记2025年收入" in flat("".join(lines))


def test_visit_log_and_ledger_print_the_visits_and_problems(village, tmp_path):
    from fupin_desktop.services.ledger import LedgerForm, save_ledger_item
    from fupin_desktop.services.village import cadre_ids, current_village
    from fupin_desktop.services.visits import ProblemForm, VisitForm, household_by_number, record_visit

    with village.transaction() as s:
        helper = cadre_ids(s, current_village(s).id)["张帮扶"]
        record_visit(s, None, VisitForm(household_by_number(s, "0001"), date(2026, 5, 9), "帮扶责任人入户", [helper],
                                        notes="查看新房", problems=[ProblemForm("慢性病卡未办理")]), today=TODAY)
        save_ledger_item(s, None, LedgerForm("督查巡查", "路灯损坏", "资金项目", level="村级",
                                             received_on=date(2026, 5, 20)), today=TODAY)
    with village.reading() as s:
        log = print_data.visit_log(s, date(2026, 1, 1), date(2026, 6, 30), today=TODAY)
        empty = print_data.visit_log(s, date(2025, 1, 1), date(2025, 6, 30), today=TODAY)
        ledger = print_data.problem_ledger(s, today=TODAY)
    text = flat(pdf_text(summary.write_list(tmp_path / "v.pdf", log)))
    assert "查看新房" in text and "张帮扶" in text and "尚未录入本系统" not in text
    assert "尚未录入本系统" not in flat(pdf_text(summary.write_list(tmp_path / "e.pdf", empty)))
    text = flat(pdf_text(summary.write_list(tmp_path / "l.pdf", ledger)))
    assert "慢性病卡未办" in text and "路灯损坏" in text and "王淼犇" in text  # narrow columns wrap


def _png(color: str) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (300, 400), color).save(buffer, "PNG")
    return buffer.getvalue()


def test_visit_photos_and_team_photos_print_as_images(village, tmp_path):
    with village.reading() as s:
        d = print_data.dossier_data(s, "0001", today=TODAY)
        b = print_data.board_data(s, today=TODAY)
    visits = (VisitLine(date(2026, 5, 1), "0001", "刘红星", "入户走访", "查看新房", photos=(_png("red"), b"broken")),)
    path = dossier.write_dossiers(tmp_path / "d.pdf", [replace(d, visits=visits)])
    assert b"/Subtype /Image" in path.read_bytes() and "查看新房" in flat(pdf_text(path))
    team = tuple(replace(c, photo=_png("blue")) for c in b.team)
    path = board.write_board(tmp_path / "b.pdf", replace(b, team=team))
    assert b"/Subtype /Image" in path.read_bytes()
    path = board.write_board(tmp_path / "b0.pdf", b)  # no photos: empty frames saying 照片
    assert b"/Subtype /Image" not in path.read_bytes() and "照片" in pdf_text(path)


def test_the_board_prints_the_photo_of_a_cadre_who_has_one_cut_to_the_frame(village, tmp_path):
    from PIL import Image

    from fupin_desktop.services.cadres import set_cadre_photo
    from fupin_desktop.services.village import cadre_ids, current_village

    wide = tmp_path / "刘红星.png"  # landscape: cut to the upright frame, not squeezed into it
    Image.new("RGB", (900, 500), "navy").save(wide)
    with village.transaction() as s:
        save_cadre(s, None, CadreForm("李无照", "工作队员", "荥阳市农业农村局", "一级科员", "13044237047"))
        set_cadre_photo(s, cadre_ids(s, current_village(s).id)["刘红星"], wide)
    with village.reading() as s:
        data = print_data.board_data(s, today=TODAY)
    assert [(c.name, c.photo is not None) for c in data.team] == [("刘红星", True), ("李无照", False)]
    path = board.write_board(tmp_path / "board.pdf", data)
    (image,) = pdf_images(path)  # 刘红星's; 李无照 keeps the empty frame
    assert (image["width"], image["height"]) == ("260", "354")  # 22 × 30 mm at 300 dpi
    assert image["x-ppi"] == image["y-ppi"] == "300"  # drawn at its own shape: nothing stretched
    assert "李无照" in flat(pdf_text(path)) and "照片" in pdf_text(path)


def test_a_portrait_is_cut_from_the_middle_upright_and_white_where_transparent():
    from io import BytesIO

    from PIL import Image, ImageDraw

    wide = Image.new("RGB", (400, 200), "red")
    ImageDraw.Draw(wide).rectangle((100, 0, 299, 199), fill="blue")  # the person, in the middle
    buffer = BytesIO()
    wide.save(buffer, "PNG")
    with Image.open(BytesIO(board.portrait(buffer.getvalue()))) as out:
        assert out.size == (260, 354) and out.format == "JPEG"
        for corner in ((0, 0), (259, 0), (0, 353), (259, 353)):
            r, g, b = out.getpixel(corner)
            assert b > 200 and r < 60  # only the middle is kept: no red edge
    sideways = Image.new("RGB", (400, 200), "red")  # a phone photo stored lying down, upright by its EXIF
    ImageDraw.Draw(sideways).rectangle((0, 0, 199, 199), fill="blue")  # the head, on the left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    buffer = BytesIO()
    sideways.save(buffer, "JPEG", exif=exif.tobytes())
    with Image.open(BytesIO(board.portrait(buffer.getvalue()))) as out:
        assert out.getpixel((10, 10))[2] > 200 and out.getpixel((10, 343))[0] > 200  # head up, red below
    clear = Image.new("RGBA", (300, 400), (0, 0, 0, 0))
    buffer = BytesIO()
    clear.save(buffer, "PNG")
    with Image.open(BytesIO(board.portrait(buffer.getvalue()))) as out:
        assert min(out.getpixel((130, 177))) > 245  # white, not black


def test_an_empty_village_prints_its_documents_saying_so(db, tmp_path):
    with db.reading() as s:
        assert print_data.cards_data(s) == []
        b = print_data.board_data(s, today=TODAY)
        sm = print_data.summary_data(s, today=TODAY)
        mon = print_data.monitoring_data(s, today=TODAY)
    text = flat(pdf_text(board.write_board(tmp_path / "b.pdf", b)))
    assert "驻村工作队尚未登记" in text and "本村暂无建档立卡户和监测对象" in text
    text = flat(pdf_text(summary.write_summary(tmp_path / "s.pdf", sm)))
    assert "总户数0户" in text and "本村暂无建档立卡户" in text
    assert "尚未登记2025年度收入" in flat(pdf_text(summary.write_monitoring(tmp_path / "m.pdf", mon)))


def test_the_board_keeps_sensitive_attributes_off_unless_the_village_chose(village, tmp_path):
    """The 明白栏 is public: 低保户 (the fixture's household) is not printed by default; the setting or
    the CLI flag turns it on."""
    from fupin_desktop.services.board import board_shows_attributes, set_board_shows_attributes

    with village.reading() as s:
        assert not board_shows_attributes(s)
        data = print_data.board_data(s, today=TODAY)
    assert data.households[0].attributes == ("低保户",) and not data.show_attributes
    text = flat(pdf_text(board.write_board(tmp_path / "public.pdf", data)))
    assert "低保户" not in text and "户属性" in text and "不在明白栏公开" in text
    assert "王淼犇" in text and "0001" not in text  # one household a row, named, without its number
    with village.transaction() as s:
        set_board_shows_attributes(s, True)
    with village.reading() as s:
        data = print_data.board_data(s, today=TODAY)
        hidden = print_data.board_data(s, today=TODAY, show_attributes=False)
    assert "低保户" in flat(pdf_text(board.write_board(tmp_path / "chosen.pdf", data)))
    assert "低保户" not in flat(pdf_text(board.write_board(tmp_path / "hidden.pdf", hidden)))


def test_the_board_is_set_in_large_type_one_household_a_line(village, tmp_path):
    with village.reading() as s:
        data = print_data.board_data(s, today=TODAY)
    path = board.write_board(tmp_path / "board.pdf", data)
    assert board.BODY_SIZE >= 16
    rows = [flat(line) for line in pdf_text(path, layout=True).splitlines()]
    assert any(r.startswith("1") and "王淼犇" in r and "张帮扶" in r and "18500548304" in r for r in rows)


def test_wide_ledgers_are_landscape_and_keep_dates_and_numbers_whole(village, tmp_path):
    """走访记录, 问题整改台账 and 一户一档 on A4 landscape; a date, a household number and a masked ID
    number each on one line (ReportLab's own CJK wrap cut "2026-09-0 / 2")."""
    number = "4101821042010044"
    rows = tuple(ProblemRow(date(2026, 9, 2), "走访发现", f"2026-00{i} 饮水：供水保证率、入户水管冬季易冻裂，停水频繁",
                            f"{number} 王帅帅", "张帮扶", "水管员上门包裹保温层，2026-11-30前完成", date(2026, 11, 30),
                            "整改中") for i in range(3))
    with village.reading() as s:
        ledger = replace(print_data.problem_ledger(s, today=TODAY), rows=rows)
        full = print_data.dossier_data(s, "0001", mask_ids=True, today=TODAY)
    for path in (summary.write_list(tmp_path / "ledger.pdf", ledger),
                 dossier.write_dossiers(tmp_path / "dossier.pdf", [full])):
        assert pdf_info(path)["Page size"].startswith("841.89 x 595.2")  # A4 landscape
    lines = pdf_text(tmp_path / "ledger.pdf", layout=True).splitlines()
    assert sum("2026-09-02" in line for line in lines) == 3 and sum(number in line for line in lines) == 3
    assert sum("2026-11-30" in line for line in lines) >= 3
    masked = [idcard.mask(m.id_number) for m in full.household.members]
    dossier_lines = pdf_text(tmp_path / "dossier.pdf", layout=True)
    assert all(m in dossier_lines for m in masked)  # each ID on one line
