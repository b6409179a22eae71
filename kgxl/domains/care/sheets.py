"""The care reports as sheet outputs: 留样检查, 传染病统计 (it names children: left out of the default export),
伤害统计 and the one-page 卫生保健月报 for the health station and the 园长 (no one named: in the bureau export). Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import WEEKDAYS, month_bounds, month_label, term_months_to
from kgxl.core.cells import is_blank, show
from kgxl.core.frames import where
from kgxl.core.money import half_up, percent
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthReport
from kgxl.domains.attendance.shared import alerts, child_days, month_classes, sick_episodes, sick_rows
from kgxl.domains.care import injuries as inj
from kgxl.domains.care import samples as fs
from kgxl.domains.care.infections import (
    REPEAT_RULE,
    by_class,
    by_disease,
    cases,
    clusters_without_cases,
    counted,
    diseases,
    early_returns,
    enrolled_in,
    unregistered,
)
from kgxl.domains.care.names import CHECK_SHEETS, INFECTIONS, INJURIES, MONTHLY, SAMPLE_SHEETS, SAMPLES
from kgxl.domains.care.shared import sample_check
from kgxl.domains.daily_health import shared as daily
from kgxl.domains.health.shared import summary as health_summary
from kgxl.domains.nutrition.shared import percent_of_reference

TAB = "FF2E8B57"
MEALS = ("早餐", "早点", "午餐", "午点", "晚餐")


def _hours(h) -> int | None:
    return None if is_blank(h) else int(half_up(h))


class CareReport(MonthReport):
    """Everything the care sheets need for one month. The report day is the month's end, or today if earlier."""

    def __init__(self, v, month: str, today: dt.date):
        self.v, self.t, self.s, self.month = v, v.tables, v.settings, month
        self.first, self.last = month_bounds(month)
        self.as_of, self.today = min(self.last, today), today
        self.name = self.s.kindergarten_name or ""
        self.roster = self.t["roster"].frame
        self.months = term_months_to(self.s, month)

    # -- 留样检查 ---------------------------------------------------------------------
    def sample_check(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        checked, stray = sample_check(self.v, self.as_of)
        def this_month(f: pd.DataFrame) -> pd.DataFrame:
            return where(f, lambda d: self.first <= d <= self.last, "date")
        return this_month(checked), this_month(stray)

    def samples(self) -> SheetOutput:
        checked, stray = self.sample_check()
        order = {m: i for i, m in enumerate(MEALS)}
        rows1, styles1 = [], {}
        for day, g in (checked.groupby("date", sort=True) if len(checked) else []):
            bad = g[~g["status"].isin(fs.GOOD)].sort_values("meal", key=lambda m: m.map(order), kind="stable")
            rows1.append([day, WEEKDAYS[day.weekday()], len(g), len(g) - len(bad), percent(len(g) - len(bad), len(g)),
                          "；".join(f"{r.meal}“{r.dish}”{r.status}" for r in bad.itertuples()) or None])
            if len(bad):
                styles1[len(rows1) - 1] = "error"
        bad = checked[~checked["status"].isin(fs.GOOD)]
        rows2 = [[r.date, r.meal, r.dish, r.grams if r.grams == r.grams else None, _hours(r.hours), r.status]
                 for r in bad.itertuples()]
        rows3 = [[r.date, r.meal, r.dish] for r in stray.itertuples()]
        due, good = fs.compliance(checked)
        blocks = [Block(["日期", "星期", "应留样菜品", "合格", "合格率(%)", "问题"], rows1, title="一、每日留样核对",
                        row_styles=styles1, formats={4: "0.0"}, wrap=(5,)),
                  Block(["日期", "餐次", "菜品", "留样量(克)", "保存(小时)", "问题"], rows2, title="二、不合格明细",
                        row_styles={i: "error" for i in range(len(rows2))}, formats={3: "0"}),
                  Block(["日期", "餐次", "菜品"], rows3, title="三、留样登记中不在当天食谱的菜品（核对菜名，或食谱是否更新）",
                        row_styles={i: "warning" for i in range(len(rows3))})]
        titles = [self.title(SAMPLES),
                  f"核对至 {self.as_of.isoformat()}：应留样 {due} 个菜次，合格 {good} 个（{percent(good, due)}%）。要求：每餐每个菜品留样"
                  f"不少于 {show(self.s.sample_grams)} 克、冷藏 {show(self.s.sample_hours)} 小时以上（“基本信息”可改）；"
                  "从“留样登记”的第一天起核对；销毁日期留空的视为仍在留样（未销毁），至核对日已保存，记为“留样中”（合格）。"]
        return SheetOutput(SAMPLES, blocks, titles=titles, widths=[12, 8, 12, 10, 10, 48], landscape=False,
                           page_header=self.title(SAMPLES), tab_color=TAB)

    # -- 传染病统计 -------------------------------------------------------------------
    def _cases(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        table = diseases(self.t["diseases"].frame if "diseases" in self.t else None)
        c = cases(self.t["infections"].frame, self.roster, table)
        return c[c["found"] <= self.as_of], table

    def infections(self) -> SheetOutput:
        every, table = self._cases()
        c = counted(every)
        now = c[c["month"] == self.month]
        rows1 = [[r.found, r.child_id, r.name, r.class_name, r.disease, r.category, r.isolated, r.returned,
                  r.certificate, r.measures] for r in now.itertuples()]
        styles1 = {i: "warning" for i, r in enumerate(now.itertuples())
                   if isinstance(r.returned, dt.date) and r.certificate != "有"}
        enrolled = enrolled_in(self.roster, self.month)
        d = by_disease(c, self.months)
        labels = [f"{int(m[5:])}月" for m in self.months]
        rows2 = [[r["disease"], r["category"], *(int(r[m]) for m in self.months), int(r["total"]),
                  percent(int(r[self.month]), enrolled)] for _, r in d.iterrows()]
        total = [int(d[m].sum()) for m in self.months] if len(d) else [0] * len(self.months)
        rows2.append(["合计", None, *total, sum(total), percent(total[-1] if total else 0, enrolled)])
        k = by_class(c, self.roster, self.v.classes(), self.month, self.months)
        rows3 = [[r.class_name, r.enrolled, r.month, percent(r.month, r.enrolled), r.term] for r in k.itertuples()]
        rows4 = self._follow_up(every, table)
        blocks = [
            Block(["发现日期", "幼儿编号", "姓名", "班级", "病名", "类别", "隔离日期", "返园日期", "返园证明", "处理措施"], rows1,
                  title=f"一、本月病例（{len(rows1)} 例）", row_styles=styles1, wrap=(9,)),
            Block(["病名", "类别", *labels, "学期合计", "本月发病率(%)"], rows2, title="二、按病种统计（附件5 表3）",
                  row_styles={len(rows2) - 1: "total"}, formats={len(labels) + 3: "0.0"}),
            Block(["班级", "本月在册", "本月病例", "本月发病率(%)", "学期病例"], rows3, title="三、按班级统计",
                  formats={3: "0.0"}),
            Block(["日期", "类型", "班级", "幼儿编号", "姓名", "病名或预警", "起", "止", "天数或人数", "说明"], rows4,
                  title="四、需核对：返园无证明；隔离期未满返园；重复登记；出勤表病假备注写有法定传染病而未登记；同班聚集性病假而该班没有登记病例",
                  row_styles={i: "warning" for i in range(len(rows4))}, wrap=(9,))]
        titles = [self.title(INFECTIONS),
                  f"统计至 {self.as_of.isoformat()}。发病率＝本月发现的病例数÷本月在册幼儿数（本月任何一天在园）×100%；"
                  f"本月在册 {enrolled} 名。法定传染病为“传染病病种”中类别为甲类、乙类、丙类的病种。{REPEAT_RULE}。"
                  "隔离期按“传染病病种”的隔离期(天)核对，未填写的病种不核对。"]
        return SheetOutput(INFECTIONS, blocks, titles=titles, widths=[12, 11, 9, 9, 13, 10, 11, 11, 10, 30],
                           page_header=self.title(INFECTIONS), tab_color=TAB)

    def _follow_up(self, c: pd.DataFrame, table: pd.DataFrame) -> list[list]:
        """What to check: 返园 without a certificate; register episodes naming a notifiable disease without a case;
        class clusters of sick absences without a case."""
        rows = [[r.returned, "返园无证明", r.class_name, r.child_id, r.name, r.disease, r.isolated, r.returned, None,
                 "返园须有医疗机构出具的证明"] for r in c[c["returned"].notna() & (c["certificate"] != "有")].itertuples()]
        rows += [[r.returned, "隔离期未满返园", r.class_name, r.child_id, r.name, r.disease, r.isolated, r.returned,
                  int(r.away), f"隔离期 {int(r.isolation_days)} 天，离园 {int(r.away)} 天即返园"
                  + ("；返园证明为“有”，请核对证明" if r.certificate == "有" else "")]
                 for r in early_returns(c).itertuples()]
        first = c.set_index("row")["found"]
        rows += [[r.found, "重复登记", r.class_name, r.child_id, r.name, r.disease, first[r.repeat_of], r.found, None,
                  f"上一例 {first[r.repeat_of].isoformat()} 发现，病程未结束：按同一病例计一次"]
                 for r in c[c["repeat_of"].notna()].itertuples()]
        long = child_days(self.v)
        if long is not None and self.v.calendar is not None:
            ep = sick_episodes(self.v)
            ep = ep[(ep["start"] <= self.as_of) & (ep["end"] >= self.first)]
            rows += [[e.start, "病假未登记", e.class_name, e.child_id, e.name, e.disease, e.start, e.end, e.days,
                      f"出勤表备注：{e.note}"] for e in unregistered(ep, c, table).itertuples()]
            al = alerts(sick_rows(self.v), self.v.calendar, self.s, self.v.classes(), self.first, self.as_of)
            rows += [[a.start, "聚集未登记", a.class_name, None, None, a.kind, a.start, a.end, a.count, a.children]
                     for a in clusters_without_cases(al, c).itertuples()]
        return sorted(rows, key=lambda r: (r[0], r[1]))

    # -- 伤害统计 ---------------------------------------------------------------------
    def injuries(self) -> SheetOutput:
        i = inj.readable(self.t["injuries"].frame)
        i = i[i["date"] <= self.as_of]
        m = inj.monthly(i, self.roster, self.months)
        rows1 = [[month_label(r.month), r.enrolled, r.count, r.轻, r.中, r.重, r.hospital, r.rate]
                 for r in m.itertuples()]
        n = enrolled_in(self.roster, self.month)
        total = len(i[i["month"].isin(self.months)])
        rows1.append(["学期合计", None, total, *(int(m[s].sum()) for s in inj.SEVERITIES), int(m["hospital"].sum()), None])
        kinds = inj.by(i[i["month"].isin(self.months)], "kind", self.month)
        places = inj.by(i[i["month"].isin(self.months)], "place", self.month)
        rows2 = [[r.kind, r.month, r.term] for r in kinds.itertuples()]
        rows3 = [[r.place, r.month, r.term, "重复发生" if r.term >= 2 else None] for r in places.itertuples()]
        blocks = [Block(["月份", "在册", "伤害(人次)", "轻", "中", "重", "就医", "发生率(‰)"], rows1, title="一、按月统计",
                        formats={7: "0.0"}, row_styles={len(rows1) - 1: "total"}),
                  Block(["伤害类型", "本月", "学期"], rows2, title="二、按伤害类型"),
                  Block(["地点", "本月", "学期", "提示"], rows3, title="三、按地点（同一地点学期内两次及以上为重复发生，应排查隐患）",
                        row_styles={k: "warning" for k, r in enumerate(rows3) if r[3]})]
        titles = [self.title(INJURIES),
                  f"统计至 {self.as_of.isoformat()}，本月在册 {n} 名。伤害发生率＝伤害人次÷当月在册幼儿数×1000‰"
                  "（《托儿所幼儿园卫生保健工作规范》未给出公式：分母取其附件5所用的在册人数）。"]
        return SheetOutput(INJURIES, blocks, titles=titles, widths=[14, 8, 10, 10, 6, 6, 6, 10], landscape=False,
                           page_header=self.title(INJURIES), tab_color=TAB)

    # -- 卫生保健月报 -----------------------------------------------------------------
    def monthly(self) -> SheetOutput:
        rows = self._attendance() + self._infection_lines() + self._injury_lines() + self._health_lines() \
            + self._nutrition_lines() + self._sample_lines() + self._committee_lines() + self._daily_lines()
        titles = [self.title(MONTHLY),
                  f"统计至 {self.as_of.isoformat()}。比率：出勤率、发病率等为百分比（%），伤害发生率为千分比（‰）；各项的来源见右列。"]
        sign = Block([], [], title=f"填报日期：{self.as_of.isoformat()}　　保健老师（签字）：＿＿＿＿＿＿　　园长（签字）：＿＿＿＿＿＿")
        table = Block(["项目", "数量", "比率", "说明", "来源"], rows, wrap=(0, 3, 4), formats={1: "#,##0", 2: "0.0"})
        return SheetOutput(MONTHLY, [table, sign], titles=titles, widths=[31, 9, 8, 20, 28], landscape=False,
                           page_header=self.title(MONTHLY), tab_color=TAB)

    def _attendance(self) -> list[list]:
        long = child_days(self.v)
        src = f"出勤-{self.month}（出勤汇总）"
        enrolled = ["在册幼儿（人）", enrolled_in(self.roster, self.month), None, "本月任何一天在园（含月内离园的）", "幼儿名册"]
        if long is None or not (long["month"] == self.month).any():
            return [enrolled, ["出勤（人次）/ 出勤率(%)", None, None, "本月没有出勤表", src]]
        t = month_classes(self.v, self.month).iloc[-1]
        return [enrolled, ["应出勤（人次）", int(t["due"]), None, f"其中未登记 {int(t['unregistered'])} 人次（计入应出勤，不计出勤）", src],
                ["实际出勤（人次）/ 出勤率(%)", int(t["present"]), t["rate"], None, src],
                ["因病缺勤（人次）/ 因病缺勤率(%)", int(t["sick"]), t["sick_rate"], None, src]]

    def _infection_lines(self) -> list[list]:
        label, src = "传染病新发病例（例）/ 发病率(%)", "传染病登记（传染病统计）"
        if "infections" not in self.t:
            return [[label, None, None, "本工作簿没有传染病登记", src]]
        c = counted(self._cases()[0])
        now = c[c["month"] == self.month]
        kinds = "、".join(f"{d} {n} 例" for d, n in now["disease"].value_counts().items())
        return [[label, len(now), percent(len(now), enrolled_in(self.roster, self.month)), kinds or "无", src]]

    def _injury_lines(self) -> list[list]:
        label, src = "儿童伤害（人次）/ 发生率(‰)", "儿童伤害登记（伤害统计）"
        if "injuries" not in self.t:
            return [[label, None, None, "本工作簿没有儿童伤害登记", src]]
        i = inj.readable(self.t["injuries"].frame)
        i = i[(i["month"] == self.month) & (i["date"] <= self.as_of)]
        sev = "、".join(f"{s} {int((i['severity'] == s).sum())}" for s in inj.SEVERITIES)
        return [[label, len(i), inj.per_thousand(len(i), enrolled_in(self.roster, self.month)), f"程度：{sev}", src]]

    def _health_lines(self) -> list[list]:
        if not set(CHECK_SHEETS) <= set(self.t):
            return [["体检（人）/ 体检率(%)", None, None, "本工作簿没有体检记录", "体检记录"]]
        h = health_summary(self.v, self.month, self.today)
        day = f"{self.as_of.month}月{self.as_of.day}日"
        # #43: two head counts on one page, each named: the month's (anyone in the kindergarten on any day of it, the
        # rates' base) and the day's (体检统计's base); the reader sees why they differ
        return [[f"{day}在册幼儿（人）", h["enrolled"], None,
                 "体检率的分母（体检统计的口径）", "幼儿名册（体检统计）"],
                ["体检（人）/ 体检率(%)", h["checked"], percent(h["checked"], h["enrolled"]), f"÷{day}在册幼儿",
                 "体检记录（体检统计）"],
                ["体弱儿，在管（人）", h["weak"], None, None, "体检记录（体弱儿管理）"],
                ["体检逾期（人）", h["overdue"], None, None, "体检记录（体检提醒）"], *self._entry_lines(h["items"])]

    @staticmethod
    def _entry_lines(i: dict) -> list[list]:
        """#45: the 入园体检 items as 体检统计's 二 counts them (each rate over the children examined for it)."""
        src = "体检记录（体检统计 二）"
        return [["龋齿（人）/ 龋齿患病率(%)", i["龋齿人数"], i["龋齿患病率(%)"], f"÷检查 {i['龋齿检查人数']} 人", src],
                ["视力低常（人）/ 视力低常率(%)", i["视力低常人数"], i["视力低常率(%)"], f"÷检查 {i['视力检查人数']} 人", src],
                ["预防接种证查验（人）/ 查验率(%)", i["接种证查验人数"], i["查验率(%)"],
                 f"÷本学期新入园 {i['新入园人数']} 人；需补种 {i['需补种人数']} 人", src]]

    def _nutrition_lines(self) -> list[list]:
        p = percent_of_reference(self.v, self.month)
        src = "带量食谱（营养分析）"
        if p is None:
            return [["能量、蛋白质占参考摄入量(%)", None, None, "本月没有带量食谱或缺少食物成分表", src]]
        return [["能量占参考摄入量(%)", None, p["energy"], None, src],
                ["蛋白质占参考摄入量(%)", None, p["protein"], None, src]]

    def _sample_lines(self) -> list[list]:
        label, src = "留样合格（菜次）/ 合格率(%)", "留样登记（留样检查）"
        if not set(SAMPLE_SHEETS) <= set(self.t):
            return [[label, None, None, "本工作簿没有留样登记", src]]
        due, good = fs.compliance(self.sample_check()[0])
        return [[label, good, percent(good, due) if due else None, f"应留样 {due} 个菜次", src]]

    def _committee_lines(self) -> list[list]:
        if "meal_committee" not in self.t:
            return [["膳食委员会会议（次）", None, None, "本工作簿没有膳食委员会记录", "膳食委员会"]]
        d = self.t["meal_committee"].frame["date"].dropna()
        return [["膳食委员会会议（次）", int(sum(self.first <= x <= self.as_of for x in d)), None, None, "膳食委员会"]]

    def _daily_lines(self) -> list[list]:
        """#45: 晨检覆盖率, 消毒完成率 and 健康教育, as 晨午检统计 and 消毒记录汇总 count them."""
        rows = []
        c = daily.check_coverage(self.v, self.month, self.today)
        label, src = "晨检（人次）/ 晨检覆盖率(%)", f"晨午检（{daily.CHECKS}）"
        rows.append([label, None, None, "本工作簿没有晨午检记录", src] if c is None else
                    [label, c[2], percent(c[2], c[3]), f"÷出勤 {c[3]} 人次；应检 {c[0]} 个班级日，已检 {c[1]} 个", src])
        d = daily.disinfection_done(self.v, self.month, self.today)
        label, src = "消毒（次）/ 消毒完成率(%)", f"消毒记录（{daily.DISINFECTION}）"
        rows.append([label, None, None, "本工作簿没有消毒记录", src] if d is None else
                    [label, d[0], percent(*d), f"应做 {d[1]} 次", src])
        e = daily.education(self.v, self.month, self.today)
        label, src = "健康教育（次）", "健康教育"
        if e is None:
            return rows + [[label, None, None, "本工作簿没有健康教育记录", src]]
        forms = e.pop("形式")
        said = "；".join(f"{a} 本学期 {term} 次" + (f"（计划 {plan}）" if plan is not None else "") for a, (_, term, plan)
                        in e.items())
        how = "、".join(f"{k} {n}" for k, n in forms.items())
        return rows + [[label, sum(n for n, _, _ in e.values()), None, f"本月；{said}" + (f"；形式：{how}" if how else ""),
                        src]]


def _report(v, req):
    return CareReport(v, req.month, req.today)


def make_samples(v, req):
    r = _report(v, req)
    due, good = fs.compliance(r.sample_check()[0])
    return [r.samples()], f"{SAMPLES}（应留样 {due} 个菜次，合格 {good} 个）"


def make_infections(v, req):
    return [_report(v, req).infections()], INFECTIONS


def make_injuries(v, req):
    return [_report(v, req).injuries()], INJURIES


def make_monthly(v, req):
    return [_report(v, req).monthly()], MONTHLY
