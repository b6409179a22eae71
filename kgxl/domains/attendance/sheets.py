"""The attendance reports as sheet outputs: 出勤汇总 (with the monthly 出勤率 chart), 幼儿出勤统计,
因病缺勤追踪, 因病缺勤日报 and 伙食费退费. Pure: Validated tables in, SheetOutputs out.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
from decimal import Decimal

import pandas as pd

from kgxl.core.actions import Result
from kgxl.core.calendar import WEEKDAYS, month_bounds, month_label
from kgxl.core.cells import is_blank
from kgxl.core.money import MONEY, percent
from kgxl.core.port import Block, Chart, Series, SheetOutput
from kgxl.core.problems import WARNING, counts
from kgxl.core.report import MonthReport
from kgxl.core.schema import load_schemas
from kgxl.core.validated import Validated
from kgxl.domains.attendance.days import child_summary, joined
from kgxl.domains.attendance.names import CHILDREN, DAILY, REFUNDS, SICKNESS, SUMMARY
from kgxl.domains.attendance.refunds import refunds, rule_text
from kgxl.domains.attendance.register import build_register
from kgxl.domains.attendance.shared import (
    absent_days,
    month_classes,
    month_days,
    registers,
    sick_episodes,
    sick_rows,
    tallies,
    term_classes,
)
from kgxl.domains.attendance.sickness import alerts, daily

ZERO, UNREGISTERED = "零报告", "未登记"  # a class-day with a blank mark is never a zero report
COUNT_HEADER = ["在册人数", "应出勤天数", "应出勤人次", "实际出勤人次", "出勤率(%)", "病假人次", "事假人次", "缺勤人次",
                "未登记人次", "因病缺勤率(%)"]
COUNT_KEYS = ["children", "days", "due", "present", "rate", "sick", "leave", "absent", "unregistered", "sick_rate"]


def _num(v):
    if is_blank(v):
        return None
    return int(v) if isinstance(v, (int,)) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e12) else v


def _count_rows(df: pd.DataFrame, label) -> tuple[list[list], dict[int, str]]:
    rows, styles = [], {}
    for i, r in enumerate(df.itertuples()):
        rows.append([label(r.period), r.class_name, *[_num(getattr(r, k)) for k in COUNT_KEYS]])
        if r.class_name == "全园合计":
            styles[i] = "total"
    return rows, styles


class AttendanceReport(MonthReport):
    """Everything the attendance sheets need for one month, computed once."""

    def __init__(self, v: Validated, month: str):
        self.v, self.month = v, month
        self.settings = v.settings
        self.cal = v.calendar
        self.roster = v.tables["roster"].frame
        self.classes = v.classes()
        self.months = sorted({t.month for t in registers(v) if t.month and t.month <= month and self.cal.in_term(t.month)})
        self.name = self.settings.kindergarten_name or ""

    def outputs(self) -> list[SheetOutput]:
        return [self.summary(), self.children(), self.sickness(), self.daily_reports(), self.refunds()]

    def _by_class(self, df: pd.DataFrame) -> pd.DataFrame:
        """Rows in the 班级 sheet's class order, then by 幼儿编号."""
        rank = {c: i for i, c in enumerate(self.classes)}
        return df.assign(rank=df["class_name"].map(rank).fillna(len(rank))).sort_values(["rank", "child_id"])

    def summary(self) -> SheetOutput:
        per_month = pd.concat([month_classes(self.v, m) for m in self.months], ignore_index=True) if self.months \
            else pd.DataFrame()
        term = term_classes(self.v, self.month)
        header = ["月份", "班级", *COUNT_HEADER]
        rows1, styles1 = _count_rows(per_month, month_label) if len(per_month) else ([], {})
        rows2, styles2 = _count_rows(term, lambda p: p)
        fmt = {6: "0.0", 11: "0.0"}
        blocks = [Block(header, rows1, title="一、各班每月出勤", formats=fmt, row_styles=styles1),
                  Block(header, rows2, title=f"二、本学期累计（截至{month_label(self.month)}）", formats=fmt,
                        row_styles=styles2)]
        n = len(self.classes)
        charts = []
        if n and self.months:
            series = [Series(month_label(m), (i * (n + 1), i * (n + 1) + n - 1), 6) for i, m in enumerate(self.months)]
            charts.append(Chart("各班每月出勤率(%)", 0, Series("班级", (0, n - 1), 1), series, y_title="出勤率(%)",
                                y_format="0", y_range=(0, 100), width_cols=12))
        due = [t.class_days["ord"].max() for t in tallies(self.v, self.months) if len(t.class_days)]
        last = dt.date.fromordinal(int(max(due))) if due else month_bounds(self.month)[1]
        titles = [f"{self.title('幼儿出勤汇总')}（{self.settings.term_label or ''}）",
                  "出勤率 = 实际出勤人次 ÷ 应出勤人次 × 100%；因病缺勤率 = 病假人次 ÷ 应出勤人次 × 100%（保留一位小数）。"
                  f"实际 + 病假 + 事假 + 缺勤 + 未登记 = 应出勤。统计至 {last.isoformat()}（空白的未来日期不计）。"]
        return SheetOutput(SUMMARY, blocks, titles=titles, widths=[11, 10, *[9.5] * 10], charts=charts,
                           landscape=False, page_header=self.title("出勤汇总"), tab_color="FF2E75B6")

    def children(self) -> SheetOutput:
        df = self._by_class(child_summary(tallies(self.v, self.months), self.month))
        keys = ["due", "present", "sick", "leave", "absent", "unregistered"]
        rows = []
        for r in df.itertuples():
            m = [int(getattr(r, "m_" + k)) for k in keys]
            t = [int(getattr(r, "t_" + k)) for k in keys]
            rows.append([r.child_id, r.name, r.class_name, *m, percent(m[1], m[0]), *t, percent(t[1], t[0])])
        header = ["幼儿编号", "姓名", "班级", "本月应出勤", "本月出勤", "本月病假", "本月事假", "本月缺勤", "本月未登记",
                  "本月出勤率(%)", "学期应出勤", "学期出勤", "学期病假", "学期事假", "学期缺勤", "学期未登记",
                  "学期出勤率(%)"]
        titles = [self.title("幼儿出勤统计"), f"本月：{month_label(self.month)}；学期：自学期开始至本月。单位：天（在园日）。"]
        return SheetOutput(CHILDREN, [Block(header, rows, formats={9: "0.0", 16: "0.0"})], titles=titles,
                           widths=[11, 9, 9, *[8.5] * 14], page_header=self.title("幼儿出勤统计"),
                           tab_color="FF2E75B6")

    @functools.cached_property
    def this_month(self) -> pd.DataFrame | None:
        """The month's child-days (month_days; None when it has no register in the term)."""
        return month_days(self.v, self.month) if self.month in self.months else None

    @functools.cached_property
    def cluster_alerts(self) -> pd.DataFrame:
        """The month's cluster alerts (因病缺勤追踪 lists them, 因病缺勤日报 marks their days)."""
        return alerts(sick_rows(self.v, self.month), self.cal, self.settings, self.classes, *month_bounds(self.month))

    def sickness(self) -> SheetOutput:
        first, last = month_bounds(self.month)
        s = self.settings
        al = self.cluster_alerts
        rows1 = [[r.class_name, r.kind, r.start, r.end, self.cal.days.index(r.end) - self.cal.days.index(r.start) + 1,
                  r.count, r.children] for r in al.itertuples()]
        styles1 = {i: "warning" for i in range(len(rows1))}
        if not rows1:
            rows1 = [["全园", "本月无预警", None, None, None, 0, ""]]
        ep = sick_episodes(self.v, self.month)
        ep = ep[(ep["end"] >= first) & (ep["start"] <= last)]
        days = self.cal.days  # sorted; an episode runs over consecutive school days
        in_month = [bisect.bisect_right(days, min(r.end, last)) - bisect.bisect_left(days, max(r.start, first))
                    for r in ep.itertuples()]
        rows2 = [[r.child_id, r.name, r.class_name, r.start, r.end, int(r.days), n, r.note]
                 for r, n in zip(ep.itertuples(), in_month)]
        blocks = [
            Block(["班级", "类型", "开始日期", "结束日期", "在园日数", "病假人数", "涉及幼儿"], rows1,
                  title=f"一、聚集性病假预警（同班同日≥{s.sick_alert_same_day}人，或同班连续{s.sick_alert_window_days}"
                        f"个在园日内≥{s.sick_alert_window_count}人）：请核查病因，加强晨午检和消毒，必要时报告卫生保健机构",
                  row_styles=styles1, wrap=(6,)),
            Block(["幼儿编号", "姓名", "班级", "开始日期", "结束日期", "病假天数", "其中本月", "病名（出勤表备注）"], rows2,
                  title="二、因病缺勤病例（连续病假记为一例，按在园日计；跨月的病例在所跨各月都列出，病假天数为至本月末的累计，"
                        "“其中本月”只计本月；本月最后一个在园日仍在病假的病例下月继续累计）", wrap=(7,)),
        ]
        titles = [self.title("因病缺勤追踪"),
                  f"数据来自各月出勤表的“病”标记；病名请在出勤表“备注”列注明。每日零报告见“{DAILY}”。"]
        # the cases, the long table, have their header repeated on each page they run over
        return SheetOutput(SICKNESS, blocks, titles=titles, widths=[12, 12, 11, 12, 12, 10, 10, 44],
                           page_header=self.title("因病缺勤追踪"), tab_color="FFC55A11", repeat_block=1)

    def daily_reports(self) -> SheetOutput:
        """因病缺勤日报: each class's day, 零报告 when every child is marked and none was off sick, 预警 on a cluster
        alert's days, 未登记 when marks are missing (a zero report then would tell the health station a guess)."""
        al = self.cluster_alerts
        flagged = {(r.class_name, d) for r in al.itertuples() for d in self.cal.days if r.start <= d <= r.end}
        rows, styles = [], {}
        for i, r in enumerate(daily(joined([self.this_month]), self.month, self.classes).itertuples()):
            sick, missing, due = int(r.sick), int(r.unregistered), int(r.due)
            if missing == due:
                report = UNREGISTERED
            elif sick == 0:
                report = ZERO if missing == 0 else f"{UNREGISTERED} {missing} 人"
            else:
                report = "预警" if (r.class_name, r.day) in flagged else f"病假 {sick} 人"
                report += f"，{UNREGISTERED} {missing} 人" if missing else ""
            rows.append([r.day, "周" + WEEKDAYS[r.day.weekday()], r.class_name, due,
                         None if missing == due else int(r.present), sick, missing,
                         r.children if isinstance(r.children, str) else "", report])
            if missing:
                styles[i] = "error"
            elif report == "预警":
                styles[i] = "warning"
        block = Block(["日期", "星期", "班级", "应到人数", "实到人数", "病假人数", "未登记人数", "病假幼儿", "报告"], rows,
                      row_styles=styles, wrap=(7,))
        titles = [self.title(DAILY), f"各班每个在园日一行：全班都已登记且无病假为{ZERO}；聚集性病假预警的日子标为“预警”"
                                      f"（见“{SICKNESS}”）；有幼儿当天未登记出勤的不作{ZERO}，标“{UNREGISTERED}”"
                                      "（请补填出勤表后重新生成）。数据来自出勤表的“病”标记。"]
        return SheetOutput(DAILY, [block], titles=titles, widths=[12, 8, 11, 10, 10, 10, 10, 44, 16],
                           page_header=self.title(DAILY), tab_color="FFC55A11")

    def refunds(self) -> SheetOutput:
        before = [absent_days(self.v, m) for m in self.months if m < self.month]  # all the ledger reads of them
        df = self._by_class(refunds(joined([*before, self.this_month]), self.settings, self.month))
        keys = ["due", "sick", "leave", "absent", "days"]
        rows, styles = [], {}
        total = {k: 0 for k in keys} | {"amount": Decimal(0)}
        for cls, g in df.groupby("class_name", sort=False):
            sub = {k: 0 for k in keys} | {"amount": Decimal(0)}
            for r in g.itertuples():
                rows.append([r.child_id, r.name, r.class_name, *[int(getattr(r, k)) for k in keys], float(r.amount),
                             r.dates or None, r.note or None])
                for k in keys:
                    sub[k] += int(getattr(r, k))
                sub["amount"] += r.amount
            styles[len(rows)] = "total"
            rows.append(["", f"{cls} 小计", cls, *[sub[k] for k in keys], float(sub["amount"])])
            for k in total:
                total[k] += sub[k]
        styles[len(rows)] = "total"
        rows.append(["", "全园合计", "", *[total[k] for k in keys], float(total["amount"])])
        fee = self.settings.meal_fee
        titles = [self.title("伙食费退费"),
                  f"退费规则：{self.settings.refund_rule or '未设置'}——{rule_text(self.settings)}。伙食费标准 "
                  f"{f'{fee:.2f}' if fee is not None else '未设置'} 元/人/天；退费金额 = 可退天数 × 标准，四舍五入到分。每个可退的日子只退一次，"
                  f"计入它的连续缺勤满足规则的那个月（跨月的一并列出日期）；已结束月份的退费不会因以后的出勤表而改变。"]
        header = ["幼儿编号", "姓名", "班级", "应出勤天数", "病假天数", "事假天数", "缺勤天数", "可退天数", "退费金额(元)",
                  "退费日期", "备注"]
        return SheetOutput(REFUNDS, [Block(header, rows, formats={8: MONEY}, row_styles=styles, wrap=(9, 10))],
                           titles=titles, widths=[11, 14, 9, 10, 9, 9, 9, 9, 13, 20, 26], landscape=False,
                           page_header=self.title("伙食费退费"), tab_color="FF548235")


def make_register(v, req) -> Result:
    """生成本月出勤表: the month's register, new or brought up to date; every typed value and note kept."""
    month, book = req.month, req.book
    schema = load_schemas()["register"]
    name = schema.sheet_for(month)
    table = v.tables.get(f"register:{month}")
    raw = book.read(name) if table is not None else None
    title = f"{v.settings.kindergarten_name or ''} {month_label(month)} 出勤登记表".strip()
    notes = book.notes(name) if table is not None else {}
    upd = build_register(schema, month, v.tables["roster"].frame, v.classes(), v.calendar, table, raw, title, notes)
    if table is None:
        names = book.sheet_names()
        earlier = [n for n in names if schema.matches(n) and schema.matches(n) < month]
        inputs = {s.sheet for s in load_schemas().values()}
        upd.output.after = earlier[-1] if earlier else next((n for n in reversed(names) if n in inputs), None)
    problems = v.calendar.warnings(month) + upd.problems
    what = "已更新" if table is not None else "已新建"
    summary = (f"{what}“{name}”：幼儿 {upd.children} 名（新增 {upd.added} 名），在园日 {upd.days} 天"
               + (f"，原有 {upd.kept_marks} 个标记全部保留" if table is not None else "") + "。")
    if any(p.severity == WARNING for p in problems):
        summary += "有需要注意的地方，见上方警告。"
    own = {(p.sheet, p.cell, p.code) for p in problems}
    e, w = counts([p for p in v.problems if (p.sheet, p.cell, p.code) not in own])
    if e or w:  # what validate lists and this run does not: said, so a clean register is not read as a clean book
        summary += ("工作簿中另有" + "、".join(f"{k} {n} 个" for k, n in (("错误", e), ("警告", w)) if n) +
                    "（不影响生成出勤表），可点“校验数据”查看。")
    return Result([upd.output], problems, summary, scope=f"“{name}”和在园日")


def make_reports(v, req):
    report = AttendanceReport(v, req.month)
    outputs = report.outputs()
    return outputs, f"{'、'.join(o.name for o in outputs)}（{len(report.months)} 个月的出勤表）"
