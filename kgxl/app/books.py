"""The workbooks kgxl makes, from the registry: a master workbook's ribbon, VBA project and xlwings settings; the
rows of the sample kindergarten, gathered from each domain's sample hook; the committed sample itself
(`kgxl build-workbook`). kgxl.io.book_builder lays them out."""
from __future__ import annotations

from pathlib import Path

from kgxl.app import ribbon
from kgxl.app.layout import CONF_SHEET
from kgxl.app.pipeline import layout
from kgxl.app.registry import current
from kgxl.core.actions import UserError
from kgxl.io import book_builder
from kgxl.io.atomic import not_a_folder, write_atomic
from kgxl.io.ovba import Module, vba_project
from kgxl.io.upgrade_package import LAYOUT_NAME
from kgxl.sample.data import Sample

# RunPython's interpreter: the environment the README's Excel section has the user create
# ADD_WORKBOOK_TO_PYTHONPATH off: a .py file that happens to lie beside the workbook (a shared or Downloads folder)
# must never be imported in place of kgxl. USE UDF SERVER on: on Windows the buttons run in one Python that stays
# up between clicks (xlwings' COM server), so only the first click pays Python's start-up; macOS ignores it.
CONF = {"Interpreter_Win": r"%LOCALAPPDATA%\kgxl\Scripts\python.exe", "Interpreter_Mac": "$HOME/kgxl/bin/python",
        "Show Console": "False", "ADD_WORKBOOK_TO_PYTHONPATH": "False", "USE UDF SERVER": "True"}


def master_parts(runtime: list[Module] | None = None) -> book_builder.Macros:
    """This version's ribbon and VBA project (runtime replaces the embedded xlwings modules: a test build's stub)."""
    return book_builder.Macros(lambda code_names: vba_project(ribbon.modules(code_names, runtime)),
                               ribbon.custom_ui(), CONF_SHEET, CONF)


def book_bytes(rows: dict[str, object], registers: dict[str, dict], macros: bool = False,
               runtime: list[Module] | None = None) -> bytes:
    """A workbook of this version's input sheets that `rows` has (by schema key), with registers by month;
    macros: a master workbook (ribbon, VBA project, xlwings.conf)."""
    return book_builder.book_bytes(list(current().inputs), rows, registers,
                                   master_parts(runtime) if macros else None, (LAYOUT_NAME, layout()))


def sample_rows(sample: Sample) -> dict[str, object]:
    """The sample kindergarten's rows by schema key: the shipped reference rows, then each domain's sample hook in
    the registry's order (a hook sees the rows before it, and may replace a reference sheet's), 基本信息's items
    merged."""
    rows: dict[str, object] = current().reference_rows() | {"settings": {}}
    for d in current().domains:
        if d.sample is None:
            continue
        for key, value in d.resolve(d.sample)(sample, rows).items():
            if isinstance(value, dict):
                rows[key] = {**rows.get(key, {}), **value}
            else:
                rows[key] = value
    return rows


def build_bytes(sample: Sample | None = None, runtime: list[Module] | None = None) -> bytes:
    """The sample master workbook; runtime replaces the embedded xlwings modules (a test build's stub)."""
    sample = sample or Sample()
    return book_bytes(sample_rows(sample), sample.registers, True, runtime)


def build_workbook(path: Path, force: bool = False) -> Path:
    """The sample workbook at path. An existing file may be a kindergarten's own workbook: it is refused unless
    force, and then kept as NAME.backup.xlsm."""
    if path.exists() and not force:
        raise UserError(f"{path} 已存在，未覆盖：示例工作簿全是虚构的数据，不能覆盖您的工作簿。确需重新生成示例时加 --force")
    path.parent.mkdir(parents=True, exist_ok=True)
    if folder := not_a_folder(path):
        raise UserError(folder)
    write_atomic(path, build_bytes(), backup=path.with_name(f"{path.stem}.backup{path.suffix}"))
    return path
