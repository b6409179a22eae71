"""A new domain is a folder's worth of declaration and nothing else: a throw-away domain declared
here, with one input sheet schema, one rule and one report, gets its CLI subcommand with help, its
ribbon button and VBA callback, its step of 刷新汇总, the validation of its sheet, and its place (or
its personal sheet's exclusion) in the bureau export, without any other edit."""
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE

import kgxl.core.schema as schema_module
from kgxl.app import registry, ribbon
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.core.domain import Code, Domain, Report
from kgxl.core.port import Block, SheetOutput
from kgxl.core.problems import WARNING, Problem
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

TODAY = ["--today", "2026-11-21"]
SCHEMA = """sheet: 玩具登记
order: 170
key: toys
help: 各班玩具，每种一行。
columns:
  - {key: toy, header: 玩具, type: text, required: true, width: 12, help: 玩具名称}
  - {key: class_name, header: 班级, type: text, required: true, ref: classes.class_name, width: 10, help: 所在班级}
  - {key: count, header: 数量, type: integer, required: true, min: 0, width: 8, help: 件数}
"""


def many_toys(v) -> list[Problem]:
    t = v.tables.get("toys")
    if t is None:
        return []
    return [Problem(t.sheet, t.cell(i, "count"), "数量", str(int(n)), "toys_many", "一个班超过 100 件，请核对", WARNING)
            for i, n in t.frame["count"].dropna().items() if n > 100]


def make_toys(v, req):
    f = v.tables["toys"].frame
    by_class = f.groupby("class_name")["count"].sum()
    total = SheetOutput("玩具统计", [Block(["班级", "数量"], [[c, int(n)] for c, n in by_class.items()])],
                        titles=[f"{req.month} 玩具统计"])
    named = SheetOutput("玩具名单", [Block(["玩具", "班级"], [[r.toy, r.class_name] for r in f.itertuples()])])
    return [total, named], f"玩具统计（{int(f['count'].sum())} 件）"


TOYS = Domain(name="toys", title="玩具", group="玩具", inputs=("toys",), rules=many_toys,
              reports=(Report("toys", "玩具统计", "统计各班玩具", make_toys, inputs=("settings", "toys"),
                              needs=("toys",), sheets=("玩具统计", "玩具名单"), image="HappyFace"),),
              bureau=("玩具统计",), personal=("玩具名单",),
              codes={"toys_many": Code("玩具数量过多", "警告", "核对数量")})


@pytest.fixture
def toys(tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    shutil.copytree(schema_module.SCHEMA_DIR, schemas)
    (schemas / "玩具登记.yaml").write_text(SCHEMA, encoding="utf-8")
    monkeypatch.setattr(schema_module, "SCHEMA_DIR", schemas)
    registry.register(TOYS)
    yield
    registry.unregister(TOYS)
    monkeypatch.undo()


def book_with_toys(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.load_workbook(SAMPLE, keep_vba=True)
    ws = wb.create_sheet("玩具登记")
    ws.append(["玩具", "班级", "数量"])
    for r in rows:
        ws.append(r)
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
