"""The gate's and pick-up's rules. 错误 (each stops only 门卫与接送 and what reads its sheets): a visitor let in
without checking papers, a child taken by an adult not authorised for them with no parent's confirmation, a
pick-up registered for a child not enrolled that day. 警告: a visit of an earlier day never signed out, a visit into
the class area in class hours without a host, an authorised adult whose card was past its date, a 晚接 before the
set 晚接时间."""
from __future__ import annotations

import datetime as dt

from kgxl.core.cells import is_blank, show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.roster import enrolled
from kgxl.domains.security import gate


def _add(out, t, i, key, value, code, message, severity=ERROR):
    out.append(Problem(t.sheet, t.cell(i, key), t.schema.column(key).header, show(value), code, message, severity))


def gate_problems(v) -> list:
    t, out = v.tables, []
    s = v.settings
    if "visits" in t:
        out += _visits(t["visits"], v.today, s.class_start, s.class_end)
    if "pickup_events" in t:
        out += _pickups(v, t["pickup_events"], s.late_after)
    return out


def _visits(visits, today: dt.date, start, end) -> list:
    out, f = [], visits.frame
    for i, r in f[f["id_checked"] == "否"].iterrows():
        _add(out, visits, i, "id_checked", r["id_checked"], "visit_unchecked",
             f"{show(r['date'])} 来访人 {r['visitor']} 未查验证件就进入幼儿园：外来人员须查验证件并登记")
    for i, r in gate.open_visits(f, today).iterrows():
        _add(out, visits, i, "leave", None, "visit_open", f"{show(r['date'])} 来访人 {r['visitor']} 没有登记离开时间：核实是否已离园并补填",
             WARNING)
    for i, r in gate.unhosted_class_visits(f, start, end).iterrows():
        _add(out, visits, i, "host", None, "visit_unhosted",
             f"{show(r['date'])} {show(r['enter'])} 上课时段进入班级活动区，没有被访人（接待的教职工）", WARNING)
    return out


def _pickups(v, events, late_after) -> list:
    out, f = [], events.frame
    auth = v.tables["pickup_auth"].frame if "pickup_auth" in v.tables else f.iloc[0:0].assign(until=None)
    e = f.dropna(subset=["date", "child_id", "kind"])
    state = gate.authorisation(e, auth)
    for i, r in gate.unauthorised(e, auth, state).iterrows():
        who = r["adult"] if not is_blank(r["adult"]) else "未登记姓名的人"
        _add(out, events, i, "adult", r["adult"], "pickup_unauthorised",
             f"{show(r['date'])} 幼儿 {r['child_id']} 由 {who} 接走，此人不在该幼儿的“接送授权”中，家长确认未填“是”：立即联系家长核实幼儿安全")
    for i in state.index[state == gate.CARD_EXPIRED]:
        _add(out, events, i, "adult", f.at[i, "adult"], "pickup_card_expired",
             f"{f.at[i, 'adult']} 接送幼儿 {f.at[i, 'child_id']} 时接送卡已过有效期：请家长续办", WARNING)
    if isinstance(late_after, dt.time):
        early = f[(f["kind"] == gate.LATE) & f["time"].map(lambda x: isinstance(x, dt.time) and x <= late_after)]
        for i, r in early.iterrows():
            _add(out, events, i, "time", r["time"], "late_before_time",
                 f"登记为晚接，但 {show(r['time'])} 不晚于“基本信息”的晚接时间 {late_after:%H:%M}", WARNING)
    if "roster" in v.tables:
        roster = v.tables["roster"].frame
        known = set(roster.dropna(subset=["child_id", "entry_date"])["child_id"])
        e = f.dropna(subset=["date", "child_id"])
        e = e[e["child_id"].isin(known)]
        if len(e):
            on = enrolled(e["child_id"], e["date"], roster)
            for i in e.index[~on]:
                _add(out, events, i, "child_id", f.at[i, "child_id"], "pickup_not_enrolled",
                     f"幼儿 {f.at[i, 'child_id']} 在 {show(f.at[i, 'date'])} 不在园（入园日期至离园日期之外）")
    return out
