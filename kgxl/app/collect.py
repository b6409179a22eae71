"""`kgxl collect`, the bureau's side: the kindergartens' exports of a month, read into one DuckDB database and
summed into the district's picture.

Each file is read on its own (read_export: a path in, a FileRead out, never an exception for a bad file), so a
process pool, or a cluster later, can read many at once. The database (a file, or in memory) holds two tables:
`files` (every file read: kindergarten, month, kgxl version, digest, status, reason) and `measures` (one tidy row
per figure: kindergarten, month, report, measure, value, source file, digest). The district's sheets are computed
from it with SQL: one row per kindergarten as it reported, totals from counts (never averages of rates).
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from kgxl import __version__
from kgxl.app.export import EXPORT_MARK

HEALTH = "卫生保健月报"
MEALS = "伙食账目公示"
HEADER = ["项目", "数量", "比率", "说明", "来源"]  # 卫生保健月报's table, as kgxl.domains.care writes it
# 卫生保健月报's rows by the start of their 项目: (measure of 数量, measure of 比率)
HEALTH_ROWS = [("在册幼儿", "enrolled", None), ("应出勤", "due", None), ("实际出勤", "present", "attendance_rate"),
               ("因病缺勤", "sick", "sick_rate"), ("传染病新发病例", "cases", "case_rate"),
               ("儿童伤害", "injuries", "injury_rate"), ("体检（人）", "checked", "check_rate"),
               ("体弱儿", "weak", None), ("体检逾期", "overdue", None), ("能量占参考", None, "energy_pct"),
               ("蛋白质占参考", None, "protein_pct"), ("留样合格", "samples_ok", "sample_rate"),
               ("膳食委员会会议", "meetings", None)]
CHECK_BASE = re.compile(r"\d+月\d+日在册幼儿")  # the row of 体检率's base: the children on the report's day
# counts a 说明 holds: the base of the 留样 rate, the days not registered
NOTE_COUNTS = [("留样合格", r"应留样 (\d+) 个菜次", "samples_due"), ("应出勤", r"未登记 (\d+) 人次", "unregistered")]
MEAL_ROWS = [("本月伙食费收入", "meal_income"), ("结余", "meal_balance")]
# section 三 of 伙食账目公示: the term's running totals (its 本学期累计 column) and the period it is judged by
MEAL_TERM_ROWS = [("伙食费收入(元)", "meal_term_income"), ("结余", "meal_term_balance")]
MEAL_JUDGED = "核算结果（按学期"  # the kindergarten accounts by term: its notice judges the term's rate
GROWTH = "体检统计"
GROWTH_TOTAL = "全园合计"
# 体检统计's count columns (per class and the whole kindergarten): header -> measure
GROWTH_COUNTS = {"在册人数": "hc_enrolled", "体检人数": "hc_checked", "评价人数": "assessed", "低体重人数": "underweight",
                 "生长迟缓人数": "stunting", "消瘦人数": "wasting", "超重人数": "overweight", "肥胖人数": "obesity",
                 "血红蛋白评价人数": "hb_assessed", "贫血人数": "anaemia"}
CHECKS = re.compile(r"应检查 (\d+) 项次（已到期 (\d+)），已检查 (\d+)")


@dataclass
class FileRead:
    path: Path
    digest: str = ""
    kindergarten: str = ""
    month: str = ""
    version: str = ""
    reason: str = ""  # why the file was skipped; "" when it was read
    measures: list[tuple[str, str, str, float]] = field(default_factory=list)  # (report, class or "", measure, value)
    modified: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def _core(z: zipfile.ZipFile) -> dict[str, str]:
    from defusedxml.ElementTree import fromstring

    root = fromstring(z.read("docProps/core.xml"))
    return {el.tag.rsplit("}", 1)[-1]: (el.text or "") for el in root}


def _number(v) -> float | None:
    if isinstance(v, bool) or v in (None, ""):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    m = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?)\s*%?\s*", str(v))
    return float(m.group(1)) if m else None


def _health(rows: list[list]) -> list[tuple[str, str, str, float]] | None:
    start = next((i for i, r in enumerate(rows) if [str(v) for v in r[:5]] == HEADER), None)
    if start is None:
        return None
    out = []
    for r in rows[start + 1:]:
        label = str(r[0]) if r else ""
        if CHECK_BASE.match(label) and len(r) > 1 and _number(r[1]) is not None:
            out.append((HEALTH, "", "check_base", _number(r[1])))
        for prefix, count, rate in HEALTH_ROWS:
            if label.startswith(prefix):
                for key, v in ((count, r[1]), (rate, r[2])):
                    if key and _number(v) is not None:
                        out.append((HEALTH, "", key, _number(v)))
        for prefix, pattern, key in NOTE_COUNTS:
            m = re.search(pattern, str(r[3])) if label.startswith(prefix) and len(r) > 3 else None
            if m:
                out.append((HEALTH, "", key, float(m.group(1))))
    return out


def _meals(rows: list[list]) -> list[tuple[str, str, str, float]]:
    out = []
    for r in rows:
        label = str(r[0]) if r else ""
        for prefix, key in MEAL_ROWS:
            if label.startswith(prefix) and len(r) > 1 and _number(r[1]) is not None:
                out.append((MEALS, "", key, _number(r[1])))
        for prefix, key in MEAL_TERM_ROWS:
            if label.startswith(prefix) and len(r) > 2 and _number(r[2]) is not None:
                out.append((MEALS, "", key, _number(r[2])))
        if label.startswith("核算结果"):
            out.append((MEALS, "", "meal_by_term", 1.0 if label.startswith(MEAL_JUDGED) else 0.0))
    return out


def _checks(name: str, rows: list[list]) -> list[tuple[str, str, str, float]]:
    for r in rows[:4]:
        m = CHECKS.search(str(r[0]) if r else "")
        if m:
            return [(name, "", "checks_due", float(m.group(2))), (name, "", "checks_done", float(m.group(3)))]
    return []


def _growth(rows: list[list]) -> list[tuple[str, str, str, float]]:
    """体检统计's counts per class, and for the whole kindergarten (class "")."""
    start = next((i for i, r in enumerate(rows) if r and r[0] == "班级" and "体检人数" in r), None)
    if start is None:
        return []
    header, out = [str(v) for v in rows[start]], []
    for r in rows[start + 1:]:
        if not r or r[0] in ("", None):
            break
        klass = "" if r[0] == GROWTH_TOTAL else str(r[0])
        out += [(GROWTH, klass, GROWTH_COUNTS[h], _number(v)) for h, v in zip(header, r)
                if h in GROWTH_COUNTS and _number(v) is not None]
    return out


def _exported(path: Path, month: str) -> tuple[bytes, str]:
    """A master workbook's export of the month, in memory (the same step as 导出上报: refused while it has 错误 or
    a report is not computed from its current data), or why there is none."""
    from kgxl.app.pipeline import run_export
    from kgxl.core.actions import UserError
    from kgxl.io.filebook import BookError, FileBook

    try:
        result = run_export(FileBook(path), month=month)
    except (UserError, BookError) as e:
        return b"", f"主工作簿无法导出：{e}"
    made = [data for name, data in result.files if name.endswith(".xlsx")]
    return (made[0], "") if made else (b"", f"主工作簿无法导出：{result.summary}")


def read_export(path: Path, month: str) -> FileRead:
    """One file: what it is and its figures, or why it is skipped."""
    from python_calamine import CalamineWorkbook

    f = FileRead(Path(path))
    try:
        data = f.path.read_bytes()
        f.digest = hashlib.sha256(data).hexdigest()
        if f.path.suffix.lower() == ".xlsm":  # a master workbook: through the export step, as 导出上报 would
            data, f.reason = _exported(f.path, month)
            if f.reason:
                return f
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            core = _core(z)
    except Exception:  # a damaged or foreign file: skipped with the reason, never a stop
        f.reason = "文件已损坏（可能没有传完整），或不是 Excel 工作簿：请让该园重新导出后再发一次"
        return f
    words = core.get("keywords", "").split()
    if len(words) != 3 or words[0] != EXPORT_MARK:
        f.reason = "不是后勤助手导出的报表（或由旧版导出，缺少版本标记）"
        return f
    f.kindergarten, f.month, f.version, f.modified = core.get("creator", "").strip(), words[1], words[2], \
        core.get("modified", "")
    if f.version.split(".")[:2] != __version__.split(".")[:2]:
        f.reason = f"由后勤助手 {f.version} 导出，本程序（{__version__}）不认识这个版本的格式"
    elif f.month != month:
        f.reason = f"是 {f.month} 的报表，不是 {month} 的"
    elif not f.kindergarten:
        f.reason = "报表中没有园所名称"
    if f.reason:
        return f
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = wb.sheet_names
        if HEALTH not in names:
            f.reason = f"没有“{HEALTH}”表"
            return f
        health = _health(wb.get_sheet_by_name(HEALTH).to_python())
        if health is None:
            f.reason = f"“{HEALTH}”表的格式不是本版本的"
            return f
        f.measures = health
        if MEALS in names:
            f.measures += _meals(wb.get_sheet_by_name(MEALS).to_python())
        if GROWTH in names:
            f.measures += _growth(wb.get_sheet_by_name(GROWTH).to_python())
        tab = f"{month[:4]}年{month[5:7]}月检查"
        if tab in names:
            f.measures += _checks(tab, wb.get_sheet_by_name(tab).to_python())
    except Exception:  # a sheet that cannot be read: the file is skipped, the others go on
        f.reason = "报表中的表无法读取（文件可能已损坏）：请让该园重新导出后再发一次"
        f.measures = []
    return f


def export_files(folders: list[Path]) -> tuple[list[Path], list[FileRead]]:
    """The exports (.xlsx) and master workbooks (.xlsm) of the folders, any case of the suffix, and files given
    themselves; and the files left out (lock files of Excel, WPS and LibreOffice, kgxl's backups, hidden names),
    each with why, so that every file found is a row somewhere."""
    out, ignored = [], []
    for folder in folders:
        found = [folder] if folder.is_file() else sorted(
            p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"))
        for p in found:
            why = ("Excel、WPS 或 LibreOffice 打开文件时的临时锁定文件" if p.name.startswith(("~$", ".~lock")) else
                   "后勤助手写入前保留的备份" if ".backup." in p.name else
                   "文件名以点开头（隐藏文件）：请改名后重新上报" if p.name.startswith(".") else "")
            if why:
                ignored.append(FileRead(p, reason=f"已忽略：{why}"))
            else:
                out.append(p)
    return out, ignored


def read_all(paths: list[Path], month: str, workers: int = 0, scheduler: str | None = None) -> list[FileRead]:
    """Every file read, in parallel processes when there are many (each file on its own: a bad one stops nothing);
    with scheduler, as tasks of a Dask cluster ("local": a LocalCluster on this machine; else its address)."""
    if scheduler:
        return _on_dask(paths, month, scheduler, workers)
    if workers <= 1 or len(paths) < 8:
        return [read_export(p, month) for p in paths]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(read_export, paths, [month] * len(paths), chunksize=8))


def _on_dask(paths: list[Path], month: str, scheduler: str, workers: int) -> list[FileRead]:
    """The same reader as tasks of dask.distributed: the workers must see the files at the same paths (a shared
    folder), and each returns its figures (a few dozen numbers) to be stored here."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from kgxl.core.actions import UserError
        raise UserError("用 --scheduler 需要安装 Dask：pip install \"kgxl[bureau]\"") from None
    if scheduler == "local":
        with LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True, dashboard_address=None) \
                as cluster, Client(cluster) as client:
            return client.gather(client.map(read_export, [str(p) for p in paths], month=month, pure=False))
    with Client(scheduler) as client:
        return client.gather(client.map(read_export, [str(p) for p in paths], month=month, pure=False))


def _copy_name(path: Path) -> bool:
    return re.search(r"(\s*\(\d+\)|\s*-?\s*副本(\s*\(\d+\))?)$", path.stem) is not None


def keep_one_each(reads: list[FileRead]) -> list[FileRead]:
    """A kindergarten that sent the month twice: the one exported last counts, the other is skipped with why."""
    latest: dict[str, FileRead] = {}
    for f in (f for f in reads if f.ok):
        other = latest.get(f.kindergarten)
        # the later export; of two exported at once (a copy), the one whose name is not a copy's ("… (1)", "副本")
        if other is None or (f.modified, not _copy_name(f.path)) > (other.modified, not _copy_name(other.path)):
            latest[f.kindergarten] = f
    for f in reads:
        if f.ok and latest[f.kindergarten] is not f:
            f.reason = f"重复：{f.kindergarten} 本月的报表以 {latest[f.kindergarten].path.name} 为准"
            f.measures = []
    return reads
