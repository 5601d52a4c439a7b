"""Sync commands: keys, county set-up, export and import of bundles, return bundles, conflicts."""

import argparse
import json
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fupin_desktop.cli.common import AddCommand, open_db
from fupin_desktop.domain import clock


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
    from sqlalchemy import select

    from fupin_desktop.db.models import Replica
    from fupin_desktop.sync.keys import ensure_keys, fingerprint, key_file, local_replica

    db = open_db(args)
    try:
        keys = ensure_keys(db)
        with db.reading() as s:
            me = local_replica(s)
            peers = [{"replica": r.id.hex, "name": r.name, "role": r.role, "village_code": r.village_code,
                      "fingerprint": fingerprint(r.sign_key, r.box_key or "") if r.sign_key else None}
                     for r in s.scalars(select(Replica).where(~Replica.is_local))]
            info = {"replica": me.id.hex, "name": me.name, "role": me.role, "fingerprint": keys.fingerprint,
                    "key_file": str(key_file(db, keys.sign_public)), "peers": peers}
    finally:
        db.close()
    if args.json:
        _print_json(info)
        return 0
    print(f"本机：{info['name']}（{'县级汇总' if info['role'] == 'county' else '村级'}），副本 {info['replica']}")
    print(f"密钥指纹：{info['fingerprint']}")
    print(f"私钥文件：{info['key_file']}（请勿外传）")
    for p in peers:
        print(f"  已登记：{p['name']}（{p['role']} {p['village_code'] or ''}）指纹 {p['fingerprint'] or '无'}")
    return 0


def cmd_keys_new(args: argparse.Namespace) -> int:
    from fupin_desktop.db.replicas import continue_as_new_replica
    from fupin_desktop.db.session import open_database
    from fupin_desktop.errors import FupinError
    from fupin_desktop.sync.keys import ensure_keys

    db = open_db(args)
    file = db.file
    db.close()
    if file is None:
        raise FupinError("只有本机数据库文件可以换用新密钥；县级 PostgreSQL 汇总库请重新运行 county init。")
    # new keys mean a new installation to the county: continue under a new replica id, so the
    # county neither refuses the new key for the old id nor sees sequence numbers issued twice
    continue_as_new_replica(file, keep_keys=False)
    db = open_database(file)
    try:
        keys = ensure_keys(db)
    finally:
        db.close()
    print(f"已生成新密钥，本机作为新的副本继续。新指纹：{keys.fingerprint}（请告知县里核对）")
    return 0


def cmd_keys_import_county(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.keys import import_county_file

    db = open_db(args)
    try:
        info = import_county_file(db, Path(args.file), replace=args.replace)
    finally:
        db.close()
    print(f"已安装县级密钥：{info.name}（{info.code}），指纹 {info.fingerprint}。请与县里电话核对指纹。")
    return 0


def cmd_keys_export_county(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.keys import write_county_file

    db = open_db(args)
    try:
        path = write_county_file(db, Path(args.out))
    finally:
        db.close()
    print(f"已导出县级设置文件：{path}")
    return 0


def cmd_export_bundle(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.exporter import export_bundle

    db = open_db(args)
    try:
        r = export_bundle(db, Path(args.out), full=args.full)
    finally:
        db.close()
    if args.json:
        _print_json({"file": str(r.file) if r.file else None, "changes": r.changes, "size": r.size,
                     "streams": [s.as_dict() for s in r.streams], "fingerprint": r.fingerprint})
        return 0
    if r.file is None:
        print("没有新的变更需要导出（县里已确认收到全部变更）。如需全部重发，请加 --full。")
        return 0
    ranges = "、".join(f"{s.seq_from}–{s.seq_to}" for s in r.streams)
    print(f"已导出 {r.changes} 条变更（序号 {ranges}）到 {r.file}（{r.size / 1024:.0f} KB）。本机指纹 {r.fingerprint}")
    return 0


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.importer import REFUSED, import_bundles

    db = open_db(args)
    try:
        report = import_bundles(db, [Path(f) for f in args.files], dry_run=args.dry_run, known_only=args.known_only)
    finally:
        db.close()
    if args.json:
        _print_json(report.as_dict())
    else:
        head = "预览（未写入任何数据）" if report.dry_run else "导入结果"
        print(f"{head}：")
        for f in report.files:
            who = f"{f.village_name or ''}{'（' + f.village_code + '）' if f.village_code else ''}"
            trust = f" 首次见到该发送方，已记录指纹 {f.fingerprint}" if f.first_contact else ""
            print(f"  [{f.status}] {f.file} {who}：{f.message}{trust}")
        for name in report.released:
            print(f"  [补上] {name}：前序数据包已到，已一并导入")
        if report.total:
            t = report.total
            print(f"合计：新增{t['new_rows']}条，更新{t['changed_rows']}条，新冲突{t['conflicts_new']}个，"
                  f"待处理冲突{t['conflicts_open']}个。")
        if report.backup:
            print(f"导入前已备份：{report.backup}")
    return 2 if any(f.status == REFUSED for f in report.files) else 0


def cmd_export_return(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.county import export_return

    db = open_db(args)
    try:
        r = export_return(db, args.village, Path(args.out))
    finally:
        db.close()
    if args.json:
        _print_json({"file": str(r.file), "changes": r.changes, "acks": r.acks, "size": r.size})
        return 0
    acks = "、".join(f"{k[:8]}…至{v}" for k, v in r.acks.items())
    print(f"已导出给 {r.village_code} 的回执 {r.file}：确认收到 {acks}；县里的更正与决定 {r.changes} 条。")
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    from fupin_desktop.sync.county import list_conflicts

    db = open_db(args)
    try:
        with db.reading() as s:
            rows = list_conflicts(s, village_code=args.village, include_resolved=args.all)
    finally:
        db.close()
    if args.json:
        _print_json([asdict(r) for r in rows])
        return 0
    kinds = {"field": "同一字段两处修改", "delete": "一处删除、一处修改", "duplicate": "重复登记"}
    for r in rows:
        print(f"{r.id}  [{r.status}] {kinds.get(r.kind, r.kind)}  {r.village_code or ''} {r.table}.{r.field} "
              f"记录 {r.row_id}  当前值：{r.current}")
        for i, v in enumerate(r.values, 1):
            mark = "（暂定）" if v.winner else ""
            print(f"    {i}. {v.value!r}{mark}  —— {v.who} {v.actor} {clock.shown(v.at)}")
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

    db = open_db(args)
    try:
        county = is_county(db)
        with db.reading() as s:
            data: Any = [asdict(v) for v in village_status(s)] if county else local_status(s)
        held = held_bundles(db) if county else []
    finally:
        db.close()
    if args.json:
        _print_json({"villages": data, "held": held} if county else data)
        return 0
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

    db = open_db(args)
    try:
        with db.reading() as s:
            rows = village_differences(s, args.village)
    finally:
        db.close()
    if args.json:
        _print_json([asdict(r) for r in rows])
        return 0
    for r in rows:
        when = f"（{r.changed_by} {clock.shown(r.changed_at)}）" if r.changed_at else ""
        print(f"{r.table} {r.row_id} {r.field}：村里填报 {r.village_value!r}，县里 {r.county_value!r}{when}")
    print(f"共{len(rows)}处县里数据与村里最后填报不一致，请打印后入户核实。")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("county", "县级汇总库：新建（county init）", lambda a: a.county_func(a))
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

    c = command("keys", "本机密钥与指纹；安装县级密钥", lambda a: a.keys_func(a))
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
    k = sub.add_parser("export-county", help="县级汇总库重新导出县级设置文件",
                       description="县级汇总库重新导出县级设置文件")
    k.set_defaults(keys_func=cmd_keys_export_county)
    k.add_argument("--out", required=True, metavar="文件夹")
    k._optionals.title = "选项"

    c = command("export-bundle", "把本村的变更导出为加密签名的同步数据包（写到U盘）", cmd_export_bundle)
    c.add_argument("--out", required=True, metavar="文件夹", help="如U盘上的文件夹")
    c.add_argument("--full", action="store_true", help="导出全部变更（默认只导出县里尚未确认收到的）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("import-bundle", "导入同步数据包（县里导入村的数据包；村里导入县的回执）", cmd_import_bundle)
    c.add_argument("files", nargs="+", metavar="文件", help="一个或多个 .fupin 数据包")
    c.add_argument("--dry-run", action="store_true", help="只预览：新增/更新/冲突/拒绝，不写入")
    c.add_argument("--known-only", action="store_true", help="拒绝尚未登记的发送方（不做首次信任）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("export-return", "县里给某村导出回执数据包（确认收到的范围、冲突处理结果、县级更正）",
                cmd_export_return)
    c.add_argument("--village", required=True, metavar="村代码")
    c.add_argument("--out", required=True, metavar="文件夹")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("conflicts", "列出同步冲突（各方的值、来源和时间）", cmd_conflicts)
    c.add_argument("--village", metavar="村代码")
    c.add_argument("--all", action="store_true", help="包括已处理的")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("resolve", "处理一个同步冲突", cmd_resolve)
    c.add_argument("conflict", metavar="冲突编号")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--pick", type=int, metavar="序号", help="采用列出的第几个值")
    g.add_argument("--value", metavar="JSON", help="采用新值（JSON，如 '\"张三\"'）")
    g.add_argument("--decide", choices=("keep", "delete"), help="删除冲突：keep 保留记录，delete 删除")

    c = command("three-way", "户表机核对（县里）：县里数据与村里最后填报不一致之处", cmd_three_way)
    c.add_argument("--village", required=True, metavar="村代码")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("sync-status", "同步状态：县里看各村；村里看已发送与已确认", cmd_sync_status)
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
