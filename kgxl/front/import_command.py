"""The `kgxl import` command: plan the import of each list given, report its problems, and append the rows in
one locked, atomic write (or nothing, while a list has an 错误 and --skip-bad was not given)."""
from __future__ import annotations

import json
from pathlib import Path

from kgxl.app.list_import import plan_import
from kgxl.app.report import text_report
from kgxl.core.actions import UserError
from kgxl.core.problems import has_errors
from kgxl.io.filebook import FileBook
from kgxl.io.writer_lock import writer_lock

WHAT = {"roster": "名幼儿", "staff": "名教职工"}


def run_import(args) -> int:
    lists = {k: Path(f) for k, f in (("roster", args.roster), ("staff", args.staff)) if f}
    if not lists:
        raise UserError("请用 --roster 指定幼儿名单文件，或用 --staff 指定教职工名单文件")
    with writer_lock(Path(args.book)):
        book = FileBook(args.book)
        plans = {k: plan_import(book, k, path) for k, path in lists.items()}
        problems = [p for imp, _ in plans.values() for p in imp.problems]
        blocked = has_errors(problems) and not args.skip_bad
        outputs = [] if blocked else [out for _, out in plans.values() if out is not None]
        lines = [text_report(imp.problems, lists[k].name) for k, (imp, _) in plans.items()]
        for k, (imp, out) in plans.items():
            if blocked:
                continue
            skipped = f"，跳过有错误的 {len(imp.bad_rows)} 行" if imp.bad_rows else ""
            lines.append(f"{lists[k].name}：导入 {len(imp.rows)} {WHAT[k]}到“{imp.schema.sheet}”{skipped}。" +
                         "".join(f"{n}。" for n in imp.notes))
        if blocked:
            lines.append("有错误，未写入任何内容。请在名单文件中改正上面列出的行后重新导入，或加 --skip-bad 只导入没有错误的行。")
        if outputs:
            book.write(outputs)
            lines.append(f"已写入：{args.book}（原文件已备份）。运行 kgxl validate \"{args.book}\" 检查整个工作簿。")
    if args.json:
        print(json.dumps({"book": str(args.book), "written": bool(outputs), "problems": [p.as_dict() for p in problems],
                          "imported": {k: len(imp.rows) for k, (imp, _) in plans.items()} if outputs else {}},
                         ensure_ascii=False, indent=1))
    else:
        print("\n".join(lines))
    return 1 if blocked else 0
