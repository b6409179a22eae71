"""The workbook's Excel front, derived from the action registry: the ribbon tab (customUI XML,
2006 form), the VBA modules behind it and the RunPython command each button sends.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from kgxl.app.book_buttons import BUTTONS
from kgxl.app.pipeline import ACTIONS
from kgxl.core.actions import Action
from kgxl.io.ovba import Module, crlf, document_module
from kgxl.io.xml_nodes import quoteattr

NS = "http://schemas.microsoft.com/office/2006/01/customui"
PART = "customUI/customUI.xml"
REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
TAB = "后勤助手"
CALLBACK = "KgxlButton"  # the one Sub every button calls (kgxl/vba/Kgxl.bas)


def py_text(text: str) -> str:
    """Text as the body of an ASCII Python string literal (\\uXXXX escapes): RunPython's command line stays ASCII."""
    return "".join(ch if 32 <= ord(ch) < 127 and ch not in "'\\\"" else f"\\u{ord(ch):04x}" for ch in text)


def argument(name: str, value: str) -> str:
    """A keyword argument of the command, as Kgxl.bas's KgxlArg writes what the user chose (a file, a date): UTF-16
    code units as escapes, so a character beyond U+FFFF arrives as two surrogates (kgxl.core.actions.parse_param)."""
    units = value.encode("utf-16-le", "surrogatepass")
    code_units = "".join(chr(int.from_bytes(units[i:i + 2], "little")) for i in range(0, len(units), 2))
    return f", {name}='{py_text(code_units)}'"


def command(action_id: str, args: str = "") -> str:
    """The Python command RunPython runs for a button: kgxl.excel's entry point for the action; in a Python without
    kgxl, a Chinese message box instead of xlwings' English traceback. One line, single quotes only (xlwings puts it
    inside double quotes on the Windows command line); Kgxl.bas's KgxlCommand builds the same text."""
    return (f"import importlib.util as u; k = __import__('kgxl.excel').excel if u.find_spec('kgxl') else None; "
            f"k.run('{action_id}'{args}) if k else __import__('xlwings').Book.caller().app.alert("
            f"'{py_text(MESSAGES['no_kgxl'])}', title='{py_text(MESSAGES['title'])}')")


def groups() -> dict[str, list[Action]]:
    out: dict[str, list[Action]] = {}
    for a in [*ACTIONS.values(), *BUTTONS.values()]:
        out.setdefault(a.group, []).append(a)
    return out


def custom_ui() -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             f'<customUI xmlns="{NS}">', "<ribbon>", "<tabs>", f'<tab id="kgxlTab" label={quoteattr(TAB)}>']
    for i, (group, actions) in enumerate(groups().items(), start=1):
        lines.append(f'<group id="kgxlGroup{i}" label={quoteattr(group)}>')
        for a in actions:
            lines.append(f'<button id={quoteattr(a.id)} label={quoteattr(a.label)} size="large" '
                         f'imageMso={quoteattr(a.image)} screentip={quoteattr(a.label)} '
                         f'supertip={quoteattr(a.help)} onAction="{CALLBACK}"/>')
        lines.append("</group>")
    lines += ["</tab>", "</tabs>", "</ribbon>", "</customUI>"]
    return "\n".join(lines).encode("utf-8")


# What a button says before Python runs (kgxl/vba/Kgxl.bas), generated as ASCII VBA into the module KgxlMessages
# (a module may not share its name with a procedure: VBA would resolve the call to the module).
MESSAGES = {
    "title": "后勤助手",
    "not_excel": "后勤助手的按钮只能在 Microsoft Excel 中使用（WPS 等软件不能运行它们）。请用后勤助手网页："
                 "先关闭本工作簿，再双击后勤助手文件夹中的“后勤助手.bat”，详见 docs\\使用说明.md 的“后勤助手网页”。",
    "no_python": "找不到后勤助手使用的 Python：{path}。请双击后勤助手文件夹中的“安装.bat”安装；已经安装的，请关闭本工作簿，"
                 "双击“后勤助手.bat”打开网页，打开这个工作簿后点“设置 Excel 按钮”。详见 docs\\使用说明.md 的“遇到问题”。",
    "no_kgxl": "这台电脑的 Python 中没有安装后勤助手（kgxl）。请双击后勤助手文件夹中的“安装.bat”重新安装，"
               "详见 docs\\使用说明.md 的“遇到问题”。",
    "warm_failed": "后勤助手无法启动常驻的 Python（{detail}）。可以改为每次点按钮时单独启动 Python：右键任一工作表"
                   "标签 →“取消隐藏”→ 选 xlwings.conf，把 USE UDF SERVER 一行的 B 列改为 False，保存后重新打开工作簿。"
                   "详见 docs\\使用说明.md 的“遇到问题”。",
    "run_failed": "后勤助手无法启动 Python（{detail}）。请双击后勤助手文件夹中的“安装.bat”重新安装，"
                  "详见 docs\\使用说明.md 的“遇到问题”。",
    "file_filter": "表格文件 (*.xlsx;*.xls;*.xlsm;*.xlsb;*.ods;*.csv),*.xlsx;*.xls;*.xlsm;*.xlsb;*.ods;*.csv",
}


def asks() -> dict[str, str]:
    """What each button asks before Python runs (Kgxl.bas's KgxlAsk): "name:kind,…" of its parameters a user gives
    there, a file chosen or a date typed (BUTTONS); the registry's actions ask nothing."""
    return {a.id: ",".join(f"{p.name}:{p.kind}" for p in a.params) for a in BUTTONS.values() if a.params}


def questions() -> dict[str, str]:
    """The prompt of each question a button asks, keyed ask_<action>_<parameter> in KgxlText."""
    return {f"ask_{a.id}_{p.name}": f"{a.label}：请{'选择' if p.kind == 'file' else '填写'}{p.help}"
            for a in BUTTONS.values() for p in a.params}


def vba_text(text: str) -> str:
    """A VBA expression for any text in an ASCII source: ASCII runs quoted, other characters as ChrW."""
    parts, run = [], ""
    for ch in text:
        if 32 <= ord(ch) < 127 and ch != '"':
            run += ch
            continue
        if run:
            parts.append(f'"{run}"')
            run = ""
        parts.append(f"ChrW(&H{ord(ch):X})")
    if run:
        parts.append(f'"{run}"')
    return " & ".join(parts) or '""'


def text_module() -> Module:
    """KgxlText(key): the MESSAGES, built a few characters per line (VBA's line length and continuation limits)."""
    lines = ['Attribute VB_Name = "KgxlMessages"', "' Generated by kgxl.app.ribbon from MESSAGES: do not edit.",
             "Option Explicit", "", "Public Function KgxlText(key As String) As String", "    Dim s As String",
             "    Select Case key"]
    texts = {**MESSAGES, **questions(), **{f"py_{k}": py_text(MESSAGES[k]) for k in ("no_kgxl", "title")}}
    for key, text in texts.items():  # py_: for KgxlCommand
        lines.append(f'    Case "{key}"')
        for i in range(0, len(text), 12):
            lines.append(f"        s = s & {vba_text(text[i:i + 12])}")
    lines += ["    End Select", "    KgxlText = s", "End Function", "",
              "Public Function KgxlAsks(actionId As String) As String", "    Select Case actionId"]
    for action_id, asked in asks().items():
        lines += [f'    Case "{action_id}"', f'        KgxlAsks = "{asked}"']
    lines += ["    End Select", "End Function", ""]
    return Module("KgxlMessages", crlf("\n".join(lines)))


def source(name: str) -> str:
    """One of our VBA sources (kgxl/vba/NAME), with CRLF line ends."""
    return crlf(resources.files("kgxl").joinpath("vba", name).read_text(encoding="ascii"))


def xlwings_sources() -> list[Module]:
    """xlwings' standalone VBA module and, for macOS, its Dictionary class, from the installed
    xlwings package: the workbook needs no add-in, and its module matches the user's xlwings."""
    import xlwings

    folder = Path(xlwings.__file__).parent
    bas = (folder / "xlwings.bas").read_text(encoding="ascii")
    cls = (folder / "addin" / "Dictionary.cls").read_text(encoding="ascii")
    cls = cls[cls.index("Attribute VB_Name"):]  # the export header (VERSION ... END) is not module text
    return [Module("xlwings", crlf(bas)), Module("Dictionary", crlf(cls), "class")]


def modules(code_names: list[str], runtime: list[Module] | None = None) -> list[Module]:
    """The workbook's VBA project: ThisWorkbook, one document module per sheet codeName, our
    dispatcher and the xlwings runtime (a test build passes a stub runtime instead)."""
    docs = [document_module("ThisWorkbook", workbook=True)] + [document_module(n) for n in code_names]
    return docs + [Module("Kgxl", source("Kgxl.bas")), text_module()] + (
        xlwings_sources() if runtime is None else runtime)
