"""The ribbon's buttons for the tasks on a whole list or a whole term: 导入幼儿名单, 导入教职工名单, 新学期 and 升级工作簿.

They are Actions like the registry's and run as they do on the workbook open in Excel (kgxl.excel), but only the
ribbon shows them: the command line and the web page have these tasks in their own forms (kgxl import / new-term /
upgrade; the page's 导入名单, 新学期, 升级工作簿) over the same kgxl.app functions. What a button asks before Python
runs (the list file, the new term's dates) Kgxl.bas asks in Excel and passes as the action's parameters.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from kgxl.core.actions import Action, Param, Result, UserError

GROUP = "名单与学期"
SHOWN = 24  # lines of a list's problems a message box shows; the rest are counted


def _said(lines: list[str]) -> str:
    if len(lines) <= SHOWN:
        return "\n".join(lines)
    return "\n".join(lines[:SHOWN] + [f"……另有 {len(lines) - SHOWN} 行未显示，请先改正上面这些。"])


def _import(key: str, label: str):
    def run(book, path: Path, **_) -> Result:
        from kgxl.app.list_import import ListsImported, plan_import
        from kgxl.app.report import text_report
        from kgxl.core.problems import has_errors

        imp, out = plan_import(book, key, path)
        done = ListsImported({key: path.name}, {key: (imp, out)}, has_errors(imp.problems), False)
        lines = text_report(imp.problems, path.name).splitlines() if imp.problems else []
        if done.blocked:
            lines += ["", f"名单有错误，未导入任何内容。请在名单文件中改正上面列出的行，保存后再点“{label}”；要先只导入没有错误的行，"
                          "可以在后勤助手网页的“导入名单”中勾选“跳过有错误的行”。"]
            return Result([], [], _said(lines))
        return Result([out] if out else [], [], _said(lines + done.lines()) +
                      ("\n导入后请点“校验数据”检查整个工作簿。" if out else ""))
    return run


def _new_term(book, start: dt.date, end: dt.date, out: Path | None = None, **_) -> Result:
    from kgxl.app.new_book import next_term

    folder = out or (book.path.parent if getattr(book, "path", None) else None)
    if folder is None:
        raise UserError("请先保存本工作簿：新学期的工作簿建在它所在的文件夹中")
    path, data, said = next_term(book, folder, start, end, {})
    said += ("\n升班按默认安排（托班→小班→中班→大班，大班离园）；要改，可在新工作簿的“班级”和“幼儿名册”中修改，"
             "或在后勤助手网页的“新学期”中先改好升班安排再新建。本工作簿未改动，请在 Excel 中打开新工作簿继续。")
    return Result([], [], said, files=[(path.name, data)])


def _upgrade(book, **_) -> Result:
    from kgxl.app.page_launch import open_page

    path = getattr(book, "path", None)
    if path is None:
        raise UserError("请先保存本工作簿")
    open_page(path)
    return Result([], [], f"已在浏览器中打开后勤助手网页，正在使用的工作簿是“{path.name}”。升级要替换工作簿中的按钮程序，"
                          "而打开着的工作簿不能替换自己的程序，所以升级在网页中进行：请先保存并关闭本工作簿（可以关闭 Excel），"
                          "再在网页上点“升级工作簿”。")


FILE = Param("path", "名单文件（Excel 表格或 CSV 文件，读第一张表）", kind="file", label="名单文件")
START = Param("start", "新学期开始日期，格式 2027-02-24", kind="date", label="开始日期")
END = Param("end", "新学期结束日期，格式 2027-07-09", kind="date", label="结束日期")

BUTTONS: dict[str, Action] = {a.id: a for a in (
    Action("import_roster", "导入幼儿名单", "选择一个已有的幼儿名单（Excel 表格或 CSV 文件），按表头找到各列，追加到“幼儿名册”；"
           "有错误时不导入，并指出名单文件中出错的行和列", _import("roster", "导入幼儿名单"), group=GROUP,
           image="GetExternalDataImportClassic", validates=False, params=(FILE,)),
    Action("import_staff", "导入教职工名单", "选择一个已有的教职工名单（Excel 表格或 CSV 文件），追加到“教职工”；"
           "有错误时不导入，并指出名单文件中出错的行和列", _import("staff", "导入教职工名单"), group=GROUP,
           image="GetExternalDataImportClassic", validates=False, params=(FILE,)),
    Action("new_term", "新学期", "填写新学期的开始和结束日期，在本工作簿所在文件夹新建下学期的主工作簿：幼儿按默认安排升班，"
           "教职工、资产、库存等按学期末的状态带入；本工作簿不变", _new_term, group=GROUP, image="FileNew",
           validates=False, params=(START, END)),
    Action("upgrade_page", "升级工作簿", "打开后勤助手网页升级本工作簿（添加新版本的表、列和按钮，保留填写的全部内容）："
           "打开着的工作簿不能替换自己的按钮程序，需要先关闭", _upgrade, group=GROUP, image="WebPagePreview",
           writes_by_default=False, validates=False),
)}

