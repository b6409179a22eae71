"""The kgxl command line: a thin layer over the action registry and the library.

Exit codes: 0 no 错误; 1 there are 错误; 2 the file or an argument cannot be used; 3 an internal fault.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kgxl import __version__
from kgxl.app.pipeline import ACTIONS
from kgxl.app.registry import current
from kgxl.app.report import text_report
from kgxl.app.runner import log_fault
from kgxl.app.session import run_on_file
from kgxl.core.actions import TODAY, UserError, parse_param
from kgxl.core.problems import has_errors
from kgxl.front import argparse_zh, book_commands
from kgxl.io.filebook import BookError

FORMATS = {"month": "YYYY-MM", "date": "YYYY-MM-DD", "week": "YYYY-Www", "names": "工作表"}


def _help(text: str) -> str:
    """argparse %-formats help strings: a literal % (as in ±2%) must be doubled."""
    return text.replace("%", "%%")


_BUILT: list = []  # [registry, its parser]


def _parser() -> argparse.ArgumentParser:
    """The parser of the current registry, built once for it (about 200 arguments: ~60 ms, paid again by every call
    of main in a process that stays up); parse_args leaves it as it was."""
    reg = current()
    if not _BUILT or _BUILT[0] is not reg:
        _BUILT[:] = [reg, _build()]
    return _BUILT[1]


def _build() -> argparse.ArgumentParser:
    argparse_zh.install()
    p = argparse.ArgumentParser(prog="kgxl", description="幼儿园后勤助手：校验和计算后勤工作簿。")
    p.add_argument("--version", action="version", version=f"kgxl {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", required=True)
    for a in ACTIONS.values():
        s = sub.add_parser(a.id, help=_help(f"{a.label}：{a.help}"), description=f"{a.label}：{a.help}")
        s.add_argument("book", metavar="工作簿", help="工作簿文件（.xlsm/.xlsx）")
        s.add_argument("--json", action="store_true", help="以 JSON 输出问题列表（供脚本使用）")
        for prm in a.params:
            shown = FORMATS.get(prm.kind)
            if prm.positional:  # kept for compatibility; --name works too, as for every other command
                s.add_argument(prm.name, nargs="?", metavar=shown, help=_help(prm.help))
                s.add_argument(f"--{prm.name}", dest=f"{prm.name}_option", metavar=shown, help=_help(prm.help))
            elif prm.kind == "flag":
                s.add_argument(f"--{prm.name}", action="store_true", help=_help(prm.help))
            elif prm.kind == "names":
                s.add_argument(f"--{prm.name}", nargs="+", metavar=shown, help=_help(prm.help))
            else:
                s.add_argument(f"--{prm.name}", metavar=shown or "文件夹", help=_help(prm.help))
        if not a.writes_by_default:
            s.add_argument("--write", action="store_true", help="把结果表写入工作簿")
    book_commands.add(sub)
    return p


def _run_action(args) -> int:
    action = ACTIONS[args.command]
    params = {p.name: parse_param(p, getattr(args, f"{p.name}_option", None) or getattr(args, p.name))
              for p in action.params}
    return _perform(args, action.id, params, bool(action.writes_by_default or getattr(args, "write", False)))


def _perform(args, action_id: str, params: dict, write: bool) -> int:
    def show(run) -> str:
        """What the command prints, made before the file is touched (a fault here leaves it as it was)."""
        result, action = run.result, run.action
        if args.json:
            return json.dumps({"book": str(args.book), "action": action.id, "summary": result.summary,
                               "written": run.written, "problems": [p.as_dict() for p in result.problems]},
                              ensure_ascii=False, indent=1)
        sheets = [o.name for o in run.outputs if not o.retitle]
        where = [f"已写入工作表：{'、'.join(sheets)}（{args.book}）"] if sheets else []
        where += [f"已生成文件：{p}" for p, _ in run.files]
        report = [text_report(result.problems, Path(args.book).name, result.scope), ""] if action.validates else []
        return "\n".join([*report, result.summary, *where])

    done = run_on_file(action_id, Path(args.book), params, write, show=show)
    for _, text in done:
        print(text)
    return 1 if has_errors(done[-1][0].result.problems) else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in book_commands.COMMANDS:
            return book_commands.run(args, lambda: _perform(args, "refresh", {"month": None,
                                                            "today": parse_param(TODAY, args.today)}, True))
        return _run_action(args)
    except BrokenPipeError:  # the output's reader went away (a pipe into head, a closed window): nothing to tell
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except BookError as e:
        print(f"无法打开工作簿：{e}", file=sys.stderr)
        return 2
    except UserError as e:
        print(f"无法运行：{e}", file=sys.stderr)
        return 2
    except Exception:  # an internal fault: short message for the user, traceback in the log
        path = log_fault(" ".join(argv or sys.argv[1:]))
        print(f"kgxl 内部错误，未修改任何文件。详细信息已记录到 {path}，请发给维护人员。", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
