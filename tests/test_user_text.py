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
ALLOWED = {"BMI", "WHO", "WS", "GB", "RAE", "MHQ", "Excel", "WPS", "LibreOffice", "PDF", "CSV", "xlsx", "xlsm", "csv"}


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
