"""The daily registers' reports as sheet outputs for one month: 晨午检统计 and 服药登记核对, both naming children (left
out of the default export), and 消毒记录汇总 (no one named: in the bureau export). The report day is the month's end,
or today if earlier. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds, short_days
from kgxl.core.cells import is_blank, show
from kgxl.core.money import percent
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthPeriod
from kgxl.domains.attendance.shared import child_days
from kgxl.domains.daily_health import checks as ck
from kgxl.domains.daily_health import disinfection as dis
from kgxl.domains.daily_health import medicine as md
from kgxl.domains.daily_health.names import CHECKS, DISINFECTION, MEDICINE

TAB = "FF2E8B57"


def has_checks(v) -> bool:
    """刷新汇总 makes 晨午检统计 only for a kindergarten that records its checks here."""
    return v.has_rows("morning_checks")


def has_medicine(v) -> bool:
    return v.has_rows("medicine_requests") or v.has_rows("medicine_doses")


def has_disinfection(v) -> bool:
    return v.has_rows("disinfection_log")


# -- 晨午检统计 -------------------------------------------------------------------------------
def checks_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    p, t = MonthPeriod(v, month, today), v.tables
    roster = t["roster"].frame
    long = child_days(v)
    cov = ck.month_coverage(v, month, today)
    found = ck.findings(t["check_findings"].frame, roster) if "check_findings" in t else ck.findings(
        pd.DataFrame(columns=["date", "child_id", "symptom"]), roster)
    found = found[found["date"] <= p.as_of]
    now = found[found["month"] == month]
    due, checked = cov["due"].astype(bool), cov["checked"].astype(bool)
    done = cov[due & checked]
    found_sent = pd.DataFrame({"found": 1, "sent": now["action"].isin(ck.SENT_HOME)})
    per_class = pd.concat([  # every count by class at once: a class without a row counts 0
        pd.DataFrame({"due": due, "missed": due & ~checked}).groupby(cov["class_name"]).sum(),
        done.assign(noon=pd.to_numeric(done["noon"]).fillna(0)).groupby("class_name").agg(
            done=("day", "size"), present=("present", "sum"), morning=("morning", "sum"), noon=("noon", "sum")),
        found_sent.groupby(now["class_name"]).sum()], axis=1).fillna(0)
    rows1, total = [], dict.fromkeys(("due", "done", "missed", "present", "morning", "noon", "found", "sent"), 0)
    for cls in v.classes():
        n = {k: int(per_class.at[cls, k]) if cls in per_class.index else 0 for k in total}
        total = {k: total[k] + n[k] for k in total}
        rows1.append(_coverage_row(cls, n))
    rows1.append(_coverage_row("全园合计", total))
    in_term = found[found["month"].isin(p.months)]
    rows2 = _counted(now, in_term, ck.SYMPTOMS, ("symptom", "symptom2"))
    rows3 = _counted(now, in_term, ck.ACTIONS, ("action",))
    rows4 = _follow_up(v, now, long, t["infections"].frame if "infections" in t else None)
    missed = cov[cov["due"] & ~cov["checked"]]
    rows5 = [[cls, len(g), short_days(g["day"])] for cls, g in missed.groupby("class_name", sort=False)]
    rate = percent(total["morning"], total["present"])
    blocks = [
        Block(["班级", "应检天数", "已检天数", "未检天数", "出勤人次", "晨检人次", "晨检覆盖率(%)", "午检人次", "异常(人次)",
               "离园就医或隔离"], rows1, title="一、各班晨午检", formats={6: "0.0"},
              row_styles={**{i: "warning" for i, r in enumerate(rows1[:-1]) if r[3]}, len(rows1) - 1: "total"}),
        Block(["症状", "本月(人次)", "本学期(人次)"], rows2, title="二、异常按症状（一人两个症状的各计一次）"),
        Block(["处理", "本月(人次)", "本学期(人次)"], rows3, title="三、异常按处理"),
        Block(["日期", "时段", "班级", "幼儿编号", "姓名", "症状", "体温(℃)", "处理", "下一上学日", "复查追踪", "提示"],
              rows4 or [[None, "本月没有离园就医、隔离或疑似传染病症状的幼儿"]], title="四、离园与追踪", new_page=True,
              row_styles={i: "warning" for i, r in enumerate(rows4) if r[10]}, formats={0: "m/d", 6: "0.0"},
              wrap=(9, 10)),
        Block(["班级", "未检天数", "日期"], rows5 or [[None, None, "本月没有漏检"]], title="五、没有晨午检记录的上学日",
              row_styles={i: "warning" for i in range(len(rows5))}, wrap=(2,), span=9),
    ]
    titles = [p.title(CHECKS),
              f"统计至 {p.as_of.isoformat()}：应检 {total['due']} 个班级日，已检 {total['done']} 个；晨检覆盖率 "
              f"{show(rate) if rate is not None else '—'}%；异常 {total['found']} 人次，离园就医或隔离 {total['sent']} 人次。"
              f"{ck.COVERAGE_RULE}。{ck.FOLLOW_RULE}。"]
    out = SheetOutput(CHECKS, blocks, titles=titles, widths=[11, 9, 9, 11, 9, 11, 11, 10, 11, 24, 18],
                      page_header=p.title(CHECKS), tab_color=TAB)
    return out, f"{CHECKS}（晨检覆盖率 {show(rate) if rate is not None else '—'}%，异常 {total['found']} 人次）"


def _coverage_row(label: str, n: dict) -> list:
    return [label, n["due"], n["done"], n["missed"], n["present"], n["morning"], percent(n["morning"], n["present"]),
            n["noon"], n["found"], n["sent"]]


def _counted(now: pd.DataFrame, term: pd.DataFrame, values: tuple, keys: tuple) -> list[list]:
    def count(f, value):
        return int(sum((f[k] == value).sum() for k in keys))
    rows = [[x, count(now, x), count(term, x)] for x in values]
    rows = [r for r in rows if r[2]]
    return rows + [["合计", sum(r[1] for r in rows), sum(r[2] for r in rows)]]


def _follow_up(v, now: pd.DataFrame, long, infections) -> list[list]:
    """The month's children sent home or showing a notifiable disease's signs, with the next school day's mark."""
    signs = set(ck.unregistered_signs(now, infections)["line"])
    shown = now[now["action"].isin(ck.SENT_HOME) | ck.notifiable(now)]
    marks = ck.next_day_marks(shown, long, v.calendar.days if v.calendar is not None else [])
    rows = []
    for r, mark in zip(shown.itertuples(), marks):
        hint = []
        if r.action in ck.SENT_HOME and is_blank(r.followup) and not is_blank(mark) and mark != "病":
            hint.append("次日未记病假，追踪未写")
        if r.line in signs:
            hint.append("传染病登记中没有病例")
        symptom = "伴".join(s for s in (r.symptom, r.symptom2) if isinstance(s, str))
        rows.append([r.date, r.session, r.class_name, r.child_id, r.name, symptom,
                     None if is_blank(r.temperature) else r.temperature, r.action,
                     "未登记" if is_blank(mark) else mark, show(r.followup) or None, "；".join(hint) or None])
    return rows


def make_checks(v, req):
    sheet, said = checks_sheet(v, req.month, req.today)
    return [sheet], said


# -- 服药登记核对 -----------------------------------------------------------------------------
def medicine_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    p, t = MonthPeriod(v, month, today), v.tables
    roster = t["roster"].frame
    long = child_days(v)
    req = md.readable(t["medicine_requests"].frame, roster, "date")
    dose = md.readable(t["medicine_doses"].frame, roster, "date")
    dose = dose[dose["date"] <= p.as_of]
    short = md.shortfalls(req, dose, long, p.as_of)
    order = req.sort_values(["date", "line"]).index
    req, short = req.loc[order], short.loc[order]
    live = [(r, s) for r, s in zip(req.itertuples(), short.itertuples())
            if isinstance(r.start, dt.date) and isinstance(r.end, dt.date) and r.start <= p.last and r.end >= p.first
            and r.date <= p.as_of]
    rows1 = []
    for r, s in live:
        state = ("次数不足：" + short_days(s.short)) if s.short else "进行中" if r.end > p.as_of else "已完成"
        if r.signed != "是":
            state += "；家长未签字"
        rows1.append([r.date, r.child_id, r.name, r.class_name, r.drug, show(r.dose), int(r.per_day), r.start, r.end,
                      s.wanted, s.given, r.signed, state])
    now = dose[dose["date"] >= p.first]
    rows2 = []
    for r, ok, mark in zip(now.itertuples(), md.covered(now, req), md.absent_marks(now, long)):
        problems = ([] if ok else ["没有家长委托"]) + ([] if is_blank(mark) else [f"出勤表记为“{mark}”"]) \
            + (["没有喂药人"] if is_blank(r.given_by) else [])
        if problems:
            rows2.append([r.date, r.child_id, r.name, r.class_name, r.drug, show(r.given_by) or None, "；".join(problems)])
    blocks = [
        Block(["委托日期", "幼儿编号", "姓名", "班级", "药名", "剂量", "每日次数", "开始", "结束", "应服(次)", "已服(次)",
               "家长签字", "状态"], rows1 or [[None, None, "本月没有服药委托"]], title="一、本月的服药委托",
              row_styles={i: "warning" for i, r in enumerate(rows1) if r[12] not in ("进行中", "已完成")},
              formats={0: "m/d", 7: "m/d", 8: "m/d"}, wrap=(12,)),
        Block(["日期", "幼儿编号", "姓名", "班级", "药名", "喂药人", "问题"], rows2 or [[None, None, "本月服药记录没有问题"]],
              title="二、服药记录的问题", row_styles={i: "error" for i in range(len(rows2))}, formats={0: "m/d"},
              wrap=(6,)),
    ]
    titles = [p.title(MEDICINE),
              f"统计至 {p.as_of.isoformat()}：本月委托 {len(rows1)} 份，服药 {len(now)} 次，有问题的服药记录 {len(rows2)} 条。"
              f"{md.COMPLETE_RULE}。"]
    out = SheetOutput(MEDICINE, blocks, titles=titles, widths=[11, 11, 9, 9, 14, 9, 9, 8, 8, 9, 9, 9, 22],
                      page_header=p.title(MEDICINE), tab_color=TAB)
    return out, f"{MEDICINE}（委托 {len(rows1)} 份，服药 {len(now)} 次，问题 {len(rows2)} 条）"


def make_medicine(v, req):
    sheet, said = medicine_sheet(v, req.month, req.today)
    return [sheet], said


# -- 消毒记录汇总 -----------------------------------------------------------------------------
def disinfection_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    p, t = MonthPeriod(v, month, today), v.tables
    log, rules = t["disinfection_log"].frame, t["disinfection_rules"].frame
    done = month_completion(v, month, today)
    items = dis.requirements(rules)
    items = items.sort_values("item", key=lambda s: s.map(list(dis.ITEMS.values()).index))
    rows1 = []
    for cls in [*v.classes(), "全园合计"]:
        g = done if cls == "全园合计" else done[done["class_name"] == cls]
        by = g.groupby("item")[["wanted", "done"]].sum()
        cells = [f"{int(by.at[i, 'done'])}/{int(by.at[i, 'wanted'])}" if i in by.index else "未满周期"
                 for i in items["item"]]
        rows1.append([cls, *cells, int(g["wanted"].sum()), int(g["done"].sum()),
                      percent(int(g["done"].sum()), int(g["wanted"].sum()))])
    wanted, got = rows1[-1][-3], rows1[-1][-2]
    rate = rows1[-1][-1]
    tests = dis.tested(log, rules)
    tests = tests[(tests["date"] >= p.first) & (tests["date"] <= p.as_of)]
    rows2 = []
    for r in tests.itertuples():
        low, high = (None if x != x else x for x in (r.low, r.high))
        state = "未设置范围" if low is None and high is None else "偏低" if low is not None and r.concentration < low \
            else "偏高" if high is not None and r.concentration > high else "合格"
        rows2.append([r.date, r.class_name, r.tested, r.concentration, low, high, state])
    short = done[done["done"] < done["wanted"]]
    rows3 = [[r.class_name, r.item, r.frequency, dis.span(r.first, r.last), f"{r.done}/{r.wanted}"]
             for r in short.itertuples()]
    good = sum(r[6] == "合格" for r in rows2)
    blocks = [
        Block(["班级", *(f"{r.item}\n{r.frequency}" + (f"{r.times}次" if r.times > 1 else "") for r in items.itertuples()),
               "应做(次)", "已做(次)", "完成率(%)"], rows1, title="一、各班各项目完成情况（已做/应做）",
              formats={len(items) + 3: "0.0"},
              row_styles={**{i: "warning" for i, r in enumerate(rows1[:-1]) if r[-2] < r[-3]}, len(rows1) - 1: "total"}),
        Block(["日期", "班级", "检测对象", "浓度(毫克/升)", "下限", "上限", "结果"], rows2 or [[None, None, "本月没有浓度检测"]],
              title="二、消毒液浓度检测", formats={0: "m/d", 3: "0", 4: "0", 5: "0"},
              row_styles={i: "warning" for i, r in enumerate(rows2) if r[6] != "合格"}),
        Block(["班级", "项目", "频次", "日期或周期", "已做/应做"], rows3 or [[None, None, None, "本月没有漏做"]],
              title="三、没有做到的消毒", row_styles={i: "warning" for i in range(len(rows3))}),
    ]
    unset = [r for r in rules.dropna(subset=["item"]).itertuples() if is_blank(r.frequency)]
    titles = [p.title(DISINFECTION),
              f"统计至 {p.as_of.isoformat()}：应做 {wanted} 次，已做 {got} 次，消毒完成率 {show(rate) if rate is not None else '—'}%；"
              f"浓度检测 {len(rows2)} 次，合格 {good} 次。{dis.WINDOW_RULE}。"
              + (f"“消毒要求”中 {'、'.join(r.item for r in unset)} 的频次未设置，未核对。" if unset else "")]
    out = SheetOutput(DISINFECTION, blocks, titles=titles, widths=[10, 8, 8, 9, 8, 8, 8, 8, 8, 8, 9, 9, 9],
                      page_header=p.title(DISINFECTION), tab_color=TAB)
    return out, f"{DISINFECTION}（消毒完成率 {show(rate) if rate is not None else '—'}%）"


def month_completion(v, month: str, today: dt.date) -> pd.DataFrame:
    """The windows of 消毒记录 due in the month (ended by its last day, or before today): disinfection.completion."""
    first, last = month_bounds(month)
    done = completion_before(v, min(last + dt.timedelta(days=1), today))
    return done[done["last"] >= first]


def completion_before(v, before: dt.date) -> pd.DataFrame:
    """disinfection.completion of the workbook's 消毒记录 for the windows ended before a day, once per validation:
    the rule, 消毒记录汇总 and 卫生保健月报 ask for the same day (today, in the current month)."""
    t, days = v.tables, dis.open_days(ck.present_of(v))
    # keyed by the days a class was open, not by the registers: a mark that leaves a class open keeps the result
    return v.shared(("daily_health.completion", before, days),
                    lambda: dis.completion(t["disinfection_log"].frame, t["disinfection_rules"].frame, days, before))


def make_disinfection(v, req):
    sheet, said = disinfection_sheet(v, req.month, req.today)
    return [sheet], said
