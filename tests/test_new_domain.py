"""A new domain is a folder's worth of declaration and nothing else: a throw-away domain declared
here, with its input sheets' schemas, a 基本信息 item of its own, one rule and one report, gets its CLI subcommand
with help, its ribbon button and VBA callback, its step of 刷新汇总, the validation of its sheets and its setting,
its place (or its personal sheet's exclusion) in the bureau export, its reference rows in `kgxl new`, its sample
rows in a built workbook and its carry into a new term, without any other edit."""
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE

import kgxl.core.schema as schema_module
from kgxl.app import registry, ribbon
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.core.port import Block, SheetOutput
from kgxl.core.problems import WARNING, Problem
from kgxl.core.term import LEAVES
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

TODAY = ["--today", "2026-11-21"]
SCHEMAS = {"玩具登记": """sheet: 玩具登记
order: 170
key: toys
help: 各班玩具，每种一行。
columns:
  - {key: toy, header: 玩具, type: text, required: true, width: 12, help: 玩具名称}
  - {key: class_name, header: 班级, type: text, required: true, ref: classes.class_name, width: 10, help: 所在班级}
  - {key: count, header: 数量, type: integer, required: true, min: 0, width: 8, help: 件数}
  - {key: kind, header: 类别, type: text, required: false, ref: toy_kinds.kind, width: 8, help: 玩具类别}
""", "玩具类别": """sheet: 玩具类别
order: 171
key: toy_kinds
help: 玩具的类别（kgxl 随附）。
columns:
  - {key: kind, header: 类别, type: text, required: true, unique: true, width: 10, help: 类别名称}
""", "基本信息.toys": """sheet: 基本信息
order: 900
key: toys_settings
kind: settings
help: 玩具的设置
items:
  - {key: toys_alert, default: 100, label: 玩具提醒数量(件), type: integer, required: false, min: 1, max: 1000, help: 一个班超过这个数量时提醒，留空为 100}
"""}
KINDS = [{"kind": "积木"}, {"kind": "球类"}]


def many_toys(v) -> list[Problem]:
    t, most = v.tables.get("toys"), v.settings.toys_alert
    if t is None:
        return []
    return [Problem(t.sheet, t.cell(i, "count"), "数量", str(int(n)), "toys_many", f"一个班超过 {most} 件，请核对", WARNING)
            for i, n in t.frame["count"].dropna().items() if n > most]


def kinds() -> list[dict]:
    return KINDS


def sample_toys(s, got: dict) -> dict:
    return {"toys": [{"toy": "积木", "class_name": s.classes[0][0], "count": 20, "kind": "积木"}],
            "settings": {"toys_alert": 50}}


def toys_in_use(v, term) -> list[dict]:
    """The next term keeps the toys still counted, in their class's new room."""
    return [{"toy": r.toy, "class_name": term.classes.get(r.class_name, r.class_name), "count": r.count, "kind": r.kind}
            for r in v.tables["toys"].frame.itertuples() if r.count > 0 and term.classes.get(r.class_name) != LEAVES]


def make_toys(v, req):
    f = v.tables["toys"].frame
    by_class = f.groupby("class_name")["count"].sum()
    total = SheetOutput("玩具统计", [Block(["班级", "数量"], [[c, int(n)] for c, n in by_class.items()])],
                        titles=[f"{req.month} 玩具统计"])
    named = SheetOutput("玩具名单", [Block(["玩具", "班级"], [[r.toy, r.class_name] for r in f.itertuples()])])
    return [total, named], f"玩具统计（{int(f['count'].sum())} 件）"


TOYS = Domain(name="toys", title="玩具", group="玩具", inputs=("toys", "toy_kinds", "toys_settings"), rules=many_toys,
              rule_inputs=("settings", "toys", "toys_settings"),
              reports=(Report("toys", "玩具统计", "统计各班玩具", make_toys, inputs=("settings", "toys"),
                              needs=("toys",), sheets=("玩具统计", "玩具名单"), image="HappyFace"),),
              bureau=("玩具统计",), personal=("玩具名单",),
              codes={"toys_many": Code("玩具数量过多", "警告", "核对数量")},
              carry={"toys": toys_in_use, "toy_kinds": KEEP}, reference={"toy_kinds": kinds}, sample=sample_toys)


@pytest.fixture
def toys(tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    shutil.copytree(schema_module.SCHEMA_DIR, schemas)
    for name, text in SCHEMAS.items():
        (schemas / f"{name}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(schema_module, "SCHEMA_DIR", schemas)
    registry.register(TOYS)
    yield
    registry.unregister(TOYS)
    monkeypatch.undo()


def book_with_toys(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.load_workbook(SAMPLE, keep_vba=True)
    ws = wb.create_sheet("玩具登记")
    ws.append(["玩具", "班级", "数量", "类别"])
    for r in rows:
        ws.append(r)
    kinds = wb.create_sheet("玩具类别")
    for r in [["类别"], *([k["kind"]] for k in KINDS)]:
        kinds.append(r)
    wb.save(path)
    return path


def test_a_new_domain_gets_everything_from_its_declaration(toys, tmp_path, capsys):
    # CLI subcommand with help
    with pytest.raises(SystemExit) as done:
        main(["toys", "--help"])
    assert done.value.code == 0 and "统计各班玩具" in capsys.readouterr().out
    # ribbon button and its VBA callback
    ui = ribbon.custom_ui().decode("utf-8")
    assert 'id="toys" label="玩具统计"' in ui and 'label="玩具"' in ui and f'onAction="{ribbon.CALLBACK}"' in ui
    assert "k.run('toys')" in ribbon.command("toys") and "toys" in ACTIONS
    # validation of its sheet: the schema's checks and its rule, located
    bad = book_with_toys(tmp_path / "bad.xlsm", [["积木", "小一班", "很多"], ["皮球", "火星班", 3], ["拼图", "小一班", 150]])
    found = {(p.sheet, p.cell, p.code) for p in validate_book(FileBook(bad)).problems if p.sheet == "玩具登记"}
    assert found == {("玩具登记", "C2", "not_number"), ("玩具登记", "B3", "unknown_ref"), ("玩具登记", "C4", "toys_many")}
    # a step of 刷新汇总
    path = book_with_toys(tmp_path / "Logistics.xlsm", [["积木", "小一班", 20], ["皮球", "小一班", 3], ["拼图", "中一班", 150]])
    assert main(["refresh", str(path), *TODAY]) == 0
    out = capsys.readouterr().out
    assert "玩具统计（173 件）" in out and "玩具数量过多 1" in out
    wb = openpyxl.load_workbook(path)
    assert [list(r) for r in wb["玩具统计"].iter_rows(min_row=2, values_only=True)] == [["班级", "数量"], ["中一班", 150],
                                                                                     ["小一班", 23]]
    # the bureau export takes its summary and leaves out its sheet that names things per row
    assert main(["export", str(path)]) == 0
    text = capsys.readouterr().out
    assert "玩具统计" in text and "玩具名单" not in text.split("未导出")[0]
    exported = next(tmp_path.glob("*月度上报*.xlsx"))
    assert "玩具统计" in openpyxl.load_workbook(exported).sheetnames
    assert "玩具名单" not in openpyxl.load_workbook(exported).sheetnames
    # asked for by name, its declared-personal sheet goes, with the warning that it names people
    assert main(["export", str(path), "--sheets", "玩具名单"]) == 0
    assert "注意：玩具名单 含" in capsys.readouterr().out


def test_the_registry_refuses_a_schema_nobody_owns(toys):
    registry.unregister(TOYS)
    with pytest.raises(ValueError, match="no domain owns"):
        registry.current()
    registry.register(TOYS)


def test_a_new_domain_has_its_whole_life_from_its_declaration(toys, tmp_path, capsys):
    # its 基本信息 item: in a new workbook below the others, read with its default, validated where it is
    blank = tmp_path / "新园.xlsm"
    assert main(["new", str(blank), "--name", "新园", "--term-start", "2026-09-01", "--term-end", "2027-01-22"]) == 0
    wb = openpyxl.load_workbook(blank)
    items = [r[0].value for r in wb["基本信息"].iter_rows(min_row=2)]
    assert items[-1] == "玩具提醒数量(件)"
    # its reference sheet ships in `kgxl new` with its rows
    assert [r[0] for r in wb["玩具类别"].iter_rows(min_row=2, values_only=True)] == ["积木", "球类"]
    assert wb["玩具登记"].max_row == 1  # its own sheet, empty
    # the setting is read: a rule that says more than it, and a value out of range located at its cell
    path = book_with_toys(tmp_path / "Logistics.xlsm", [["积木", "小一班", 60], ["皮球", "中一班", 150]])
    found = {(p.cell, p.code) for p in validate_book(FileBook(path)).problems if p.sheet == "玩具登记"}
    assert found == {("C3", "toys_many")}  # the default, 100
    settings = openpyxl.load_workbook(path, keep_vba=True)
    ws = settings["基本信息"]
    ws.append(["玩具提醒数量(件)", 50])
    settings.save(path)
    found = {(p.cell, p.code) for p in validate_book(FileBook(path)).problems if p.sheet == "玩具登记"}
    assert found == {("C2", "toys_many"), ("C3", "toys_many")}
    ws.cell(ws.max_row, 2).value = 0
    settings.save(path)
    row = ws.max_row
    assert ("基本信息", f"B{row}", "below_min") in {(p.sheet, p.cell, p.code) for p in validate_book(FileBook(path)).problems}
    # its sample rows are in a workbook built from the sample
    from kgxl.app.books import build_bytes
    from kgxl.sample.data import Sample

    built = tmp_path / "built.xlsm"
    built.write_bytes(build_bytes(Sample(children_per_class=2)))
    wb = openpyxl.load_workbook(built)
    assert [list(r) for r in wb["玩具登记"].iter_rows(min_row=2, values_only=True)] == [["积木", "小一班", 20, "积木"]]
    assert next(r[1].value for r in wb["基本信息"].iter_rows() if r[0].value == "玩具提醒数量(件)") == 50
    # it carries into a new term by its own policy: a new school year moves the toys with their classes
    ws.cell(row, 2).value = 80
    settings.save(path)
    new = tmp_path / "下学期.xlsm"
    assert main(["new-term", str(path), str(new), "--term-start", "2027-09-01", "--term-end", "2028-01-20"]) == 0
    assert "玩具登记 2 行" in capsys.readouterr().out
    carried = openpyxl.load_workbook(new)
    assert [list(r)[:3] for r in carried["玩具登记"].iter_rows(min_row=2, values_only=True)] == [["积木", "中一班", 60],
                                                                                              ["皮球", "大一班", 150]]
    assert [r[0] for r in carried["玩具类别"].iter_rows(min_row=2, values_only=True)] == ["积木", "球类"]
    assert next(r[1].value for r in carried["基本信息"].iter_rows() if r[0].value == "玩具提醒数量(件)") == 80
