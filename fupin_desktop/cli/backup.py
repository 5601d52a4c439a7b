"""`fupin backup` and `fupin restore FILE`."""

import argparse
import json
from pathlib import Path

from fupin_desktop.cli.common import AddCommand, open_db
from fupin_desktop.domain import clock
from fupin_desktop.errors import DatabaseFileError


def cmd_backup(args: argparse.Namespace) -> int:
    from fupin_desktop.db import contents
    from fupin_desktop.services import backup

    db = open_db(args)
    try:
        if args.second_folder is not None:
            folder = None if args.second_folder == "" else Path(args.second_folder).expanduser().resolve()
            backup.set_mirror_folder(db, folder)
            print(f"第二备份文件夹：{folder}" if folder else "已取消第二备份文件夹。")
            return 0
        if args.list:
            rows = backup.list_backups(db)
            if args.json:
                print(json.dumps([{"file": str(r.path), "time": r.time.isoformat(), "size": r.size, "kind": r.kind,
                                   "holds": str(held) if (held := contents.read_note(r.path)) else None}
                                  for r in rows], ensure_ascii=False, indent=2))
            else:
                for r in rows:
                    held = contents.read_note(r.path)  # which village, written when the backup was made
                    print(f"{clock.shown(r.time)}\t{r.kind}\t{r.size // 1024} KB\t{held or '（未记录内容）'}\t{r.path}")
                print(f"共{len(rows)}个备份。")
            return 0
        path = backup.backup_now(db)
        print(f"已备份到 {path}")
        if (folder := backup.mirror_folder(db)) is not None:
            copy = folder / path.name
            print(f"并复制到 {copy}" if copy.exists() else f"注意：第二备份文件夹 {folder} 不可用，未复制。")
    finally:
        db.close()
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from fupin_desktop.db import cipher
    from fupin_desktop.db.session import database_url, open_database, sqlite_file
    from fupin_desktop.services.backup import (
        inspect_backup,
        other_village_warning,
        replace_damaged,
        restore_backup,
        restore_to_new,
    )

    target = sqlite_file(database_url(args.db))
    if target is None:
        raise DatabaseFileError("当前数据库不是本机文件（如PostgreSQL服务器），请使用数据库服务器自己的备份工具。")
    source = Path(args.file).expanduser().resolve()
    key, damaged = _signed_in_for_restore(args, target) if target.exists() else (None, False)
    info, warning = None, None
    if target.exists() or not cipher.is_encrypted(source):  # an encrypted one is checked once it is unlocked
        info = inspect_backup(source, key)
        when = f"，最后修改于 {clock.shown(info.last_change)}" if info.last_change else ""
        print(f"备份内容：{info.village}，{info.households}户 {info.persons}人{when}。")
        warning = other_village_warning(target, info) if target.exists() and not damaged else None
    if warning:
        print(warning)
        if args.yes and not args.other_village:
            print("错误：备份是另一个村（或县级）的数据，已拒绝，未做任何改动。确要恢复，请加 --other-village 再运行。")
            return 2
    if not args.yes:
        name = info.village.split("（")[0] if info is not None else ""
        question = (f"确要用{name}的数据替换当前数据库吗？请输入“{name}”确认：" if warning else
                    f"用它替换当前数据库 {target}？当前数据会先另存一份备份。输入 y 确认：")
        answer = input(question).strip()
        if (answer != name) if warning else (answer.lower() not in ("y", "yes", "是")):
            print("已取消，未做任何改动。")
            return 1
    if target.exists():
        if key is not None:  # the copies made beside it are opened with it (db/raw.py)
            cipher.remember_key(target, key)
        try:
            kept = (replace_damaged(target, source, key=key) if damaged else  # renamed and kept, as at start
                    restore_backup(target, source, key=key, other_village=bool(warning), wait=args.wait))
        finally:
            if key is not None:
                cipher.forget_key(target)
    else:
        kept = None
        if restore_to_new(source, target):
            print("这是加密的备份：打开时请用备份时的账户密码登录（或用恢复码：fupin users recover）。")
    open_database(target, key=key).close()  # upgrades a backup from an older version, after its own backup
    print(f"已恢复。原来的数据另存在 {kept}。" if kept else "已恢复。")
    return 0


def _signed_in_for_restore(args: argparse.Namespace, target: Path) -> tuple[bytes | None, bool]:
    """Whoever replaces the data signs in to it first, with a role that may write; returns the key
    and whether the current file is too damaged to open. Then a plain file needs nothing (anyone
    can read it anyway); an encrypted one needs a password whose key slot opens it."""
    from fupin_desktop.cli.common import read_secret, username_for
    from fupin_desktop.db import cipher
    from fupin_desktop.db.keyslots import PASSWORD, KeySlots, keys_file
    from fupin_desktop.db.session import open_database
    from fupin_desktop.domain.accounts import may_write
    from fupin_desktop.errors import PermissionDeniedError
    from fupin_desktop.services import accounts

    key = None
    if cipher.is_encrypted(target) and keys_file(target).exists():
        username, password = username_for(args), read_secret(args, "密码：")
        key = KeySlots.load(keys_file(target)).unlock(PASSWORD, username, password)
        try:
            db = open_database(target, key=key)
        except DatabaseFileError:
            return key, True
        try:
            with db.reading() as s:
                any_account = accounts.has_accounts(s)
            user = accounts.sign_in(db, username, password) if any_account else None
        finally:
            db.close()
    else:
        try:
            db = open_db(args)
        except DatabaseFileError:
            return None, True
        user = db.user
        db.close()
    if not may_write(user):
        raise PermissionDeniedError(f"{user.label}不能从备份恢复数据。请让第一书记或工作队员操作。")  # type: ignore[union-attr]
    return key, False


def add_commands(command: AddCommand) -> None:
    c = command("backup", cmd_backup)
    c.add_argument("--list", action="store_true", help="列出已有备份")
    c.add_argument("--json", action="store_true", help="与 --list 一起：以 JSON 输出")
    c.add_argument("--second-folder", metavar="文件夹",
                   help="设置第二备份文件夹（如U盘），以后每次备份都复制一份；给空字符串 \"\" 取消")

    c = command("restore", cmd_restore)
    c.add_argument("file", metavar="备份文件")
    c.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    c.add_argument("--other-village", action="store_true",
                   help="与 --yes 一起：确认备份是另一个村（或县级汇总）的数据，仍要恢复")
    c.add_argument("--wait", type=float, default=3.0, metavar="秒",
                   help="有其他程序正打开数据库时，最多等它关闭这么多秒（默认 %(default)s），否则拒绝")
