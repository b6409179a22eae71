"""Problems for people: the 校验结果 sheet and the console report (counts first, details after), each
problem headed by its catalogue title (the code stays in its own column, for support)."""
from __future__ import annotations

from collections import Counter, defaultdict

from kgxl.app.registry import title
from kgxl.core.cells import quote_sheet
from kgxl.core.port import Block, Link, SheetOutput
from kgxl.core.problems import ERROR, WARNING, Problem, counts
from kgxl.core.settings import Settings

RESULT_SHEET = "校验结果"
RESULT_HEADER = ["序号", "级别", "工作表", "单元格", "列", "填写的值", "问题说明", "代码"]
MAX_LINES_PER_SHEET = 30


def result_sheet(problems: list[Problem], settings: Settings, sheet_names: list[str]) -> SheetOutput:
    errors, warnings = counts(problems)
    name = settings.kindergarten_name or ""
    titles = [f"{name} 数据校验结果".strip(),
              f"错误 {errors} 个（须修正后才能计算），警告 {warnings} 个（请核对）。点击“单元格”列可跳到问题所在位置。"
              if problems else "没有发现问题。"]
    rows, links, styles = [], [], {}
    for i, p in enumerate(problems):
        rows.append([i + 1, p.severity, p.sheet, p.cell or "（整表）", p.column, p.value, f"【{title(p.code)}】{p.message}",
                     p.code])
        if p.sheet in sheet_names:
            links.append(Link(i, 3, f"{quote_sheet(p.sheet)}!{p.cell or 'A1'}"))
        styles[i] = "error" if p.severity == ERROR else "warning"
    return SheetOutput(RESULT_SHEET, [Block(RESULT_HEADER, rows, row_styles=styles, links=links)], titles=titles,
                       widths=[6, 6, 12, 10, 16, 18, 70, 18],
                       page_header=f"{name} 数据校验结果", tab_color="FFC00000" if errors else "FF70AD47")


def problems_in(rows: list[list]) -> list[Problem] | None:
    """The problems a 校验结果 sheet lists, as they were (None when the sheet is not one kgxl wrote)."""
    start = next((i for i, r in enumerate(rows) if r and list(r[:len(RESULT_HEADER)]) == RESULT_HEADER), None)
    if start is None:
        return None
    out = []
    for r in rows[start + 1:]:
        r = ["" if v is None else v for v in list(r) + [""] * len(RESULT_HEADER)]
        if r[1] not in (ERROR, WARNING):
            continue
        code = str(r[7])
        message = str(r[6]).removeprefix(f"【{title(code)}】")
        cell = "" if r[3] == "（整表）" else str(r[3])
        out.append(Problem(str(r[2]), cell, str(r[4]), _text(r[5]), code, message, r[1]))
    return out


def _text(v) -> str:
    """A value read back as the text the problem held (a whole number reads back as a float)."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def text_report(problems: list[Problem], book_name: str, scope: str = "") -> str:
    """The problems as the console shows them; scope: what they cover when not the whole workbook."""
    errors, warnings = counts(problems)
    if not problems:
        return f"{book_name}（{scope}）：没有发现问题。" if scope else f"{book_name}：校验通过，没有发现问题。"
    lines = [f"{book_name}{f'（{scope}）' if scope else ''}：错误 {errors} 个，警告 {warnings} 个。"]
    by_sheet: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_sheet[p.sheet].append(p)
    lines.append("")
    lines.append("按工作表统计：")
    for sheet, ps in by_sheet.items():
        e, w = counts(ps)
        kinds = Counter(p.code for p in ps).most_common(3)
        lines.append(f"  {sheet}：错误 {e}，警告 {w}（" + "，".join(f"{title(k)} {n}" for k, n in kinds) + "）")
    for severity in (ERROR, WARNING):
        for sheet, ps in by_sheet.items():
            chosen = [p for p in ps if p.severity == severity]
            if not chosen:
                continue
            lines.append("")
            lines.append(f"【{severity}】{sheet}")
            for p in chosen[:MAX_LINES_PER_SHEET]:
                value = f"（填写的是“{p.value}”）" if p.value else ""
                lines.append(f"  {p.address}  {p.message}{value}")
            if len(chosen) > MAX_LINES_PER_SHEET:
                lines.append(f"  …… 另有 {len(chosen) - MAX_LINES_PER_SHEET} 个，见“{RESULT_SHEET}”表或 --json 输出")
    return "\n".join(lines)
