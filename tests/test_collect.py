"""`kgxl collect` (#31): a district's exports of a month. 28 kindergartens made by the sample generator (different
seeds and names), each refreshed and exported by kgxl, make 28 valid files; one damaged file and one of another
month sit beside them, and one kindergarten of the list sent nothing. The district
rows are checked against figures read from each export here, by the test's own reading, and the totals against sums
of their counts."""
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from kgxl.app.district_sample import MONTH, made, relabel
from kgxl.app.district_sample import inbox as make_inbox
from kgxl.front.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    work = tmp_path_factory.mktemp("district")
    sources = made(work / "made", 28)  # 28 different kindergartens of the sample generator
    inbox = work / "inbox"
    by_name = make_inbox(inbox, sources, 28)
    names = list(by_name)
    (inbox / "坏文件_月度上报_2026-11.xlsx").write_bytes(sources[0].read_bytes()[:5000])  # cut in transit
    relabel(sources[1], inbox / "示例区第29幼儿园_月度上报_2026-10.xlsx", "示例区第29幼儿园", "2026-10")
    # the bureau's list in its own order (not the names' order): the district sheet follows it
    (work / "名单.txt").write_text("\n".join([*reversed(names), "示例区第29幼儿园", "示例区第30幼儿园"]), encoding="utf-8")
    return work, by_name


def own_reading(export: Path) -> dict[str, float]:
    """The figures of one export, read here from its sheets by their row labels."""
    wb = CalamineWorkbook.from_path(str(export))
    rows = {str(r[0]): r for r in wb.get_sheet_by_name("卫生保健月报").to_python()}
    row = {k.split("（")[0].split("/")[0]: v for k, v in rows.items()}
    meals = {str(r[0]): r[1] for r in wb.get_sheet_by_name("伙食账目公示").to_python() if r}
    check = next(str(r[0]) for r in wb.get_sheet_by_name("2026年11月检查").to_python()[:3] if "应检查" in str(r[0]))
    due, done = map(int, re.search(r"已到期 (\d+)），已检查 (\d+)", check).groups())
    return {"enrolled": row["在册幼儿"][1], "due": row["应出勤"][1], "present": row["实际出勤"][1],
            "attendance_rate": row["实际出勤"][2], "sick": row["因病缺勤"][1], "checked": row["体检"][1],
            "check_rate": row["体检"][2], "check_base": next(v[1] for k, v in rows.items() if re.fullmatch(r"\d+月\d+日在册幼儿（人）", k)),
            "income": meals["本月伙食费收入"], "balance": meals["结余(元)（负数为亏损）"], "checks_due": due,
            "checks_done": done, "energy": row["能量占参考摄入量(%)"][2],
            "unregistered": int(re.search(r"未登记 (\d+) 人次", row["应出勤"][3]).group(1))}


def severity(row) -> tuple:
    """需要关注's order as its title states it: the ±2 % rule (the farthest first), attendance, then 体检率 and 留样
    (the lowest first)."""
    what, value = row[1], float(row[2])
    if what.startswith("伙食费"):
        return (0, -abs(value))
    if what.startswith("出勤率"):
        return (1 if "明显低于" in row[3] else 2, value if "明显低于" in row[3] else 0)
    return (3 if what.startswith("体检率") else 4, value)


def own_growth(export: Path) -> dict[str, float]:
    """体检统计's 全园合计 row of one export, by its headers."""
    rows = CalamineWorkbook.from_path(str(export)).get_sheet_by_name("体检统计").to_python()
    header = next(r for r in rows if r and r[0] == "班级")
    return dict(zip(header, next(r for r in rows if r and r[0] == "全园合计")))


def test_collect_makes_the_district_picture(district, capsys):
    work, sources = district
    out = work / "示例区_2026-11.xlsx"
    db = work / "district.duckdb"
    assert main(["collect", str(work / "inbox"), "--month", MONTH, "--out", str(out), "--db", str(db),
                 "--expect", str(work / "名单.txt"), "--name", "示例区"]) == 0
    said = capsys.readouterr().out
    assert "读取 30 个文件：有效 28 个，跳过 2 个" in said and "本月未上报 2 所" in said
    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names == ["区县汇总", "体检患病率", "未上报与跳过", "需要关注"]
    table = wb.get_sheet_by_name("区县汇总").to_python()
    header = table[2]
    rows = {r[0]: dict(zip(header, r)) for r in table[3:] if r[0]}
    assert len(rows) == 29  # 28 kindergartens and the total
    for name, src in sources.items():
        mine, row = own_reading(src), rows[name]
        assert row["在册"] == mine["enrolled"] and row["出勤率(%)"] == mine["attendance_rate"], name
        assert row["体检率(%)"] == mine["check_rate"] and row["能量(%)"] is not None
        assert row["伙食费盈亏率(%)"] == round(100 * mine["balance"] / mine["income"], 2)
        assert row["体检(人)"] == mine["checked"] and row["体检应检(人)"] == mine["check_base"]
        assert row["未登记(人次)"] == mine["unregistered"]
    assert list(rows)[:-1] == list(reversed(list(sources)))  # in the order of the bureau's list
    figures = [own_reading(src) for src in sources.values()]
    total = rows["合计（28 所）"]
    assert total["在册"] == sum(f["enrolled"] for f in figures)
    present, due = sum(f["present"] for f in figures), sum(f["due"] for f in figures)
    assert total["出勤率(%)"] == round(100 * present / due + 1e-9, 1)  # from counts, not an average of rates
    assert total["体检率(%)"] == round(100 * sum(f["checked"] for f in figures) / sum(f["check_base"] for f in figures)
                                    + 1e-9, 1)
    assert total["检查完成率(%)"] == round(100 * sum(f["checks_done"] for f in figures) /
                                      sum(f["checks_due"] for f in figures) + 1e-9, 1)
    prev = wb.get_sheet_by_name("体检患病率").to_python()
    prev_rows = {r[0]: dict(zip(prev[2], r)) for r in prev[3:] if r[0]}
    growth = [own_growth(src) for src in sources.values()]
    assert prev_rows["合计（28 所）"]["肥胖率(%)"] == round(
        100 * sum(g["肥胖人数"] for g in growth) / sum(g["评价人数"] for g in growth) + 1e-9, 1)
    assert prev_rows["合计（28 所）"]["贫血率(%)"] == round(
        100 * sum(g["贫血人数"] for g in growth) / sum(g["血红蛋白评价人数"] for g in growth) + 1e-9, 1)
    first = next(iter(sources))
    assert prev_rows[first]["超重率(%)"] == own_growth(sources[first])["超重率(%)"]
    status = [r for r in wb.get_sheet_by_name("未上报与跳过").to_python() if r[0]]
    text = "\n".join(" ".join(str(v) for v in r) for r in status)
    assert "示例区第29幼儿园" in text and "示例区第30幼儿园" in text  # another month's file is no report of this one
    assert "坏文件_月度上报_2026-11.xlsx  文件已损坏" in text and "是 2026-10 的报表，不是 2026-11 的" in text
    called = [r for r in wb.get_sheet_by_name("需要关注").to_python()[3:] if "第" in str(r[0])]
    ranks = [severity(r) for r in called]
    assert called and ranks == sorted(ranks)  # the most serious first (ORDER_RULE)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    files = con.execute("SELECT file, digest, status FROM files").fetchall()
    assert len(files) == 30 and sum(s == "已读取" for _, _, s in files) == 28
    for file, digest, _ in files:
        assert digest == hashlib.sha256(Path(file).read_bytes()).hexdigest()
    assert con.execute("SELECT count(DISTINCT kindergarten) FROM measures WHERE month = ?", [MONTH]).fetchone()[0] == 28
    classes = con.execute("SELECT count(DISTINCT class) FROM measures WHERE report = '体检统计'").fetchone()[0]
    assert classes >= 2  # the tidy table keeps 体检统计 per class too
    for view in ("health_report", "meal_notice", "growth_stats", "inspections"):  # one table per report
        assert con.execute(f"SELECT count(DISTINCT kindergarten) FROM {view}").fetchone()[0] == 28, view
    con.close()


def test_master_workbooks_go_through_the_export_step(district, tmp_path, capsys):
    """A master workbook given with the exports is exported in memory first (导出上报's rules: only current reports);
    one whose reports are out of date, or missing, is skipped with that reason."""
    from conftest import SAMPLE

    work, _ = district
    masters = tmp_path / "masters"
    masters.mkdir()
    current = masters / "阳光.xlsm"
    shutil.copy2(SAMPLE, current)
    assert main(["refresh", str(current), "--today", "2026-11-30"]) == 0
    shutil.copy2(SAMPLE, masters / "未刷新.xlsm")  # no reports yet
    capsys.readouterr()
    out = tmp_path / "d.xlsx"
    assert main(["collect", str(work / "inbox"), str(masters), "--month", MONTH, "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "有效 29 个" in said and "未刷新.xlsm：主工作簿无法导出" in said and "刷新汇总" in said
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("区县汇总").to_python()
    assert any(r[0] == "示例市阳光幼儿园" and r[1] == 181 for r in rows)


def test_libreoffice_prints_the_district_workbook(district, tmp_path):
    from conftest import need

    from kgxl.io.pdf import to_pdf

    need("soffice", "pdftotext")
    work, _ = district
    out = tmp_path / "d.xlsx"
    assert main(["collect", str(work / "inbox"), "--month", MONTH, "--out", str(out), "--name", "示例区"]) == 0
    pdf = to_pdf(out.read_bytes())
    assert pdf is not None
    (tmp_path / "d.pdf").write_bytes(pdf)
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "d.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "示例区 2026年11月 幼儿园后勤汇总" in text and "合计（28 所）" in text and "需要关注" in text
    keep = __import__("os").environ.get("KGXL_SCREENSHOTS")
    if keep:  # this test may run before the web tests make the folder
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy2(tmp_path / "d.pdf", Path(keep) / "district.pdf")


def test_a_dask_cluster_reads_the_same_figures(district, tmp_path, capsys):
    """The same reader as tasks of a local dask.distributed cluster (two worker processes): the same database rows
    and the same district sheet as the process pool."""
    import duckdb

    work, _ = district
    runs = {}
    for way, extra in (("pool", []), ("dask", ["--scheduler", "local", "--workers", "2"])):
        db, out = tmp_path / f"{way}.duckdb", tmp_path / f"{way}.xlsx"
        assert main(["collect", str(work / "inbox"), "--month", MONTH, "--out", str(out), "--db", str(db), *extra]) == 0
        con = duckdb.connect(str(db), read_only=True)
        runs[way] = (con.execute("SELECT * FROM measures ORDER BY ALL").fetchall(),
                     CalamineWorkbook.from_path(str(out)).get_sheet_by_name("区县汇总").to_python())
        con.close()
    assert runs["dask"] == runs["pool"] and len(runs["pool"][0]) > 28 * 10


def test_the_database_remembers_earlier_months(district, tmp_path, capsys):
    """With --db, October's reports make November's comparison: a kindergarten that reported in October and not in
    November is missing, and an 出勤率 that moved more than --change points is flagged."""
    work, sources = district
    names = list(sources)
    october = tmp_path / "october"
    october.mkdir()
    for k, name in enumerate(names[:5]):  # each as another kindergarten's figures: the rates differ from November's
        relabel(sources[names[k + 1]], october / f"{name}_月度上报_2026-10.xlsx", name, "2026-10")
    relabel(sources[names[0]], october / "示例区第31幼儿园_月度上报_2026-10.xlsx", "示例区第31幼儿园", "2026-10")
    db = tmp_path / "d.duckdb"
    assert main(["collect", str(october), "--month", "2026-10", "--out", str(tmp_path / "10.xlsx"),
                 "--db", str(db)]) == 0
    out = tmp_path / "11.xlsx"
    assert main(["collect", str(work / "inbox"), "--month", MONTH, "--out", str(out), "--db", str(db),
                 "--change", "0.5"]) == 0
    wb = CalamineWorkbook.from_path(str(out))
    status = "\n".join(" ".join(str(v) for v in r) for r in wb.get_sheet_by_name("未上报与跳过").to_python())
    assert "示例区第31幼儿园" in status  # reported in October, not in November
    flags = [r for r in wb.get_sheet_by_name("需要关注").to_python() if "较上月" in str(r[3])]
    rate = {r[0]: r[2] for r in wb.get_sheet_by_name("区县汇总").to_python()[3:] if r[0]}
    october_rate = {r[0]: r[2] for r in CalamineWorkbook.from_path(str(tmp_path / "10.xlsx"))
                    .get_sheet_by_name("区县汇总").to_python()[3:] if r[0]}
    expected = {k for k in names[:5] if abs(rate[k] - october_rate[k]) > 0.5}
    assert expected and {r[0] for r in flags} == expected


def test_every_file_found_is_read_or_a_row_of_what_was_skipped(district, tmp_path, capsys):
    """An upper-case .XLSX was skipped without a row, a hidden name and a lock file too; of an exact duplicate the
    "… (1)" copy was kept; a folder with nothing to collect exited 0 with an empty workbook."""
    work, sources = district
    first, second = sorted((work / "inbox").glob("示例区第*_月度上报_2026-11.xlsx"))[:2]
    box = tmp_path / "box"
    box.mkdir()
    shutil.copy2(first, box / first.name)
    shutil.copy2(first, box / f"{first.stem} (1).xlsx")  # the same file twice, as a browser saves it
    shutil.copy2(second, box / (second.stem + ".XLSX"))
    shutil.copy2(second, box / f".{second.name}")
    (box / f"~${first.name}").write_bytes(b"lock")
    out = tmp_path / "区.xlsx"
    assert main(["collect", str(box), "--month", MONTH, "--out", str(out)]) == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("未上报与跳过").to_python()
    skipped = {str(r[0]): str(r[2]) for r in rows if r and str(r[0]).endswith((".xlsx", ".XLSX"))}
    assert set(skipped) == {f"{first.stem} (1).xlsx", f".{second.name}", f"~${first.name}"}
    assert first.name in skipped[f"{first.stem} (1).xlsx"] and "隐藏" in skipped[f".{second.name}"]
    summary = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("区县汇总").to_python()
    assert sum(1 for r in summary if r and str(r[0]).startswith("示例区第")) == 2  # the .XLSX one read
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "~$x.xlsx").write_bytes(b"lock")
    capsys.readouterr()
    assert main(["collect", str(empty), "--month", MONTH, "--out", str(tmp_path / "无.xlsx")]) == 2
    assert "没有可以汇总的" in capsys.readouterr().err and not (tmp_path / "无.xlsx").exists()


def test_a_kindergarten_accounting_by_term_is_judged_by_its_term(district, tmp_path, capsys):
    """#41: the ±2 % column follows each kindergarten's own 伙食账目公示 (按学期: the term's running rate, marked 学期);
    需要关注 lists under the thresholds the bureau sets, most serious first; the 合计 row counts who is outside."""
    from kgxl.app.district_sample import make_export, name_of

    work, sources = district
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    term = make_export(40, tmp_path, {"balance_period": "学期"})
    (inbox / term.name).write_bytes(term.read_bytes())
    for name in list(sources)[:4]:
        (inbox / sources[name].name).write_bytes(sources[name].read_bytes())
    notice = {str(r[0]): r for r in CalamineWorkbook.from_path(str(term)).get_sheet_by_name("伙食账目公示").to_python() if r}
    judged = next(r for k, r in notice.items() if k.startswith("核算结果"))
    assert judged[0].startswith("核算结果（按学期")
    term_rate = round(100 * notice["结余(元)（负数为亏损）"][2] / notice["伙食费收入(元)"][2], 2)
    out = tmp_path / "d.xlsx"
    assert main(["collect", str(inbox), "--month", MONTH, "--out", str(out), "--check-rate", "95", "--sample-rate", "90"]) == 0
    wb = CalamineWorkbook.from_path(str(out))
    table = wb.get_sheet_by_name("区县汇总").to_python()
    rows = {r[0]: dict(zip(table[2], r)) for r in table[3:] if r[0]}
    mine = rows[name_of(40)]
    assert mine["伙食费盈亏率(%)"] == term_rate and mine["±2%"] == ("正常" if abs(term_rate) <= 2 else "超出") + "（学期）"
    others = [rows[n] for n in list(sources)[:4]]
    assert all(not str(r["±2%"]).endswith("（学期）") for r in others)
    outside = sum(str(r["±2%"]).startswith("超出") for r in (mine, *others))
    assert rows["合计（5 所）"]["±2%"] == (f"{outside} 所超出" if outside else "均正常")
    flags = [r for r in wb.get_sheet_by_name("需要关注").to_python()[3:] if r and r[0] and r[0] != "（无）"]
    assert all(float(r[2]) < 95 for r in flags if r[1] == "体检率(%)") and all(float(r[2]) < 90 for r in flags
                                                                              if r[1] == "留样合格率(%)")
    assert [severity(r) for r in flags] == sorted(severity(r) for r in flags)
    title = " ".join(str(r[0]) for r in wb.get_sheet_by_name("需要关注").to_python()[:2])
    assert "体检率低于 95%" in title and "留样合格率低于 90%" in title and "按轻重排列" in title


def test_collecting_again_replaces_the_months_rows(district, tmp_path, monkeypatch, capsys):
    """#41: `files` kept paths as typed and a re-run added a wrong-month file's row again; the workbook's author was
    the library's name."""
    import duckdb
    import openpyxl

    work, sources = district
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    first = next(iter(sources.values()))
    (inbox / first.name).write_bytes(first.read_bytes())
    relabel(first, inbox / "旧.xlsx", "示例区第99幼儿园", "2026-10")
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert main(["collect", "inbox", "--month", MONTH, "--out", "d.xlsx", "--db", "d.duckdb"]) == 0
    con = duckdb.connect(str(tmp_path / "d.duckdb"), read_only=True)
    rows = con.execute("SELECT file, month, status FROM files ORDER BY file").fetchall()
    con.close()
    assert len(rows) == 2 and all(Path(f).is_absolute() and m == MONTH for f, m, _ in rows)
    assert sorted(s for _, _, s in rows) == ["已读取", "跳过"]
    assert openpyxl.load_workbook(tmp_path / "d.xlsx").properties.creator == "后勤助手"


def test_the_web_page_rolls_up_a_folder(district, tmp_path):
    """#43: a bureau user chooses the folder and the month on the page; the district workbook is written there and
    downloads from the page."""
    from kgxl.front.web.recent import Recent
    from kgxl.front.web.server import create_app

    work, _ = district
    inbox = tmp_path / "收到的报表"
    shutil.copytree(work / "inbox", inbox)
    client = create_app("t", Recent(tmp_path / "ui.json")).test_client()
    r = client.post("/api/collect?token=t", json={"folder": str(inbox), "month": MONTH, "district": "示例区"})
    said = r.get_json()
    assert r.status_code == 200 and "有效 28 个，跳过 2 个" in said["summary"], said
    out = inbox / f"示例区汇总-{MONTH}.xlsx"
    assert said["files"] == [out.name] and out.is_file()
    got = client.get(f"/{said['download']}?token=t")
    assert got.status_code == 200 and got.data == out.read_bytes()
    assert CalamineWorkbook.from_path(str(out)).sheet_names == ["区县汇总", "体检患病率", "未上报与跳过", "需要关注"]
    r = client.post("/api/collect?token=t", json={"folder": str(inbox), "month": "2025-01"})
    assert r.status_code == 400 and "没有可以汇总的 2025-01 报表" in r.get_json()["error"]
