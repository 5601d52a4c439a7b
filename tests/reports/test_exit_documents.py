"""退出确认表 prints both confirmations (or the blanks to sign); 贫困村退出核查表 each item and the verdict."""

from datetime import date

from fupin_desktop.reports import exits as exit_reports
from fupin_desktop.services import exits, print_data
from fupin_desktop.services.households import get_household
from tests.reports.pdf import flat, pdf_fonts, pdf_text
from tests.services.test_exits import YEAR, poor_household


def test_exit_sheet_prints_the_dual_confirmation(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hid = poor_household(s)
        pid = exits.propose_exit(s, hid, YEAR, food_clothing_ok=True, today=date(2025, 11, 1))
        exits.record_step(s, pid, "统计摸底", date(2025, 11, 3), participants="驻村工作队、村两委")
        number = get_household(s, hid).number
        blank = print_data.exit_sheet_data(s, number, today=date(2025, 12, 1))
        exits.confirm_by_government(s, pid, date(2025, 11, 18), "汜水镇人民政府")
        exits.confirm_by_household(s, pid, date(2025, 11, 19), "张建国", "按手印")
        signed = print_data.exit_sheet_data(s, number, year=YEAR, today=date(2025, 12, 1))
    text = flat(pdf_text(exit_reports.write_exit_sheet(tmp_path / "blank.pdf", blank)))
    assert "双认定" in text and "尚未认定" in text and "尚未确认" in text and "户主或家庭成员（签字或按手印）" in text
    assert "统计摸底" in text and "未进行" in text and "扶贫标准6,000元" in text
    path = exit_reports.write_exit_sheet(tmp_path / "signed.pdf", signed)
    text = flat(pdf_text(path))
    assert "已认定：汜水镇人民政府，2025年11月18日" in text and "已确认：张建国按手印，2025年11月19日" in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))


def test_village_exit_sheet_lists_items_and_gaps(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        exits.set_village_item(s, YEAR, "通客车", "达标", evidence="县交通局通车验收单", checked_on=date(2025, 6, 1),
                               today=date(2025, 12, 1))
        exits.set_village_item(s, YEAR, "通宽带网络", "未达标", note="三组未通光纤", today=date(2025, 12, 1))
        data = print_data.village_exit_data(s, year=YEAR, today=date(2025, 12, 1))
    text = flat(pdf_text(exit_reports.write_village_exit(tmp_path / "village.pdf", data)))
    assert "贫困村退出核查表" in text and "县交通局通车验收单" in text and "三组未通光纤" in text
    assert "尚不具备退出条件" in text and "未达标：通宽带网络" in text


def test_card_shows_the_loan_apart_from_the_policies(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fupin_desktop.domain.registers import LoanForm
    from fupin_desktop.reports import card
    from fupin_desktop.services import loans

    with db.transaction() as s:
        hid = poor_household(s)
        loans.save_loan(s, hid, LoanForm(borrower="张建国", bank="荥阳农商银行", amount_fen=3_000_000, term_months=36,
                                         rate_bp=435, subsidy_bp=435, lent_on=date(2024, 4, 1)),
                        today=date(2025, 12, 1))
        data = print_data.card_data(s, get_household(s, hid).number, year=YEAR, today=date(2025, 12, 1))
    assert data.policies == () and len(data.loans) == 1 and data.loans[0].due_on == date(2027, 4, 1)
    text = flat(pdf_text(card.write_cards(tmp_path / "card.pdf", [data])))
    assert "暂无享受政策记录" in text and "扶贫小额信贷（须按期归还，本金不计入享受政策）" in text
    assert "荥阳农商银行" in text and "30,000" in text and "全额贴息" in text
