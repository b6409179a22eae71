"""#43: the words users read. What the registry (buttons, their help, their settings) and the schemas (sheet and
column notes, messages' hints) show contains no English word outside an allow-list of units, standards and product
names; argparse's own English is translated; 账 not 帐; and the wrong messages found by a new user are pinned."""
import contextlib
import io
import re

import pytest

from kgxl.app.book_buttons import BUTTONS
from kgxl.app.list_import import id_facts
from kgxl.app.pipeline import ACTIONS
from kgxl.core.schema import load_schemas
from kgxl.front.cli import main

# units, standards and names a user meets in the sheets themselves; each is explained where it appears
ALLOWED = {"BMI", "Ctrl", "WHO", "WS", "GB", "RAE", "MHQ", "Excel", "WPS", "LibreOffice", "PDF", "CSV", "xlsx", "xlsm", "csv", "xls",
           "Windows", "macOS"}


def registry_and_schema_texts() -> list[tuple[str, str]]:
    out = []
    for a in [*ACTIONS.values(), *BUTTONS.values()]:
        out += [(f"按钮 {a.id}", a.label), (f"按钮 {a.id}", a.help)] + [(f"参数 {a.id}", p.help) for p in a.params]
    for s in load_schemas().values():
        out.append((s.sheet, s.help or ""))
        for c in s.fields:
            out += [(f"{s.sheet}.{c.header}", t) for t in (c.header, c.help, c.range_hint, c.ref_new_row) if t]
    return out


def test_no_english_word_in_what_the_buttons_and_sheets_say():
    found = {(where, w) for where, text in registry_and_schema_texts()
             for w in re.findall(r"[A-Za-z][A-Za-z_]+", text) if w not in ALLOWED}
    assert not found, sorted(found)


def test_no_old_form_of_zhang_in_user_text():
    assert not [(w, t) for w, t in registry_and_schema_texts() if "帐" in t]


@pytest.mark.parametrize("args", [["--help"], ["refresh", "--help"], ["import", "--help"]])
def test_argparse_speaks_chinese(args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit):
        main(args)
    text = buf.getvalue()
    assert "显示本帮助并退出" in text and not re.search(r"show |usage|optional|arguments|program", text)
    if args == ["--help"]:
        assert "显示版本号并退出" in text


def test_an_id_number_excel_turned_into_scientific_notation_is_explained():
    for typed in ("1.10105E+17", "1.10105201801011e+17", "110105201801011000.0"):
        _, _, problem = id_facts(typed)
        assert "Excel 把长数字当成数值" in problem and "“文本”格式" in problem, typed
    assert "GB" not in id_facts("110105201801011235")[2] and "校验位" in id_facts("110105201801011235")[2]


def test_without_libreoffice_the_export_says_how_to_get_pdfs():
    """#43: “没有找到 LibreOffice（或转换失败）” named a program the guide never mentioned, and no way to get it."""
    from kgxl.app.export import no_pdf

    assert "免费的 LibreOffice" in no_pdf(False) and "www.libreoffice.org" in no_pdf(False)
    assert "Excel 文件已导出，可直接报送" in no_pdf(False) and "官网" not in no_pdf(True)


def test_a_new_book_s_refusal_names_no_command(tmp_path, capsys):
    """#43: “（名册可用 kgxl import 从已有的表格导入），再运行”: a cut sentence and a command."""
    book = tmp_path / "新园.xlsm"
    assert main(["new", str(book), "--name", "新园", "--term-start", "2027-02-22", "--term-end", "2027-07-09"]) == 0
    capsys.readouterr()
    assert main(["attendance", str(book), "--today", "2027-03-01"]) == 2
    err = capsys.readouterr().err
    assert "复制粘贴到“幼儿名册”对应的列" in err and "kgxl" not in err


WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])")  # a word, not part of a code (ZC0217) or file name


def english(text: str, allowed=ALLOWED) -> list[str]:
    return [w for w in WORD.findall(text) if w not in allowed]


@pytest.mark.slow
def test_no_english_word_in_the_reports_a_refresh_writes(tmp_path):
    """#43: every sheet 刷新汇总 writes (the reports, 校验结果, 运行日志) as a user reads it; not scanned: what is data
    or an identifier (校验结果's 代码 for support, 运行日志's 用户 and file names, a food's name as 食物成分 writes it:
    牛肉（代表值，fat 9g）) and the hidden record."""
    from conftest import SAMPLE
    from python_calamine import CalamineWorkbook

    from kgxl.app.build import RECORD_SHEET

    book = tmp_path / "Logistics.xlsm"
    book.write_bytes(SAMPLE.read_bytes())
    assert main(["refresh", str(book), "--today", "2026-11-30"]) == 0
    before = set(CalamineWorkbook.from_path(str(SAMPLE)).sheet_names)
    wb = CalamineWorkbook.from_path(str(book))
    skipped = {"代码", "用户", "写入"}
    foods = {r[1] for r in wb.get_sheet_by_name("食物成分").to_python()} if "食物成分" in wb.sheet_names else set()
    found = []
    for name in wb.sheet_names:
        if name == RECORD_SHEET or name in before:
            continue
        rows = wb.get_sheet_by_name(name).to_python()
        header = next((r for r in rows if "代码" in r or "用户" in r), [])
        for r in rows:
            found += [(name, w) for i, v in enumerate(r) if isinstance(v, str) and v not in foods and (header[i:i + 1] or [""])[0]
                      not in skipped for w in english(v, ALLOWED | {"kgxl"})]  # 运行日志's kgxl版本: the version
    assert len(wb.sheet_names) - len(before) > 30 and not found, sorted(set(found))


def test_no_english_word_on_the_web_page():
    """#43: the page's text (outside its script and style) and every message its script shows (a string literal
    with Chinese in it)."""
    from importlib import resources

    page = resources.files("kgxl").joinpath("front", "web", "templates", "page.html").read_text(encoding="utf-8")
    script = "".join(re.findall(r"<script>(.*?)</script>", page, re.S))
    body = re.sub(r"<(script|style)>.*?</\1>", "", page, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", re.sub(r"<[^>]+>", " ", body))
    shown = [s for s in re.findall(r'"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`', script) for s in s if s]
    messages = [re.sub(r"\$\{.*?\}", "", s) for s in shown if re.search(r"[\u4e00-\u9fff]", s)]
    assert len(messages) > 20
    found = {w for t in [text, *messages] for w in english(t)}
    assert not found, sorted(found)


def test_what_the_ribbon_says_before_python_names_only_what_the_user_must_find():
    """#43: the dispatcher's messages and the questions the buttons ask (Kgxl.bas, KgxlMessages): Chinese, naming
    only the programs, files and the one setting the user is told to look for."""
    from kgxl.app import ribbon

    named = {"Microsoft", "Python", "xlwings", "conf", "USE", "UDF", "SERVER", "False", "docs", "md", "bat", "kgxl",
             "xlsb", "ods"}
    texts = {k: re.sub(r"\{\w+\}", "", t) for k, t in {**ribbon.MESSAGES, **ribbon.questions()}.items()}  # {path}: filled
    found = {(k, w) for k, t in texts.items() for w in english(t, ALLOWED | named)}
    assert not found, sorted(found)
