"""docs/sheets.md, generated from schemas/: what each input sheet holds. A test keeps it current."""
from __future__ import annotations

from pathlib import Path

from kgxl.app.registry import current
from kgxl.core.cells import show
from kgxl.core.schema import Column, SheetSchema, load_schemas

TYPE_NAMES = {"text": "文本", "integer": "整数", "number": "数字", "date": "日期", "month": "月份", "time": "时刻"}


def _rule(c: Column, s: SheetSchema) -> str:
    parts = []
    if c.allowed:
        parts.append("、".join(c.allowed))
    if c.min is not None or c.max is not None:
        parts.append(f"{show(c.min) if c.min is not None else ''}～{show(c.max) if c.max is not None else ''}")
    if c.unique:
        parts.append("不可重复")
    if c.ref:
        target = load_schemas()[c.ref[0]]
        alias = f"或{target.column(c.ref_aliases).header}" if c.ref_aliases else ""
        parts.append(f"须在“{target.sheet}”的{target.column(c.ref[1]).header}{alias}中" +
                     ("（否则警告）" if c.ref_severity == "警告" else ""))
    if c.product_of:
        parts.append("等于" + "×".join(s.column(k).header for k in c.product_of) + "（允许相差 0.01）")
    if c.not_before:
        parts.append(("不早于" if c.type == "date" else "不小于") + "同行的" + s.column(c.not_before).header)
    if c.in_term:
        parts.append("应在本学期内")
    if c.aliases:
        parts.append("导入名单时也认表头：" + "、".join(c.aliases))
    return "；".join(parts)


def render_docs() -> str:
    lines = ["# 输入表说明", "", "本文件由 `kgxl docs` 根据 schemas/ 自动生成，请勿手改。", ""]
    for s in current().inputs:
        lines += [f"## {s.sheet}", "", s.help, "", f"定义文件：schemas/{s.source}", ""]
        if s.kind == "keyvalue":
            lines += ["| 项目 | 键 | 类型 | 必填 | 规则 | 说明 |", "|---|---|---|---|---|---|"]
        else:
            lines += ["| 列名 | 键 | 类型 | 必填 | 规则 | 说明 |", "|---|---|---|---|---|---|"]
        for c in s.fields:
            lines.append(f"| {c.header} | {c.key} | {TYPE_NAMES[c.type]} | {'是' if c.required else ''} | "
                         f"{_rule(c, s)} | {c.help} |")
        if s.day_columns:
            lines += ["", f"日期列：表头为日期（格式 {s.day_columns.header_format}），每格一个出勤标记：" +
                      "，".join(f"{m} {meaning}" for m, meaning in s.day_columns.marks.items()) + "。"]
        lines.append("")
    lines += ["## 问题类型", "", "“校验结果”表和命令行列出的每类问题（代码供维护人员查找）。", "",
              "| 问题类型 | 通常级别 | 怎么办 | 代码 |", "|---|---|---|---|"]
    lines += [f"| {c.title} | {c.severity} | {c.help} | {code} |" for code, c in current().catalogue.items()]
    lines.append("")
    return "\n".join(lines)


def write_docs(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_docs(), encoding="utf-8")
    return path
