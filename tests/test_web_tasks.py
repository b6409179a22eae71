"""The web page's tasks beside the registry's actions (#43), through Flask's test client: a new workbook, a list
imported with its bad rows skipped, the next term's workbook with the user's own class moves, the Excel buttons'
setting, an upgrade of a workbook of this version; each refusal in Chinese, naming what to fix, and no file
changed by a refusal. The whole path in a real browser is tests/test_web.py::test_every_task_without_a_command;
the district roll-up is tried in tests/test_collect.py with its district."""
import hashlib
import io
import sys
from pathlib import Path

import openpyxl
import pytest

from kgxl.front.web.recent import Recent
from kgxl.front.web.server import create_app

TOKEN = "tasks-token"


@pytest.fixture
def client(tmp_path):
    app = create_app(TOKEN, Recent(tmp_path / "config" / "ui.json"))
    return app.test_client()


def post(client, url, body=None, form=None):
    headers = {"X-Kgxl-Token": TOKEN}
    if form is not None:
        r = client.post(f"{url}?token={TOKEN}", data=form, headers=headers, content_type="multipart/form-data")
    else:
        r = client.post(f"{url}?token={TOKEN}", json=body or {}, headers=headers)
    return r.status_code, r.get_json()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_workbook_and_its_refusals(client, tmp_path):
    term = {"term_start": "2026-09-01", "term_end": "2027-01-22", "folder": str(tmp_path)}
    status, said = post(client, "/api/new", {**term, "name": " "})
    assert status == 400 and said["error"] == "请填写园所名称（全称）"
    status, said = post(client, "/api/new", {**term, "name": "向阳幼儿园", "term_end": "2027-13-40"})
    assert status == 400 and "2027-13-40" in said["error"] and "Traceback" not in said["error"]
    status, said = post(client, "/api/new", {**term, "name": "向阳幼儿园", "folder": str(tmp_path / "没有的文件夹")})
    assert status == 400 and said["error"].startswith("文件夹不存在")
    status, said = post(client, "/api/new", {**term, "name": "向阳幼儿园", "file": "a/b"})
    assert status == 400 and "不能有" in said["error"]
    status, said = post(client, "/api/new", {**term, "name": "向阳幼儿园"})
    book = tmp_path / "向阳幼儿园.xlsm"
    assert status == 200 and said["book"]["path"] == str(book) and said["book"]["term"] == "2026-2027学年第一学期"
    before = digest(book)
    status, said = post(client, "/api/new", {**term, "name": "向阳幼儿园"})
    assert status == 400 and "已存在，未覆盖" in said["error"] and digest(book) == before


@pytest.mark.slow
def test_a_list_with_bad_rows_skipped(client, tmp_path, sample_copy):
    assert post(client, "/api/open", {"path": str(sample_copy)})[0] == 200
    roster = "姓名,性别,出生日期,班级\n新同学甲,女,2023-04-01,小一班\n新同学乙,男,2023-13-01,小一班\n".encode("gb18030")
    form = {"kind": "roster", "skip_bad": "0", "file": (io.BytesIO(roster), "名单.csv")}
    before = digest(sample_copy)
    status, said = post(client, "/api/import", form=form)
    assert status == 200 and not said["imported"] and digest(sample_copy) == before
    assert [(p["sheet"], p["cell"], p["column"]) for p in said["problems"] if p["severity"] == "错误"] == \
        [("名单.csv", "C3", "出生日期")]
    form = {"kind": "roster", "skip_bad": "1", "file": (io.BytesIO(roster), "名单.csv")}
    status, said = post(client, "/api/import", form=form)
    assert status == 200 and said["imported"] and said["written"] == ["幼儿名册"]
    assert "导入 1 名幼儿到“幼儿名册”，跳过有错误的 1 行" in said["summary"]
    names = [c.value for c in openpyxl.load_workbook(sample_copy)["幼儿名册"]["B"]]
    assert "新同学甲" in names and "新同学乙" not in names
    status, said = post(client, "/api/import", form={"kind": "roster", "file": (io.BytesIO(b"x"), "名单.pdf")})
    assert status == 400 and said["error"].startswith("无法导入 名单.pdf：只支持")
    status, said = post(client, "/api/import", form={"kind": "roster"})
    assert status == 400 and said["error"] == "请选择要导入的幼儿名单文件"


@pytest.mark.slow
def test_the_next_school_year_with_the_users_class_moves(client, tmp_path, sample_copy):
    assert post(client, "/api/open", {"path": str(sample_copy)})[0] == 200
    before = digest(sample_copy)
    term = {"term_start": "2027-09-01", "term_end": "2028-01-21"}
    status, plan = post(client, "/api/new-term/preview", term)
    assert status == 200 and plan["promote"] and plan["term"] == "2027-2028学年第一学期"
    moves = {c["old"]: c["new"] for c in plan["classes"]}
    assert moves == {"小一班": "中一班", "小二班": "中二班", "中一班": "大一班", "中二班": "大二班", "大一班": "离园",
                     "大二班": "离园"}
    assert sum(c["children"] for c in plan["classes"]) == plan["counts"]["enrolled"] + plan["counts"]["left_class"]
    status, said = post(client, "/api/new-term", {**term, "moves": {"小二班": "中三班"}, "file": plan["file"]})
    assert status == 200, said
    assert "小二班→中三班" in said["summary"] and "小一班→中一班" in said["summary"]
    assert said["book"]["path"] == str(sample_copy.parent / plan["file"]) and digest(sample_copy) == before
    assert post(client, "/api/open", {"path": str(sample_copy)})[0] == 200  # the new one was in use
    status, said = post(client, "/api/new-term", {**term, "moves": {"小五班": "中五班"}, "file": "再来.xlsm"})
    assert status == 400 and "小五班" in said["error"] and not (sample_copy.parent / "再来.xlsm").exists()


def test_a_current_workbook_needs_no_upgrade_and_excel_is_for_windows_and_macs(client, tmp_path):
    assert post(client, "/api/new", {"name": "向阳幼儿园", "term_start": "2026-09-01", "term_end": "2027-01-22",
                                     "folder": str(tmp_path)})[0] == 200
    r = client.get(f"/api/upgrade?token={TOKEN}", headers={"X-Kgxl-Token": TOKEN})
    assert r.get_json() == {"current": True, "text": "这个工作簿已是当前版本，无需升级。"}
    status, said = post(client, "/api/upgrade")
    assert status == 200 and said["summary"] == "这个工作簿已是当前版本，无需升级。"
    status, said = post(client, "/api/setup-excel")
    if sys.platform in ("win32", "darwin"):
        assert status == 200 and sys.executable in said["summary"]
    else:
        assert status == 400 and said["error"] == "Excel 的后勤助手按钮只在 Windows 和 macOS 上使用；本机请使用后勤助手网页"


def test_tasks_that_need_a_workbook_say_so(client):
    for url in ("/api/new-term/preview", "/api/upgrade", "/api/setup-excel"):
        status, said = post(client, url, {"term_start": "2027-02-22", "term_end": "2027-07-09"})
        assert status == 400 and said["error"] == "请先打开工作簿", url
    status, said = post(client, "/api/collect", {"folder": "", "month": "2026-11"})
    assert status == 400 and said["error"] == "请填写存放各园报表的文件夹"
