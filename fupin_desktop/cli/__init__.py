"""The `fupin` command: a thin shell over the services. Messages and --help in Chinese.

Each feature keeps its commands in its own module with `add_commands(command)`; cli/commands.py
names every command, its module and what it does. Only the module of the command being run is
imported, and only its parser is built: `fupin --help` lists the commands from that table alone.
"""

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from fupin_desktop import __version__, paths
from fupin_desktop.cli.commands import COMMANDS
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


class _NotRun:
    """Stands in for the parser of a command of the same module that is not being run: whatever the
    module adds to it is dropped (argparse spends about a millisecond on each parser)."""

    def __getattr__(self, _name: str) -> "_NotRun":
        return self

    def __call__(self, *_args: object, **_kwargs: object) -> "_NotRun":
        return self


def _command_in(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """The command word of `argv`: its first argument that is neither an option nor an option's value."""
    takes_value = {o for a in parser._actions if a.nargs != 0 for o in a.option_strings}
    words = iter(argv)
    for word in words:
        if word in takes_value:
            next(words, None)
        elif word == "--" or not word.startswith("-"):
            return next(words, None) if word == "--" else word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The `fupin` parser; given the command line, only the command it runs is built in full."""
    p = argparse.ArgumentParser(prog="fupin", description="扶贫工作队桌面助手：农户档案、帮扶计划、走访、打印与同步。")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="显示版本号并退出")
    p.add_argument("--db", default=str(paths.default_database()), metavar="路径或URL",
                   help="SQLite 数据库文件路径，或 SQLAlchemy 连接串（如 postgresql+psycopg://…）；"
                        "默认：%(default)s")
    p.add_argument("--user", metavar="登录名", help="数据库已设账户时用此账户登录（也可设环境变量 FUPIN_USER）")
    p.add_argument("--password-stdin", action="store_true",
                   help="从标准输入的第一行读登录密码（脚本用；密码不要写在命令行上）")
    sub = p.add_subparsers(dest="command", metavar="命令", title="命令")
    sub.required = True
    wanted = _command_in(p, argv) if argv is not None else None
    helps = {name: help_ for name, _module, help_ in COMMANDS}

    def command(name: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        if argv is not None and name != wanted:
            return _NotRun()  # type: ignore[return-value]
        c = sub.add_parser(name, help=helps[name], description=helps[name])
        c.set_defaults(func=func)
        return c

    modules = dict.fromkeys(m for name, m, _help in COMMANDS if argv is None or name == wanted)
    for module in modules:
        importlib.import_module(f"fupin_desktop.cli.{module}").add_commands(command)
    if argv is not None:  # the other commands are only named, for --help and for a mistyped command
        for name, _module, help_ in COMMANDS:
            if name != wanted:
                sub._choices_actions.append(sub._ChoicesPseudoAction(name, (), help_))
                sub._name_parser_map[name] = _NotRun()  # type: ignore[assignment]
    for action in (p, *sub.choices.values()):
        action._optionals.title = "选项"  # argparse names this group before our gettext hook can
    return p


def gui() -> int:
    """`fupin-gui [--db PATH]`: the window (installed as a GUI script, and the frozen program's entry)."""
    return main([*sys.argv[1:], "gui"])


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    if args.command != "gui":  # the open marker says who has the file open (db/lock.py)
        from fupin_desktop.db import lock

        lock.this_process(f"命令 fupin {args.command}")
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
    except BrokenPipeError:  # `fupin households | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except Exception as e:  # a bug (or a database refusing a write): a report without personal data
        return _bug(e, args)


def _bug(e: Exception, args: argparse.Namespace) -> int:
    """Tell the user what to do, and write the report (code locations, error types, no values) to
    the log beside the database; never print a raw traceback, which would quote SQL parameters."""
    from fupin_desktop.db.session import database_url, refused_by_database, sqlite_file
    from fupin_desktop.logs import error_report, log_folder

    report = error_report(e)
    where = None
    try:
        folder = log_folder(sqlite_file(database_url(args.db)), paths.data_dir())
        folder.mkdir(parents=True, exist_ok=True)
        where = folder / "fupin.log"
        with where.open("a", encoding="utf-8") as f:
            f.write(f"--- fupin {getattr(args, 'command', '')}\n{report}\n")
    except OSError:
        where = None
    what = "数据库拒绝了这次写入" if refused_by_database(e) else "程序遇到了意外错误"
    print(f"错误：{what}（{type(e).__name__}），本次操作没有保存。", file=sys.stderr)
    if where is not None:
        print(f"详细情况（不含个人信息）已写入日志 {where}，请发给县里的技术支持人员。", file=sys.stderr)
    else:
        print(report, file=sys.stderr)
    return 70
