"""The district roll-up (`kgxl collect`, the web page's 区县汇总): the exports of a month read into DuckDB, and the
district workbook written (a new .xlsx, atomically; a file already there is kept as NAME.backup.xlsx)."""
from __future__ import annotations

import io
import os
from pathlib import Path

from kgxl.app.collect import export_files, keep_one_each, read_all
from kgxl.app.district import Thresholds, connect, outputs, store
from kgxl.core.actions import UserError
from kgxl.io.atomic import not_a_folder, write_atomic
from kgxl.io.package import write_package


def district_bytes(sheets) -> bytes:
    """A new workbook holding the sheets (an empty package first, then written like every generated sheet)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = sheets[0].name
    wb.properties.creator = wb.properties.lastModifiedBy = "后勤助手"  # not the library's name
    base = io.BytesIO()
    wb.save(base)
    base.seek(0)
    out = io.BytesIO()
    write_package(base, out, sheets)
    return out.getvalue()


def expected_names(path: Path | None) -> list[str]:
    """The district's list of kindergartens: a text file (one per line) or the first column of a spreadsheet."""
    if path is None:
        return []
    if not path.is_file():
        raise UserError(f"找不到园所名单文件：{path}")
    if path.suffix.lower() in (".xlsx", ".xls", ".xlsm"):
        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        names = [str(r[0]).strip() for r in rows if r and str(r[0]).strip()]
    else:
        names = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    return [n for n in names if n not in ("园所", "园所名称")]


def roll_up(folders: list[Path], month: str, out: Path, db: Path | None = None, expect: Path | None = None,
            name: str = "", limits: Thresholds | None = None, workers: int = 0, scheduler: str | None = None) -> str:
    """The district workbook at out from the exports found in folders; what was read and written, in words."""
    lost = [str(f) for f in folders if not f.exists()]
    if lost:
        raise UserError(f"找不到：{'、'.join(lost)}")
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"汇总文件应为 .xlsx：{out}")
    files, ignored = export_files(folders)
    reads = keep_one_each(read_all(files, month, workers or os.cpu_count() or 1, scheduler)) + ignored
    if not any(f.ok for f in reads):
        why = "；".join(f"{f.path.name}：{f.reason}" for f in reads[:5]) + ("……" if len(reads) > 5 else "")
        raise UserError(f"{'、'.join(map(str, folders))} 中没有可以汇总的 {month} 报表（找到 {len(reads)} 个文件"
                        + (f"：{why}" if why else "") + "）。请确认文件夹和月份；未写入汇总文件")
    con = connect(db)
    store(con, reads, month)
    sheets = outputs(con, month, reads, expected_names(expect), name, limits or Thresholds())
    data = district_bytes(sheets)
    if folder := not_a_folder(out):
        raise UserError(folder)
    try:
        write_atomic(out, data, backup=out.with_name(f"{out.stem}.backup{out.suffix}"))
    except OSError as e:
        raise UserError(f"无法写入 {out}（{e.strerror or e}）") from None
    good = [f for f in reads if f.ok]
    by_name = {s.name: s for s in sheets}
    missing = by_name["未上报与跳过"].blocks[0].rows
    flags = [r for r in by_name["需要关注"].blocks[0].rows if r[0] != "（无）"]
    lines = [f"读取 {len(reads)} 个文件：有效 {len(good)} 个，跳过 {len(reads) - len(good)} 个。",
             f"{len(good)} 所幼儿园的报表已汇总；本月未上报 {0 if missing == [['（无）']] else len(missing)} 所；"
             f"需要关注 {len(flags)} 项。"]
    lines += [f"  跳过 {f.path.name}：{f.reason}" for f in reads if not f.ok]
    lines.append(f"已生成：{out}" + (f"；数据库：{db}" if db else ""))
    return "\n".join(lines)
