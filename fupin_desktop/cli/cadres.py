"""工作队与帮扶人: list the serving cadres; set or remove one's photo (printed on the 明白栏)."""

import argparse
import json

from fupin_desktop.cli.common import AddCommand, open_db, reading


def cmd_cadres(args: argparse.Namespace) -> int:
    from fupin_desktop.services.cadres import list_cadres

    rows = reading(args, list_cadres)
    if args.json:
        print(json.dumps([{"id": str(c.id), "name": c.name, "role": c.role, "unit": c.unit, "position": c.position,
                           "phone": c.phone, "started_on": c.started_on.isoformat() if c.started_on else None,
                           "households": c.households, "photo": str(c.photo.path) if c.photo else None}
                          for c in rows], ensure_ascii=False, indent=2))
        return 0
    for c in rows:
        photo = "有" if c.photo else "无"
        print(f"{c.name}\t{c.role}\t{c.unit or ''}\t{c.phone or ''}\t结对{c.households}户\t照片：{photo}")
    print(f"共{len(rows)}人。" if rows else "还没有登记人员（图形界面“设置 → 工作队与帮扶人”中添加）。")
    return 0


def cmd_photo(args: argparse.Namespace) -> int:
    from fupin_desktop.errors import FupinError, NotFoundError
    from fupin_desktop.services.cadres import remove_cadre_photo, set_cadre_photo
    from fupin_desktop.services.village import cadre_ids, current_village

    if bool(args.file) == args.remove:
        raise FupinError("请给出照片文件，或用 --remove 移除照片（二者选一）。")
    db = open_db(args)
    try:
        with db.transaction(actor="命令行") as s:
            cadre_id = cadre_ids(s, current_village(s).id).get(args.name.strip())
            if cadre_id is None:
                raise NotFoundError(f"没有在任人员“{args.name}”（fupin cadres 列出全部人员）。")
            removed = remove_cadre_photo(s, cadre_id) if args.remove else None
            if not args.remove:
                set_cadre_photo(s, cadre_id, args.file)
    finally:
        db.close()
    if args.remove:
        print(f"已移除{args.name}的照片。" if removed else f"{args.name}本来就没有照片。")
    else:
        print(f"已设置{args.name}的照片，打印明白栏时使用。")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("cadres", cmd_cadres)
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    sub = c.add_subparsers(dest="action", metavar="操作", title="操作")
    p = sub.add_parser("photo", help="设置或移除照片", description="设置某人的照片（JPG或PNG，打印在明白栏上），"
                                                                 "或用 --remove 移除")
    p._optionals.title = "选项"
    p.set_defaults(func=cmd_photo)
    p.add_argument("--name", required=True, metavar="姓名", help="在任人员的姓名")
    p.add_argument("file", nargs="?", metavar="照片文件", help="JPG或PNG照片")
    p.add_argument("--remove", action="store_true", help="移除此人的照片")
