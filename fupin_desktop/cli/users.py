"""`fupin users …`, `fupin unlock` and `fupin lock`: accounts on this machine.

Once the database has an account, these commands sign in like any other (see cli/common.py) and
the services apply that account's role: only the first secretary (or county administrator)
manages accounts. A lost password is reset by the first secretary, or with the recovery code
(`fupin users recover`); there is no back door — the database is encrypted with the accounts'
passwords and recovery codes.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from fupin_desktop.cli.common import AddCommand, open_db, read_new_secret, read_secret, reading, with_db, writing

if TYPE_CHECKING:
    from fupin_desktop.db.session import Database

ENCRYPTED_NOTICE = "数据库已加密：以后打开需要账户密码；数据库文件旁的 .keys 文件是它的密钥槽，请与数据库一起备份。"


def cmd_list(args: argparse.Namespace) -> int:
    from fupin_desktop.services.accounts import UserRow, list_users

    def read(db: Database) -> tuple[list[UserRow], bool]:
        with db.reading() as s:
            return list_users(s), db.encrypted

    users, encrypted = with_db(args, read)
    if args.json:
        print(json.dumps([{"username": u.username, "name": u.full_name, "role": u.role, "active": u.active,
                           "must_change_password": u.must_change_password,
                           "last_sign_in": u.last_sign_in.isoformat() if u.last_sign_in else None}
                          for u in users], ensure_ascii=False, indent=2))
        return 0
    for u in users:
        state = "" if u.active else "（已停用）"
        print(f"{u.username}\t{u.full_name}\t{u.role}{state}")
    if not users:
        print("这个数据库还没有账户（fupin demo、fupin init 建立的库都是这样）：打开时不要求登录，"
              "用这台电脑的人都能查看和修改，数据库未加密。")
        print("建立第一书记的账户：fupin users add 登录名 --name 姓名"
              "（显示恢复码；之后打开都要登录，数据库自动加密）。")
    else:
        print(f"共{len(users)}个账户。" + ("数据库已加密。" if encrypted else
                                     "注意：数据库尚未加密，请第一书记运行 “fupin users encrypt”。"))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts, security

    db = open_db(args)
    try:
        password = read_new_secret(args, "新账户的密码：")
        with db.transaction() as s:
            first = not accounts.has_accounts(s)
            if first:
                code = accounts.create_first_account(s, username=args.username, full_name=args.name,
                                                     password=password, role=args.role or "第一书记")
            else:
                accounts.create_user(s, username=args.username, full_name=args.name, role=args.role or "工作队员",
                                     password=password)
        if first:
            security.encrypt_for_first_account(db, username=args.username, password=password, recovery_code=code)
    finally:
        db.close()
    print(f"已建立账户 {args.username}（{args.name}）。")
    if first:
        print(f"恢复码（忘记密码时用它重设，请抄写或打印后妥善保管，只显示这一次）：{code}")
        if db.encrypted:
            print(ENCRYPTED_NOTICE)
    else:
        print("首次登录时须修改密码。")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    db = open_db(args)
    try:
        password = read_new_secret(args, f"{args.username} 的临时密码：")
        with db.transaction() as s:
            accounts.reset_password(s, username=args.username, new_password=password)
            code = accounts.new_recovery_code_for(s, args.username) if args.new_recovery_code else None
    finally:
        db.close()
    print(f"已重设 {args.username} 的密码，错误次数已清零；首次登录时须修改密码。")
    if code:
        print(f"新的恢复码（旧恢复码作废）：{code}")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    args.fresh_sign_in = True  # the old password is asked even within `fupin unlock`
    db = open_db(args, temporary_password_ok=True)
    try:
        if db.user is None:
            print("本机还没有账户，无需修改密码。")
            return 1
        password = read_new_secret(args)
        accounts.change_own_password(db, username=db.user.username, old_password=args.signed_in_password,
                                     new_password=password)
    finally:
        db.close()
    print("密码已修改。")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    db = open_db(args, sign_in=False)
    try:
        code = read_secret(args, "恢复码：")
        password = read_new_secret(args)
        fresh = accounts.recover_with_code(db, username=args.username, code=code, new_password=password)
    finally:
        db.close()
    print(f"已用恢复码重设 {args.username} 的密码。")
    print(f"新的恢复码（旧恢复码已作废，请抄写或打印后妥善保管，只显示这一次）：{fresh}")
    return 0


def cmd_role(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    writing(args, lambda s: accounts.set_role(s, username=args.username, role=args.role))
    print(f"{args.username} 的角色已改为{args.role}。")
    return 0


def cmd_active(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    active = args.action == "enable"
    def set_active(db: Database) -> bool:
        with db.transaction() as s:
            accounts.set_active(s, username=args.username, active=active)
        return db.encrypted

    encrypted = with_db(args, set_active)
    print(f"已{'启用' if active else '停用'}账户 {args.username}。")
    if active and encrypted:
        print("数据库已加密：停用时该账户的密码已失效，请用 “fupin users reset” 给它一个临时密码。")
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    events = reading(args, lambda s: accounts.account_events(s, limit=args.limit))
    for e in events:
        print(f"{_local(e.at)}\t{e.actor}\t{e.action}\t{e.username}\t{e.detail}")
    print(f"共{len(events)}条账户变动。")
    return 0


def _local(at) -> str:
    from datetime import UTC

    from fupin_desktop.domain.clock import CHINA

    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def cmd_encrypt(args: argparse.Namespace) -> int:
    from fupin_desktop.services import security

    args.fresh_sign_in = True
    db = open_db(args)
    try:
        if db.user is None:
            print("本机还没有账户：建立第一书记的账户（fupin users add）时数据库会自动加密。")
            return 1
        code = security.encrypt_existing(db, password=args.signed_in_password)
    finally:
        db.close()
    print(ENCRYPTED_NOTICE)
    print(f"新的恢复码（旧恢复码已作废，请抄写或打印后妥善保管，只显示这一次）：{code}")
    print("其他账户的密码在加密前设置，无法用来解锁：请用 “fupin users reset 登录名” 给他们临时密码。")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from fupin_desktop.errors import SignInError
    from fupin_desktop.services import unlock

    args.fresh_sign_in = True
    db = open_db(args)
    try:
        if db.user is None:
            raise SignInError("本机还没有账户，无需解锁。")
        session = unlock.start(db, minutes=args.minutes)
    finally:
        db.close()
    print(f"export {unlock.ENV}={session.token}")
    print(f"# 已解锁到 {_local(session.expires)}（北京时间）。在本终端执行上一行（Windows：set {unlock.ENV}=…），"
          f"之后的 fupin 命令不再询问密码；用完运行 “fupin lock”。")
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    from fupin_desktop.db.session import database_url, sqlite_file
    from fupin_desktop.services import unlock

    file = sqlite_file(database_url(args.db))
    stopped = file is not None and unlock.stop(file)
    print("已锁定：解锁口令已作废。" if stopped else "当前没有解锁。")
    return 0


def add_commands(command: AddCommand) -> None:
    from fupin_desktop.domain.accounts import ROLES

    users = command("users", cmd_list)
    sub = users.add_subparsers(dest="action", metavar="操作", title="操作")

    def action(name: str, help_: str, func) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=help_)
        c.set_defaults(func=func)
        c._optionals.title = "选项"
        return c

    c = action("list", "列出本机账户（默认操作）", cmd_list)
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    users.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = action("add", "新建账户（本机第一个账户是第一书记，给出恢复码并加密数据库）；"
                      "密码从键盘（或管道的一行）读入", cmd_add)
    c.add_argument("username", metavar="登录名")
    c.add_argument("--name", required=True, metavar="姓名")
    c.add_argument("--role", choices=ROLES, metavar="角色",
                   help=f"{'/'.join(ROLES)}（默认：第一个账户第一书记，其余工作队员）")

    c = action("reset", "第一书记给账户设临时密码（对方首次登录须修改）", cmd_reset)
    c.add_argument("username", metavar="登录名")
    c.add_argument("--new-recovery-code", action="store_true", help="同时发新的恢复码（第一书记/县级管理员）")

    action("passwd", "修改自己的密码（临时密码须先改）", cmd_passwd)

    c = action("recover", "第一书记忘记密码：用恢复码重设（不需登录）", cmd_recover)
    c.add_argument("username", metavar="登录名")

    c = action("role", "修改账户角色", cmd_role)
    c.add_argument("username", metavar="登录名")
    c.add_argument("role", choices=ROLES, metavar="角色", help="/".join(ROLES))

    for name, text in (("disable", "停用账户（账户不删除，历史记录仍显示其姓名）"), ("enable", "重新启用账户")):
        c = action(name, text, cmd_active)
        c.add_argument("username", metavar="登录名")

    c = action("log", "账户变动记录（谁新建、改角色、重设、停用了哪个账户）", cmd_log)
    c.add_argument("--limit", type=int, default=200, metavar="条数")

    action("encrypt", "加密本版本之前建立账户的数据库（第一书记登录后运行，给出新恢复码）", cmd_encrypt)

    c = command("unlock", cmd_unlock)
    c.add_argument("--minutes", type=int, default=15, metavar="分钟", help="解锁时长（默认 %(default)s，最长480）")
    command("lock", cmd_lock)
