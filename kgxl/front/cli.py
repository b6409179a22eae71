"""The kgxl command line: a thin layer over the action registry and the library.

Exit codes: 0 no 错误; 1 there are 错误; 2 the file or an argument cannot be used; 3 an internal fault.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path

from kgxl import __version__
from kgxl.app.pipeline import ACTIONS
from kgxl.app.report import text_report
from kgxl.app.runner import log_fault, perform
from kgxl.core.actions import TODAY, Param, UserError, parse_param
from kgxl.core.problems import has_errors
from kgxl.front import argparse_zh
from kgxl.io.filebook import BookError, FileBook
from kgxl.io.writer_lock import writer_lock

FORMATS = {"month": "YYYY-MM", "date": "YYYY-MM-DD", "week": "YYYY-Www", "names": "工作表"}


def _help(text: str) -> str:
    """argparse %-formats help strings: a literal % (as in ±2%) must be doubled."""
    return text.replace("%", "%%")


def _parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    p = argparse.ArgumentParser(prog="kgxl", description="幼儿园后勤助手：校验和计算后勤工作簿。")
    p.add_argument("--version", action="version", version=f"kgxl {__version__}")
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
    b = sub.add_parser("build-workbook", help="（开发用）由 schemas 和示例数据生成示例工作簿 workbook/Logistics.xlsm",
                       description="（开发用）由 schemas 和示例幼儿园数据生成示例工作簿，其中全是虚构的幼儿和记录。"
                                   "不会覆盖已有的文件，除非加 --force。")
    b.add_argument("--out", default="workbook/Logistics.xlsm", help="输出路径")
    b.add_argument("--force", action="store_true", help="覆盖已有的文件（原文件备份为 .backup）")
    n = sub.add_parser("new", help="新建本园的空白主工作簿（含全部输入表、参考表和后勤助手按钮，不含示例数据）",
                       description="新建本园的空白主工作簿：全部输入表（带表头、下拉选项和说明）、参考表（食物成分、营养标准、"
                                   "体检标准、传染病病种）、后勤助手按钮；不含任何示例人员。之后运行 kgxl validate 查看还需填写的单元格。")
    n.add_argument("path", metavar="路径", help="新工作簿的路径（.xlsm），如 文档/后勤/阳光幼儿园.xlsm；已存在的文件不会被覆盖")
    n.add_argument("--name", required=True, metavar="园所名称", help="园所全称")
    n.add_argument("--term-start", metavar="YYYY-MM-DD", help="本学期第一天")
    n.add_argument("--term-end", metavar="YYYY-MM-DD", help="本学期最后一天")
    t = sub.add_parser("new-term", help="由本学期的工作簿新建下学期的主工作簿（幼儿升班、库存结转）",
                       description="由本学期的工作簿新建下学期的主工作簿：带入在园幼儿（新学年时按 托班→小班→中班→大班 升班，"
                                   "大班离园）、班级、在职教职工、体检记录、期末库存（作为期初）、收费项目、检查计划、考核细则、"
                                   "营养标准、体检标准、食物成分和基本信息；出勤、食谱、收费、收支等记录从空表开始。原工作簿只读取，不修改。")
    t.add_argument("old", metavar="本学期工作簿", help="本学期的主工作簿（.xlsm）")
    t.add_argument("path", metavar="新工作簿", help="下学期主工作簿的路径（.xlsm）；已存在的文件不会被覆盖")
    t.add_argument("--term-start", required=True, metavar="YYYY-MM-DD", help="下学期第一天")
    t.add_argument("--term-end", required=True, metavar="YYYY-MM-DD", help="下学期最后一天")
    t.add_argument("--class", dest="classes", action="append", metavar="旧班级=新班级",
                   help="改变默认的升班对应，如 --class 小一班=中二班；写 大一班=离园 表示该班离园；可写多次")
    u = sub.add_parser("upgrade", help="把旧版后勤助手生成的工作簿升级到当前版本（保留填写的全部内容）",
                       description="把旧版后勤助手生成的工作簿升级到当前版本：添加新的工作表、列和基本信息项目（不移动已填写的"
                                   "内容），更新后勤助手按钮和宏，然后刷新汇总。原文件备份为 .backup。")
    u.add_argument("book", metavar="工作簿", help="工作簿文件（.xlsm/.xlsx）")
    u.add_argument("--today", metavar="YYYY-MM-DD", help="刷新汇总时以此日期为“今天”（默认为系统日期）")
    x = sub.add_parser("setup-excel", help="让工作簿的后勤助手按钮使用本机安装了 kgxl 的 Python（安装程序会自动运行）",
                       description="把本机安装了 kgxl 的 Python 的路径写入工作簿的 xlwings.conf 表（Windows：Interpreter_Win；"
                                   "macOS：Interpreter_Mac），后勤助手按钮才能找到 Python。原文件备份为 .backup。")
    x.add_argument("book", metavar="工作簿", help="主工作簿（.xlsm）")
    x.add_argument("--python", metavar="路径", help="python.exe 的完整路径（默认为运行本命令的 Python）")
    i = sub.add_parser("import", help="把已有的幼儿名单或教职工名单（xlsx、xls、csv）导入工作簿",
                       description="把已有的名单追加到工作簿的“幼儿名册”或“教职工”表：按表头名称找列（姓名、性别、出生日期、"
                                   "班级、入园日期、身份证号等）；由身份证号得出出生日期和性别并核对校验位。发现问题时列出文件中的"
                                   "行和列，不写入任何内容（除非加 --skip-bad）；工作簿中已有的行不会改动。")
    i.add_argument("book", metavar="工作簿", help="工作簿文件（.xlsm/.xlsx）")
    i.add_argument("--roster", metavar="文件", help="幼儿名单文件，导入到“幼儿名册”")
    i.add_argument("--staff", metavar="文件", help="教职工名单文件，导入到“教职工”")
    i.add_argument("--skip-bad", action="store_true", help="跳过有错误的行，导入其余的行")
    i.add_argument("--json", action="store_true", help="以 JSON 输出问题列表（供脚本使用）")
    d = sub.add_parser("docs", help="由 schemas 生成输入表说明文档")
    d.add_argument("--out", default="docs/sheets.md", help="输出路径")
    return p


def _run_action(args) -> int:
    action = ACTIONS[args.command]
    params = {p.name: parse_param(p, getattr(args, f"{p.name}_option", None) or getattr(args, p.name))
              for p in action.params}
    write = bool(action.writes_by_default or getattr(args, "write", False))
    # a writer holds the workbook's lock from reading it to replacing it: no other run computes from the same file
    with writer_lock(Path(args.book)) if write else nullcontext():
        if params.get("refresh"):  # export --refresh: 刷新汇总 first, in the same lock, and stop on its 错误
            code = _perform(ACTIONS["refresh"], args, {"month": params.get("month"), "today": params.get("today")}, True)
            if code:
                return code
            params = {**params, "refresh": False}
        return _perform(action, args, params, write)


def _perform(action, args, params: dict, write: bool) -> int:
    book = FileBook(args.book)
    run = perform(action, book, params, write)
    result = run.result
    # the whole report is made before the file is touched: a fault after this point cannot leave it half-done
    if args.json:
        text = json.dumps({"book": str(args.book), "action": action.id, "summary": result.summary,
                           "written": run.written, "problems": [p.as_dict() for p in result.problems]},
                          ensure_ascii=False, indent=1)
    else:
        sheets = [o.name for o in run.outputs if not o.retitle]
        where = [f"已写入工作表：{'、'.join(sheets)}（{args.book}）"] if sheets else []
        where += [f"已生成文件：{p}" for p, _ in run.files]
        report = [text_report(result.problems, Path(args.book).name), ""] if action.validates else []
        text = "\n".join([*report, result.summary, *where])
    run.commit(book)
    print(text)
    return 1 if has_errors(result.problems) else 0


def _upgrade(args) -> int:
    import zipfile

    from kgxl.app.pipeline import layout
    from kgxl.front.upgrade import describe, plan
    from kgxl.io.upgrade_package import VBA_PART, apply_upgrade

    with writer_lock(Path(args.book)):
        book = FileBook(args.book)
        if book.layout() == layout():
            print(f"{args.book} 已是当前版本，无需升级。")
            return 0
        u = plan(book)
        with zipfile.ZipFile(book.path) as z:
            had_macros = VBA_PART in z.namelist()
        backup = book.edit(lambda parts: apply_upgrade(parts, u))
        print(f"已升级：{args.book}（原文件备份为 {backup.name}）\n" + describe(u, had_macros))
        args.command, args.json, args.month = "refresh", False, None
        return _perform(ACTIONS["refresh"], args, {"month": None, "today": parse_param(TODAY, args.today)}, True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build-workbook":
            from kgxl.front.workbook import build_workbook
            path = build_workbook(Path(args.out), args.force)
            print(f"已生成主工作簿：{path}")
            return 0
        if args.command == "new":
            from kgxl.front.new_book import new_workbook
            day = {k: parse_param(Param(k, "", kind="date"), getattr(args, k)) for k in ("term_start", "term_end")}
            path = new_workbook(Path(args.path), args.name, day["term_start"], day["term_end"])
            print(f"已新建主工作簿：{path}。请先在“基本信息”中填写学期、伙食费标准等项目，再填写班级和幼儿名册；"
                  f"运行 kgxl validate \"{path}\" 可查看还需填写的单元格。")
            return 0
        if args.command == "new-term":
            from kgxl.app.new_term import parse_edits
            from kgxl.front.new_book import new_term_workbook
            day = {k: parse_param(Param(k, "", kind="date"), getattr(args, k)) for k in ("term_start", "term_end")}
            print(new_term_workbook(Path(args.old), Path(args.path), day["term_start"], day["term_end"],
                                    parse_edits(args.classes)))
            return 0
        if args.command == "upgrade":
            return _upgrade(args)
        if args.command == "setup-excel":
            from kgxl.front.excel_setup import setup_excel
            with writer_lock(Path(args.book)):
                print(setup_excel(Path(args.book), args.python))
            return 0
        if args.command == "import":
            from kgxl.front.import_command import run_import
            return run_import(args)
        if args.command == "docs":
            from kgxl.front.docs import write_docs
            print(f"已生成文档：{write_docs(Path(args.out))}")
            return 0
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
