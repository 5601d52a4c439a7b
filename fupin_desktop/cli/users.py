"""`fupin users …`: accounts on this machine.

Run on the laptop itself, these commands need no sign-in: whoever can run commands here can read
the database file anyway. That makes `fupin users reset` the last-resort recovery path when the
first secretary has lost both the password and the recovery code.
"""

import argparse
import getpass
import json
import sys

from fupin_desktop.cli.common import AddCommand, open_db


def _password(args: argparse.Namespace, prompt: str = "新密码：") -> str:
    if args.password is not None:
        return str(args.password)
    if not sys.stdin.isatty():  # piped: one line
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise SystemExit("两次输入的密码不一致，未做任何修改。")
    return first


def cmd_list(args: argparse.Namespace) -> int:
    from fupin_desktop.services.accounts import list_users

    db = open_db(args)
    try:
        with db.reading() as s:
            users = list_users(s)
    finally:
        db.close()
    if args.json:
        print(json.dumps([{"username": u.username, "name": u.full_name, "role": u.role, "active": u.active,
                           "must_change_password": u.must_change_password,
                           "last_sign_in": u.last_sign_in.isoformat() if u.last_sign_in else None}
                          for u in users], ensure_ascii=False, indent=2))
        return 0
    for u in users:
        state = "" if u.active else "（已停用）"
        print(f"{u.username}\t{u.full_name}\t{u.role}{state}")
    print(f"共{len(users)}个账户。" if users else "本机还没有账户（打开图形界面时会引导建立第一书记的账户）。")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    password = _password(args)
    db = open_db(args)
    try:
        with db.transaction(actor="命令行") as s:
            if not accounts.has_accounts(s):
                code = accounts.create_first_account(s, username=args.username, full_name=args.name,
                                                     password=password, role=args.role or "第一书记")
            else:
                code = None
                accounts.create_user(s, username=args.username, full_name=args.name, role=args.role or "工作队员",
                                     password=password)
    finally:
        db.close()
    print(f"已建立账户 {args.username}（{args.name}）。")
    if code:
        print(f"恢复码（忘记密码时用它重设，请抄写或打印后妥善保管，只显示这一次）：{code}")
    else:
        print("首次登录时须修改密码。")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    password = _password(args)
    db = open_db(args)
    try:
        with db.transaction(actor="命令行") as s:
            accounts.reset_password(s, username=args.username, new_password=password)
            code = accounts.new_recovery_code_for(s, args.username) if args.new_recovery_code else None
    finally:
        db.close()
    print(f"已重设 {args.username} 的密码，错误次数已清零。")
    if code:
        print(f"新的恢复码（旧恢复码作废）：{code}")
    return 0


def cmd_role(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    db = open_db(args)
    try:
        with db.transaction(actor="命令行") as s:
            accounts.set_role(s, username=args.username, role=args.role)
    finally:
        db.close()
    print(f"{args.username} 的角色已改为{args.role}。")
    return 0


def cmd_active(args: argparse.Namespace) -> int:
    from fupin_desktop.services import accounts

    active = args.action == "enable"
    db = open_db(args)
    try:
        with db.transaction(actor="命令行") as s:
            accounts.set_active(s, username=args.username, active=active)
    finally:
        db.close()
    print(f"已{'启用' if active else '停用'}账户 {args.username}。")
    return 0


def add_commands(command: AddCommand) -> None:
    from fupin_desktop.domain.accounts import ROLES

    users = command("users", "账户管理：list 列出、add 新建、reset 重设密码、role 改角色、disable/enable 停用/启用",
                    cmd_list)
    sub = users.add_subparsers(dest="action", metavar="操作", title="操作")

    def action(name: str, help_: str, func) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        c = sub.add_parser(name, help=help_, description=help_)
        c.set_defaults(func=func)
        c._optionals.title = "选项"
        return c

    c = action("list", "列出本机账户（默认操作）", cmd_list)
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    users.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = action("add", "新建账户（本机第一个账户是第一书记，并给出恢复码）", cmd_add)
    c.add_argument("username", metavar="登录名")
    c.add_argument("--name", required=True, metavar="姓名")
    c.add_argument("--role", choices=ROLES, metavar="角色",
                   help=f"{'/'.join(ROLES)}（默认：第一个账户第一书记，其余工作队员）")
    c.add_argument("--password", metavar="密码", help="不给时从键盘（或管道的一行）读入")

    c = action("reset", "重设密码（第一书记丢失密码和恢复码时，在本机运行此命令）", cmd_reset)
    c.add_argument("username", metavar="登录名")
    c.add_argument("--password", metavar="密码", help="不给时从键盘（或管道的一行）读入")
    c.add_argument("--new-recovery-code", action="store_true", help="同时发新的恢复码（第一书记/县级管理员）")

    c = action("role", "修改账户角色", cmd_role)
    c.add_argument("username", metavar="登录名")
    c.add_argument("role", choices=ROLES, metavar="角色", help="/".join(ROLES))

    for name, text in (("disable", "停用账户（账户不删除，历史记录仍显示其姓名）"), ("enable", "重新启用账户")):
        c = action(name, text, cmd_active)
        c.add_argument("username", metavar="登录名")
