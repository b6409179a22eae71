"""`kgxl ui`: the local web page, for the users the ribbon cannot reach (WPS, Excel without Python, Linux desktops).

Flask (Pallets: maintained, small, with a test client and templates everyone knows) served by waitress (a
pure-Python production WSGI server, the same on Windows, macOS and Linux, nothing to compile) on 127.0.0.1 only, on
a free port. The actions are the registry's, run as the CLI runs them: one locked, atomic write with the backup.

Security: every request carries the per-start token (?token= on what the browser loads, the X-Kgxl-Token header
on the page's own calls); the Host header must name the loopback address (a DNS-rebinding page cannot reach it);
files are served only from the chosen workbook's folder, by plain name; a fault shows the log path, never a
traceback."""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hmac
import io
import secrets
import subprocess
import sys
import threading
from pathlib import Path

from flask import Flask, abort, jsonify, render_template, request, send_file

from kgxl.app.pipeline import ACTIONS, due_now
from kgxl.app.run_log import HEADER, LOG_SHEET, read_rows
from kgxl.app.runner import log_fault
from kgxl.app.session import run_on_file
from kgxl.app.todo import as_json, gather, said
from kgxl.core.actions import UserError, default_month, parse_param
from kgxl.core.calendar import month_label, months_between
from kgxl.core.due import HORIZON_DAYS
from kgxl.core.problems import counts
from kgxl.core.reading import read_table
from kgxl.core.schema import load_schemas
from kgxl.core.settings import Settings
from kgxl.front.web.recent import Recent
from kgxl.front.web.tasks import add_tasks, default_folder
from kgxl.io.filebook import BookError, FileBook, backup_path

BOOK_KINDS = (".xlsm", ".xlsx")
FRONT = "网页"


def book_info(path: Path) -> dict:
    """基本信息 as the page shows it."""
    book = FileBook(path)
    schema = load_schemas()["settings"]
    settings = Settings()
    if schema.sheet in book.sheet_names():
        settings = Settings.from_frame(read_table(schema, book.read(schema.sheet))[0].frame)
    months = months_between(settings.term_start, settings.term_end) if settings.term_valid else []
    return {"path": str(path), "folder": str(path.parent), "name": settings.kindergarten_name or "（未填写园所名称）",
            "term": settings.term_label or "（未填写学年学期）", "month": settings.current_month or "",
            "months": [[m, month_label(m)] for m in months], "backup": backup_path(path).name}


def actions() -> list[dict]:
    groups: dict[str, list] = {}
    for a in ACTIONS.values():
        groups.setdefault(a.group, []).append({"id": a.id, "label": a.label, "help": a.help,
                                               "month": any(p.name == "month" for p in a.params)})
    return [{"group": g, "actions": items} for g, items in groups.items()]


def create_app(token: str, recent: Recent, book: Path | None = None) -> Flask:
    """The page's app; book: the workbook in use from the start (`kgxl ui BOOK`, the ribbon's 升级工作簿)."""
    app = Flask(__name__)
    app.json.ensure_ascii = False
    state = {"book": None, "problems": []}
    busy: dict[str, threading.Lock] = app.config.setdefault("KGXL_BUSY", {})  # workbook path -> its run's lock
    guard = threading.Lock()

    @app.before_request
    def check():
        host = (request.host or "").rsplit(":", 1)[0]
        given = request.args.get("token") or request.headers.get("X-Kgxl-Token") or ""
        if host not in ("127.0.0.1", "localhost") or not hmac.compare_digest(given, token):
            abort(403)

    @app.errorhandler(403)
    def refused(_):
        return "拒绝访问：请从后勤助手打开的网址进入（网址中带有访问令牌）。", 403

    @app.get("/")
    def page():
        return render_template("page.html", token=token)

    @app.get("/api/state")
    def api_state():
        info = None
        if state["book"]:
            try:
                info = book_info(state["book"])
            except (BookError, UserError) as e:
                info = {"error": str(e)}
        return jsonify(book=info, recent=recent.items(), groups=actions(), folder=default_folder(state["book"]),
                       today=dt.date.today().isoformat())

    def not_opened(message: str):
        """A failed open: the message, and the workbook still in use (the page puts its path back in the box)."""
        kept = state["book"]
        said = message.rstrip("。") + (f"。仍在使用：{kept}" if kept else "")
        return jsonify(error=said, kept=str(kept) if kept else None), 400

    def use(path: Path) -> dict:
        """path becomes the workbook in use (a new one, or one just upgraded); its info."""
        info = book_info(path)
        state["book"], state["problems"] = path.resolve(), []
        recent.add(state["book"])
        return info

    def refresh(path: Path):
        return run_on_file("refresh", path, {}, True, front=FRONT)[-1][0].result

    add_tasks(app, state, use, refresh)
    if book is not None and book.suffix.lower() in BOOK_KINDS and book.is_file():
        with contextlib.suppress(BookError, UserError):  # one it cannot read: the page starts without, as always
            use(book.resolve())

    @app.post("/api/open")
    def api_open():
        text = str((request.get_json(silent=True) or {}).get("path") or "").strip().strip('"')
        if not text:
            return not_opened("请填写工作簿的路径")
        path = Path(text).expanduser()
        if path.suffix.lower() not in BOOK_KINDS:
            return not_opened(f"请选择 .xlsm 或 .xlsx 工作簿：{text}")
        if not path.is_file():
            return not_opened(f"找不到这个文件：{text}")
        try:
            info = use(path.resolve())
        except (BookError, UserError) as e:
            return not_opened(f"无法打开工作簿：{e}")
        return jsonify(book=info, recent=recent.items())

    @app.post("/api/run")
    def api_run():
        body = request.get_json(silent=True) or {}
        action = ACTIONS.get(str(body.get("action")))
        path = state["book"]
        if action is None or path is None:
            return jsonify(error="请先选择工作簿" if path is None else "没有这个操作"), 400
        with guard:
            lock = busy.setdefault(str(path), threading.Lock())
        if not lock.acquire(blocking=False):
            return jsonify(error="这个工作簿正在运行另一个操作，请等它完成后再点"), 409
        try:
            params = {}
            if body.get("month") and any(p.name == "month" for p in action.params):
                params["month"] = parse_param(next(p for p in action.params if p.name == "month"), str(body["month"]))
            if action.id == "export":
                params["pdf"] = bool(body.get("pdf"))
                chosen = [str(n) for n in body.get("sheets") or []]
                params["sheets"] = chosen or None  # none chosen: the default set, staff names masked
            run = run_on_file(action.id, path, params, True, front=FRONT)[-1][0]
            result = run.result
            state["problems"] = result.problems
            errors, warnings = counts(result.problems)
            return jsonify(summary=result.summary, errors=errors, warnings=warnings, validates=action.validates,
                           problems=[p.as_dict() for p in result.problems],
                           written=[o.name for o in run.outputs if not o.retitle],
                           files=[p.name for p, _ in run.files], folder=str(path.parent),
                           backup=backup_path(path).name, book=str(path))
        except (UserError, BookError) as e:
            return jsonify(error=f"无法{action.label}：{e}"), 400
        except Exception:  # a fault: the log for the maintainers, a short message for the user
            where = log_fault(f"ui {action.id} {path}")
            return jsonify(error=f"后勤助手内部错误，工作簿未修改。详细信息已记录到 {where}，请发给维护人员。"), 500
        finally:
            lock.release()

    @app.get("/api/todo")
    def api_todo():
        """待办事项 of the workbook in use as of today (the first screen shows it): computed, nothing written."""
        if state["book"] is None:
            return jsonify(error="请先选择工作簿"), 400
        today = dt.date.today()
        try:
            v, b, _, stale = due_now(FileBook(state["book"]), None, today)
            items = gather(v, today, stale, b.inputs_key)
        except (BookError, UserError) as e:
            return jsonify(error=f"无法列出待办事项：{e}"), 400
        except Exception:
            where = log_fault(f"ui todo {state['book']}")
            return jsonify(error=f"无法列出待办事项：后勤助手内部错误，详细信息已记录到 {where}"), 500
        return jsonify(today=today.isoformat(), summary=said(items, today), items=as_json(items, today),
                       horizon=HORIZON_DAYS)

    @app.get("/api/export-choices")
    def export_choices():
        """The sheets 导出上报 may send, with whom each names, and whether a PDF can be made here."""
        from kgxl.app.export import choices, no_pdf
        from kgxl.io.pdf import soffice

        if state["book"] is None:
            return jsonify(error="请先选择工作簿"), 400
        try:
            book = FileBook(state["book"])
            settings = Settings.from_frame(read_table(load_schemas()["settings"],
                                                      book.read(load_schemas()["settings"].sheet))[0].frame)
            month = str(request.args.get("month") or "") or default_month(settings, None, dt.date.today())
            found = soffice() is not None
            return jsonify(month=month, sheets=choices(book, month), pdf=found, no_pdf="" if found else no_pdf(False))
        except (BookError, UserError) as e:
            return jsonify(error=f"无法读取工作簿：{e}"), 400

    def _csv(rows: list[list], name: str):
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        data = io.BytesIO(("\ufeff" + buf.getvalue()).encode("utf-8"))  # the BOM: Excel opens it as UTF-8
        return send_file(data, mimetype="text/csv", as_attachment=True, download_name=name)

    @app.get("/api/problems.csv")
    def problems_csv():
        rows = [["级别", "工作表", "单元格", "列", "填写的值", "问题说明", "代码"]]
        rows += [[p.severity, p.sheet, p.cell, p.column, p.value, p.message, p.code] for p in state["problems"]]
        return _csv(rows, "问题列表.csv")

    @app.get("/api/runlog.csv")
    def runlog_csv():
        if state["book"] is None:
            abort(404)
        book = FileBook(state["book"])
        rows = read_rows(book.read(LOG_SHEET)) if LOG_SHEET in book.sheet_names() else None
        return _csv([HEADER, *(rows or [])], "运行日志.csv")

    @app.get("/files/<name>")
    def files(name: str):
        """A file beside the chosen workbook (the bureau export), by its plain name only."""
        if state["book"] is None or "/" in name or "\\" in name or name.startswith("."):
            abort(404)
        folder = state["book"].parent
        target = (folder / name).resolve()
        if target.parent != folder or not target.is_file():
            abort(404)
        return send_file(target, as_attachment=True, download_name=name)

    @app.post("/api/reveal")
    def reveal():
        if state["book"] is None:
            return jsonify(error="请先选择工作簿"), 400
        folder = str(state["book"].parent)
        opener = {"win32": ["explorer", folder], "darwin": ["open", folder]}.get(sys.platform, ["xdg-open", folder])
        try:
            subprocess.Popen(opener, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            return jsonify(error=f"无法打开文件夹，请自己打开：{folder}"), 400
        return jsonify(folder=folder)

    return app


def serve(open_browser: bool = True, port: int = 0, ready=None, book: Path | None = None) -> None:
    """Serve until interrupted; ready(url, server) is called once the port is known (tests stop the server)."""
    from waitress import create_server

    token = secrets.token_urlsafe(24)
    server = create_server(create_app(token, Recent(), book), host="127.0.0.1", port=port, threads=4)
    url = f"http://127.0.0.1:{server.effective_port}/?token={token}"
    print(f"后勤助手网页已启动：{url}\n（只能在本机访问；关闭本窗口或按 Ctrl+C 停止）", flush=True)
    if ready:
        ready(url, server)
    if open_browser:
        import webbrowser
        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
