"""The daily registers' own rules. 错误: a finding, request or dose of a child not enrolled that day; a dose with no
request of the child and drug covering its day (the parents' written request comes first); a dose on a day the
register marks the child away. 警告: a class-day with children present and no 晨午检 row (from the sheet's first day;
one problem per class and month); more children checked than present; a child sent home (离园就医/隔离) whose next
school day is not 病 with nothing in 复查追踪; a notifiable disease's signs with no 传染病登记 case within 7 days; a
request not signed by a parent, or whose doses were not all given; a 消毒要求 item without its 频次 (kgxl ships no
number: the user fills the local one); a class's disinfection not done as often as 消毒要求 says (one problem per
class and month); a concentration outside its item's range.

The missing check and the short request are 警告, not 错误: an 错误 stops 刷新汇总 until the cell is corrected, and
a check never made cannot be corrected, only recorded as it was."""
from __future__ import annotations

from kgxl.core.calendar import month_label, short_days
from kgxl.core.cells import is_blank, show
from kgxl.core.due import new_row
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.roster import enrolled
from kgxl.domains.attendance.shared import child_days
from kgxl.domains.daily_health import checks as ck
from kgxl.domains.daily_health import disinfection as dis
from kgxl.domains.daily_health import medicine as md
from kgxl.domains.daily_health.sheets import completion_before

DATED = (("check_findings", "date"), ("medicine_requests", "date"), ("medicine_doses", "date"), ("common_diseases", "date"))


def rules(v) -> list:
    t, out = v.tables, []
    roster = t["roster"].frame if "roster" in t else None
    if roster is None:
        return out
    long = child_days(v)

    def add(table, line, key, code, message, severity=WARNING):
        out.append(Problem(table.sheet, table.cell(line, key), table.schema.column(key).header,
                           show(table.frame.at[line, key]), code, message, severity))

    for key, day in DATED:
        if key in t:
            f = t[key].frame.dropna(subset=["child_id", day])
            f = f[f["child_id"].isin(set(roster["child_id"].dropna()))]
            for line, r in f[~enrolled(f["child_id"], f[day], roster)].iterrows():
                add(t[key], line, day, "daily_not_enrolled",
                    f"幼儿 {r['child_id']} 在 {show(r[day])} 不在园（入园日期至离园日期之外），请核对日期或幼儿编号", ERROR)
    if "morning_checks" in t and long is not None:  # without valid term dates there is no register to check against
        out += _check_problems(v, t["morning_checks"], add)
    if "check_findings" in t:
        _finding_problems(v, t["check_findings"], roster, long, add)
    if "medicine_requests" in t and "medicine_doses" in t:
        _medicine_problems(v, t["medicine_requests"], t["medicine_doses"], roster, long, add)
    if "disinfection_rules" in t:
        out += _disinfection_problems(v, t["disinfection_rules"], t.get("disinfection_log"), long, add)
    return out


def _check_problems(v, table, add) -> list:
    cov = ck.coverage(table.frame, ck.present_of(v), v.today)
    for r in cov[cov["checked"] & (cov["morning"] > cov["present"])].itertuples():
        add(table, int(r.line), "morning", "check_over_present",
            f"{r.class_name} {show(r.day)} 晨检 {int(r.morning)} 人，多于出勤表当天出勤的 {r.present} 人：请核对晨检人数或出勤表")
    missing = cov[cov["due"] & ~cov["checked"]]
    out = []
    for (cls, month), g in missing.groupby([missing["class_name"], missing["day"].map(lambda d: d.strftime("%Y-%m"))]):
        days = short_days(g["day"])
        out.append(Problem(table.sheet, new_row(table, "date"), "日期", "", "check_missing",
                           f"{cls} {month_label(month)}有 {len(g)} 个上学日有幼儿出勤而没有晨午检记录：{days}", WARNING))
    return out


def _finding_problems(v, table, roster, long, add) -> None:
    found = ck.findings(table.frame, roster)
    sent = found[(found["action"].isin(ck.SENT_HOME) & found["followup"].map(is_blank)).astype(bool)]
    days = v.calendar.days if v.calendar is not None else []
    marks = ck.next_day_marks(sent, long, days)
    for r, mark in zip(sent.itertuples(), marks):
        if not is_blank(mark) and mark != "病":
            add(table, r.line, "action", "sent_home_no_sick",
                f"{r.name or r.child_id}（{r.class_name}）{show(r.date)} {r.action}，下一个上学日出勤表记为“{mark}”："
                "应为“病”，或在“复查追踪”栏写明情况")
    infections = v.tables["infections"].frame if "infections" in v.tables else None
    for r in ck.unregistered_signs(found, infections).itertuples():
        signs = "、".join(s for s in (r.symptom, r.symptom2) if isinstance(s, str))
        add(table, r.line, "symptom", "sign_unregistered",
            f"{r.name or r.child_id}（{r.class_name}）{show(r.date)} {signs}，“传染病登记”中没有该幼儿前后 7 天内的病例："
            "确诊后请登记，排除的在“复查追踪”写明")


def _medicine_problems(v, requests, doses, roster, long, add) -> None:
    req = md.readable(requests.frame, roster, "date")
    dose = md.readable(doses.frame, roster, "date")
    for r, ok in zip(dose.itertuples(), md.covered(dose, req)):
        if not ok:
            add(doses, r.line, "drug", "dose_no_request",
                f"{r.name or r.child_id} {show(r.date)} 服“{r.drug}”，“服药委托”中没有该幼儿该药在这一天的委托：先有家长书面委托才能喂药", ERROR)
    for r, mark in zip(dose.itertuples(), md.absent_marks(dose, long)):
        if not is_blank(mark):
            add(doses, r.line, "date", "dose_absent",
                f"{r.name or r.child_id} {show(r.date)} 出勤表记为“{mark}”（不在园），却有服药记录：请核对日期或出勤表", ERROR)
    for r in req[req["signed"] == "否"].itertuples():
        add(requests, r.line, "signed", "request_unsigned", f"{r.name or r.child_id} 的“{r.drug}”服药委托没有家长签字：请家长补签")
    for r, s in zip(req.itertuples(), md.shortfalls(req, dose, long, v.today).itertuples()):
        if s.short:
            days = short_days(s.short)
            add(requests, r.line, "per_day", "request_incomplete",
                f"{r.name or r.child_id} 的“{r.drug}”每日 {int(r.per_day)} 次，{days} 服药次数不足：补登漏记的，确实未服的在服药记录备注说明")


def _disinfection_problems(v, rules, log, long, add) -> list:
    for line, r in rules.frame.dropna(subset=["item"]).iterrows():
        if is_blank(r["frequency"]):
            add(rules, line, "frequency", "disinfect_unset",
                f"{r['item']}的消毒频次未设置：请按当地卫生保健机构的要求填写（每日/每周/每月），填写后才核对", WARNING)
    if log is None or long is None:
        return []
    for r in dis.out_of_range(log.frame, rules.frame).itertuples():
        add(log, r.line, "concentration", "concentration_out",
            f"{r.class_name} {show(r.date)} {r.tested}消毒液浓度 {show(r.concentration)} 毫克/升，不在“消毒要求”的 "
            f"{show(r.low) if r.low == r.low else '—'}～{show(r.high) if r.high == r.high else '—'} 毫克/升 内：重新配制并复测")
    done = completion_before(v, v.today)
    short = done[done["done"] < done["wanted"]]
    out = []
    for (cls, month), g in short.groupby([short["class_name"], short["last"].map(lambda d: d.strftime("%Y-%m"))]):
        what = "；".join(f"{dis.span(a, b)} {'、'.join(x['item'])}" for (a, b), x in g.groupby(["first", "last"]))
        out.append(Problem(log.sheet, new_row(log, "date"), "日期", "", "disinfect_missing",
                           f"{cls} {month_label(month)}有消毒没有做到“消毒要求”的次数：{what}", WARNING))
    return out

