"""The workbook's Excel front, derived from the action registry: the ribbon tab (customUI XML,
2006 form), the VBA modules behind it and the RunPython command each button sends.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from xml.sax.saxutils import quoteattr

from kgxl.app.pipeline import ACTIONS
from kgxl.core.actions import Action
from kgxl.io.ovba import Module, crlf, document_module

NS = "http://schemas.microsoft.com/office/2006/01/customui"
PART = "customUI/customUI.xml"
REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
TAB = "后勤助手"
CALLBACK = "KgxlButton"  # the one Sub every button calls (kgxl/vba/Kgxl.bas)


def command(action_id: str) -> str:
    """The Python command RunPython runs for a button: kgxl.excel's entry point for the action."""
    return f"import kgxl.excel; kgxl.excel.run('{action_id}')"


def groups() -> dict[str, list[Action]]:
    out: dict[str, list[Action]] = {}
    for a in ACTIONS.values():
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
    return docs + [Module("Kgxl", source("Kgxl.bas"))] + (xlwings_sources() if runtime is None else runtime)
