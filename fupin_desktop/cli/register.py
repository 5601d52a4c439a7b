"""Commands on the village register: init, demo, check, households, gui."""

import argparse
import ctypes
import json
import os
import sys
from typing import Any

from fupin_desktop.cli.common import AddCommand, open_db, reading, status_filter, writing
from fupin_desktop.errors import FupinError


def cmd_init(args: argparse.Namespace) -> int:
    from fupin_desktop.services.setup import init_village
    from fupin_desktop.sync.keys import ensure_keys

    db = init_village(args.db, village_code=args.village_code, village_name=args.village_name,
                      township=args.township, county=args.county, county_code=args.county_code, city=args.city)
    try:
        keys = ensure_keys(db)
    finally:
        db.close()
    print(f"已新建数据库 {args.db}：{args.county}{args.township}{args.village_name}（{args.village_code}）")
    print(f"本机密钥指纹：{keys.fingerprint}（县里首次导入本村数据包时请电话核对）")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from fupin_desktop.services.demo import build_demo

    summary = build_demo(args.db, village_code=args.village_code, households=args.households, seed=args.seed,
                         progress=lambda msg: print(msg, file=sys.stderr))
    print(f"已生成演示村 {summary.village}：{summary.households}户 {summary.members}人，"
          f"其中建档立卡{summary.registered}户 {summary.registered_members}人。数据库：{args.db}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from fupin_desktop.errors import DatabaseDamagedError
    from fupin_desktop.services.check import check_database, damaged_report

    try:
        db = open_db(args)
    except DatabaseDamagedError as e:  # too damaged to open: still a report, not an error
        report = damaged_report(args.db, str(e))
    else:
        try:
            report = check_database(db)
        except DatabaseDamagedError as e:  # damage the integrity check missed, met while reading
            report = damaged_report(args.db, str(e))
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

    status, attribute = status_filter(args.status)
    query = HouseholdQuery(text=args.search or "", group=args.group, status=status, attribute=attribute,
                           limit=args.limit)
    page = reading(args, lambda s: search_households(s, query))
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


def cmd_groups(args: argparse.Namespace) -> int:
    from fupin_desktop.services.village import add_group, list_groups

    if args.action == "add":
        if not args.names:
            raise FupinError("请写出要添加的村民组名称，如 fupin groups add 一组 二组")
        def add(s: Any) -> None:  # all of them, or none
            for name in args.names:
                add_group(s, name)

        writing(args, add)
        print(f"已添加村民组：{'、'.join(n.strip() for n in args.names)}。")
        return 0
    groups = reading(args, list_groups)
    if args.json:
        print(json.dumps([{"name": g.name, "households": g.households} for g in groups], ensure_ascii=False, indent=2))
    else:
        for g in groups:
            print(f"{g.name}\t{g.households}户")
        print(f"共{len(groups)}个村民组。" if groups else "还没有村民组。用 fupin groups add 一组 二组 添加。")
    return 0


# Shared libraries Qt's xcb (X11) platform loads, and the Debian packages holding them. Qt itself
# blames libxcb-cursor0 whichever one is missing, and aborts the process.
XCB_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"), ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-image.so.0", "libxcb-image0"), ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shape.so.0", "libxcb-shape0"), ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon.so.0", "libxkbcommon0"), ("libEGL.so.1", "libegl1"), ("libGL.so.1", "libgl1"),
    ("libfontconfig.so.1", "libfontconfig1"), ("libdbus-1.so.3", "libdbus-1-3"),
)


def display_problem() -> str | None:
    """Why a window cannot open here, in Chinese (None: it can, as far as can be told)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb") or not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None  # offscreen, wayland, …: Qt's own messages are right there
    if not os.environ.get("DISPLAY"):
        return ("没有图形显示（没有显示器，或不是在桌面中运行，DISPLAY 未设置），无法打开窗口。"
                "请在电脑桌面上打开程序；在没有显示器的电脑上可用 xvfb-run -a fupin gui 在虚拟屏幕中打开，"
                "或直接使用命令行 fupin …（fupin --help 列出全部命令）。")
    missing = [package for library, package in XCB_LIBRARIES if not _loadable(library)]
    if missing:
        return (f"无法打开窗口：缺少 Qt 需要的系统库（{'、'.join(missing)}）。请安装：sudo apt-get install "
                f"{' '.join(missing)}，或运行 bash scripts/bootstrap.sh run。")
    return None


def _loadable(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def cmd_gui(args: argparse.Namespace) -> int:
    from fupin_desktop.ui.app import main as gui_main

    problem = display_problem()
    if problem:
        raise FupinError(problem)
    return gui_main(db=args.db)


def add_commands(command: AddCommand) -> None:
    c = command("init", cmd_init)
    c.add_argument("--village-code", required=True, metavar="代码", help="12位村级统计用区划代码，如 410182104201")
    c.add_argument("--village-name", required=True, metavar="村名", help="如 新沟村")
    c.add_argument("--township", required=True, metavar="乡镇", help="如 汜水镇")
    c.add_argument("--county", required=True, metavar="县市区", help="如 荥阳市")
    c.add_argument("--county-code", metavar="代码", help="6位县级区划代码（默认取村代码前6位）")
    c.add_argument("--city", metavar="地市", help="如 郑州市")

    c = command("demo", cmd_demo)
    c.add_argument("--village-code", default="410182104201", metavar="代码", help="村代码（默认 %(default)s）")
    c.add_argument("--households", type=int, metavar="户数", help="户数（默认按新沟村实际437户；可放大用于性能测试）")
    c.add_argument("--seed", type=int, default=2020, metavar="种子",
                   help="随机种子，相同种子生成相同数据（默认 %(default)s）")

    c = command("check", cmd_check)
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("households", cmd_households)
    c.add_argument("--search", metavar="文本", help="如 张三、zsm、0158、001")
    c.add_argument("--group", metavar="村民组")
    c.add_argument("--status", metavar="户状态",
                   help="如 脱贫户、监测对象、边缘易致贫户、未脱贫、已脱贫(享受政策)、低保户")
    c.add_argument("--limit", type=int, default=100, metavar="条数", help="最多显示条数（默认 %(default)s）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")


    c = command("groups", cmd_groups)
    c.add_argument("action", nargs="?", choices=("list", "add"), default="list", metavar="list|add",
                   help="list 列出（默认）；add 添加")
    c.add_argument("names", nargs="*", metavar="名称", help="要添加的村民组名称")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    command("gui", cmd_gui)
