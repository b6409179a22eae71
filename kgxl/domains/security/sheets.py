"""The bus reports as sheet outputs: 班车统计 (it names children and staff: stays in the kindergarten) and
乘车情况统计 (per route, no names: in the default bureau export, the table the bureau asks for as
"上报学生乘车情况"). A past month states what was true on its last day. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.cells import is_blank
from kgxl.core.frames import where
from kgxl.core.money import percent
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthReport
from kgxl.domains.security import bus, expiry
from kgxl.domains.security.fire_report import FireReport
from kgxl.domains.security.gate_report import GateReport
from kgxl.domains.security.names import BUS, FIRE, GATE, RIDERSHIP
from kgxl.domains.security.style import TAB, clock


class BusReport(MonthReport):
    def __init__(self, v, month: str, today: dt.date):
        self.t, self.s, self.month = v.tables, v.settings, month
        self.first, self.last = month_bounds(month)
        self.as_of = min(self.last, today)
        self.name = self.s.kindergarten_name or ""
        rolls = self.t.frame("bus_rolls")
        tr = bus.trips(self.t["bus_trips"].frame, rolls, self.t["vehicles"].frame)
        self.trips = where(tr[tr["first"]], self._in_month, "date")
        self.people = self.t["bus_staff"].frame if "bus_staff" in self.t else None
        self.routes = self.t.frame("bus_routes").dropna(subset=["route", "child_id"])
        self.riders = bus.riders(rolls, self.routes, self.t["roster"].frame)
        self.riders = where(self.riders, self._in_month, "date")

    def _in_month(self, day) -> bool:
        return self.first <= day <= self.as_of

    def by_route(self) -> list[list]:
        """Per route: vehicles, seats, trips, children registered on the route, children who rode, rides, most on
        one trip, trips with an escort."""
        rows = []
        for route, g in self.trips.groupby("route", sort=True):
            rd = self.riders[self.riders["route"] == route]
            listed = self.routes[(self.routes["route"] == route) & self.routes.apply(self._on_route, axis=1)] \
                if len(self.routes) else self.routes
            seats = pd.to_numeric(g["seats"], errors="coerce")
            rows.append([route, "、".join(sorted(set(g["plate"]))), int(seats.max()) if seats.notna().any() else None,
                         len(g), int(listed["child_id"].nunique()), int(rd["child_id"].nunique()), int(g["boarded"].sum()),
                         int(g["boarded"].max()), int((~g["escort"].map(is_blank)).sum()),
                         int((g["boarded"] == g["alighted"]).sum())])
        return rows

    def _on_route(self, r) -> bool:
        """Registered on the route on the report day."""
        return (is_blank(r["since"]) or r["since"] <= self.as_of) and (is_blank(r["until"]) or r["until"] >= self.as_of)

    def ridership(self) -> SheetOutput:
        rows = self.by_route()
        total = [sum(r[k] or 0 for r in rows) for k in (3, 4, 5, 6)]
        body = [r[:8] + [percent(r[8], r[3]), percent(r[9], r[3])] for r in rows]
        body.append(["合计", None, None, *total, None, percent(sum(r[8] for r in rows), total[0]),
                     percent(sum(r[9] for r in rows), total[0])])
        days = self.trips["date"].nunique()
        titles = [self.title(RIDERSHIP),
                  f"统计至 {self.as_of.isoformat()}，本月出车 {days} 天。乘车幼儿：本月至少乘车一次的人数；登记幼儿：统计日在“乘车路线”中"
                  "登记的人数；乘车人次：每趟上车的幼儿数之和；点名完整：上车的幼儿都点到下车的趟次占比。不含幼儿和教职工姓名。"]
        block = Block(["路线", "车辆号牌", "核载(人)", "出车(趟)", "登记幼儿(人)", "乘车幼儿(人)", "乘车(人次)", "单趟最多(人)",
                       "有跟车老师(%)", "点名完整(%)"], body, row_styles={len(body) - 1: "total"},
                      formats={8: "0.0", 9: "0.0"})
        sign = Block([], [], title=f"填报日期：{self.as_of.isoformat()}　　安全负责人（签字）：＿＿＿＿＿＿　　园长（签字）：＿＿＿＿＿＿")
        return SheetOutput(RIDERSHIP, [block, sign], titles=titles, widths=[10, 18, 8, 8, 10, 10, 10, 10, 11, 10],
                           page_header=self.title(RIDERSHIP), tab_color=TAB)

    def details(self) -> SheetOutput:
        names = self.t["roster"].frame.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
        check = self._to_check()
        rows2 = [[r.date, r.trip, r.route, r.plate, r.driver, r.escort, r.boarded, r.alighted, clock(r.depart), clock(r.arrive)]
                 for r in self.trips.sort_values(["date", "trip", "route"]).itertuples()]
        per_child = self.riders.groupby(["child_id", "route"]).size().reset_index(name="rides")
        rows3 = [[r.child_id, names["name"].get(r.child_id), names["class_name"].get(r.child_id), r.route, r.rides]
                 for r in per_child.itertuples()]
        rows4 = self._papers()
        blocks = [
            Block(["日期", "趟次", "路线", "幼儿编号", "问题"], check, title=f"一、点名需核对（{len(check)} 条）",
                  row_styles={i: "warning" for i in range(len(check))}, wrap=(4,)),
            Block(["日期", "趟次", "路线", "号牌", "驾驶员", "跟车老师", "上车(人)", "下车(人)", "发车", "到达"], rows2,
                  title=f"二、本月出车（{len(rows2)} 趟）"),
            Block(["幼儿编号", "姓名", "班级", "路线", "本月乘车(次)"], rows3, title="三、幼儿乘车次数"),
            Block(["车辆或人员", "证照", "有效期至", "状态"], rows4, title="四、车辆和驾驶员证照",
                  row_styles={i: "warning" for i, r in enumerate(rows4) if r[3] != "有效"})]
        titles = [self.title(BUS),
                  f"统计至 {self.as_of.isoformat()}。每趟按“出车记录”一行（同一日期、趟次、路线只计第一行），上车、下车人数取“乘车点名”。"
                  f"{bus.OVERLOAD_RULE}；上车的幼儿都必须点到下车（《校车安全管理条例》：随车照管人员核实学生下车人数）。"
                  f"证照在 {self.s.bus_warn_days} 天内到期的为“即将到期”（“基本信息”的班车证照到期提醒）。这些问题中的错误在“校验结果”，须改正后本表才生成。"]
        return SheetOutput(BUS, blocks, titles=titles, widths=[12, 8, 10, 12, 10, 10, 9, 9, 8, 8],
                           page_header=self.title(BUS), tab_color=TAB)

    def _to_check(self) -> list[list]:
        """What the roll call leaves to check (警告 level; its 错误 stop the report): trips without a roll call,
        riders not on the route."""
        rows = [[r.date, r.trip, r.route, None, "这一趟没有点名"] for r in self.trips[self.trips["rolls"] == 0].itertuples()]
        off = self.riders[self.riders["enrolled"] & ~self.riders["on_route"]]
        rows += [[r.date, r.trip, r.route, r.child_id, "乘车幼儿不在该路线（或不在乘车日期内）"] for r in off.itertuples()]
        return sorted(rows, key=lambda r: (r[0], r[1], r[2]))

    def _papers(self) -> list[list]:
        warn, rows = self.s.bus_warn_days, []
        for r in self.t["vehicles"].frame.dropna(subset=["plate"]).itertuples():
            for label, day in (("年检", r.inspection_until), ("保险", r.insurance_until)):
                rows.append([r.plate, label, day, expiry.status(day, self.as_of, warn)])
        if self.people is not None:
            for r in self.people.dropna(subset=["name"]).itertuples():
                if r.duty == "驾驶员":
                    rows.append([r.name, "驾驶证", r.licence_until, expiry.status(r.licence_until, self.as_of, warn)])
        return rows


def make_bus(v, req):
    r = BusReport(v, req.month, req.today)
    return [r.details(), r.ridership()], f"{BUS}、{RIDERSHIP}（本月出车 {len(r.trips)} 趟）"


def make_gate(v, req):
    r = GateReport(v, req.month, req.today)
    return [r.sheet()], f"{GATE}（本月来访 {len(r.visits)} 人次，接送异常 {len(r.events)} 起）"


def make_fire(v, req):
    return [FireReport(v, req.month, req.today).sheet()], FIRE
