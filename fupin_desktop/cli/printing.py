"""`fupin print …`: 明白卡, plan sheets, dossiers, the notice board, statistics and ledgers as PDF."""

import argparse
import json
from datetime import date
from pathlib import Path

from fupin_desktop.cli.common import AddCommand, open_db, progress, reading, status_filter
from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.errors import FupinError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 2026-03-01 的形式，而不是“{text}”") from None


def _done(args: argparse.Namespace, files: list[Path], households: int | None = None) -> int:
    if args.json:
        print(json.dumps({"files": [str(f) for f in files], "households": households}, ensure_ascii=False))
    else:
        for f in files:
            print(f"已生成：{f}")
        if households is not None:
            print(f"共 {households} 户。")
    return 0


def cmd_card(args: argparse.Namespace) -> int:
    from fupin_desktop.reports import card
    from fupin_desktop.services import print_data

    data = reading(args, lambda s: print_data.card_data(s, args.household, year=args.year,
                                                        checks=args.what == "plan"))
    return _done(args, [card.write_cards(args.out, [data], plan=args.what == "plan")], 1)


def _selection(args: argparse.Namespace):
    from fupin_desktop.services.print_data import Selection

    numbers = tuple(n.strip() for n in (args.households or "").replace("，", ",").split(",") if n.strip())
    status, attribute = status_filter(args.status)
    return Selection(numbers=numbers, group=args.group, status=status, attribute=attribute, everyone=args.all)


def cmd_cards(args: argparse.Namespace) -> int:
    from fupin_desktop.reports import card
    from fupin_desktop.services import print_data

    if bool(args.out) == bool(args.folder):
        raise FupinError("请给出 --out 文件（全部明白卡合成一个 PDF）或 --folder 文件夹（每户一个 PDF）之一。")
    cards = reading(args, lambda s: print_data.cards_data(s, _selection(args), year=args.year))
    if not cards:
        raise FupinError("没有符合条件的农户，没有生成文件。")
    show = QUIET if args.json else progress("已排版 {done}/{total} 户")
    every = max(1, len(cards) // 10)
    report = Progress(report=lambda done, total, message: show.report(done, total, message)
                      if done % every == 0 or done == total else None)

    if args.folder:
        folder = Path(args.folder)
        if not folder.is_dir():
            raise FupinError(f"文件夹 {folder} 不存在。")
        files = card.write_cards_to_folder(folder, cards, progress=report)
    else:
        files = [card.write_cards(args.out, cards, progress=report)]
    return _done(args, files, len(cards))


def cmd_dossier(args: argparse.Namespace) -> int:
    from fupin_desktop.reports import dossier
    from fupin_desktop.services import print_data

    numbers = [n.strip() for n in args.household.replace("，", ",").split(",") if n.strip()]
    data = reading(args, lambda s: [print_data.dossier_data(s, n, mask_ids=not args.full_ids) for n in numbers])
    return _done(args, [dossier.write_dossiers(args.out, data)], len(data))


def cmd_village(args: argparse.Namespace) -> int:
    from fupin_desktop.reports import board, summary
    from fupin_desktop.services import print_data

    db = open_db(args)
    try:
        with db.reading() as s:
            if args.what == "board":
                board_data = print_data.board_data(s, year=args.year, show_attributes=args.attributes)
                return _done(args, [board.write_board(args.out, board_data)])
            if args.what == "summary":
                return _done(args, [summary.write_summary(args.out, print_data.summary_data(s, year=args.year))])
            if args.what == "monitoring":
                data = print_data.monitoring_data(s, year=args.year)
                return _done(args, [summary.write_monitoring(args.out, data)])
            if args.what == "visits":
                if args.start > args.end:
                    raise FupinError("开始日期晚于结束日期。")
                return _done(args, [summary.write_list(args.out, print_data.visit_log(s, args.start, args.end))])
            return _done(args, [summary.write_list(args.out, print_data.problem_ledger(s))])
    finally:
        db.close()


def cmd_exit(args: argparse.Namespace) -> int:
    from fupin_desktop.reports import exits
    from fupin_desktop.services import print_data

    db = open_db(args)
    try:
        with db.reading() as s:
            if args.what == "exit":
                return _done(args, [exits.write_exit_sheet(args.out, print_data.exit_sheet_data(
                    s, args.household, year=args.year))], 1)
            return _done(args, [exits.write_village_exit(args.out, print_data.village_exit_data(s, year=args.year))])
    finally:
        db.close()


def add_commands(command: AddCommand) -> None:
    c = command("print", lambda _args: 0)
    sub = c.add_subparsers(dest="what", metavar="文档", title="文档")
    sub.required = True

    def doc(name: str, help_: str, func, *, out: bool = True, year: str | None = None):
        d = sub.add_parser(name, help=help_, description=help_)
        d.set_defaults(func=func)
        d._optionals.title = "选项"
        if out:
            d.add_argument("--out", required=True, metavar="文件", help="要写入的 PDF 文件（已存在时覆盖）")
        if year:
            d.add_argument("--year", type=int, metavar="年度", help=year)
        d.add_argument("--json", action="store_true", help="以 JSON 输出生成的文件")
        return d

    d = doc("card", "一户的帮扶明白卡（A4 一页）", cmd_card, year="年度（默认今年）")
    d.add_argument("--household", required=True, metavar="户编号")
    d = doc("cards", "批量明白卡：合成一个 PDF（--out）或每户一个 PDF（--folder）；默认打印建档立卡户和监测对象",
            cmd_cards, out=False, year="年度（默认今年）")
    d.add_argument("--out", metavar="文件", help="全部明白卡写入这一个 PDF")
    d.add_argument("--folder", metavar="文件夹", help="每户一个 PDF，写入该文件夹")
    d.add_argument("--households", metavar="户编号,…", help="只打印这些户（逗号分隔）")
    d.add_argument("--group", metavar="村民组", help="只打印该村民组")
    d.add_argument("--status", metavar="户状态", help="只打印该户状态")
    d.add_argument("--all", action="store_true", help="打印全部农户（含一般农户）")
    d = doc("plan", "一户的帮扶计划（N+2）确认表，供户主和帮扶责任人签字", cmd_card, year="计划年度（默认今年）")
    d.add_argument("--household", required=True, metavar="户编号")
    d = doc("exit", "一户的脱贫退出确认表：退出标准核对、五个步骤和双认定（政府盖章、农户签字或按手印）", cmd_exit,
            year="退出年度（默认该户最近的退出程序）")
    d.add_argument("--household", required=True, metavar="户编号")
    doc("village-exit", "贫困村退出核查表：贫困发生率和各项核查结果、依据", cmd_exit, year="年度（默认今年）")
    d = doc("dossier", "一户一档（可多户，逗号分隔，合成一个 PDF）", cmd_dossier)
    d.add_argument("--household", required=True, metavar="户编号")
    d.add_argument("--full-ids", action="store_true", help="印出完整身份证号（内部档案；默认隐去中间8位）")
    d = doc("board", "明白栏（A3 横向，大字，一户一行）：工作队、建档立卡户和监测对象的帮扶情况、政策、公示、项目",
            cmd_village, year="年度（默认今年）")
    d.add_argument("--attributes", action=argparse.BooleanOptionalAction, default=None,
                   help="是否印出户属性（残疾人家庭、低保户、特困等，属个人敏感信息）；不写时按本村设置"
                        "（fupin board attributes，默认不印）")
    doc("summary", "全村统计表：户数人数、致贫原因、劳动能力、收入、退出标准核对", cmd_village, year="年度（默认今年）")
    doc("monitoring", "防返贫监测“五最低”名册：各村民组人均纯收入最低的5户", cmd_village,
        year="收入年度（默认去年）")
    d = doc("visits", "一段时间的走访记录", cmd_village)
    d.add_argument("--from", dest="start", required=True, type=_day, metavar="日期")
    d.add_argument("--to", dest="end", required=True, type=_day, metavar="日期")
    doc("ledger", "问题整改台账", cmd_village)
