"""The health-check reports as sheet outputs: 体格发育评价 (each child's latest check), 体弱儿管理
(the follow-up register), 体检统计 (per class: 体检率 and prevalence, 规范 附件5 表2, no names, so it
can go to the bureau) and 体检提醒 (the children whose check is overdue or due this month).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.cells import is_blank
from kgxl.core.money import half_up, percent
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthReport
from kgxl.domains.health import china_reference as china
from kgxl.domains.health import entry_items as entry
from kgxl.domains.health import growth_reference as ref
from kgxl.domains.health.growth import (
    CHINA,
    CONDITIONS,
    INDICATOR_TEXT,
    STANDARD_NAMES,
    VERIFIED,
    Criteria,
    age_text,
    cutoffs,
    evaluate,
)
from kgxl.domains.health.names import EVALUATION, REGISTER, REMINDERS, STATISTICS
from kgxl.domains.health.status import (
    ANAEMIA,
    COUNTED,
    COUNTS_AS,
    EVERY,
    HB_EVERY,
    UNDER3_EVERY,
    HealthStatus,
    status,
)

TAB = "FF548235"
TOTAL = "全园合计"
NO_RECORD = "无记录"  # 体检提醒: due before the term, nothing recorded here
NORMAL, ATTENTION, UNCHECKED, UNSCOPED = "正常", "需关注", "待核实", "未评价"
UNSET = "复查间隔未设置"
LEVELS = ((2, "上"), (1, "中上"), (-1, "中"), (-2, "中下"))  # WS/T 423 表2: lower bound of each grade included


def level(z) -> str:
    """Growth level (生长水平) of a z: 上 / 中上 / 中 / 中下 / 下; '' without one."""
    if not _present(z):
        return ""
    return next((name for bound, name in LEVELS if z >= bound), "下")


def _conditions(c) -> str:
    return "、".join(c) if c else NORMAL


def _present(v) -> bool:
    return not is_blank(v)


def _num(v, digits: int = 1):
    return float(half_up(v, digits)) if _present(v) else None


class HealthReport(MonthReport):
    """Everything the four sheets need for one month, computed once."""

    def __init__(self, checks: pd.DataFrame, roster: pd.DataFrame, classes: list[str], norms: pd.DataFrame | None,
                 kindergarten: str, month: str, today: dt.date, standard: str = CHINA, since: dt.date | None = None):
        self.month, self.name, self.checks = month, kindergarten, checks
        self.since = since  # the term's first day: a check due before it, never recorded here, has no known history
        self.month_end = month_bounds(month)[1]
        self.as_of = min(self.month_end, today)
        self.cuts: Criteria = cutoffs(norms, standard)
        self.standard = standard
        self.classes = classes
        self.s: HealthStatus = status(evaluate(checks, roster, self.cuts), roster, classes, self.cuts, self.as_of)

    def basis(self) -> str:
        """The standard and its cut-offs, as every health sheet states them."""
        rule = china.RULE if self.standard == CHINA else (
            "5岁以下用 WHO 2006 标准（按日龄，2岁以下身高加0.7厘米换算为身长），5岁及以上用 WHO 2007 参考值（按月龄）；"
            "体重类Z值超出 ±3 时按WHO限制法计算。")
        return (f"生长评价标准：{STANDARD_NAMES[self.standard]}（“基本信息”中可改）。{rule}"
                f"判定界值（“体检标准”表）：{self.cuts.text()}。")

    def outputs(self) -> list[SheetOutput]:
        return [self.evaluation(), self.register(), self.statistics(), self.reminders()]

    def _checked(self) -> pd.DataFrame:
        c = self.s.children
        return c[c["checked"]] if len(c) else c

    def _verdict(self, r: dict) -> tuple[str, str]:
        """(结论, 评价) of a child's latest check."""
        if r.get("out_of_scope"):
            return UNSCOPED, f"满7岁，超出{STANDARD_NAMES[self.standard]}的适用范围"
        if not r["evaluated"]:
            return UNCHECKED, f"测量值存疑：{'、'.join(INDICATOR_TEXT[k] for k in r['implausible'].split('、'))}"
        hb_note = "" if r["hb_judged"] or not _present(r.get("hb")) else "（血红蛋白未评价：不在界值适用月龄内）"
        return (ATTENTION if r["conditions"] else NORMAL), _conditions(r["conditions"]) + hb_note

    def evaluation(self) -> SheetOutput:
        rows, styles = [], {}
        for i, r in enumerate(self._checked().to_dict("records")):
            verdict, text = self._verdict(r)
            prev = r.get("prev_date")
            has_prev = isinstance(prev, dt.date)
            rows.append([r["class_name"], r["child_id"], r["name"], r["sex"], r["date"], age_text(r["birth_date"], r["date"]),
                         r["height_cm"], r["weight_kg"], _num(r["bmi"]), *(_num(r[k], 2) for k in ref.INDICATORS),
                         _num(r.get("hb"), 0), verdict, text,
                         prev if has_prev else None,
                         _num(r["height_cm"] - r["prev_height"]) if has_prev else None,
                         _num(r["weight_kg"] - r["prev_weight"]) if has_prev else None,
                         (_conditions(r["prev_conditions"]) if r["prev_conditions"] is not None else UNCHECKED)
                         if has_prev else None,
                         "按时" if r["on_time"] else "逾期",
                         f"体重{level(r['waz'])} 身高{level(r['haz'])}" if _present(r["haz"]) else ""])
            if verdict != NORMAL:
                styles[i] = "warning" if verdict == ATTENTION else "error"
        approx = "(近似)" if self.standard == CHINA else ""
        header = ["班级", "幼儿编号", "姓名", "性别", "检查日期", "年龄", "身高(厘米)", "体重(千克)", "BMI",
                  f"年龄别体重Z{approx}", f"年龄别身高Z{approx}", f"身高别体重Z{approx}", f"BMI Z值{approx}",
                  "血红蛋白(克/升)", "结论", "评价", "上次检查", "身高增长(厘米)", "体重增长(千克)", "上次评价", "体检状态",
                  "生长水平"]
        fmt = {6: "0.0", 7: "0.0", 8: "0.0", 9: "0.00", 10: "0.00", 11: "0.00", 12: "0.00", 13: "0", 17: "0.0", 18: "0.0"}
        titles = [self.title(EVALUATION),
                  f"评价日 {self.as_of.isoformat()}，每名在册幼儿取此前最近一次体检（同一天有两行的取表中靠后的一行）。" + self.basis(),
                  "身高别体重Z：2岁以下用身长别体重，2岁及以上用身高别体重，超出其表的范围时用 BMI Z值评价消瘦、超重和肥胖"
                  "（WHO 标准5岁及以上一律用 BMI Z值）。身高默认为立位测量，备注写“卧位”的按卧位身长换算。同一类只计最重的一档。"
                  "血红蛋白取12个月内最近一次。生长水平（上、中上、中、中下、下）按年龄别体重、年龄别身高的标准差范围（WS/T 423—2022 表2）。"
                  f"结论为“{UNCHECKED}”的行测量值超出WHO合理范围，未评价：请核对，无误时在“体检记录”的备注中写“{VERIFIED}”。"]
        return SheetOutput(EVALUATION, [Block(header, rows, formats=fmt, row_styles=styles)], titles=titles,
                           widths=[8, 10, 8, 5, 11, 8, 8, 8, 6, 8, 8, 8, 8, 8, 7, 20, 11, 8, 8, 14, 8, 14],
                           freeze_cols=3, page_header=self.title(EVALUATION), tab_color=TAB)

    def register(self) -> SheetOutput:
        reg = self.s.register
        kids = self.s.children.set_index("child_id") if len(self.s.children) else None
        rows, styles = [], {}
        entries = reg.to_dict("records") if len(reg) else []
        # overdue re-checks first, then those due this month, then those without an interval: worked from the top
        entries.sort(key=lambda e: 3 if e["next"] is None else 2 if e["next"] > self.month_end
                     else int(e["next"] >= self.as_of))
        for i, e in enumerate(entries):
            k = kids.loc[e["child_id"]]
            results = [f"{CONDITION_VALUE[c]} {_result(k, c)}" for c in e["reasons"]]
            late = e["next"] is not None and e["next"] < self.as_of
            state = "逾期" if late else ("本月到期" if e["next"] and e["next"] <= self.month_end else "")
            if e["unset"]:
                state = "；".join(filter(None, [state, f"{'、'.join(e['unset'])}{UNSET}"]))
            prev = e["prev_conditions"]
            rows.append([k["class_name"], e["child_id"], k["name"], k["sex"], age_text(k["birth_date"], k["date"]),
                         "\n".join(e["reasons"]), min(e["since"].values()) if e["since"] else None,
                         "\n".join(f"{c} 自 {d.isoformat()}" for c, d in e["since"].items()) or "—",
                         k["date"], "\n".join(results),
                         None if prev is None else ("、".join(prev) if prev else NORMAL),
                         e["outcome"], e["next"], state])
            if late or e["unset"]:
                styles[i] = "error" if late else "warning"
        header = ["班级", "幼儿编号", "姓名", "性别", "末次检查年龄", "管理原因", "发现日期", "各项发现日期", "末次检查", "末次结果",
                  "上次结论", "转归", "下次复查", "复查状态"]
        recheck = "；".join(dict.fromkeys(f"{c.item} {c.recheck_months} 个月" for c in self.cuts.rules if c.recheck_months))
        unset = self.cuts.unset()
        only_over = sum(1 for e in entries if tuple(e["reasons"]) == ("超重",) and e["outcome"] != "已恢复正常")
        titles = [self.title(REGISTER),
                  f"评价日 {self.as_of.isoformat()}。{STANDARD_NAMES[self.standard]}。列入：末次检查（贫血看12个月内最近一次血红蛋白）"
                  "有低体重、生长迟缓、消瘦、超重、肥胖（含重度）或贫血的幼儿，以及上次有、本次已恢复正常的幼儿（可结案）。"
                  "超重列入：《儿童营养性疾病管理技术规范》（卫办妇社发〔2012〕49号）的管理内容含超重/肥胖"
                  f"（本表仅因超重在管 {only_over} 名）。"
                  "发现日期：连续几次检查都有此项时的第一次。转归：新发现＝上次没有；好转＝各项Z值（贫血为血红蛋白）都向正常方向变化；"
                  "未好转＝至少一项没有，或出现了上次没有的新问题。上次结论空白＝此前没有检查。血红蛋白超过12个月的不作为贫血或恢复的依据。",
                  "下次复查：按“体检标准”的复查间隔（" + (recheck or "均未设置") + "）"
                  + (f"；{'、'.join(unset)}的复查间隔未设置，请按本地专案管理要求在“体检标准”中填写" if unset else "") + "。"]
        return SheetOutput(REGISTER, [Block(header, rows, row_styles=styles, wrap=(5, 7, 9, 10, 13))], titles=titles,
                           widths=[8, 10, 8, 5, 8, 14, 11, 24, 11, 26, 12, 8, 11, 14], freeze_cols=3,
                           page_header=self.title(REGISTER), tab_color=TAB)

    def class_counts(self) -> pd.DataFrame:
        """Per class and 全园合计: 在册, 体检 (on time), 评价 (evaluated among them), each condition, Hb
        judged, overdue. Counted from the same child rows 体格发育评价 shows."""
        c = self.s.children
        out = []
        groups = [(cls, c[c["class_name"] == cls]) for cls in dict.fromkeys([*self.classes, *c.get("class_name", [])])]
        for cls, g in [*groups, (TOTAL, c)]:
            on = g[g["on_time"]] if len(g) else g
            ev = on[on["evaluated"]] if len(on) else on
            row = {"class_name": cls, "enrolled": len(g), "checked": len(on), "evaluated": len(ev),
                   "hb_judged": int(on["hb_judged"].sum()) if len(on) else 0,
                   "overdue": int((~g["on_time"]).sum()) if len(g) else 0,
                   "hb_overdue": int((g["hb_due"] < self.as_of).sum()) if len(g) else 0}
            for col in (*COUNTED, ANAEMIA):  # a severe grade counts in its column
                row[col] = int(on["conditions"].map(lambda cs, x=col: any(COUNTS_AS.get(c, c) == x for c in cs)).sum()
                               ) if len(on) else 0
            out.append(row)
        return pd.DataFrame(out)

    def statistics(self) -> SheetOutput:
        df = self.class_counts()
        rows, styles = [], {}
        for i, r in enumerate(df.to_dict("records")):
            row = [r["class_name"], r["enrolled"], r["checked"], percent(r["checked"], r["enrolled"]), r["evaluated"]]
            for cond in COUNTED:
                row += [r[cond], percent(r[cond], r["evaluated"])]
            row += [r["hb_judged"], r[ANAEMIA], percent(r[ANAEMIA], r["hb_judged"]), r["overdue"], r["hb_overdue"]]
            rows.append(row)
            if r["class_name"] == TOTAL:
                styles[i] = "total"
        header = ["班级", "在册人数", "体检人数", "体检率(%)", "评价人数"]
        for cond in COUNTED:
            header += [f"{cond}人数", f"{cond}率(%)"]
        header += ["血红蛋白评价人数", "贫血人数", "贫血率(%)", "体检逾期人数", "血红蛋白逾期人数"]
        pct = {3: "0.0", **{6 + 2 * j: "0.0" for j in range(len(COUNTED))}, 17: "0.0"}
        titles = [self.title(STATISTICS),
                  f"统计日 {self.as_of.isoformat()}。在册人数：当日在园幼儿；体检人数：其中按规定间隔体检、未逾期的（3岁以下每 "
                  f"{UNDER3_EVERY} 个月、3岁及以上每 {EVERY} 个月一次）；体检率 = 体检人数 ÷ 在册人数；某病患病率 = 患病人数 ÷ 检查人数"
                  "（托儿所幼儿园卫生保健工作规范 附件5 表2）。",
                  "评价人数：体检人数中测量值可评价的（待核实的除外），为低体重、生长迟缓、消瘦、超重、肥胖的分母；血红蛋白评价人数：体检人数中"
                  f"12个月内测过血红蛋白且在贫血界值适用月龄内的，为贫血率的分母。低体重、生长迟缓、消瘦含重度，肥胖含重度肥胖。"
                  f"逐人结果见“{EVALUATION}”，逾期名单见“{REMINDERS}”。",
                  self.basis()]
        items = Block(entry.HEADER, self.entry_counts(), title=f"二、入园体检项目（{entry.RULE}）",
                      formats={3: "0.0", 6: "0.0", 12: "0.0"}, row_styles={len(self.classes): "total"})
        return SheetOutput(STATISTICS, [Block(header, rows, formats=pct, row_styles=styles), items], titles=titles,
                           widths=[9, 7, 7, 7, 7, *[6.5] * (2 * len(COUNTED)), 8, 6, 6, 7, 8],
                           page_header=self.title(STATISTICS), tab_color=TAB)

    def entry_counts(self) -> list[list]:
        """二、入园体检项目: 视力低常率, 龋齿患病率, 听力, 接种证查验率 per class (entry_items); once per report."""
        if not hasattr(self, "_entry"):
            self._entry = entry.counts(self.checks, self.s.children, self.classes, self.as_of, self.since, TOTAL)
        return self._entry

    def reminders(self) -> SheetOutput:
        items = []
        reg = self.s.register.set_index("child_id") if len(self.s.register) else None
        for r in self.s.children.to_dict("records"):
            last = r.get("date") if r["checked"] else None
            age = age_text(r["birth_date"], self.as_of)
            todo = [("体格检查" if last else "入园体检", last, r["due"]), ("血红蛋白", r.get("last_hb_date"), r["hb_due"])]
            if reg is not None and r["child_id"] in reg.index and reg.loc[r["child_id"], "next"] is not None:
                todo.append((f"体弱儿复查（{'、'.join(reg.loc[r['child_id'], 'reasons'])}）", last, reg.loc[r["child_id"], "next"]))
            for what, prev, due in todo:
                if due <= self.month_end:
                    late = (self.as_of - due).days
                    if not isinstance(prev, dt.date) and self.since and due < self.since:
                        # entered before this workbook's term, nothing recorded here: unknown, not years late
                        items.append([r["class_name"], r["child_id"], r["name"], age, what, None, None, NO_RECORD, None])
                        continue
                    items.append([r["class_name"], r["child_id"], r["name"], age, what,
                                  prev if isinstance(prev, dt.date) else None, due,
                                  "逾期" if late > 0 else "本月到期", late if late > 0 else None])
        order = {"逾期": 0, NO_RECORD: 1}
        items.sort(key=lambda it: order.get(it[7], 2))  # overdue, then unknown, then due (stable: class order)
        styles = {i: "error" for i, it in enumerate(items) if it[7] == "逾期"}
        header = ["班级", "幼儿编号", "姓名", "年龄", "事项", "上次日期", "应检日期", "状态", "逾期天数"]
        titles = [self.title(REMINDERS),
                  f"截至 {self.month_end.isoformat()} 应做的检查（评价日 {self.as_of.isoformat()}）：体格检查 3岁以下每 {UNDER3_EVERY} "
                  f"个月、3岁及以上每 {EVERY} 个月一次，血红蛋白每 {HB_EVERY} 个月一次，新入园幼儿入园时体检；体弱儿按“{REGISTER}”的下次复查"
                  f"（生长评价标准：{STANDARD_NAMES[self.standard]}）。“{NO_RECORD}”：本学期前入园、本工作簿中没有这项检查的记录，"
                  "上次检查日期未知，不算逾期天数——请在“体检记录”补录最近一次的检查，或尽快安排检查。"
                  if self.since else ""]
        return SheetOutput(REMINDERS, [Block(header, items, row_styles=styles)], titles=titles,
                           widths=[8, 10, 8, 8, 26, 11, 11, 9, 9], page_header=self.title(REMINDERS), tab_color=TAB)


CONDITION_VALUE = {c: {"hb": "血红蛋白", "wh": "身高别体重/BMI Z"}.get(k) or f"{INDICATOR_TEXT[k]}Z"
                   for c, (k, _) in CONDITIONS.items()}


def _result(k: pd.Series, condition: str) -> str:
    ind = CONDITIONS[condition][0]
    if ind == "hb":
        return f"{_num(k.get('hb'), 0):g} 克/升" if _present(k.get("hb")) else "—"
    return f"{k[ind]:+.2f}" if _present(k[ind]) else "—"


# -- the month's figures, built once per validation: the health sheets, and other domains (卫生保健月报) --

def report(v, month: str, today):
    """The month's HealthReport (the four sheets' figures), built once per validation."""
    def build():
        t = v.tables
        norms = t["health_norms"].frame if "health_norms" in t else None
        return HealthReport(t["health_checks"].frame, t["roster"].frame, v.classes(), norms,
                            v.settings.kindergarten_name or "", month, today, v.settings.growth_standard,
                            v.settings.term_start)
    return v.shared(("health.report", month, today), build)


def summary(v, month: str, today) -> dict:
    """The whole kindergarten's enrolled, checked, overdue and weak children (体弱儿 still followed) of the month."""
    def run():
        r = report(v, month, today)
        total = r.class_counts().set_index("class_name").loc[TOTAL]
        register = r.s.register
        weak = int((register["outcome"] != "已恢复正常").sum()) if len(register) else 0
        items = dict(zip(entry.HEADER, r.entry_counts()[-1]))
        return {"enrolled": int(total["enrolled"]), "checked": int(total["checked"]), "overdue": int(total["overdue"]),
                "weak": weak, "items": items}
    return v.shared(("health.summary", month, today), run)


def make_health(v, req):
    h = summary(v, req.month, req.today)
    return report(v, req.month, req.today).outputs(), (
        f"{EVALUATION}、{REGISTER}、{STATISTICS}、{REMINDERS}（在册 {h['enrolled']} 名，"
        f"体检率 {percent(h['checked'], h['enrolled'])}%，体弱儿 {h['weak']} 名，体检逾期 {h['overdue']} 名）")
