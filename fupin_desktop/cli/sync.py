"""Sync commands: keys, county set-up, export and import of bundles, return bundles, conflicts."""

import argparse
import json
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fupin_desktop.cli.common import AddCommand, open_db, reading, with_db
from fupin_desktop.domain import clock
from fupin_desktop.domain.progress import QUIET, Progress


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cmd_county_init(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.county import init_county

    out = Path(args.out) if args.out else Path(".")
    created = init_county(args.db, code=args.code, name=args.name, city=args.city, setup_dir=out)
    created.db.close()
    print(f"已新建县级汇总库 {args.db}：{args.name}（{args.code}）")
    print(f"县级设置文件：{created.setup_file}（发给各村，用 “fupin keys import-county 文件” 安装）")
    print(f"本县密钥指纹：{created.fingerprint}（请各村安装后电话核对）")
    return 0


def cmd_keys_show(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.keys import key_info

    info = with_db(args, key_info)
    if args.json:
        _print_json(info)
        return 0
    print(f"本机：{info['name']}（{'县级汇总' if info['role'] == 'county' else '村级'}），副本 {info['replica']}")
    print(f"密钥指纹：{info['fingerprint']}")
    print(f"私钥文件：{info['key_file']}（请勿外传）")
    for p in info["peers"]:  # type: ignore[attr-defined]
        print(f"  已登记：{p['name']}（{p['role']} {p['village_code'] or ''}）指纹 {p['fingerprint'] or '无'}")
    return 0


def cmd_keys_new(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.keys import renew_keys

    fingerprint, unsent = renew_keys(open_db(args))
    print(f"已生成新密钥，本机作为新的副本继续。新指纹：{fingerprint}")
    print("请把新指纹电话告知县里；县里核对后运行 “fupin keys trust 新指纹 --replace”"
          "（旧电脑丢失时会同时停用旧密钥）。")
    if unsent:
        print(f"换密钥前尚有 {unsent} 条变更县里未确认收到，会随下一个数据包一并导出，不会丢失。")
    return 0


def cmd_keys_pending(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.report import safe_text
    from fupin_desktop.sync.trust import pending_senders

    rows = reading(args, pending_senders)
    if args.json:
        _print_json([asdict(p) for p in rows])
        return 0
    for p in rows:
        print(f"{p.fingerprint}  {safe_text(p.village_name)}（{p.village_code}） 电脑“{safe_text(p.sender_name)}”  "
              f"暂存{p.bundles}个数据包，首次收到 {clock.shown(p.first_seen)}")
        if p.confirmed_for_village:
            print(f"    注意：该村已有确认过的电脑（指纹 {'、'.join(p.confirmed_for_village)}）。"
                  "如是换了电脑，确认时加 --replace 停用旧密钥。")
    print(f"共{len(rows)}台电脑等待确认指纹。请与各村电话核对指纹后运行 “fupin keys trust 指纹”。")
    return 0


def cmd_keys_trust(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.importer import import_confirmed
    from fupin_desktop.sync.trust import trust_key

    db = open_db(args)
    try:
        done = trust_key(db, args.fingerprint, village_code=args.village, replace=args.replace)
        report = import_confirmed(db)
    finally:
        db.close()
    print(f"已确认指纹 {done.fingerprint} 为村代码 {done.village_code} 的电脑。")
    if done.revoked:
        print(f"已停用该村的旧密钥：{'、'.join(done.revoked)}（之后用旧密钥签名的数据包将被拒绝）。")
    if report is not None:
        _print_import(report)
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.trust import revoke_key

    code = with_db(args, lambda db: revoke_key(db, args.fingerprint))
    print(f"已停用村代码 {code} 的密钥 {args.fingerprint}：之后用它签名的数据包将被拒绝，回执也不再发给它。")
    return 0


def cmd_keys_import_county(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.keys import import_county_file

    info = with_db(args, lambda db: import_county_file(db, Path(args.file), replace=args.replace))
    print(f"已安装县级密钥：{info.name}（{info.code}），指纹 {info.fingerprint}。请与县里电话核对指纹。")
    return 0


def cmd_keys_export_county(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.keys import write_county_file

    path = with_db(args, lambda db: write_county_file(db, Path(args.out)))
    print(f"已导出县级设置文件：{path}")
    return 0


def cmd_export_bundle(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.exporter import export_bundle

    r = with_db(args, lambda db: export_bundle(db, Path(args.out), full=args.full))
    if args.json:
        _print_json({"file": str(r.file) if r.file else None, "changes": r.changes, "size": r.size,
                     "streams": [s.as_dict() for s in r.streams], "fingerprint": r.fingerprint, "files": r.files,
                     "missing_files": list(r.missing_files)})
        return 0
    if r.file is None:
        print("没有新的变更需要导出（县里已确认收到全部变更）。如需全部重发，请加 --full。")
        return 0
    ranges = "、".join(f"{s.seq_from}–{s.seq_to}" for s in r.streams)
    print(f"已导出 {r.changes} 条变更（序号 {ranges}）、{r.files} 个照片/文件到 {r.file}（{r.size / 1024:.0f} KB）。"
          f"本机指纹 {r.fingerprint}")
    if r.missing_files:
        print(f"注意：{len(r.missing_files)} 个照片/文件在本机已找不到，未能随数据包发出："
              f"{'、'.join(r.missing_files[:10])}"
              f"{'…' if len(r.missing_files) > 10 else ''}")
    return 0


def cmd_import_bundle(args: argparse.Namespace) -> int:
    import sys

    from fupin_desktop.sync.importer import REFUSED, import_bundles

    files = _bundle_files(args.files)
    report = with_db(args, lambda db: import_bundles(db, files, dry_run=args.dry_run, known_only=args.known_only,
                                                     progress=QUIET if args.json else Progress(report=_progress_line)))
    if args.json:
        _print_json(report.as_dict())
    else:
        if sys.stderr.isatty():
            print(file=sys.stderr)
        _print_import(report)
    return 2 if any(f.status == REFUSED for f in report.files) else 0


def _progress_line(_done: int, _total: int, text: str) -> None:
    """Progress on stderr, one line rewritten in place on a terminal (a log gets each line)."""
    import sys

    if sys.stderr.isatty():
        print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)
    else:
        print(text, file=sys.stderr, flush=True)


def _bundle_files(names: list[str]) -> list[Path]:
    """Files as given; a folder stands for the .fupin files in it."""
    out: list[Path] = []
    for name in names:
        p = Path(name)
        out += sorted(p.glob("*.fupin")) if p.is_dir() else [p]
    return out


def _print_import(report: Any) -> None:
    from fupin_desktop.sync.importer import APPLIED, WOULD_APPLY
    from fupin_desktop.sync.report import safe_text

    print("预览（未写入任何数据）：" if report.dry_run else "导入结果：")
    for f in report.files:
        who = f"{f.village_name or ''}{'（' + f.village_code + '）' if f.village_code else ''}"
        print(f"  [{f.status}] {safe_text(f.file)} {safe_text(who)}：{safe_text(f.message, 2000)}")
        for line in f.rejected[:20]:
            print(f"      未采用：{safe_text(line, 300)}")
        if f.missing_files:
            print(f"      缺少照片/文件：{safe_text('、'.join(f.missing_files[:20]), 1000)}")
    for name in report.released:
        print(f"  [补上] {safe_text(name)}：前序数据包已到，{'将' if report.dry_run else '已'}一并导入")
    if report.total and any(f.status in (APPLIED, WOULD_APPLY) for f in report.files) or report.released:
        t = report.total
        verb = "将" if report.dry_run else ""
        print(f"合计：{verb}新增{t['new_rows']}条，{verb}更新{t['changed_rows']}条，新冲突{t['conflicts_new']}个，"
              f"待处理冲突{t['conflicts_open']}个" + (f"，未采用的无权变更{t['rejected']}条" if t["rejected"] else "")
              + "。")
    if report.backup:
        print(f"导入前已备份：{report.backup}")


def cmd_export_return(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.county import export_return

    r = with_db(args, lambda db: export_return(db, args.village, Path(args.out)))
    if args.json:
        _print_json(asdict(r) | {"file": str(r.file)})
        return 0
    acks = "、".join(f"{k[:8]}…至{v}" for k, v in r.acks.items())
    print(f"已导出给 {r.village_code} 的回执 {r.file}：确认收到 {acks}；县里的更正与决定 {r.corrections} 条，"
          f"随附参考数据 {r.reference} 条" + (f"，另有 {r.notices} 处与他村重复登记的提示" if r.notices else "") + "。")
    print(f"回执只加密给县里确认过的电脑：{'、'.join(r.recipients)}")
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.county import list_conflicts

    rows = reading(args, lambda s: list_conflicts(s, village_code=args.village, include_resolved=args.all))
    if args.json:
        _print_json([asdict(r) for r in rows])
        return 0
    from fupin_desktop.sync.report import safe_text

    kinds = {"field": "同一字段两处修改", "delete": "一处删除、一处修改", "duplicate": "重复登记",
             "elsewhere": "与他村重复登记"}
    for r in rows:
        print(f"{r.id}  [{r.status}] {kinds.get(r.kind, r.kind)}  {r.village_code or ''} {safe_text(r.label)} "
              f"{r.table}.{r.field}  当前值：{safe_text(r.current)}")
        if r.detail:
            print(f"    {safe_text(r.detail, 2000)}")
        for i, v in enumerate(r.values, 1):
            mark = "（暂定）" if v.winner else ""
            print(f"    {i}. {safe_text(repr(v.value))}{mark}  —— {safe_text(v.who)} {safe_text(v.actor)} "
                  f"{clock.shown(v.at)}")
    print(f"共{len(rows)}个冲突。")
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.county import resolve_conflict

    value = json.loads(args.value) if args.value is not None else None
    keep = {"keep": True, "delete": False}.get(args.decide or "")
    db = open_db(args)
    try:
        resolve_conflict(db, uuid.UUID(args.conflict), pick=args.pick, value=value, keep=keep)
    finally:
        db.close()
    print("已处理该冲突；处理结果会随下一次回执数据包发回村里。")
    return 0


def cmd_sync_status(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.county import is_county, local_status, village_status
    from fupin_desktop.sync.importer import held_bundles
    from fupin_desktop.sync.trust import pending_senders

    db = open_db(args)
    try:
        county = is_county(db)
        with db.reading() as s:
            data: Any = [asdict(v) for v in village_status(s)] if county else local_status(s)
            pending = [asdict(p) for p in pending_senders(s)] if county else []
        held = held_bundles(db) if county else []
    finally:
        db.close()
    if args.json:
        _print_json({"villages": data, "held": held, "pending": pending} if county else data)
        return 0
    if pending:
        print(f"{len(pending)}台电脑等待确认指纹（其数据包暂存、未打开）：见 “fupin keys pending”。")
    if county:
        for v in data:
            print(f"{v['village_code']} {v['name']}：已收到至第{v['applied_through']}号变更，最近导入 "
                  f"{clock.shown(v['last_bundle_at'])}，暂存{v['held']}个，待处理冲突{v['open_conflicts']}个")
        for h in held:
            print(f"  暂存 {h['file']}：缺少 {'、'.join(h['missing'])}")
    else:
        print(f"本机已产生{data['last_seq']}号变更，县里已确认收到至第{data['acked_seq']}号；"
              f"县级密钥：{data['county'] or '未安装'}；待处理冲突{data['open_conflicts']}个。")
    return 0


def cmd_three_way(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.check import village_differences

    rows = reading(args, lambda s: village_differences(s, args.village))
    if args.json:
        _print_json([asdict(r) for r in rows])
        return 0
    for r in rows:
        when = f"（{r.changed_by} {clock.shown(r.changed_at)}）" if r.changed_at else ""
        print(f"{r.table} {r.row_id} {r.field}：村里填报 {r.village_value!r}，县里 {r.county_value!r}{when}")
    print(f"共{len(rows)}处县里数据与村里最后填报不一致，请打印后入户核实。")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("county", lambda a: a.county_func(a))
    sub = c.add_subparsers(dest="county_command", metavar="子命令", title="子命令")
    sub.required = True
    ci = sub.add_parser("init", help="新建县级汇总库及本县密钥，并写出给各村的县级设置文件",
                        description="新建县级汇总库及本县密钥，并写出给各村的县级设置文件")
    ci.set_defaults(county_func=cmd_county_init)
    ci.add_argument("--code", required=True, metavar="代码", help="6位县级区划代码，如 410182")
    ci.add_argument("--name", required=True, metavar="名称", help="如 荥阳市")
    ci.add_argument("--city", metavar="地市", help="如 郑州市")
    ci.add_argument("--out", metavar="文件夹", help="县级设置文件写到哪里（默认当前文件夹）")
    ci._optionals.title = "选项"

    c = command("keys", lambda a: a.keys_func(a))
    sub = c.add_subparsers(dest="keys_command", metavar="子命令", title="子命令")
    sub.required = True
    k = sub.add_parser("show", help="显示本机密钥指纹与已登记的对方", description="显示本机密钥指纹与已登记的对方")
    k.set_defaults(keys_func=cmd_keys_show)
    k.add_argument("--json", action="store_true", help="以 JSON 输出")
    k._optionals.title = "选项"
    k = sub.add_parser("new", help="本机密钥丢失、或把数据库复制到另一台电脑时：生成新密钥并作为新副本继续",
                       description="本机密钥丢失、或把数据库复制到另一台电脑时：生成新密钥并作为新副本继续")
    k.set_defaults(keys_func=cmd_keys_new)
    k._optionals.title = "选项"
    k = sub.add_parser("import-county", help="在村里安装县级设置文件（首次信任；之后密钥变化将被拒绝）",
                       description="在村里安装县级设置文件（首次信任；之后密钥变化将被拒绝）")
    k.set_defaults(keys_func=cmd_keys_import_county)
    k.add_argument("file", metavar="文件", help="县里发来的 .fupin-county 文件")
    k.add_argument("--replace", action="store_true", help="县里确实更换了密钥时，替换已安装的县级密钥")
    k._optionals.title = "选项"
    k = sub.add_parser("pending", help="县里：列出等待确认指纹的电脑（其数据包暂存、未打开）",
                       description="县里：列出等待确认指纹的电脑（其数据包暂存、未打开）")
    k.set_defaults(keys_func=cmd_keys_pending)
    k.add_argument("--json", action="store_true", help="以 JSON 输出")
    k._optionals.title = "选项"
    k = sub.add_parser("trust", help="县里：电话核对指纹后确认一台村里的电脑（暂存的数据包随即导入）",
                       description="县里：电话核对指纹后确认一台村里的电脑（暂存的数据包随即导入）；"
                                   "也可在收到数据包之前用 --village 预先登记")
    k.set_defaults(keys_func=cmd_keys_trust)
    k.add_argument("fingerprint", metavar="指纹", help="如 86C6-E1A7-A85F-C1F4-506A-622E-2EFC-2582")
    k.add_argument("--village", metavar="村代码", help="预先登记（尚未收到该电脑的数据包）时必填")
    k.add_argument("--replace", action="store_true",
                   help="该村换了电脑（旧电脑丢失或损坏）：同时停用该村其他已确认的密钥")
    k._optionals.title = "选项"
    k = sub.add_parser("revoke", help="县里：停用一台电脑的密钥（电脑丢失、被盗或报废）",
                       description="县里：停用一台电脑的密钥（电脑丢失、被盗或报废）")
    k.set_defaults(keys_func=cmd_keys_revoke)
    k.add_argument("fingerprint", metavar="指纹")
    k._optionals.title = "选项"
    k = sub.add_parser("export-county", help="县级汇总库重新导出县级设置文件",
                       description="县级汇总库重新导出县级设置文件")
    k.set_defaults(keys_func=cmd_keys_export_county)
    k.add_argument("--out", required=True, metavar="文件夹")
    k._optionals.title = "选项"

    c = command("export-bundle", cmd_export_bundle)
    c.add_argument("--out", required=True, metavar="文件夹", help="如U盘上的文件夹")
    c.add_argument("--full", action="store_true", help="导出全部变更（默认只导出县里尚未确认收到的）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("import-bundle", cmd_import_bundle)
    c.add_argument("files", nargs="+", metavar="文件", help="一个或多个 .fupin 数据包，或放数据包的文件夹")
    c.add_argument("--dry-run", action="store_true", help="只预览：新增/更新/冲突/拒绝，不写入")
    c.add_argument("--known-only", action="store_true", help="拒绝（而不是暂存）尚未确认指纹的发送方")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("export-return", cmd_export_return)
    c.add_argument("--village", required=True, metavar="村代码")
    c.add_argument("--out", required=True, metavar="文件夹")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("conflicts", cmd_conflicts)
    c.add_argument("--village", metavar="村代码")
    c.add_argument("--all", action="store_true", help="包括已处理的")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("resolve", cmd_resolve)
    c.add_argument("conflict", metavar="冲突编号")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--pick", type=int, metavar="序号", help="采用列出的第几个值")
    g.add_argument("--value", metavar="JSON", help="采用新值（JSON，如 '\"张三\"'）")
    g.add_argument("--decide", choices=("keep", "delete"), help="删除冲突：keep 保留记录，delete 删除")

    c = command("three-way", cmd_three_way)
    c.add_argument("--village", required=True, metavar="村代码")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("sync-status", cmd_sync_status)
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
