"""The web page's tasks that are not one action of the registry: a new workbook, a list imported (uploaded from the
browser; the workbook stays where it is), the next term's workbook (class moves shown and editable first), an
upgrade (what it adds shown first), the Excel buttons pointed at this install, and the bureau's district roll-up.
Each calls the same function as its command (kgxl.app.*), so the page and the CLI cannot differ in what they do;
only the words about how to go on are the page's own."""
from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from flask import abort, jsonify, request, send_file

from kgxl.core.actions import MONTH_OPT, Param, UserError, parse_param
from kgxl.core.problems import counts
from kgxl.io.filebook import BookError, backup_path

DATE = Param("day", "", kind="date")
LIST_KINDS = {"roster": "幼儿名单", "staff": "教职工名单"}


def _text(body: dict, key: str) -> str:
    return str(body.get(key) or "").strip().strip('"')


def _day(body: dict, key: str, what: str) -> dt.date:
    text = _text(body, key)
    if not text:
        raise UserError(f"请填写{what}")
    return parse_param(DATE, text)


def _new_path(folder: str, name: str) -> Path:
    """A new workbook's path from the folder and file name typed (.xlsm added when left off)."""
    if not folder:
        raise UserError("请填写保存新工作簿的文件夹")
    if not name:
        raise UserError("请填写新工作簿的文件名")
    if re.search(r'[\\/:*?"<>|]', name):
        raise UserError(f"文件名中不能有 \\ / : * ? \" < > | 这些符号：{name}")
    path = Path(folder).expanduser() / name
    return path if path.suffix.lower() == ".xlsm" else path.with_name(path.name + ".xlsm")


def _said(summary: str, problems=(), **more) -> dict:
    """A task's result in the shape the page shows an action's (summary, counts, problems, written, files)."""
    errors, warnings = counts(list(problems))
    return {"summary": summary, "problems": [p.as_dict() for p in problems], "errors": errors,
            "warnings": warnings, "validates": bool(problems), "written": [], "files": [], **more}


def default_folder(book: Path | None) -> str:
    """Where a new workbook goes unless the user says otherwise: beside the one in use, else 文档 (Documents)."""
    if book is not None:
        return str(book.parent)
    documents = Path.home() / "Documents"
    return str(documents if documents.is_dir() else Path.home())


def add_tasks(app, state: dict, open_book, run_refresh) -> None:
    """The tasks' routes. open_book(path) makes path the workbook in use and returns its info; run_refresh(path)
    runs 刷新汇总 on it as the page's button does and returns its result."""

    def book() -> Path:
        if state["book"] is None:
            raise UserError("请先打开工作簿")
        return state["book"]

    def task(fn):
        """A task's route: its UserError and BookError shown in Chinese, its fault logged (never a traceback)."""
        def route(*args):
            try:
                return jsonify(fn(*args))
            except (UserError, BookError) as e:
                return jsonify(error=str(e)), 400
            except Exception:
                from kgxl.app.runner import log_fault
                where = log_fault(f"ui {fn.__name__}")
                return jsonify(error=f"后勤助手内部错误，文件未修改。详细信息已记录到 {where}，请发给维护人员。"), 500
        route.__name__ = fn.__name__
        return route

    @app.post("/api/new")
    @task
    def new_book():
        from kgxl.app.new_book import new_workbook

        body = request.get_json(silent=True) or {}
        name = _text(body, "name")
        if not name:
            raise UserError("请填写园所名称（全称）")
        start, end = _day(body, "term_start", "学期第一天"), _day(body, "term_end", "学期最后一天")
        path = new_workbook(_new_path(_text(body, "folder"), _text(body, "file") or name), name, start, end)
        return {"book": open_book(path), **_said(
            f"已新建主工作簿：{path}，并已打开。下一步：用“导入名单”导入幼儿名单和教职工名单（或在工作簿中填写），"
            "在“基本信息”中填写伙食费标准等项目，然后点“校验数据”查看还需填写的单元格。")}

    @app.post("/api/import")
    @task
    def import_list():
        from kgxl.app.list_import import FILE_KINDS, import_lists

        path = book()
        kind = request.form.get("kind", "")
        upload = request.files.get("file")
        if kind not in LIST_KINDS:
            raise UserError("请选择导入幼儿名单还是教职工名单")
        if upload is None or not upload.filename:
            raise UserError(f"请选择要导入的{LIST_KINDS[kind]}文件")
        name = Path(upload.filename.replace("\\", "/")).name
        if Path(name).suffix.lower() not in FILE_KINDS:
            raise UserError(f"无法导入 {name}：只支持 {'、'.join(FILE_KINDS)} 文件")
        with tempfile.TemporaryDirectory(prefix="kgxl-import-") as tmp:
            received = Path(tmp) / name
            upload.save(received)
            done = import_lists(path, {kind: received}, request.form.get("skip_bad") == "1")
        errors, warnings = counts(done.problems)
        lines = [f"{name}：错误 {errors} 个，警告 {warnings} 个" + ("（“单元格”为名单文件中的列和行，见下表）。"
                                                                if done.problems else "。")] + done.lines()
        if done.blocked:
            lines.append("有错误，未写入任何内容。请在名单文件中改正下表列出的行和列后重新导入，"
                         "或勾选“跳过有错误的行”只导入没有错误的行。")
        if done.written:
            lines.append("已写入工作簿（写入前的文件已备份）。请点“校验数据”检查整个工作簿。")
        sheets = [imp.schema.sheet for imp, out in done.plans.values() if out is not None] if done.written else []
        return _said("\n".join(lines), done.problems, written=sheets, backup=backup_path(path).name,
                     imported=done.written)

    @app.post("/api/new-term/preview")
    @task
    def new_term_preview():
        from kgxl.app.new_book import term_moves

        body = request.get_json(silent=True) or {}
        start, end = _day(body, "term_start", "下学期第一天"), _day(body, "term_end", "下学期最后一天")
        return term_moves(book(), start, end)

    @app.post("/api/new-term")
    @task
    def new_term():
        from kgxl.app.new_book import new_term_workbook

        body = request.get_json(silent=True) or {}
        old = book()
        start, end = _day(body, "term_start", "下学期第一天"), _day(body, "term_end", "下学期最后一天")
        moves = {str(k): str(v).strip() for k, v in (body.get("moves") or {}).items() if str(v).strip()}
        path = _new_path(_text(body, "folder") or str(old.parent), _text(body, "file"))
        said = new_term_workbook(old, path, start, end, moves)
        return {"book": open_book(path), **_said(said + f"\n已打开新学期的工作簿；上学期的工作簿 {old.name} 未改动。")}

    @app.get("/api/upgrade")
    @task
    def upgrade_plan():
        from kgxl.app.upgrade import pending

        said = pending(book())
        return {"current": said is None, "text": said or "这个工作簿已是当前版本，无需升级。"}

    @app.post("/api/upgrade")
    @task
    def upgrade():
        from kgxl.app.upgrade import upgrade_book

        path = book()
        said = upgrade_book(path)
        if said is None:
            return _said("这个工作簿已是当前版本，无需升级。")
        result = run_refresh(path)
        return {"book": open_book(path), **_said(f"{said}\n然后刷新汇总：{result.summary}", result.problems,
                                                 backup=backup_path(path).name)}

    @app.post("/api/setup-excel")
    @task
    def setup_excel():
        from kgxl.app.excel_setup import setup_excel as point
        from kgxl.io.writer_lock import writer_lock

        path = book()
        with writer_lock(path):
            said = point(path)
        return _said(said + "。在 Excel 中重新打开这个工作簿后，“后勤助手”选项卡的按钮就会使用本机安装的后勤助手。",
                     backup=backup_path(path).name)

    @app.post("/api/collect")
    @task
    def collect():
        from kgxl.app.roll_up import roll_up

        body = request.get_json(silent=True) or {}
        folder = _text(body, "folder")
        if not folder:
            raise UserError("请填写存放各园报表的文件夹")
        month = parse_param(MONTH_OPT, _text(body, "month") or "")
        if not month:
            raise UserError("请选择汇总的月份")
        name = _text(body, "district")
        out = Path(folder).expanduser() / f"{name or '区县'}汇总-{month}.xlsx"
        said = roll_up([Path(folder).expanduser()], month, out, name=name)
        state["district"] = out
        return _said(said, files=[out.name], download="api/district-file")

    @app.get("/api/district-file")
    def district_file():
        out = state.get("district")
        if out is None or not Path(out).is_file():
            abort(404)
        return send_file(out, as_attachment=True, download_name=Path(out).name)
