"""Excel roster (花名册) import and export."""

import argparse
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from fupin_desktop.cli.common import AddCommand, open_db, progress, reading, status_filter
from fupin_desktop.domain.progress import QUIET
from fupin_desktop.errors import FupinError

if TYPE_CHECKING:
    from fupin_desktop.services.roster.results import RowMessage


def _options(args: argparse.Namespace):
    """--default-status, --default-exit-year, --map, --create-groups as RosterOptions."""
    from fupin_desktop.domain.statuses import read_status, status_filter
    from fupin_desktop.errors import InputError
    from fupin_desktop.services.roster import RosterOptions
    from fupin_desktop.services.roster.columns import match_header  # the services load with the command

    defaults: dict[str, object] = {}
    if args.default_status:
        term = read_status(args.default_status)
        if term is None or term.status is None:
            try:
                status_filter(args.default_status)  # its message lists the words
            except InputError as e:
                raise FupinError(f"--default-status：{e}") from None
            raise FupinError(f"--default-status：“{args.default_status}”只说明户属性，没有说明是否脱贫，"
                             "请写如 脱贫户、监测对象、一般户、贫困户")
        defaults["status"] = args.default_status
    if args.default_exit_year is not None:
        if not 1980 <= args.default_exit_year <= 2100:
            raise FupinError(f"--default-exit-year：“{args.default_exit_year}”不是年份，请写如 2019")
        defaults["exit_year"] = args.default_exit_year
    values: dict[str, dict[str, str]] = {}
    for text in args.map or []:
        column, _, pair = text.rpartition(":") if ":" in text.split("=")[0] else ("", "", text)
        old, sep, new = pair.partition("=")
        key = match_header(column) if column else "status"
        if not sep or not old.strip() or not new.strip() or key is None:
            raise FupinError(f"--map “{text}” 的格式应为 原值=新值（户状态列），"
                             "或 列名:原值=新值，如 健康状况:残疾=健康")
        values.setdefault(key, {})[old.strip()] = new.strip()
    return RosterOptions(defaults=defaults, values=values, create_groups=args.create_groups)


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from fupin_desktop.services.roster import import_roster, preview_roster

    options = _options(args)
    db = open_db(args)
    try:
        with db.reading() as s:
            preview = preview_roster(s, args.file, sheet=args.sheet, options=options,
                                     progress=QUIET if args.json else progress("已读取{done}行"))
        result = None
        if not args.dry_run and preview.importable:
            result = import_roster(db, preview, progress=QUIET if args.json else progress("已写入{done}/{total}户"))
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


def _print_preview(preview) -> None:
    from fupin_desktop.services.roster.limits import capped

    print(f"文件：{preview.file}　工作表：{preview.sheet}　表头在第{preview.header_row}行")
    for c in preview.unknown_headers:
        print(f"未识别的列（已忽略）：{c.letter}列“{c.header}”")
    for key in preview.missing:
        if key in preview.options.defaults:
            print(f"缺少的列：{_HEADERS[key]}，全部按“{preview.options.defaults[key]}”")
    for v in preview.values:
        print(f"值对应：{v.header}“{v.value}” → {v.meaning}（{len(v.rows)}户）")
    for v in preview.unknown_values:
        print(f"不认识的值：{v.header}“{v.value}”（{v.where()}）；可用 --map {v.header}:{v.value}=新值 指定")
    if preview.new_groups:
        names = "、".join(preview.new_groups)
        print(f"本村还没有的村民组：{names}（" + ("导入时新建）" if preview.options.create_groups
                                                  else "加 --create-groups 在导入时新建）"))
    if preview.problems:
        print(f"问题（{len(preview.problems)}条；有问题的户整户不导入）：")
        lines, more = capped(list(_grouped(preview.problems)))
        for m, rows in lines:
            if len(rows) > 1:  # the same message for many households (a missing column): said once
                row_numbers = "、".join(str(r) for r in rows[:8]) + ("…" if len(rows) > 8 else "")
                letter = f" {m.letter}列" if m.letter else ""
                print(f"  第{row_numbers}行（共{len(rows)}处）{letter}（{m.column}）：{m.message}")
            else:
                print(f"  {m.where()}{f' [户编号 {m.number}]' if m.number else ''}：{m.message}")
        _more(more, preview.problems)
    if preview.notes:
        print(f"提示（{len(preview.notes)}条，已自动处理）：")
        shown, more = capped(preview.notes)
        for m in shown:
            print(f"  {m}")
        _more(more, preview.notes)
    print(preview.summary() + "。")


def _more(more: int, messages) -> None:
    """After the first PROBLEM_LINES lines: how many more, and of which kinds (by column)."""
    from fupin_desktop.services.roster.limits import PROBLEM_LINES
    if not more:
        return
    kinds = Counter(m.column or "整行" for m in messages)
    print(f"  ……另有{more}行未列出（只列前{PROBLEM_LINES}行）。全部{len(messages)}条按列统计：" +
          "，".join(f"{k} {n}条" for k, n in kinds.most_common(10)) + "。")


def _grouped(messages: Sequence["RowMessage"]) -> Iterator[tuple["RowMessage", list[int]]]:
    """Messages in order, those repeated word for word more than 3 times gathered into one with their rows."""
    rows: dict[tuple[str, str, str], list[int]] = {}
    for m in messages:
        rows.setdefault((m.letter, m.column, m.message), []).append(m.row)
    seen = set()
    for m in messages:
        key = (m.letter, m.column, m.message)
        if len(rows[key]) <= 3:
            yield m, [m.row]
        elif key not in seen:
            seen.add(key)
            yield m, rows[key]


def _preview_json(preview, result) -> dict:
    from fupin_desktop.services.roster.limits import capped

    def rows(messages):
        return [{"row": m.row, "column": m.column, "letter": m.letter, "number": m.number, "message": m.message}
                for m in messages]

    return {
        "file": str(preview.file), "sheet": preview.sheet, "header_row": preview.header_row,
        "households_ok": len(preview.ok_households), "members_ok": preview.ok_members,
        "households_with_problems": len(preview.bad_households),
        "unknown_headers": [{"letter": c.letter, "header": c.header} for c in preview.unknown_headers],
        "values": [{"column": v.header, "value": v.value, "status": v.program, "meaning": v.meaning,
                    "rows": list(v.rows)} for v in preview.values],
        "unknown_values": [{"column": v.header, "value": v.value, "rows": list(v.rows)}
                           for v in preview.unknown_values],
        "new_groups": {name: rows for name, rows in preview.new_groups.items()},
        "missing_columns": [_HEADERS[k] for k in preview.missing],
        "problems": rows(capped(preview.problems)[0]), "notes": rows(capped(preview.notes)[0]),
        "problems_total": len(preview.problems), "notes_total": len(preview.notes),
        "imported": None if result is None else {"households": result.households, "members": result.members},
    }


_HEADERS = {"status": "户状态", "exit_year": "脱贫年度"}


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from fupin_desktop.services.roster import export_roster, write_template
    from fupin_desktop.services.search import HouseholdQuery

    if args.template:
        path = write_template(args.file)
        print(f"已写入空白花名册模板：{path}")
        return 0
    query = None
    if args.search or args.group or args.status:
        status, attribute = status_filter(args.status)
        query = HouseholdQuery(text=args.search or "", group=args.group, status=status, attribute=attribute)
    result = reading(args, lambda s: export_roster(s, args.file, query))
    print(result.summary() + "。")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("import-xlsx", cmd_import_xlsx)
    c.add_argument("file", metavar="文件", help="花名册文件：.xlsx、.xls（WPS/Excel 97-2003）或 .csv（UTF-8 或 GBK），"
                                              "按内容判断，与扩展名无关")
    c.add_argument("--sheet", metavar="工作表", help="工作表名称（默认：第一个有花名册表头的工作表）")
    c.add_argument("--default-status", metavar="状态",
                   help="表中没有户状态列（或户状态为空、只写了低保户/五保户）时，全部按此状态，"
                        "如 脱贫户、监测对象、一般户")
    c.add_argument("--default-exit-year", type=int, metavar="年份",
                   help="表中没有脱贫年度时，已脱贫户的脱贫年度，如 2019")
    c.add_argument("--map", action="append", metavar="[列名:]原值=新值",
                   help="把表中不认识的值读作程序的值（可多次），如 --map 脱贫=脱贫户、--map 健康状况:残疾=健康")
    c.add_argument("--create-groups", action="store_true", help="本村还没有的村民组在导入时新建")
    c.add_argument("--dry-run", action="store_true", help="只检查并列出问题，不写入数据库")
    c.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")

    c = command("export-xlsx", cmd_export_xlsx)
    c.add_argument("file", metavar="文件", help="要写入的 .xlsx 文件（已存在时覆盖）")
    c.add_argument("--template", action="store_true", help="写空白花名册模板（表头、下拉列表、填写说明）")
    c.add_argument("--search", metavar="文本", help="只导出搜索到的农户（同 households --search）")
    c.add_argument("--group", metavar="村民组", help="只导出该村民组")
    c.add_argument("--status", metavar="户状态", help="只导出该户状态")
