"""Exit 双认定 and the village exit check, relocation and microcredit: `fupin exits`, `fupin village-exit`,
`fupin relocation`, `fupin loans`."""

import argparse
import json
from datetime import date
from typing import Any

from fupin_desktop.cli.common import CLI, AddCommand, reading, writing
from fupin_desktop.domain.money import rate, yuan_whole
from fupin_desktop.errors import FupinError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2026-03-01 的形式，而不是“{text}”") from None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _dump(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _percent(text: str) -> int:
    """'4.35' or '4.35%' → 435 (hundredths of a percent)."""
    try:
        value = round(float(text.strip().removesuffix("%")) * 100)
    except ValueError:
        raise argparse.ArgumentTypeError(f"利率应写成百分数，如 4.35，而不是“{text}”") from None
    return value


# -- exits ---------------------------------------------------------------------------------------

def cmd_exits(args: argparse.Namespace) -> int:
    from fupin_desktop.services import exits
    from fupin_desktop.services.households import household_by_number

    if args.action == "confirm":
        if not args.household:
            raise FupinError("请用 --household 写出户编号")
        government = args.government_by or args.government_on
        household = args.signer or args.method or args.on
        if not government and not household:
            raise FupinError("请给出政府认定（--government-by 单位 --government-on 日期）或农户确认"
                             "（--signer 姓名 --method 签字/按手印 --on 日期），或两者")
        if government and not (args.government_by and args.government_on):
            raise FupinError("政府认定须同时给出 --government-by 和 --government-on")
        if household and not (args.signer and args.method and args.on):
            raise FupinError("农户确认须同时给出 --signer、--method 和 --on")

        def confirm(s: Any) -> Any:
            p = exits.procedure_for(s, household_by_number(s, args.household), args.year)
            if government:
                exits.confirm_by_government(s, p.id, args.government_on, args.government_by)
            if household:
                exits.confirm_by_household(s, p.id, args.on, args.signer, args.method)
            return p

        p = writing(args, confirm, actor=CLI)
        print(f"已登记户{p.household_number}（{p.head_name}）{p.year}年退出的双认定。")
        return 0
    rows = reading(args, exits.list_procedures)
    if args.json:
        _dump([{"household": r.household_number, "head": r.head_name, "year": r.year,
                "proposed_on": _iso(r.proposed_on), "finished_on": _iso(r.finished_on),
                "steps": {st.step: _iso(st.done_on) for st in r.steps}, "next_step": r.next_step,
                "government_confirmed_on": _iso(r.confirmation.government_on),
                "government_confirmed_by": r.confirmation.government_by,
                "household_confirmed_on": _iso(r.confirmation.household_on),
                "household_signer": r.confirmation.household_signer,
                "household_sign_method": r.confirmation.sign_method} for r in rows])
        return 0
    for r in rows:
        c = r.confirmation
        gov = f"政府认定{c.government_on}（{c.government_by}）" if c.government_on else "政府未认定"
        own = f"农户{c.household_signer}{c.sign_method}{c.household_on}" if c.household_on else "农户未确认"
        print(f"{r.household_number} {r.head_name}\t{r.year}年\t{r.next_step or '已销号'}\t{gov}；{own}")
    print(f"共{len(rows)}户在退出程序中。" if rows else "暂无拟退出户。")
    return 0


def cmd_village_exit(args: argparse.Namespace) -> int:
    from fupin_desktop.domain import clock
    from fupin_desktop.services import exits

    year = args.year or clock.today().year
    if args.set:
        def set_item(s: Any) -> Any:  # and read the check as it now stands, in the same opening (one sign-in)
            exits.set_village_item(s, year, args.set, args.state or "", evidence=args.evidence,
                                   checked_on=args.checked_on, note=args.note)
            return exits.village_exit(s, year)

        v = writing(args, set_item, actor=CLI)
        print(f"已登记{year}年“{args.set}”：{args.state}。")
    else:
        v = reading(args, lambda s: exits.village_exit(s, year))
    if args.json:
        _dump({"year": v.year, "poor_households": v.poor_households, "poor_persons": v.poor_persons,
               "population": v.population, "population_source": v.population_source,
               "incidence_percent": v.incidence_percent, "meets_incidence": v.meets_incidence,
               "collective_income_fen": v.collective_income_fen, "exit_year": v.exit_year, "ready": v.ready,
               "gaps": list(v.gaps), "watch": list(v.watch),
               "items": [{"item": i.item, "state": i.state, "evidence": i.evidence, "checked_on": _iso(i.checked_on),
                          "note": i.note} for i in v.items]})
        return 0
    incidence = "—" if v.incidence_percent is None else f"{v.incidence_percent:.2f}%"
    print(f"{v.year}年贫困发生率 {incidence}（未脱贫{v.poor_households}户{v.poor_persons}人 ÷ {v.population}人，"
          f"{v.population_source}）")
    for i in v.items:
        extra = "；".join(x for x in (i.evidence, f"{i.checked_on}核查" if i.checked_on else None, i.note) if x)
        print(f"  [{i.state}] {i.item}" + (f"：{extra}" if extra else ""))
    if v.collective_income_fen is not None:
        print(f"  村集体经济收入：{yuan_whole(v.collective_income_fen)}元")
    if v.ready:
        print("结论：贫困发生率低于2%，各项均达标。")
    else:
        print("结论：尚不具备退出条件——" + "；".join(v.gaps))
    for w in v.watch:
        print(f"注意：{w}，须列入清单逐一完善。")
    return 0


# -- relocation ----------------------------------------------------------------------------------

def cmd_relocation(args: argparse.Namespace) -> int:
    from fupin_desktop.domain.registers import RelocationForm
    from fupin_desktop.services import relocation
    from fupin_desktop.services.households import household_by_number

    if args.action == "set":
        missing = [o for o, v in (("--household", args.household), ("--site", args.site),
                                  ("--area", args.area), ("--members", args.members)) if v is None]
        if missing:
            raise FupinError(f"登记搬迁须给出：{'、'.join(missing)}")
        form = RelocationForm(site=args.site, house_area_m2=args.area, members_moved=args.members,
                              batch_year=args.batch_year, house_number=args.house_number, moved_on=args.moved_on,
                              demolish_due=args.demolish_due, demolished_on=args.demolished_on,
                              deed_due=args.deed_due, deed_surrendered_on=args.deed_on,
                              same_time_non_poor=args.non_poor, note=args.note)
        writing(args, lambda s: relocation.save_relocation(s, household_by_number(s, args.household), form), actor=CLI)
        print(f"已登记户{args.household}的易地扶贫搬迁（{args.site}，{args.area:g}平方米，{args.members}人）。")
        return 0
    rows = reading(args, relocation.list_relocations)
    if args.json:
        _dump([{"household": r.household_number, "head": r.head_name, "site": r.form.site,
                "batch_year": r.form.batch_year, "house_number": r.form.house_number,
                "house_area_m2": r.form.house_area_m2, "members_moved": r.form.members_moved,
                "moved_on": _iso(r.form.moved_on), "demolish_due": _iso(r.form.demolish_due),
                "demolished_on": _iso(r.form.demolished_on), "deed_due": _iso(r.form.deed_due),
                "deed_surrendered_on": _iso(r.form.deed_surrendered_on), "open_tasks": list(r.open_tasks)}
               for r in rows])
        return 0
    for r in rows:
        f = r.form
        todo = "；".join(f"待{t}" for t in r.open_tasks) or "拆旧、交证已完成"
        print(f"{r.household_number} {r.head_name}\t{f.site}\t{f.house_area_m2:g}㎡/{f.members_moved}人\t"
              f"入住{f.moved_on or '—'}\t拆旧期限{f.demolish_due or '—'}\t{todo}")
    print(f"共{len(rows)}户易地扶贫搬迁。" if rows else "还没有易地扶贫搬迁记录。")
    return 0


# -- loans ---------------------------------------------------------------------------------------

def cmd_loans(args: argparse.Namespace) -> int:
    from fupin_desktop.domain import clock
    from fupin_desktop.domain.money import parse_yuan
    from fupin_desktop.domain.registers import DUE_SOON_DAYS, LoanForm
    from fupin_desktop.services import loans
    from fupin_desktop.services.households import household_by_number

    today = clock.today()
    if args.action == "add":
        missing = [o for o, v in (("--household", args.household), ("--borrower", args.borrower),
                                  ("--bank", args.bank), ("--yuan", args.yuan), ("--months", args.months),
                                  ("--rate", args.rate), ("--lent-on", args.lent_on)) if v is None]
        if missing:
            raise FupinError(f"登记贷款须给出：{'、'.join(missing)}")
        fen = parse_yuan(args.yuan)
        form = LoanForm(borrower=args.borrower, bank=args.bank, amount_fen=fen, term_months=args.months,
                        rate_bp=args.rate, subsidy_bp=args.rate if args.subsidy is None else args.subsidy,
                        lent_on=args.lent_on, use_kind=args.use_kind, use=args.use, due_on=args.due_on,
                        note=args.note)
        loan_id = writing(args, lambda s: loans.save_loan(s, household_by_number(s, args.household), form),
                          actor=CLI)
        print(f"已登记贷款 {loans.short_code(loan_id)}：{args.borrower} {args.bank} {yuan_whole(fen)}元 "
              f"{args.months}个月。")
        return 0
    if args.action in ("repay", "follow-up"):
        if not (args.loan and args.on):
            raise FupinError("请给出 --loan 贷款编号 和 --on 日期")

        def record(s: Any) -> Any:
            loan_id = loans.loan_by_code(s, args.loan)
            if args.action == "repay":
                loans.record_repaid(s, loan_id, args.on)
            else:
                loans.record_follow_up(s, loan_id, args.on, args.note)
            return loan_id

        loan_id = writing(args, record, actor=CLI)
        what = "还款" if args.action == "repay" else "贷后跟踪"
        print(f"已登记贷款 {loans.short_code(loan_id)} 的{what}：{args.on}。")
        return 0
    within = DUE_SOON_DAYS if args.due else None
    rows = reading(args, lambda s: loans.list_loans(s, due_within=within, include_repaid=args.all, today=today))
    if args.json:
        _dump([{"id": r.id.hex, "code": loans.short_code(r.id), "household": r.household_number, "head": r.head_name,
                "borrower": r.form.borrower, "bank": r.form.bank, "amount_fen": r.form.amount_fen,
                "term_months": r.form.term_months,
                "rate_percent": r.form.rate_bp / 100, "subsidy_percent": r.form.subsidy_bp / 100,
                "use_kind": r.form.use_kind, "use": r.form.use, "lent_on": _iso(r.form.lent_on),
                "due_on": _iso(r.form.due_on), "repaid_on": _iso(r.form.repaid_on),
                "followed_up_on": _iso(r.form.followed_up_on), "measure": r.measure,
                "days_left": None if r.form.repaid_on else r.days_left(today)} for r in rows])
        return 0
    for r in rows:
        f = r.form
        state = f"已还{f.repaid_on}" if f.repaid_on else (
            f"逾期{-r.days_left(today)}天" if r.days_left(today) < 0 else f"{r.days_left(today)}天后到期")
        print(f"{loans.short_code(r.id)}  {r.household_number} {f.borrower}\t{f.bank}\t{yuan_whole(f.amount_fen)}元\t"
              f"{f.term_months}个月 {rate(f.rate_bp)}\t{f.lent_on}→{f.due_on}\t{state}\t"
              f"跟踪{f.followed_up_on or '无'}")
    what = f"{DUE_SOON_DAYS}天内到期的" if args.due else ("" if args.all else "未还清的")
    print(f"共{len(rows)}笔{what}贷款。" if rows else f"没有{what}贷款。")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("exits", cmd_exits)
    c.add_argument("action", nargs="?", choices=["confirm"], metavar="confirm", help="confirm：登记双认定")
    c.add_argument("--household", metavar="户编号")
    c.add_argument("--year", type=int, metavar="年度", help="退出年度（默认：该户最近的退出程序）")
    c.add_argument("--government-by", metavar="单位", help="政府认定单位或签字人，如 汜水镇人民政府")
    c.add_argument("--government-on", type=_day, metavar="日期")
    c.add_argument("--signer", metavar="姓名", help="签字或按手印的户主或家庭成员")
    c.add_argument("--method", choices=["签字", "按手印"], metavar="签字/按手印")
    c.add_argument("--on", type=_day, metavar="日期", help="农户确认日期")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("village-exit", cmd_village_exit)
    c.add_argument("--year", type=int, metavar="年度", help="年度（默认今年）")
    c.add_argument("--set", metavar="项目", help="要登记的核查项目，如 通客车")
    c.add_argument("--state", choices=["达标", "未达标", "待核实"], metavar="达标/未达标/待核实")
    c.add_argument("--evidence", metavar="依据", help="达标的依据：验收文件、照片等")
    c.add_argument("--checked-on", type=_day, metavar="日期", help="核查日期")
    c.add_argument("--note", metavar="说明")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("relocation", cmd_relocation)
    c.add_argument("action", nargs="?", choices=["set"], metavar="set", help="set：登记或修改一户")
    c.add_argument("--household", metavar="户编号")
    c.add_argument("--site", metavar="安置点", help="如 雨露社区")
    c.add_argument("--area", type=float, metavar="平方米", help="安置住房面积")
    c.add_argument("--members", type=int, metavar="人数", help="搬迁人数")
    c.add_argument("--batch-year", type=int, metavar="年度")
    c.add_argument("--house-number", metavar="房号")
    c.add_argument("--moved-on", type=_day, metavar="日期", help="入住日期")
    c.add_argument("--demolish-due", type=_day, metavar="日期", help="拆旧复垦期限（默认入住后6个月）")
    c.add_argument("--demolished-on", type=_day, metavar="日期", help="旧房拆除日期")
    c.add_argument("--deed-due", type=_day, metavar="日期", help="交回宅基证期限（默认同拆旧期限）")
    c.add_argument("--deed-on", type=_day, metavar="日期", help="交回宅基证日期")
    c.add_argument("--non-poor", action="store_true", help="同步搬迁的非建档立卡户")
    c.add_argument("--note", metavar="说明")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("loans", cmd_loans)
    c.add_argument("action", nargs="?", choices=["add", "repay", "follow-up"], metavar="add/repay/follow-up")
    c.add_argument("--due", action="store_true", help="只列出90天内到期（含逾期）未还的贷款")
    c.add_argument("--all", action="store_true", help="也列出已还清的贷款")
    c.add_argument("--household", metavar="户编号")
    c.add_argument("--borrower", metavar="姓名", help="借款人（本户成员）")
    c.add_argument("--bank", metavar="银行", help="如 荥阳农商银行")
    c.add_argument("--yuan", metavar="元", help="贷款金额，如 50000 或 5万")
    c.add_argument("--months", type=int, metavar="月数", help="期限（月），最长36")
    c.add_argument("--rate", type=_percent, metavar="年利率%", help="如 4.35")
    c.add_argument("--subsidy", type=_percent, metavar="贴息%", help="财政贴息年利率（默认全额贴息，同利率）")
    c.add_argument("--lent-on", type=_day, metavar="日期", help="放贷日期")
    c.add_argument("--due-on", type=_day, metavar="日期", help="到期日期（默认放贷日期加期限）")
    c.add_argument("--use-kind", default="户贷户用", choices=["户贷户用", "企业带贫"], metavar="户贷户用/企业带贫")
    c.add_argument("--use", metavar="用途", help="如 养牛、香菇")
    c.add_argument("--loan", metavar="编号", help="贷款编号（列表第一列）")
    c.add_argument("--on", type=_day, metavar="日期", help="还款或跟踪日期")
    c.add_argument("--note", metavar="说明")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
