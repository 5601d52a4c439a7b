"""Excel roster (花名册) import and export."""

import argparse
import json
from collections import Counter

from fupin_desktop.cli.common import AddCommand, open_db, progress
from fupin_desktop.services.roster.limits import PROBLEM_LINES, capped


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from fupin_desktop.services.roster import import_roster, preview_roster

    db = open_db(args)
    try:
        with db.reading() as s:
            preview = preview_roster(s, args.file, sheet=args.sheet,
                                     progress=None if args.json else progress("已读取{done}行"))
        result = None
        if not args.dry_run and preview.importable:
            result = import_roster(db, preview, progress=None if args.json else progress("已写入{done}/{total}户"))
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


def _print_preview(preview) -> None:  # type: ignore[no-untyped-def]
    print(f"文件：{preview.file}　工作表：{preview.sheet}　表头在第{preview.header_row}行")
    for c in preview.unknown_headers:
        print(f"未识别的列（已忽略）：{c.letter}列“{c.header}”")
    if preview.problems:
        print(f"问题（{len(preview.problems)}条；有问题的户整户不导入）：")
        shown, more = capped(preview.problems)
        for m in shown:
            print(f"  {m.where()}{f' [户编号 {m.number}]' if m.number else ''}：{m.message}")
        _more(more, preview.problems)
    if preview.notes:
        print(f"提示（{len(preview.notes)}条，已自动处理）：")
        shown, more = capped(preview.notes)
        for m in shown:
            print(f"  {m}")
        _more(more, preview.notes)
    print(preview.summary() + "。")


def _more(more: int, messages) -> None:  # type: ignore[no-untyped-def]
    """After the first PROBLEM_LINES lines: how many more, and of which kinds (by column)."""
    if not more:
        return
    kinds = Counter(m.column or "整行" for m in messages)
    print(f"  ……另有{more}条未列出（{PROBLEM_LINES}条之后）。按列统计：" +
          "，".join(f"{k} {n}条" for k, n in kinds.most_common(10)) + "。")


def _preview_json(preview, result) -> dict:  # type: ignore[no-untyped-def]
    def rows(messages):  # type: ignore[no-untyped-def]
        return [{"row": m.row, "column": m.column, "letter": m.letter, "number": m.number, "message": m.message}
                for m in messages]

    return {
        "file": str(preview.file), "sheet": preview.sheet, "header_row": preview.header_row,
        "households_ok": len(preview.ok_households), "members_ok": preview.ok_members,
        "households_with_problems": len(preview.bad_households),
        "unknown_headers": [{"letter": c.letter, "header": c.header} for c in preview.unknown_headers],
        "problems": rows(capped(preview.problems)[0]), "notes": rows(capped(preview.notes)[0]),
        "problems_total": len(preview.problems), "notes_total": len(preview.notes),
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
    db = open_db(args)
    try:
        with db.reading() as s:
            result = export_roster(s, args.file, query)
    finally:
        db.close()
    print(result.summary() + "。")
    return 0


def add_commands(command: AddCommand) -> None:
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
