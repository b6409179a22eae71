"""消防月报: one A4 page a month — the equipment by kind (checked this month, problems, past or near its 有效期),
what needs action with its 整改, the inspection plan's 消防 checks and the month's drills — signed by the 安全负责人.
No child's name; it stays in the kindergarten, printed and signed. A past month states what was true on its last
day. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.cells import show
from kgxl.core.frames import where
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthReport
from kgxl.domains.security import expiry, fire
from kgxl.domains.security.names import FIRE
from kgxl.domains.security.style import TAB

FIRE_CATEGORY = "消防"  # 检查计划's 类别 of the fire checks


class FireReport(MonthReport):
    def __init__(self, v, month: str, today: dt.date):
        self.s, self.month = v.settings, month
        self.first, self.last = month_bounds(month)
        self.as_of = min(self.last, today)
        self.name = self.s.kindergarten_name or ""
        self.equipment = fire.equipment(v.tables["fire_equipment"].frame)
        checks = v.tables.frame("fire_checks")
        self.checks = fire.checks_between(checks, self.first, self.as_of)
        self.defects = fire.defects(checks, self.first, self.as_of)
        self.plan = v.tables.frame("inspection_plan")
        self.log = v.tables.frame("inspection_log")
        self.drills = v.tables.frame("drills")

    def _in_month(self, day) -> bool:
        return self.first <= day <= self.as_of

    def _states(self) -> pd.Series:
        return self.equipment["due"].map(lambda d: expiry.status(d, self.as_of, self.s.fire_warn_days))

    def by_kind(self) -> list[list]:
        e = self.equipment.assign(state=self._states())
        checked = set(self.checks["item_id"])
        bad = set(self.checks[self.checks["result"] != fire.OK]["item_id"])
        rows = []
        for kind, g in e.groupby("kind", sort=False):
            rows.append([kind, int(pd.to_numeric(g["count"], errors="coerce").fillna(0).sum()), len(g),
                         int(g["item_id"].isin(checked).sum()), int(g["item_id"].isin(bad).sum()),
                         int((g["state"] == expiry.EXPIRED).sum()), int((g["state"] == expiry.SOON).sum())])
        rows.sort(key=lambda r: r[0])
        rows.append(["合计", *(sum(r[k] for r in rows) for k in range(1, 7))])
        return rows

    def to_act(self) -> list[list]:
        """Items past or near their 有效期 (as of the report day), and the month's checks that found a problem."""
        e = self.equipment.assign(state=self._states())
        rows = [[r.item_id, r.kind, r.place, f"{r.state}：{show(r.due)} 到{r.why}期限" if r.why != "有效期至" else
                 f"{r.state}：有效期至 {show(r.due)}", "待安排"]
                for r in e[e["state"].isin([expiry.EXPIRED, expiry.SOON])].itertuples()]
        where_ = self.equipment.set_index("item_id")
        for r in self.defects.sort_values("date").itertuples():
            fixed = f"{show(r.fixed_by)} {r.fix or ''}".strip() if r.fixed_by else "未整改"
            rows.append([r.item_id, where_["kind"].get(r.item_id), where_["place"].get(r.item_id),
                         f"{show(r.date)} 检查：{r.result}{'，' + r.problem if isinstance(r.problem, str) else ''}", fixed])
        return rows

    def fire_checks(self) -> list[list]:
        items = set(self.plan[self.plan["category"] == FIRE_CATEGORY]["item"].dropna())
        log = where(self.log.dropna(subset=["date", "item"]), self._in_month, "date")
        log = log[log["item"].isin(items)].sort_values("date")
        return [[r.date, r.item, r.result, r.problem if isinstance(r.problem, str) else None, r.fixed_date if isinstance(r.fixed_date, dt.date) and
                 r.fixed_date <= self.as_of else None] for r in log.itertuples()]

    def sheet(self) -> SheetOutput:
        kinds, act, plan = self.by_kind(), self.to_act(), self.fire_checks()
        drills = where(self.drills.dropna(subset=["date"]), self._in_month, "date").sort_values("date")
        rows4 = [[r.date, r.kind, r.children, r.staff_count, r.seconds] for r in drills.itertuples()]
        total = kinds[-1]
        titles = [self.title(FIRE),
                  f"统计至 {self.as_of.isoformat()}。器材 {total[2]} 项（{total[1]} 具/个），本月检查 {total[3]} 项。"
                  f"{fire.DUE_RULE}。即将到期：{self.s.fire_warn_days} 天内（“基本信息”的消防器材到期提醒）。"]
        officer = self.s.safety_officer or "＿＿＿＿＿＿"
        blocks = [
            Block(["器材类型", "数量(具/个)", "编号(项)", "本月已检查", "检查有问题", "已过期", "即将到期"], kinds,
                  title="一、消防器材", row_styles={len(kinds) - 1: "total"}),
            Block(["编号", "类型", "位置", "问题", "整改"], act, title=f"二、需要处理的器材（{len(act)} 项）", wrap=(3, 4),
                  row_styles={i: "warning" for i, r in enumerate(act) if r[4] in ("待安排", "未整改")}),
            Block(["日期", "检查项目", "结果", "发现问题", "整改完成"], plan, title="三、防火检查（“检查计划”中类别为消防的项目）",
                  wrap=(3,), row_styles={i: "warning" for i, r in enumerate(plan) if r[2] != "合格"}),
            Block(["日期", "演练类型", "参加幼儿", "参加教职工", "疏散用时(秒)"], rows4, title="四、安全演练"),
            Block([], [], title=f"填报日期：{self.as_of.isoformat()}　　安全负责人（签字）：{officer}　　园长（签字）：＿＿＿＿＿＿")]
        return SheetOutput(FIRE, blocks, titles=titles, widths=[12, 14, 14, 26, 18, 8, 8], landscape=False,
                           page_header=self.title(FIRE), tab_color=TAB)
