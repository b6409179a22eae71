"""`kgxl new`: a blank master workbook for a real kindergarten. Every input sheet with its headers, dropdowns and
header notes; the reference sheets filled from kgxl/data (食物成分, 营养标准, 体检标准 as shipped, 传染病病种); the
ribbon, the VBA project and xlwings.conf; 基本信息 with what was given; no invented person. `kgxl validate` on it
then points at the cells still to fill (基本信息's required items, the re-check intervals no source gives)."""
from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

from kgxl.app.registry import current
from kgxl.core.actions import UserError
from kgxl.domains.health.growth import NORMS_CSV as HEALTH_NORMS_CSV
from kgxl.front.workbook import book_bytes
from kgxl.sample.care import diseases
from kgxl.sample.data import foods
from kgxl.sample.records import nutrition_norms


def term_label(start: dt.date) -> str:
    """2026-2027学年第一学期 for a term starting in August or later, else the second term of the year before."""
    y = start.year
    return f"{y}-{y + 1}学年第一学期" if start.month >= 8 else f"{y - 1}-{y}学年第二学期"


def blank_rows(name: str, start: dt.date | None, end: dt.date | None) -> dict[str, object]:
    rows: dict[str, object] = {s.key: [] for s in current().inputs if not s.monthly}
    rows["settings"] = {"kindergarten_name": name, "term_start": start, "term_end": end,
                        "term_label": term_label(start) if start else None,
                        "current_month": start.strftime("%Y-%m") if start else None}
    with HEALTH_NORMS_CSV.open(encoding="utf-8") as f:
        health = list(csv.DictReader(f))
    rows |= {"foods": foods(), "nutrition_norms": nutrition_norms(), "health_norms": health, "diseases": diseases()}
    return rows


def new_workbook(path: Path, name: str, start: dt.date | None = None, end: dt.date | None = None) -> Path:
    if not name.strip():
        raise UserError("请用 --name 填写园所名称")
    if start and end and end < start:
        raise UserError(f"学期结束日期 {end} 早于开始日期 {start}")
    if path.suffix.lower() != ".xlsm":
        raise UserError(f"主工作簿须为 .xlsm 文件（带后勤助手按钮）：{path}")
    if path.exists():
        raise UserError(f"{path} 已存在，未覆盖：请换一个文件名，或先把原文件移走")
    if not path.parent.is_dir():
        raise UserError(f"文件夹不存在：{path.parent}")
    tmp = path.with_name(f".{path.name}.kgxl-tmp")
    try:
        tmp.write_bytes(book_bytes(blank_rows(name.strip(), start, end), {}, macros=True))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
