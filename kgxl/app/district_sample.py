"""A sample district for the bureau's side (kgxl collect): small kindergartens made by the sample generator, each
refreshed and exported by kgxl as its accountant would, and copies of their exports re-labelled as further
kindergartens (or another month), so a folder of hundreds of exports costs a few real ones."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from kgxl.app.books import book_bytes, sample_rows
from kgxl.app.session import run_on_file
from kgxl.sample.data import Sample

MONTH = "2026-11"


def name_of(i: int) -> str:
    return f"示例区第{i + 1}幼儿园"


def make_export(i: int, folder: Path, settings: dict | None = None) -> Path:
    """Kindergarten i of the sample district: its workbook built (with settings changed, if given), refreshed and
    exported in folder."""
    sample = Sample(seed=100 + i, children_per_class=4)
    rows = sample_rows(sample)
    rows["settings"] = {**rows["settings"], "kindergarten_name": name_of(i), **(settings or {})}
    book = folder / f"园{i}.xlsx"
    book.write_bytes(book_bytes(rows, sample.registers))
    today = dt.date(2026, 11, 30)
    for action, params in (("refresh", {"today": today}), ("export", {"month": MONTH, "today": today})):
        run = run_on_file(action, book, params)[-1][0]
    out = folder / f"{name_of(i)}_月度上报_{MONTH}.xlsx"
    if not out.exists():  # the sample itself must be sound: say why, not later as a missing file
        raise RuntimeError(f"sample kindergarten {i} did not export: {run.result.summary}")
    return out


def relabel(src: Path, dest: Path, name: str, month: str = MONTH) -> Path:
    """A copy of an export as another kindergarten (or another month) would have sent it."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                text = re.sub(r"<dc:creator>[^<]*</dc:creator>", f"<dc:creator>{name}</dc:creator>",
                              data.decode("utf-8"))
                data = text.replace(f"kgxl-export {MONTH}", f"kgxl-export {month}").encode("utf-8")
            zout.writestr(info, data)
    return dest


def made(folder: Path, kinds: int, workers: int = 2) -> list[Path]:
    """The real exports of kindergartens 0..kinds-1, made in parallel processes."""
    from concurrent.futures import ProcessPoolExecutor

    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(make_export, range(kinds), [folder] * kinds))


def inbox(folder: Path, sources: list[Path], count: int) -> dict[str, Path]:
    """count exports of this month in folder, kindergarten k a copy of sources[k % len]; name -> its source."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for k in range(count):
        src = sources[k % len(sources)]
        out[name_of(k)] = src
        relabel(src, folder / f"{name_of(k)}_月度上报_{MONTH}.xlsx", name_of(k))
    return out
