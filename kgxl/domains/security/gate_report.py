"""门卫与接送: the month's visits (those never signed out listed), its pick-up exceptions with each adult checked
against 接送授权, the late pick-ups per child, and the enrolled children without a valid pick-up card. It names
children, visitors and parents: it stays in the kindergarten. A past month states what was true on its last day.
Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds, short_days
from kgxl.core.cells import is_blank
from kgxl.core.frames import where
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthReport
from kgxl.core.roster import enrolled_between
from kgxl.domains.security import gate
from kgxl.domains.security.names import GATE
from kgxl.domains.security.style import TAB, clock


class GateReport(MonthReport):
    def __init__(self, v, month: str, today: dt.date):
        self.s, self.month = v.settings, month
        self.first, self.last = month_bounds(month)
        self.as_of = min(self.last, today)
        self.before = min(today, self.as_of + dt.timedelta(days=1))  # a day is over before 未登记离开 counts: today is not
        self.name = self.s.kindergarten_name or ""
        roster = v.tables["roster"].frame
        self.children = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
        self.on_roll = enrolled_between(roster, self.as_of, self.as_of)
        visits = v.tables.frame("visits")
        self.visits = where(visits.dropna(subset=["date"]), self._in_month, "date")
        self.auth = v.tables.frame("pickup_auth")
        events = v.tables.frame("pickup_events")
        self.events = where(events.dropna(subset=["date", "child_id", "kind"]), self._in_month, "date")

    def _in_month(self, day) -> bool:
        return self.first <= day <= self.as_of

    def _child(self, cid, key):
        return self.children[key].get(cid)

    def sheet(self) -> SheetOutput:
        v = self.visits
        open_ = gate.open_visits(v, self.before)
        unhosted = gate.unhosted_class_visits(v, self.s.class_start, self.s.class_end)
        state = gate.authorisation(self.events, self.auth)
        late = self.events[gate.is_late(self.events, self.s.late_after)] if len(self.events) else self.events
        no_card = self._without_card()
        hours = (f"{self.s.class_start:%H:%M}–{self.s.class_end:%H:%M}"
                 if isinstance(self.s.class_start, dt.time) and isinstance(self.s.class_end, dt.time) else "未设置，未检查")
        taken = gate.unauthorised(self.events, self.auth, state)
        summary = [len(v), int((v["id_checked"] == "否").sum()), len(open_), len(unhosted), len(self.events),
                   len(taken), len(late), len(no_card)]
        rows2 = [[r.date, r.visitor, r.org, r.purpose, r.host, r.area, clock(r.enter)] for r in open_.itertuples()]
        rows3 = [[r.date, r.child_id, self._child(r.child_id, "name"), self._child(r.child_id, "class_name"), r.kind, r.adult,
                  state.get(i), clock(r.time), r.confirmed, r.handling] for i, r in zip(self.events.index, self.events.itertuples())]
        per = late.groupby("child_id")["date"].agg(list) if len(late) else pd.Series(dtype=object)
        rows4 = sorted(([cid, self._child(cid, "name"), self._child(cid, "class_name"), len(days),
                         short_days(sorted(days))] for cid, days in per.items()),
                       key=lambda r: (-r[3], r[0]))
        rows5 = [[cid, self._child(cid, "name"), self._child(cid, "class_name"), why] for cid, why in no_card]
        blocks = [
            Block(["来访(人次)", "未查验证件", "未登记离开", "班级区无接待", "接送异常(起)", "未授权接走", "晚接(人次)", "无有效授权(人)"],
                  [summary], title=f"一、本月概况（班级区无接待：上课时段 {hours} 进入班级活动区、没有被访人的来访；"
                                   "未授权接走：接送人不在授权中且家长未确认）"),
            Block(["日期", "来访人", "单位", "事由", "被访人", "到访区域", "进入时间"], rows2,
                  title=f"二、未登记离开的来访（{len(rows2)} 人次）", row_styles={i: "warning" for i in range(len(rows2))}),
            Block(["日期", "幼儿编号", "姓名", "班级", "情况", "接送人", "授权", "时间", "家长确认", "处理情况"], rows3,
                  title=f"三、接送异常（{len(rows3)} 起）", wrap=(9,),
                  row_styles={i: "warning" for i, (x, r) in enumerate(zip(self.events.index, rows3))
                              if r[6] == gate.CARD_EXPIRED or x in taken.index}),
            Block(["幼儿编号", "姓名", "班级", "本月晚接(次)", "日期"], rows4, title="四、晚接统计（按次数从多到少）", wrap=(4,)),
            Block(["幼儿编号", "姓名", "班级", "情况"], rows5, title="五、没有有效接送授权的在园幼儿",
                  row_styles={i: "warning" for i in range(len(rows5))})]
        titles = [self.title(GATE),
                  f"统计至 {self.as_of.isoformat()}。未登记离开：没有离开时间的来访（统计日是今天的，今天的来访不算：这一天还没有结束）。授权：接送人是否在该幼儿的“接送授权”中、"
                  f"当天接送卡是否在有效期内（姓名按去掉空格后比较）。{gate.LATE_RULE}"
                  f"{'（' + self.s.late_after.strftime('%H:%M') + '）' if isinstance(self.s.late_after, dt.time) else '（未设置）'}。"]
        return SheetOutput(GATE, blocks, titles=titles, widths=[12, 10, 10, 12, 12, 10, 10, 13, 9, 22],
                           page_header=self.title(GATE), tab_color=TAB)

    def _without_card(self) -> list[tuple[str, str]]:
        """(child, 未办理 or 已过期) for each child on the roll on the report day with no authorisation valid that day."""
        a = self.auth.dropna(subset=["child_id", "adult"])
        valid = a[a["until"].map(lambda u: is_blank(u) or not isinstance(u, dt.date) or u >= self.as_of)]
        has_any, has_valid = set(a["child_id"]), set(valid["child_id"])
        return [(cid, "已过期" if cid in has_any else "未办理") for cid in sorted(self.on_roll["child_id"])
                if cid not in has_valid]
