"""The `kgxl import` command: the lists given imported (kgxl.app.list_import.import_lists), the problems and what
was done printed, exit 1 while a list has an 错误 and --skip-bad was not given."""
from __future__ import annotations

import json
from pathlib import Path

from kgxl.app.list_import import import_lists
from kgxl.app.report import text_report
from kgxl.core.actions import UserError


def run_import(args) -> int:
    lists = {k: Path(f) for k, f in (("roster", args.roster), ("staff", args.staff)) if f}
    if not lists:
        raise UserError("请用 --roster 指定幼儿名单文件，或用 --staff 指定教职工名单文件")
    done = import_lists(Path(args.book), lists, args.skip_bad)
    if args.json:
        print(json.dumps({"book": str(args.book), "written": done.written,
                          "problems": [p.as_dict() for p in done.problems],
                          "imported": {k: len(imp.rows) for k, (imp, _) in done.plans.items()} if done.written else {}},
                         ensure_ascii=False, indent=1))
        return 1 if done.blocked else 0
    lines = [text_report(imp.problems, done.names[k]) for k, (imp, _) in done.plans.items()] + done.lines()
    if done.blocked:
        lines.append("有错误，未写入任何内容。请在名单文件中改正上面列出的行后重新导入，或加 --skip-bad 只导入没有错误的行。")
    if done.written:
        lines.append(f"已写入：{args.book}（原文件已备份）。运行 kgxl validate \"{args.book}\" 检查整个工作簿。")
    print("\n".join(lines))
    return 1 if done.blocked else 0
