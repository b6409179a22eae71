"""The one registry of user-facing actions. The CLI, the ribbon and the xlwings entry points are
all derived from ACTIONS; a new capability is one more Action here and one use-case function.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

from .attendance import percent
from .calendar import month_bounds, month_end_in_term, month_label
from .port import SheetOutput, Workbook
from .problems import ERROR, WARNING, Problem, counts
from .report import result_sheet
from .schema import SHEET_ORDER, load_schemas
from .validate import Validated, validate_book


@dataclass
class Result:
    outputs: list[SheetOutput]
    problems: list[Problem]
    summary: str  # one or two Chinese sentences for the message box / console
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content) to write beside the book


@dataclass(frozen=True)
class Param:
    name: str  # keyword of the use case, CLI argument
    help: str
    kind: str = "month"  # month (YYYY-MM) | week (YYYY-Www) | date (YYYY-MM-DD) | names (sheet names) | flag | folder
    positional: bool = False


TODAY = Param("today", "以此日期为“今天”统计（默认为系统日期），格式 2026-11-20", kind="date")
PATTERNS = {"month": (r"\d{4}-\d{2}", "2026-09"), "date": (r"\d{4}-\d{2}-\d{2}", "2026-11-20"),
            "week": (r"\d{4}-W\d{2}", "2026-W38")}


class UserError(Exception):
    """A parameter the user gave cannot be used. Message is Chinese."""


def parse_param(p: Param, text):
    if text is None or p.kind == "flag":
        return text
    if p.kind == "names":
        return [n.strip() for part in text for n in re.split(r"[,，、]", part) if n.strip()]
    if p.kind == "folder":
        from pathlib import Path
        folder = Path(text)
        if not folder.is_dir():
            raise UserError(f"参数 {p.name} 指定的文件夹不存在：{text}")
        return folder
    pattern, example = PATTERNS[p.kind]
    text = text.strip()
    try:
        if re.fullmatch(pattern, text):
            if p.kind == "week":
                dt.date.fromisocalendar(int(text[:4]), int(text[6:]), 1)  # raises on week 00 or 54
                return text
            day = dt.date.fromisoformat(text if p.kind == "date" else text + "-01")
            return day if p.kind == "date" else text
    except ValueError:
        pass
    raise UserError(f"参数 {p.name} 的值“{text}”无法识别，格式应如 {example}")


@dataclass(frozen=True)
class Action:
    id: str  # stable id: CLI subcommand, ribbon button id, entry-point name
    label: str  # Chinese button label
    help: str  # Chinese tooltip / CLI help
    run: Callable[..., Result]
    group: str = "数据"
    image: str = "AcceptInvitation"  # imageMso for the ribbon
    writes_by_default: bool = True
    validates: bool = True  # its result lists the workbook's problems (export copies sheets without checking)
    params: tuple[Param, ...] = ()


def _overview(v) -> str:
    rows = sum(len(t.frame) for t in v.tables.values() if t.schema.kind != "keyvalue")
    parts = [f"读取 {len(v.tables)} 张表共 {rows} 行"]
    if "roster" in v.tables:
        parts.append(f"幼儿 {len(v.tables['roster'].frame)} 名")
    if "classes" in v.tables:
        parts.append(f"{len(v.tables['classes'].frame)} 个班")
    if v.registers():
        parts.append(f"出勤表 {len(v.registers())} 个月")
    return f"{v.settings.kindergarten_name or '工作簿'}（{v.settings.term_label or '学期未填写'}）：" + "，".join(parts) + "。"


def run_validate(book: Workbook, today: dt.date | None = None, **_) -> Result:
    v = validate_book(book, today)
    e, w = counts(v.problems)
    summary = _overview(v) + (f"校验完成：错误 {e} 个，警告 {w} 个。" + ("请先修正错误，详见“校验结果”表。" if e else "")
                              if v.problems else "校验完成：没有发现问题。")
    return Result([result_sheet(v.problems, v.settings, book.sheet_names())], v.problems, summary)


# -- attendance ----------------------------------------------------------------------------
ATTENDANCE_INPUTS = ("settings", "classes", "roster", "holiday_overrides")


def _blocking(v: Validated, keys: tuple[str, ...], registers: bool) -> list[Problem]:
    schemas = load_schemas()
    sheets = {schemas[k].sheet for k in keys}
    reg = schemas["register"]
    return [p for p in v.problems if p.severity == ERROR and (p.sheet in sheets or (registers and reg.matches(p.sheet)))]


def _stopped(v: Validated, book: Workbook, blocking: list[Problem]) -> Result:
    sheets = "、".join(dict.fromkeys(p.sheet for p in blocking))
    return Result([result_sheet(v.problems, v.settings, book.sheet_names())], v.problems,
                  f"{sheets} 有 {len(blocking)} 个错误，未计算。请先修正，详见“校验结果”表。")


def default_month(settings, month: str | None, today: dt.date) -> str:
    """The month given, else 基本信息's 当前月份, else today's month."""
    return month or settings.current_month or today.strftime("%Y-%m")


def _month(v: Validated, month: str | None, today: dt.date) -> str:
    if not v.calendar:
        raise UserError("“基本信息”中的学期开始、结束日期未正确填写，无法确定在园日")
    month = default_month(v.settings, month, today)
    if not v.calendar.in_term(month):
        raise UserError(f"{month} 不在本学期（{v.settings.term_start} 至 {v.settings.term_end}）内；"
                        f"请在“基本信息”的“当前月份”填写本学期的月份，或在命令中指定月份")
    return month


def _validated(book: Workbook, today: dt.date, inputs: tuple[str, ...], registers: bool,
               month: str | None) -> tuple[Validated, str | None, Result | None]:
    """Validate; returns (v, month, None), or (v, None, result) when the action's input sheets have 错误."""
    v = validate_book(book, today)
    blocking = _blocking(v, inputs, registers)
    if blocking:
        return v, None, _stopped(v, book, blocking)
    return v, _month(v, month, today), None


def run_month(book: Workbook, month: str | None = None, today: dt.date | None = None, **_) -> Result:
    from .register_sheet import build_register

    v, month, stopped = _validated(book, today or dt.date.today(), ATTENDANCE_INPUTS, False, month)
    if stopped:
        return stopped
    schema = load_schemas()["register"]
    name = schema.sheet_for(month)
    table = v.tables.get(f"register:{month}")
    raw = book.read(name) if table is not None else None
    title = f"{v.settings.kindergarten_name or ''} {month_label(month)} 出勤登记表".strip()
    upd = build_register(schema, month, v.tables["roster"].frame, v.classes(), v.calendar, table, raw, title)
    if table is None:
        names = book.sheet_names()
        earlier = [n for n in names if schema.matches(n) and schema.matches(n) < month]
        inputs = [load_schemas()[k].sheet for k in SHEET_ORDER]
        upd.output.after = earlier[-1] if earlier else next((n for n in reversed(names) if n in inputs), None)
    problems = v.calendar.warnings(month) + upd.problems
    what = "已更新" if table is not None else "已新建"
    summary = (f"{what}“{name}”：幼儿 {upd.children} 名（新增 {upd.added} 名），在园日 {upd.days} 天"
               + (f"，原有 {upd.kept_marks} 个标记全部保留" if table is not None else "") + "。")
    if any(p.severity == WARNING for p in problems):
        summary += "有需要注意的地方，见上方警告。"
    return Result([upd.output], problems, summary)


def attendance_outputs(v: Validated, month: str) -> tuple[list[SheetOutput], str]:
    from .attendance_sheets import AttendanceReport

    report = AttendanceReport(v, month)
    outputs = report.outputs()
    return outputs, f"{'、'.join(o.name for o in outputs)}（{len(report.months)} 个月的出勤表）"


def run_attendance(book: Workbook, month: str | None = None, today: dt.date | None = None, **_) -> Result:
    v, month, stopped = _validated(book, today or dt.date.today(), ATTENDANCE_INPUTS, True, month)
    if stopped:
        return stopped
    outputs, what = attendance_outputs(v, month)
    e, w = counts(v.problems)
    summary = f"已生成 {month} 的{what}。" + (f"校验有警告 {w} 个，详见“校验结果”表。" if w else "")
    return Result([*outputs, result_sheet(v.problems, v.settings, book.sheet_names())], v.problems, summary)


def _need(v: Validated, keys: tuple[str, ...]) -> None:
    missing = [load_schemas()[k].sheet for k in keys if k not in v.tables]
    if missing:
        raise UserError(f"缺少工作表：{'、'.join(missing)}")


INSPECTION_INPUTS = ("settings", "holiday_overrides", "inspection_plan", "inspection_log")


def inspection_outputs(v: Validated, book: Workbook, month: str, today: dt.date) -> tuple[list[SheetOutput], str]:
    from .inspection_sheet import inspection_tab, tab_name

    _need(v, ("inspection_plan", "inspection_log"))
    name = tab_name(month)
    existing = book.read(name) if name in book.sheet_names() else None
    tab, stats = inspection_tab(v.tables["inspection_plan"].frame, v.tables["inspection_log"].frame, month,
                                v.calendar, today, v.settings.kindergarten_name or "", existing)
    summary = (f"“{name}”：应检查 {stats['due']} 项次，已检查 {stats['done']}，未检查 {stats['missed']}，"
               f"待整改 {stats['open']}" + (f"；保留了已填写的签字/备注 {stats['kept']} 行" if stats["kept"] else ""))
    return [tab], summary


def run_inspect(book: Workbook, month: str | None = None, today: dt.date | None = None, **_) -> Result:
    today = today or dt.date.today()
    v, month, stopped = _validated(book, today, INSPECTION_INPUTS, False, month)
    if stopped:
        return stopped
    outputs, what = inspection_outputs(v, book, month, today)
    return Result([*outputs, result_sheet(v.problems, v.settings, book.sheet_names())], v.problems,
                  f"已生成{what}。")


# -- nutrition -----------------------------------------------------------------------------
NUTRITION_INPUTS = ("settings", "classes", "roster", "menu", "foods", "nutrition_norms")
NUTRITION_SHEETS = ("menu", "foods", "roster", "classes")  # needed; 营养标准 has shipped defaults


def nutrition_outputs(v: Validated, period) -> tuple[list[SheetOutput], str]:
    from .nutrition import analyse
    from .nutrition_norms import norms
    from .nutrition_reference import WHOLE, reference
    from .nutrition_sheet import SHEET, nutrition_sheet

    _need(v, NUTRITION_SHEETS)
    a = analyse(v.tables["menu"].frame, v.tables["foods"].frame, period)
    if a is None:
        raise UserError(f"“带量食谱”中没有 {period.label} 的食谱，无法做营养分析")
    ref = reference(v.tables["roster"].frame, v.tables["classes"].frame, a.days[-1])
    table = v.tables.get("nutrition_norms")
    cost, note = _food_cost(v, period)
    sheet = nutrition_sheet(a, ref, norms(table.frame if table else None, v.settings.meal_service == "寄宿制"), v.settings,
                            cost, note)
    energy = ""
    if WHOLE in ref.means.index:
        energy = f"，能量为参考量的 {100 * a.per_day['energy_kcal'] / ref.means.loc[WHOLE, 'energy_kcal']:.0f}%"
    return [sheet], f"{SHEET}（{period.label}，带量食谱 {len(a.days)} 天{energy}）"


def _food_cost(v: Validated, period) -> tuple[float | None, str]:
    """The month's food cost per child-day from the meal account, or why there is none."""
    from .meal_account import meal_items

    month = period.start.strftime("%Y-%m")
    if (period.start, period.end) != month_bounds(month):
        return None, "按月分析时显示"
    t = v.tables
    if not all(k in t for k in MEAL_SHEETS) or not meal_items(t["fee_items"].frame) or not v.settings.term_valid:
        return None, "需要“食品出入库”“收费记录”和“收费项目”（含伙食费）"
    if not v.settings.term_start <= period.start <= v.settings.term_end:
        return None, "不在本学期内"
    a = meal_accounts(v, month)[-1]
    return (float(a.per_child_day), "") if a.per_child_day is not None else (None, "本月没有出勤表，无法计算人日数")


def _period(v: Validated, month: str | None, week: str | None, today: dt.date):
    from .nutrition import Period

    if month and week:
        raise UserError("请只指定月份或周次中的一个")
    return Period.week(week) if week else Period.month(default_month(v.settings, month, today))


def run_nutrition(book: Workbook, month: str | None = None, week: str | None = None, today: dt.date | None = None,
                  **_) -> Result:
    today = today or dt.date.today()
    v = validate_book(book, today)
    blocking = _blocking(v, NUTRITION_INPUTS, False)
    if blocking:
        return _stopped(v, book, blocking)
    outputs, what = nutrition_outputs(v, _period(v, month, week, today))
    return Result([*outputs, result_sheet(v.problems, v.settings, book.sheet_names())], v.problems,
                  f"已生成{what}。")


# -- money ---------------------------------------------------------------------------------
MEAL_INPUTS = ("settings", "classes", "roster", "holiday_overrides", "stock", "fee_items", "fee_records")
MEAL_SHEETS = ("stock", "fee_items", "fee_records")


def meal_accounts(v: Validated, month: str):
    """The meal account's months up to `month`, computed once per validation."""
    from .meal_account import accounts

    key = ("meal_accounts", month)
    if key not in v.computed:
        t = v.tables
        v.computed[key] = accounts(v.stock_ledger, t["fee_records"].frame, t["fee_items"].frame, v.child_days,
                                   v.settings, month)
    return v.computed[key]


def meal_outputs(v: Validated, month: str, today: dt.date) -> tuple[list[SheetOutput], str]:
    from .meal_account import meal_items, period_of
    from .meal_account_sheet import ACCOUNT, NOTICE, account_sheet, notice_sheet

    _need(v, MEAL_SHEETS)
    if not meal_items(v.tables["fee_items"].frame):
        raise UserError("“收费项目”中没有伙食费项目（项目名称应含“伙食费”），无法核算伙食费收入")
    accs = meal_accounts(v, month)
    a, period = accs[-1], period_of(v.settings)
    off = [f"{month_label(x.month)}{x.status(period)}" for x in accs if x.status(period) not in ("正常", "无收入")]
    what = (f"{ACCOUNT}、{NOTICE}（{month_label(month)}收入 {a.income / 100:,.2f} 元，支出 {a.cost / 100:,.2f} 元，"
            f"盈亏率 {a.pct if a.pct is not None else '—'}%" + (f"；请注意：{'、'.join(off)}" if off else "") + "）")
    return [account_sheet(accs, v.settings), notice_sheet(a, v.settings, today)], what


BUDGET_INPUTS = ("settings", "budget", "ledger")
FEE_INPUTS = ("settings", "fee_items")
SETTLE_INPUTS = (*MEAL_INPUTS, "budget", "ledger")


def budget_outputs(v: Validated, month: str) -> tuple[list[SheetOutput], str]:
    from .budget_execution import SHEET, budget_sheet

    _need(v, ("budget", "ledger"))
    sheet = budget_sheet(v.tables["budget"].frame, v.tables["ledger"].frame, v.settings, month)
    flagged = sum(len(b.row_styles) - 1 for b in sheet.blocks[:2])
    return [sheet], SHEET + (f"（{flagged} 个科目超预算或预算外）" if flagged else "")


def fee_outputs(v: Validated, today: dt.date) -> tuple[list[SheetOutput], str]:
    from .fee_notice import SHEET, fee_notice

    _need(v, ("fee_items",))
    return [fee_notice(v.tables["fee_items"].frame, v.settings, today)], SHEET


def settle_outputs(v: Validated, month: str) -> tuple[list[SheetOutput], str]:
    from .settlement import SHEET, settle, settlement_sheet

    _need(v, ("fee_items", "fee_records", "roster"))
    t = v.tables
    s = settle(t["fee_records"].frame, t["fee_items"].frame, v.child_days, t["roster"].frame,
               t["ledger"].frame if "ledger" in t else None, t["budget"].frame if "budget" in t else None,
               v.settings, month_end_in_term(month, v.settings.term_end))
    b = s.rows["balance"]
    return [settlement_sheet(s, v.settings, month)], (f"{SHEET}（{int((b > 0).sum())} 名幼儿应退 "
                                                      f"{b.clip(lower=0).sum() / 100:,.2f} 元，{int((b < 0).sum())} 名应补 "
                                                      f"{-b.clip(upper=0).sum() / 100:,.2f} 元）")


def _report_action(inputs: tuple[str, ...], make, registers: bool = True):
    """An action that validates, stops on its input sheets' 错误, else writes make's sheets and 校验结果."""
    def run(book: Workbook, month: str | None = None, today: dt.date | None = None, **_) -> Result:
        today = today or dt.date.today()
        v, month, stopped = _validated(book, today, inputs, registers, month)
        if stopped:
            return stopped
        outputs, what = make(v, month, today)
        return Result([*outputs, result_sheet(v.problems, v.settings, book.sheet_names())], v.problems,
                      f"已生成{what}。")
    return run


run_meals = _report_action(MEAL_INPUTS, meal_outputs)
run_budget = _report_action(BUDGET_INPUTS, lambda v, month, today: budget_outputs(v, month))
run_fees = _report_action(FEE_INPUTS, lambda v, month, today: fee_outputs(v, today))
run_settle = _report_action(SETTLE_INPUTS, lambda v, month, today: settle_outputs(v, month))


# -- health checks -------------------------------------------------------------------------
HEALTH_INPUTS = ("settings", "classes", "roster", "health_checks", "health_norms")


def health_outputs(v: Validated, month: str, today: dt.date) -> tuple[list[SheetOutput], str]:
    from .health_sheets import EVALUATION, REGISTER, STATISTICS, REMINDERS, TOTAL, HealthReport

    _need(v, ("roster", "health_checks"))
    t = v.tables
    norms = t["health_norms"].frame if "health_norms" in t else None
    report = HealthReport(t["health_checks"].frame, t["roster"].frame, v.classes(), norms,
                          v.settings.kindergarten_name or "", month, today)
    total = report.class_counts().set_index("class_name").loc[TOTAL]
    register = report.s.register
    follow = int((register["outcome"] != "已恢复正常").sum()) if len(register) else 0
    return report.outputs(), (f"{EVALUATION}、{REGISTER}、{STATISTICS}、{REMINDERS}（在册 {total['enrolled']} 名，"
                              f"体检率 {percent(total['checked'], total['enrolled'])}%，体弱儿 {follow} 名，"
                              f"体检逾期 {total['overdue']} 名）")


run_health = _report_action(HEALTH_INPUTS, health_outputs, registers=False)


# -- refresh everything --------------------------------------------------------------------
def run_refresh(book: Workbook, month: str | None = None, today: dt.date | None = None, **_) -> Result:
    """Validate once; on any 错误 stop (writing 校验结果); else compute every summary whose input
    sheets exist, all written in one save."""
    today = today or dt.date.today()
    v = validate_book(book, today)
    errors = [p for p in v.problems if p.severity == ERROR]
    if errors:
        return _stopped(v, book, errors)
    month = _month(v, month, today)
    t = v.tables
    steps = [("roster" in t and bool(v.registers()), lambda: attendance_outputs(v, month)),
             ("inspection_plan" in t and "inspection_log" in t, lambda: inspection_outputs(v, book, month, today)),
             (all(k in t for k in NUTRITION_SHEETS), lambda: nutrition_outputs(v, _period(v, month, None, today))),
             (all(k in t for k in MEAL_SHEETS), lambda: meal_outputs(v, month, today)),
             ("budget" in t and "ledger" in t, lambda: budget_outputs(v, month)),
             ("fee_items" in t, lambda: fee_outputs(v, today)),
             (all(k in t for k in ("fee_items", "fee_records", "roster")), lambda: settle_outputs(v, month)),
             ("health_checks" in t and "roster" in t, lambda: health_outputs(v, month, today))]
    outputs, done = [], []
    for present, make in steps:
        if not present:
            continue
        try:
            o, what = make()
        except UserError as e:  # e.g. no menu this month: the other summaries still refresh
            o, what = [], str(e)
        outputs += o
        done.append(what)
    e, w = counts(v.problems)
    summary = (f"已刷新 {month_label(month)}：" + ("；".join(done) if done else "没有可计算的汇总") + "。"
               + (f"校验有警告 {w} 个，详见“校验结果”表。" if w else "校验没有发现问题。"))
    return Result([*outputs, result_sheet(v.problems, v.settings, book.sheet_names())], v.problems, summary)


# -- export to the bureau ------------------------------------------------------------------
def run_export(book: Workbook, month: str | None = None, sheets: list[str] | None = None, pdf: bool = False,
               today: dt.date | None = None, **_) -> Result:
    from .export import export

    files, summary = export(book, month, sheets, pdf, today or dt.date.today())
    return Result([], [], summary, files=files)


MONTH_POS = Param("month", "月份，格式 2026-09（默认为“基本信息”的当前月份）", positional=True)
MONTH_OPT = Param("month", "月份，格式 2026-09（默认为“基本信息”的当前月份）")

ACTIONS: dict[str, Action] = {a.id: a for a in (
    Action("refresh", "刷新汇总", "校验全部输入表；没有错误时重新计算本月的出勤汇总、月检查表等所有汇总表，一次保存",
           run_refresh, image="Refresh", params=(MONTH_OPT, TODAY)),
    Action("validate", "校验数据", "检查所有输入表，列出每个问题所在的单元格", run_validate,
           image="AcceptInvitation", writes_by_default=False, params=(TODAY,)),
    Action("month", "生成本月出勤表", "新建或更新本月出勤登记表：补齐新入园幼儿和在园日，已填写的标记全部保留",
           run_month, group="出勤", image="CalendarMonthDetailsSplit", params=(MONTH_POS, TODAY)),
    Action("attendance", "出勤统计", "计算出勤汇总、幼儿出勤统计、因病缺勤追踪和伙食费退费", run_attendance,
           group="出勤", image="ChartTypeColumnInsertGallery", params=(MONTH_OPT, TODAY)),
    Action("inspect", "生成月检查表", "按检查计划和检查记录生成本月检查表：应检查、已检查、未检查、不合格和整改情况；"
           "已填写的签字、备注保留", run_inspect, group="检查", image="ReviewAcceptChange", params=(MONTH_POS, TODAY)),
    Action("nutrition", "营养分析", "按带量食谱计算每人每日各类食物进食量、营养素摄入量（与参考摄入量比较）、热量来源、"
           "蛋白质来源和餐次分配，给出评价与建议", run_nutrition, group="膳食", image="ChartTypePieInsertGallery",
           params=(MONTH_OPT, Param("week", "周次，格式 2026-W38（与月份二选一）", kind="week"), TODAY)),
    Action("meals", "伙食费结算", "按食品出入库、收费记录和出勤表核算各月伙食费收支、库存和盈亏率（±2%），"
           "生成伙食费核算表和本月伙食账目公示", run_meals, group="财务", image="AccountingFormat", params=(MONTH_OPT, TODAY)),
    Action("budget", "预算执行", "按收支明细统计学期预算各科目的执行情况，标出超预算和预算外的科目", run_budget, group="财务",
           image="ChartTypeBarInsertGallery", params=(MONTH_OPT, TODAY)),
    Action("fees", "收费公示", "按收费项目生成本学期收费公示表（A4 一页，可直接打印张贴）", run_fees, group="财务",
           image="FilePrint", params=(TODAY,)),
    Action("settle", "学期结算", "按已缴费用、在园天数和代收代办项目的实际支出，计算每名幼儿应退或应补的金额（多退少补）",
           run_settle, group="财务", image="FunctionsFinancialInsertGallery", params=(MONTH_OPT, TODAY)),
    Action("health", "体检评价", "按体检记录和幼儿名册计算年龄别体重、年龄别身高、身高别体重和BMI的Z值（WHO标准），判定低体重、"
           "生长迟缓、消瘦、超重、肥胖和贫血，生成体格发育评价、体弱儿管理、体检统计（体检率、患病率）和体检提醒", run_health,
           group="保健", image="HappyFace", params=(MONTH_OPT, TODAY)),
    Action("export", "导出上报", "把本月的汇总报表复制到一个干净的新工作簿（只含数值和格式），文件名为“园所名称_报表_月份.xlsx”，"
           "用于报送教育局；默认不含幼儿个人信息", run_export, group="上报", image="ExportExcel", validates=False,
           params=(MONTH_OPT, Param("sheets", "要导出的工作表（默认：出勤汇总、营养分析、伙食账目公示、收费公示、预算执行和本月检查表中已有的）",
                                    kind="names"),
                   Param("out", "导出文件所在的文件夹（默认：工作簿所在文件夹）", kind="folder"),
                   Param("pdf", "同时用 LibreOffice 生成一个 PDF（每张表从新的一页开始）", kind="flag"))),
)}
