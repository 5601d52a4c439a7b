"""The `fupin` command: a thin shell over the services. Messages and --help in Chinese."""

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from fupin_desktop import __version__, paths
from fupin_desktop.errors import FupinError, ValidationError

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
}
argparse._ = lambda s: _ARGPARSE_ZH.get(s, s)  # type: ignore[attr-defined]  # argparse has no other hook


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from fupin_desktop.db.session import open_database

    return open_database(args.db)


def cmd_init(args: argparse.Namespace) -> int:
    from fupin_desktop.services.setup import init_village

    init_village(args.db, village_code=args.village_code, village_name=args.village_name,
                 township=args.township, county=args.county, county_code=args.county_code, city=args.city)
    print(f"已新建数据库 {args.db}：{args.county}{args.township}{args.village_name}（{args.village_code}）")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from fupin_desktop.services.demo import build_demo

    summary = build_demo(args.db, village_code=args.village_code, households=args.households, seed=args.seed,
                         progress=lambda msg: print(msg, file=sys.stderr))
    print(f"已生成演示村 {summary.village}：{summary.households}户 {summary.members}人，"
          f"其中建档立卡{summary.registered}户 {summary.registered_members}人。数据库：{args.db}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from fupin_desktop.services.check import check_database

    db = _open(args)
    try:
        report = check_database(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for f in report.findings:
            print(f"[{f.severity}] {f.where}：{f.message}")
        print(f"检查完成：{report.households}户 {report.members}人；错误{report.errors}项，警告{report.warnings}项。")
    return 1 if report.errors else 0


def cmd_households(args: argparse.Namespace) -> int:
    from fupin_desktop.services.search import HouseholdQuery, search_households

    db = _open(args)
    try:
        with db.reading() as s:
            page = search_households(s, HouseholdQuery(text=args.search or "", group=args.group, status=args.status,
                                                       limit=args.limit))
    finally:
        db.close()
    if args.json:
        rows = [{"id": str(r.id), "number": r.number, "head": r.head_name, "id_number": r.head_id_number,
                 "group": r.group, "status": r.status, "members": r.members, "attributes": list(r.attributes),
                 "main_cause": r.main_cause, "phone": r.phone, "helper": r.helper} for r in page.rows]
        print(json.dumps({"total": page.total, "households": rows}, ensure_ascii=False, indent=2))
        return 0
    for r in page.rows:
        print(f"{r.number}\t{r.head_name}\t{r.group}\t{r.status}\t{r.members}人\t{r.phone or ''}")
    shown = f"，显示前{len(page.rows)}户" if page.total > len(page.rows) else ""
    print(f"共{page.total}户{shown}。")
    return 0


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from fupin_desktop.services.roster import import_roster, preview_roster

    db = _open(args)
    try:
        with db.reading() as s:
            preview = preview_roster(s, args.file, sheet=args.sheet,
                                     progress=None if args.json else _progress("已读取{done}行"))
        result = None
        if not args.dry_run and preview.importable:
            result = import_roster(db, preview, progress=None if args.json else _progress("已写入{done}/{total}户"))
    finally:
        db.close()
    if args.json:
        print(json.dumps(_preview_json(preview, result), ensure_ascii=False, indent=2))
    else:
        _print_preview(preview)
        if result is not None:
            print(result.summary() + "。")
        elif args.dry_run:
            print("试运行（--dry-run）：没有写入数据库。")
    return 0 if preview.importable else 1


def _progress(template: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        print(template.format(done=done, total=total), file=sys.stderr)
    return show


def _print_preview(preview) -> None:  # type: ignore[no-untyped-def]
    print(f"文件：{preview.file}　工作表：{preview.sheet}　表头在第{preview.header_row}行")
    for c in preview.unknown_headers:
        print(f"未识别的列（已忽略）：{c.letter}列“{c.header}”")
    if preview.problems:
        print(f"问题（{len(preview.problems)}条；有问题的户整户不导入）：")
        for m in preview.problems:
            print(f"  {m.where()}{f' [户编号 {m.number}]' if m.number else ''}：{m.message}")
    if preview.notes:
        print(f"提示（{len(preview.notes)}条，已自动处理）：")
        for m in preview.notes:
            print(f"  {m}")
    print(preview.summary() + "。")


def _preview_json(preview, result) -> dict:  # type: ignore[no-untyped-def]
    def rows(messages):  # type: ignore[no-untyped-def]
        return [{"row": m.row, "column": m.column, "letter": m.letter, "number": m.number, "message": m.message}
                for m in messages]

    return {
        "file": str(preview.file), "sheet": preview.sheet, "header_row": preview.header_row,
        "households_ok": len(preview.ok_households), "members_ok": preview.ok_members,
        "households_with_problems": len(preview.bad_households),
        "unknown_headers": [{"letter": c.letter, "header": c.header} for c in preview.unknown_headers],
        "problems": rows(preview.problems), "notes": rows(preview.notes),
        "imported": None if result is None else {"households": result.households, "members": result.members},
    }


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from fupin_desktop.services.roster import export_roster, write_template
    from fupin_desktop.services.search import HouseholdQuery

    if args.template:
        path = write_template(args.file)
        print(f"已写入空白花名册模板：{path}")
        return 0
    query = None
    if args.search or args.group or args.status:
        query = HouseholdQuery(text=args.search or "", group=args.group, status=args.status)
    db = _open(args)
    try:
        with db.reading() as s:
            result = export_roster(s, args.file, query)
    finally:
        db.close()
    print(result.summary() + "。")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from fupin_desktop.ui.app import main as gui_main

    return gui_main(db=args.db)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fupin", description="扶贫工作队桌面助手：农户档案、帮扶计划、走访、打印与同步。")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出")
    p.add_argument("--db", default=str(paths.default_database()), metavar="路径或URL",
                   help="SQLite 数据库文件路径，或 SQLAlchemy 连接串（如 postgresql+psycopg://…）；"
                        "默认：%(default)s")
    sub = p.add_subparsers(dest="command", metavar="命令", title="命令")
    sub.required = True

    def command(name: str, help_: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=help_)
        c.set_defaults(func=func)
        return c

    c = command("init", "新建本村数据库（已存在时拒绝覆盖）", cmd_init)
    c.add_argument("--village-code", required=True, metavar="代码", help="12位村级统计用区划代码，如 410182104201")
    c.add_argument("--village-name", required=True, metavar="村名", help="如 新沟村")
    c.add_argument("--township", required=True, metavar="乡镇", help="如 汜水镇")
    c.add_argument("--county", required=True, metavar="县市区", help="如 荥阳市")
    c.add_argument("--county-code", metavar="代码", help="6位县级区划代码（默认取村代码前6位）")
    c.add_argument("--city", metavar="地市", help="如 郑州市")

    c = command("demo", "生成演示村数据库（默认：荥阳市汜水镇新沟村，437户1688人）", cmd_demo)
    c.add_argument("--village-code", default="410182104201", metavar="代码", help="村代码（默认 %(default)s）")
    c.add_argument("--households", type=int, metavar="户数", help="户数（默认按新沟村实际437户；可放大用于性能测试）")
    c.add_argument("--seed", type=int, default=2020, metavar="种子",
                   help="随机种子，相同种子生成相同数据（默认 %(default)s）")

    c = command("check", "检查数据库完整性与数据质量（有错误时返回非零）", cmd_check)
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("households", "查询农户（姓名、拼音首字母、身份证号片段、户编号）", cmd_households)
    c.add_argument("--search", metavar="文本", help="如 张三、zsm、0158、001")
    c.add_argument("--group", metavar="村民组")
    c.add_argument("--status", metavar="户状态", help="如 未脱贫、已脱贫(享受政策)、监测户")
    c.add_argument("--limit", type=int, default=100, metavar="条数", help="最多显示条数（默认 %(default)s）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("import-xlsx", "从 Excel 花名册（.xlsx，一人一行）导入农户：先检查并列出每一行的问题，"
                               "再导入没有问题的户（全部成功或全部不导入；已有户编号的户不导入）；"
                               "没有可导入的户时返回非零", cmd_import_xlsx)
    c.add_argument("file", metavar="文件", help="花名册 .xlsx 文件")
    c.add_argument("--sheet", metavar="工作表", help="工作表名称（默认：第一个有花名册表头的工作表）")
    c.add_argument("--dry-run", action="store_true", help="只检查并列出问题，不写入数据库")
    c.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")

    c = command("export-xlsx", "把农户导出为 Excel 花名册（一人一行，可再导入），或写空白模板", cmd_export_xlsx)
    c.add_argument("file", metavar="文件", help="要写入的 .xlsx 文件（已存在时覆盖）")
    c.add_argument("--template", action="store_true", help="写空白花名册模板（表头、下拉列表、填写说明）")
    c.add_argument("--search", metavar="文本", help="只导出搜索到的农户（同 households --search）")
    c.add_argument("--group", metavar="村民组", help="只导出该村民组")
    c.add_argument("--status", metavar="户状态", help="只导出该户状态")

    command("gui", "打开图形界面", cmd_gui)
    for action in (p, *sub.choices.values()):
        action._optionals.title = "选项"  # argparse names this group before our gettext hook can
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as e:
        print("数据有误，未做任何保存：", file=sys.stderr)
        for err in e.errors:
            print(f"  - {err}", file=sys.stderr)
        return 2
    except FupinError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
