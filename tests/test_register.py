"""生成本月出勤表: new months (also beyond the holiday package's years) and re-runs that keep every mark."""
import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest
from test_attendance import small_book

D = dt.date
KGXL = [sys.executable, "-m", "kgxl"]


def kgxl(*args):
    return subprocess.run([*KGXL, *map(str, args)], capture_output=True, text=True, timeout=120)


def cells(ws) -> dict:
    """{(幼儿编号, header): value} for every non-blank cell below the header."""
    header = [c.value for c in ws[1]]
    out = {}
    for row in ws.iter_rows(min_row=2, values_only=True):
        for h, v in zip(header, row):
            if v is not None and h is not None:
                out[(row[0], h.date() if isinstance(h, dt.datetime) else h)] = v
    return out


@pytest.mark.slow
def test_month_beyond_holiday_data_warns_and_respects_overrides(sample_copy):
    r = kgxl("month", sample_copy, "2027-01", "--today", "2026-11-20", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    warning = [p for p in report["problems"] if p["code"] == "holidays_unknown_year"]
    assert warning and "2027" in warning[0]["message"] and warning[0]["severity"] == "警告"
    wb = openpyxl.load_workbook(sample_copy)
    names = wb.sheetnames
    assert names.index("出勤-2027-01") == names.index("出勤-2026-12") + 1
    ws = wb["出勤-2027-01"]
    days = [c.value.date() for c in ws[1][3:-1]]
    # term ends 2027-01-22; 2027-01-01 is 放假 in the sample's 节假日调整; weekdays otherwise
    assert days == [D(2027, 1, d) for d in (4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22)]
    assert ws.max_row - 1 == 181  # 183 children less the two who left in October and November
    assert ws.data_validations.dataValidation[0].formula1 == '"√,病,事,缺,—"'
    assert kgxl("validate", sample_copy, "--today", "2026-11-20").returncode == 0


def test_new_month_lists_enrolled_children_by_class(tmp_path):
    joiner = {"child_id": "A003", "name": "戊", "class_name": "小一班", "entry_date": D(2026, 11, 10),
              "sex": "女", "birth_date": D(2022, 9, 1)}
    path = small_book(tmp_path / "s.xlsx", extra_roster=[joiner])
    r = kgxl("month", path, "2026-11", "--today", "2026-11-01")
    assert r.returncode == 0, r.stdout + r.stderr
    ws = openpyxl.load_workbook(path)["出勤-2026-11"]
    rows = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r[:3] for r in rows] == [["A001", "甲", "小一班"], ["A002", "乙", "小一班"], ["A003", "戊", "小一班"],
                                     ["B002", "丁", "中一班"]]  # 丙 left on 10-20
    days = [c.value.date() for c in ws[1][3:-1]]
    assert len(days) == 21 and days[0] == D(2026, 11, 2)
    before = [d for d in days if d < D(2026, 11, 10)]
    assert rows[2][3:3 + len(before)] == ["—"] * len(before) and rows[2][3 + len(before)] is None
    assert all(v is None for v in rows[0][3:])


@pytest.mark.slow
def test_rerun_keeps_every_mark_after_typing_and_roster_changes(sample_copy):
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    ws = wb["出勤-2026-11"]
    ws["E3"] = "病"
    ws["F4"] = None  # a teacher cleared a mark: stays blank
    ws.cell(row=2, column=ws.max_column, value="11/3起感冒；家长已告知")
    extra = ws.max_column + 1
    ws.cell(row=1, column=extra, value="接送人")
    ws.cell(row=5, column=extra, value="奶奶")
    roster = wb["幼儿名册"]
    roster.append(["2026200", "新同学", "男", dt.datetime(2023, 2, 1), "小二班", dt.datetime(2026, 11, 23)])
    roster["G3"] = dt.datetime(2026, 11, 6)  # child 2 leaves on Nov 6 but keeps its row and marks
    wb["节假日调整"].append([dt.datetime(2026, 11, 16), "园所停课", "流感停课"])  # a marked day stops being a school day
    wb.save(sample_copy)
    before = cells(openpyxl.load_workbook(sample_copy)["出勤-2026-11"])

    r = kgxl("month", sample_copy, "2026-11", "--today", "2026-11-30", "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    codes = {p["code"] for p in json.loads(r.stdout)["problems"]}
    assert "not_school_day" in codes
    ws = openpyxl.load_workbook(sample_copy)["出勤-2026-11"]
    after = cells(ws)
    lost = {k: v for k, v in before.items() if after.get(k) != v}
    assert not lost  # every typed value is where it was, including the 11/16 column and 接送人
    new = {k: v for k, v in after.items() if k not in before}
    assert {k[0] for k in new} == {"2026200"}
    assert new[("2026200", D(2026, 11, 20))] == "—" and ("2026200", D(2026, 11, 23)) not in new
    ids = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert ids.index("2026200") < ids.index(next(i for i in ids if i.startswith("2025")))  # grouped with 小二班
    again = subprocess.run([*KGXL, "month", str(sample_copy), "2026-11", "--today", "2026-11-30"],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and cells(openpyxl.load_workbook(sample_copy)["出勤-2026-11"]) == after


def notes(ws) -> dict:
    """{(幼儿编号 or 'header', header): note text} of every note on the sheet."""
    header = [c.value.date() if isinstance(c.value, dt.datetime) else c.value for c in ws[1]]
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.comment is not None:
                who = "header" if c.row == 1 else ws.cell(row=c.row, column=1).value
                out[(who, header[c.column - 1] if c.column <= len(header) else c.coordinate)] = c.comment.text
    return out


def test_rerun_keeps_every_note_with_its_cell(sample_copy):
    """#23: 生成本月出勤表 on an existing register keeps every note (Excel comment): the header's, one the user edited,
    and notes typed on a mark, a 备注 and an added column move with their cells when a new child shifts the rows. The
    file is then read back by openpyxl and by LibreOffice (converted, its notes read again)."""
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    ws = wb["出勤-2026-11"]
    last = ws.max_row
    ws.cell(row=last, column=6).comment = openpyxl.comments.Comment("家长电话请假，已核实", "张老师")
    ws.cell(row=3, column=ws.max_column).comment = openpyxl.comments.Comment("过敏：芒果", "保健老师")
    extra = ws.max_column + 1
    ws.cell(row=1, column=extra, value="接送人").comment = openpyxl.comments.Comment("每天离园时填写", "园长")
    ws["B1"].comment = openpyxl.comments.Comment("姓名与名册一致（园长改过）", "园长")
    wb["幼儿名册"].append(["2026200", "新同学", "男", dt.datetime(2023, 2, 1), "小二班", dt.datetime(2026, 11, 2)])
    wb.save(sample_copy)
    before = notes(openpyxl.load_workbook(sample_copy)["出勤-2026-11"])
    assert len(before) == 8  # the five header notes build-workbook wrote (one edited) and the three added

    r = kgxl("month", sample_copy, "2026-11", "--today", "2026-11-30")
    assert r.returncode == 0, r.stdout + r.stderr
    ws = openpyxl.load_workbook(sample_copy)["出勤-2026-11"]
    assert notes(ws) == before
    assert ws.max_row == last + 1 and ws.cell(row=last + 1, column=6).comment.text == "家长电话请假，已核实"
    converted = sample_copy.parent / "lo"
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(converted), str(sample_copy)],
                   check=True, capture_output=True, timeout=300)
    again = openpyxl.load_workbook(converted / f"{sample_copy.stem}.xlsx")["出勤-2026-11"]
    assert {k: v.strip() for k, v in notes(again).items()} == {k: v.strip() for k, v in before.items()}


@pytest.mark.slow
def test_bad_month_argument_is_a_message(sample_copy):
    r = kgxl("month", sample_copy, "2026-13")
    assert r.returncode == 2 and "2026-13" in r.stderr and "Traceback" not in r.stderr
    r = kgxl("month", sample_copy, "2027-03")
    assert r.returncode == 2 and "不在本学期" in r.stderr


@pytest.mark.slow
def test_the_register_prints_its_two_digit_days(tmp_path):
    """Day columns wide enough for 11/10 in bold: LibreOffice printed ### from the 10th at the old width."""
    import shutil

    from conftest import SAMPLE, need

    from kgxl.front.cli import main

    need("soffice", "pdftotext")
    book = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, book)
    assert main(["export", str(book), "--sheets", "出勤-2026-11", "--pdf", "--out", str(tmp_path)]) == 0
    pdf = next(tmp_path.glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "11/10" in text and "11/30" in text and "###" not in text


def test_a_clean_register_is_not_called_a_clean_workbook(sample_copy, capsys):
    """#43: `kgxl month` lists the problems of its register and says how many the rest of the workbook has, never
    "校验通过" while validate lists 警告 (the sample's 10 at 2026-11-30)."""
    from kgxl.front.cli import main

    assert main(["month", str(sample_copy), "2026-12", "--today", "2026-11-30"]) == 0
    said = capsys.readouterr().out
    assert "校验通过" not in said and said.startswith(f"{sample_copy.name}（“出勤-2026-12”和在园日）：没有发现问题。")
    assert "工作簿中另有警告 19 个（不影响生成出勤表）" in said
