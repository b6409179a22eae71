"""The district's picture from the collected exports (kgxl.app.collect), kept in DuckDB: the tables, the SQL that
turns tidy figures into one row per kindergarten, the district totals from counts, the kindergartens missing and
what stands out; then the district workbook's sheets as SheetOutputs, rendered like every other kgxl sheet."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from kgxl.app.collect import GROWTH, HEALTH, MEALS, FileRead
from kgxl.core.calendar import add_months, month_bounds, month_label
from kgxl.core.money import percent
from kgxl.core.port import Block, Chart, Series, SheetOutput

TABLES = ["""CREATE TABLE IF NOT EXISTS files (file VARCHAR, digest VARCHAR, kindergarten VARCHAR, month VARCHAR,
             version VARCHAR, status VARCHAR, reason VARCHAR)""",
          """CREATE TABLE IF NOT EXISTS measures (kindergarten VARCHAR, month VARCHAR, report VARCHAR, class VARCHAR,
             measure VARCHAR, value DOUBLE, file VARCHAR, digest VARCHAR)"""]
# the district sheet's columns: (header, measure as reported, format)
COLUMNS = [("在册", "enrolled", "0"), ("出勤率(%)", "attendance_rate", "0.0"), ("未登记(人次)", "unregistered", "0"),
           ("因病缺勤率(%)", "sick_rate", "0.0"), ("体检(人)", "checked", "0"), ("体检应检(人)", "check_base", "0"),
           ("体检率(%)", "check_rate", "0.0"), ("体弱儿(人)", "weak", "0"), ("传染病发病率(%)", "case_rate", "0.0"),
           ("伤害发生率(‰)", "injury_rate", "0.0"), ("能量(%)", "energy_pct", "0.0"), ("蛋白质(%)", "protein_pct", "0.0"),
           ("伙食费盈亏率(%)", "meal_rate", "0.00"), ("±2%", "meal_flag", "@"), ("检查完成率(%)", "check_done_rate", "0.0"),
           ("留样合格率(%)", "sample_rate", "0.0")]
# a district rate is a sum of counts over a sum of counts: (measure, numerator, denominator, scale)
TOTALS = {"attendance_rate": ("present", "due", 100), "sick_rate": ("sick", "due", 100),
          "check_rate": ("checked", "check_base", 100), "case_rate": ("cases", "enrolled", 100),
          "injury_rate": ("injuries", "enrolled", 1000), "meal_rate": ("meal_balance", "meal_income", 100),
          "check_done_rate": ("checks_done", "checks_due", 100), "sample_rate": ("samples_ok", "samples_due", 100)}
VIEWS = {"health_report": f"= '{HEALTH}'", "meal_notice": f"= '{MEALS}'", "growth_stats": f"= '{GROWTH}'",
         "inspections": "LIKE '%月检查'"}
SUMMED = ("enrolled", "weak", "unregistered", "checked", "check_base")
# 体检统计's prevalences (规范 附件5 表2): (header, numerator, denominator) — per kindergarten and summed for the district
PREVALENCE = [("低体重率(%)", "underweight", "assessed"), ("生长迟缓率(%)", "stunting", "assessed"),
              ("消瘦率(%)", "wasting", "assessed"), ("超重率(%)", "overweight", "assessed"),
              ("肥胖率(%)", "obesity", "assessed"), ("贫血率(%)", "anaemia", "hb_assessed")]
MEDIAN = ("energy_pct", "protein_pct")  # no count behind them: the district shows the median
TAB = "FF2F5597"


def natural(name: str) -> list:
    """第2幼儿园 before 第10幼儿园."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def listed(expected: list[str]):
    """The order kindergartens are listed in: the bureau's own list (--expect) first, in its order; the others after
    it, 第2 before 第10."""
    at = {k: i for i, k in enumerate(expected)}
    return lambda k: (at.get(k, len(at)), natural(k))


def connect(db):
    import duckdb

    con = duckdb.connect(str(db) if db else ":memory:")
    for sql in TABLES:
        con.execute(sql)
    for view, report in VIEWS.items():  # one tidy table per report, as views of the one store
        con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT kindergarten, month, class, measure, value, file, digest "
                    f"FROM measures WHERE report {report}")
    return con


def store(con, reads: list[FileRead], month: str) -> None:
    """This month's rows replaced by what was read now (collecting again gives the same database)."""
    con.execute("DELETE FROM files WHERE month = ?", [month])
    con.execute("DELETE FROM measures WHERE month = ?", [month])
    import pandas as pd

    # every row under the month collected (a file of another month is this run's skip, said in its reason), its path
    # absolute: collecting again replaces the month's rows, never adds to them
    files = pd.DataFrame([[str(f.path.resolve()), f.digest, f.kindergarten, month, f.version,
                           "已读取" if f.ok else "跳过", f.reason] for f in reads],
                         columns=["file", "digest", "kindergarten", "month", "version", "status", "reason"])
    measures = pd.DataFrame([[f.kindergarten, month, report, klass or None, measure, value, str(f.path.resolve()), f.digest]
                             for f in reads if f.ok for report, klass, measure, value in f.measures],
                            columns=["kindergarten", "month", "report", "class", "measure", "value", "file", "digest"])
    for table, frame in (("files", files), ("measures", measures)):  # one bulk insert each (a row at a time is slow)
        if len(frame):
            con.register("incoming", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
            con.unregister("incoming")


def figures(con, month: str) -> dict[str, dict[str, float]]:
    """kindergarten -> measure -> value for the month (the pivot of the tidy table)."""
    out: dict[str, dict[str, float]] = {}
    for k, m, v in con.execute("SELECT kindergarten, measure, value FROM measures WHERE month = ? AND class IS NULL "
                               "ORDER BY kindergarten", [month]).fetchall():
        out.setdefault(k, {})[m] = v
    for f in out.values():  # rates the exports give as counts
        by_term = f.get("meal_by_term") == 1.0  # judged as the kindergarten's own notice judges: by term, or month
        f["meal_rate"] = _meal_rate(*((f.get("meal_term_balance"), f.get("meal_term_income")) if by_term else
                                      (f.get("meal_balance"), f.get("meal_income"))))
        f["meal_flag"] = None if f.get("meal_rate") is None else \
            ("正常" if abs(f["meal_rate"]) <= 2 else "超出") + ("（学期）" if by_term else "")
        f["check_done_rate"] = percent(f.get("checks_done"), f.get("checks_due")) if f.get("checks_due") else None
    return out


def _meal_rate(balance, income) -> float | None:
    """盈亏率 in percent to 0.01, as 伙食账目公示 shows it (结余 ÷ 收入)."""
    from kgxl.core.money import pct, pct_value

    return pct_value(pct(round(100 * balance), round(100 * income))) if income else None


def totals(per: dict[str, dict[str, float]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key in SUMMED:
        out[key] = sum(f.get(key) or 0 for f in per.values())
    for key, (num, den, scale) in TOTALS.items():
        n = sum(f.get(num) or 0 for f in per.values() if f.get(den))
        d = sum(f.get(den) or 0 for f in per.values())
        out[key] = _meal_rate(n, d) if key == "meal_rate" else (
            None if not d else percent(n, d) if scale == 100 else round(scale * n / d, 1))
    for key in MEDIAN:
        values = [f[key] for f in per.values() if f.get(key) is not None]
        out[key] = round(statistics.median(values), 1) if values else None
    over = sum(1 for f in per.values() if str(f.get("meal_flag") or "").startswith("超出"))
    out["meal_flag"] = f"{over} 所超出" if over else "均正常"  # the district has no ±2 % of its own: say how many
    return out


def missing(con, month: str, expected: list[str]) -> list[str]:
    """Kindergartens expected (the list given, and every one that reported an earlier month) without this month."""
    earlier = [r[0] for r in con.execute("SELECT DISTINCT kindergarten FROM files WHERE month < ? AND status = '已读取'",
                                         [month]).fetchall()]
    present = {r[0] for r in con.execute("SELECT DISTINCT kindergarten FROM measures WHERE month = ?",
                                         [month]).fetchall()}
    return sorted({*expected, *earlier} - present)


@dataclass(frozen=True)
class Thresholds:
    """What puts a kindergarten on 需要关注, as the bureau sets it (kgxl collect's options)."""
    check_rate: float = 100.0  # 体检率 below this
    sample_rate: float = 100.0  # 留样合格率 below this
    change: float | None = None  # 出勤率 moved more than this many points from last month


ORDER_RULE = ("按轻重排列：伙食费盈亏率超出±2%（偏离越大越前），出勤率明显低于全区，出勤率较上月变化大，体检率、留样合格率低于设定值"
              "（越低越前）")


def standouts(per: dict[str, dict[str, float]], previous: dict[str, dict[str, float]], limits: Thresholds
              ) -> list[list]:
    """What needs a call, most serious first (ORDER_RULE): the ±2 % rule by each kindergarten's own 盈亏核算周期, an
    attendance rate below the district's lower Tukey fence (Q1 − 1.5 × IQR, quartiles by Python's statistics.quantiles,
    exclusive method), a month-on-month change beyond the bureau's setting, 体检率 and 留样 below its thresholds."""
    out = []  # (rank, weight, row)
    for k, f in per.items():
        if str(f.get("meal_flag") or "").startswith("超出"):
            period = "本学期" if f["meal_flag"].endswith("（学期）") else "本月"
            out.append((0, -abs(f["meal_rate"]), [k, "伙食费盈亏率(%)", f["meal_rate"], f"{period}超出±2%"]))
    rates = sorted(f["attendance_rate"] for f in per.values() if f.get("attendance_rate") is not None)
    if len(rates) >= 4:
        q1, _, q3 = statistics.quantiles(rates, n=4)
        fence = q1 - 1.5 * (q3 - q1)
        out += [(1, f["attendance_rate"], [k, "出勤率(%)", f["attendance_rate"], f"明显低于全区（下限 {fence:.1f}）"])
                for k, f in per.items() if f.get("attendance_rate") is not None and f["attendance_rate"] < fence]
    if limits.change:
        for k, f in per.items():
            before = previous.get(k, {}).get("attendance_rate")
            if before is not None and f.get("attendance_rate") is not None and \
                    abs(f["attendance_rate"] - before) > limits.change:
                out.append((2, -abs(f["attendance_rate"] - before),
                            [k, "出勤率(%)", f["attendance_rate"], f"较上月（{before}）变化超过 {limits.change} 个百分点"]))
    for rank, key, label, limit in ((3, "check_rate", "体检率(%)", limits.check_rate),
                                    (4, "sample_rate", "留样合格率(%)", limits.sample_rate)):
        out += [(rank, f[key], [k, label, f[key], f"低于 {limit:g}%"])
                for k, f in per.items() if f.get(key) is not None and f[key] < limit]
    return [row for _, _, row in sorted(out, key=lambda x: (x[0], x[1], natural(x[2][0])))]


def outputs(con, month: str, reads: list[FileRead], expected: list[str], district: str = "",
            limits: Thresholds = Thresholds()) -> list[SheetOutput]:
    per = figures(con, month)
    total = totals(per)
    prev_month = add_months(month_bounds(month)[0], -1).strftime("%Y-%m")
    title = f"{district or '全区'} {month_label(month)} 幼儿园后勤汇总"
    header = ["园所", *(h for h, _, _ in COLUMNS)]
    order = listed(expected)
    rows = [[k, *(f.get(key) for _, key, _ in COLUMNS)] for k, f in sorted(per.items(), key=lambda kv: order(kv[0]))]
    rows.append([f"合计（{len(per)} 所）", *(total.get(key) for _, key, _ in COLUMNS)])
    formats = {i + 1: fmt for i, (_, _, fmt) in enumerate(COLUMNS)}
    note = ("合计行的比率由各园的人次、人数、金额合计后计算（不是各园比率的平均），只计有这一项的园所；能量、蛋白质为各园的中位数；"
            "空白：该园的导出中没有这一项（如没有导出月检查表）。在册：本月任何一天在园；体检应检：统计日在册（体检率＝体检÷体检应检）；"
            "未登记：出勤表中应出勤而未填写的人次（计入应出勤，拉低出勤率）。园所按园所名单的顺序，名单以外的按名称。"
            "伙食费盈亏率按各园自己的盈亏核算周期（按学期核算的为本学期累计，±2% 列注明“学期”，与其伙食账目公示一致），"
            "合计行为全区本月的盈亏率，±2% 列为超出的园所数。"
            f"来源：各园导出的“{HEALTH}”“{MEALS}”和月检查表。")
    chart = Chart("各园出勤率(%)", 0, Series("园所", (0, len(per) - 1), 0),
                  [Series("出勤率(%)", (0, len(per) - 1), 2)], y_title="出勤率(%)", y_format="0") if per else None
    summary = SheetOutput("区县汇总", [Block(header, rows, formats=formats, row_styles={len(rows) - 1: "total"})],
                          titles=[title, note], widths=[22, *([9] * len(COLUMNS))], charts=[chart] if chart else [],
                          page_header=title, tab_color=TAB)
    prevalence = _prevalence(per, district, month, order)
    skipped = [[f.path.name, f.kindergarten, f.reason] for f in reads if not f.ok]
    gone = missing(con, month, expected)
    status = SheetOutput("未上报与跳过", [
        Block(["园所"], [[k] for k in gone] or [["（无）"]], title=f"一、本月未上报的园所（{len(gone)} 所）"),
        Block(["文件", "园所", "原因"], skipped or [["（无）", "", ""]], title=f"二、跳过的文件（{len(skipped)} 个）", wrap=(2,))],
        titles=[f"{district or '全区'} {month_label(month)} 未上报与跳过的文件",
                f"读取 {len(reads)} 个文件，{sum(f.ok for f in reads)} 个有效。未上报：名单中或往月上报过、本月没有有效报表的园所。"],
        widths=[34, 20, 40], landscape=False, tab_color=TAB)
    previous = figures(con, prev_month)
    flags = standouts(per, previous, limits)
    attention = SheetOutput("需要关注", [Block(["园所", "指标", "数值", "原因"], flags or [["（无）", "", "", ""]],
                                               formats={2: "0.0#"})],
                            titles=[f"{district or '全区'} {month_label(month)} 需要关注的园所",
                                    "规则：伙食费盈亏率超出±2%（按各园的盈亏核算周期）；出勤率低于全区下限（四分位数 Q1－1.5×四分位距，"
                                    "四分位数按排除法计算）"
                                    + (f"；出勤率较上月变化超过 {limits.change} 个百分点" if limits.change else "")
                                    + f"；体检率低于 {limits.check_rate:g}%、留样合格率低于 {limits.sample_rate:g}%"
                                    f"（区县可设定）。{ORDER_RULE}。"],
                            widths=[24, 18, 10, 50], landscape=False, tab_color=TAB)
    return [summary, prevalence, status, attention]


def _prevalence(per: dict[str, dict[str, float]], district: str, month: str, order) -> SheetOutput:
    header = ["园所", "评价人数", *(h for h, _, _ in PREVALENCE[:5]), "血红蛋白评价人数", PREVALENCE[5][0]]

    def row(name: str, f: dict) -> list:
        rates = [percent(f.get(n), f.get(d)) if f.get(d) else None for _, n, d in PREVALENCE]
        return [name, f.get("assessed"), *rates[:5], f.get("hb_assessed"), rates[5]]
    rows = [row(k, f) for k, f in sorted(per.items(), key=lambda kv: order(kv[0]))]
    sums = {key: sum(f.get(key) or 0 for f in per.values())
            for key in {m for _, n, d in PREVALENCE for m in (n, d)}}
    rows.append(row(f"合计（{len(per)} 所）", sums))
    formats = {i: "0.0" for i in range(2, 7)} | {1: "0", 7: "0", 8: "0.0"}
    return SheetOutput("体检患病率", [Block(header, rows, formats=formats, row_styles={len(rows) - 1: "total"})],
                       titles=[f"{district or '全区'} {month_label(month)} 体检患病率",
                               "患病率＝患病人数÷评价人数（贫血：÷血红蛋白评价人数），托儿所幼儿园卫生保健工作规范 附件5 表2；"
                               "低体重、生长迟缓、消瘦含重度，肥胖含重度肥胖。合计行由各园人数合计后计算。来源：各园导出的“体检统计”。"],
                       widths=[22, 9, 11, 12, 10, 10, 10, 14, 10], page_header=f"{district or '全区'} 体检患病率",
                       tab_color=TAB)
