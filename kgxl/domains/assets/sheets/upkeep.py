"""The upkeep sheets as outputs: 物品出入单 (the month's in and out per item, use per class or department, what to
buy), 出借未还 (names borrowers: not exported by default), 维修情况 and 能耗统计 (no one named: both go to the
bureau). Pure."""
from __future__ import annotations

import datetime as dt
import re

from kgxl.core.calendar import month_bounds, month_label, term_months_to
from kgxl.core.cells import value_or_none as blank
from kgxl.core.port import Block, Chart, Series, SheetOutput
from kgxl.core.report import MonthReport
from kgxl.domains.assets import energy as en
from kgxl.domains.assets import repairs as rp
from kgxl.domains.assets import supplies as sp
from kgxl.domains.assets.names import ENERGY, LOANS, REPAIRS, SUPPLIES, TAB, UNITS
from kgxl.domains.assets.spending import spent
from kgxl.domains.attendance.shared import present_days

MONEY = "#,##0.00"
QTY = "0.##"


def _n(x):
    """A quantity for a cell: whole numbers as int."""
    return None if x is None else int(x) if float(x).is_integer() else round(float(x), 2)


def _round(x, digits: int):
    return None if blank(x) is None else round(float(x), digits)


class UpkeepReport(MonthReport):
    """Supplies, loans, repairs and energy for a month; the report day is the month's end, or today if earlier."""

    def __init__(self, v, month: str, today: dt.date):
        self.v, self.t, self.s, self.month = v, v.tables, v.settings, month
        self.first, self.last = month_bounds(month)
        self.as_of = min(self.last, today)
        self.name = self.s.kindergarten_name or ""
        self.months = term_months_to(self.s, month)

    # -- 物品出入单 -----------------------------------------------------------------
    def supplies(self) -> SheetOutput:
        led = sp.ledger(self.t["supply_moves"].frame)
        items = self.t["supplies"].frame if "supplies" in self.t else led[["item"]].assign(
            category=None, unit=None, safety_stock=None)
        m = sp.month_sheet(led, items, self.first, self.as_of)
        rows1 = [[r.item, r.category, r.unit, _n(r.opening), _n(r.received), _n(r.used), _n(r.lent),
                  _n(r.returned), _n(r.counted) or None, _n(r.closing), blank(r.value)] for r in m.itertuples()]
        total = round(float(m["value"].fillna(0).sum()), 2)
        rows1.append(["合计", None, None, None, None, None, None, None, None, None, total])
        d = sp.by_department(led, self.first, self.as_of)
        rows2 = [[r.dept, int(r.times), round(float(r.value), 2) if r.value == r.value else None] for r in d.itertuples()]
        short = m[m["short"]]
        rows3 = [[r.item, r.unit, _n(r.closing), _n(r.safety), _n(r.safety - r.closing)] for r in short.itertuples()]
        blocks = [Block(["物品名称", "类别", "单位", "期初", "入库", "领用", "出借", "归还", "盘点调整", "期末", "期末金额(元)"],
                        rows1, title="一、本月出入", formats={3: QTY, 4: QTY, 5: QTY, 6: QTY, 7: QTY, 8: QTY, 9: QTY, 10: MONEY},
                        row_styles={**{i: "warning" for i, r in enumerate(m.itertuples()) if r.short},
                                    len(rows1) - 1: "total"}),
                  Block(["班级或部门", "领用次数", "领用金额(元)"], rows2, title="二、各班级、部门领用", formats={2: MONEY}),
                  Block(["物品名称", "单位", "期末库存", "安全库存", "至少申购"], rows3,
                        title="三、申购建议（期末库存低于“物品目录”的安全库存）", formats={2: QTY, 3: QTY, 4: QTY},
                        row_styles={i: "warning" for i in range(len(rows3))}),
                  Block([], [], title="仓库经手人（签字）：＿＿＿＿＿＿　　后勤主任（签字）：＿＿＿＿＿＿　　园长（签字）：＿＿＿＿＿＿")]
        titles = [self.title(SUPPLIES),
                  f"{self.first.isoformat()} 至 {self.as_of.isoformat()}。期末＝期初＋入库－领用－出借＋归还＋盘点调整；"
                  "金额按该物品至月末有单价的入库和盘点的平均单价计。"]
        return SheetOutput(SUPPLIES, blocks, titles=titles, widths=[16, 10, 6, 8, 8, 8, 8, 8, 9, 8, 12],
                           page_header=self.title(SUPPLIES), tab_color=TAB)

    # -- 出借未还 -------------------------------------------------------------------
    def loans(self) -> SheetOutput:
        led = sp.ledger(self.t["supply_moves"].frame)
        out, _ = sp.loans(led, self.as_of)
        units = {}
        if "supplies" in self.t:
            f = self.t["supplies"].frame.dropna(subset=["item"])
            units = dict(zip(f["item"], f["unit"]))
        rows = [[r.date, r.item, _n(r.qty), units.get(r.item), blank(r.dept), blank(r.person), r.days,
                 "跨月未还" if r.date < self.first else None] for r in out.itertuples()]
        titles = [self.title(LOANS),
                  f"截至 {self.as_of.isoformat()} 借出未还 {len(rows)} 笔（归还先冲抵同一领用人最早的借出）。"
                  f"上月及以前借出的标为“跨月未还”；学期末前应全部归还。"]
        block = Block(["出借日期", "物品名称", "未还数量", "单位", "班级或部门", "领用人", "已借天数", "提示"], rows,
                      formats={2: QTY}, row_styles={i: "warning" for i, r in enumerate(rows) if r[7]})
        return SheetOutput(LOANS, [block], titles=titles, widths=[12, 16, 9, 6, 12, 10, 9, 10], landscape=False,
                           page_header=self.title(LOANS), tab_color=TAB)

    # -- 维修情况 -------------------------------------------------------------------
    def repairs(self) -> SheetOutput:
        r = rp.readable(self.t["repairs"].frame)
        term = r[r["reported"] >= self.s.term_start] if self.s.term_valid else r
        term = term[term["reported"] <= self.as_of]
        o = rp.open_on(r, self.as_of)
        rows1 = [[x.reported, x.urgency, x.place, blank(x.asset_id), x.problem, x.days] for x in o.itertuples()]
        d = rp.done_between(r, self.first, self.as_of)
        rows2 = [[x.reported, x.done, x.place, blank(x.method), x.problem, blank(x.cost)]
                 for x in d.itertuples()]
        bm = rp.by_month(term, self.months, self.as_of)
        rows3 = [[month_label(x.month), x.reported, x.done, x.self, x.outside, x.cost] for x in bm.itertuples()]
        rows3.append(["合计", int(bm["reported"].sum()), int(bm["done"].sum()), int(bm["self"].sum()),
                      int(bm["outside"].sum()), round(float(bm["cost"].sum()), 2)])
        rows4 = [[x.place, int(x.count), round(float(x.cost), 2)] for x in rp.by_place(term, self.as_of).itertuples()]
        rows5 = [[x.asset_id, int(x.count), round(x.cost, 2), "、".join(d.isoformat() for d in x.dates)]
                 for x in rp.repeated(term, self.as_of).itertuples()]
        urgent = int(o["urgent"].sum())
        blocks = [Block(["报修日期", "紧急程度", "地点", "资产编号", "问题描述", "已报修天数"], rows1,
                        title=f"一、未修好的报修（{len(rows1)} 项，其中紧急 {urgent} 项；紧急的在前）",
                        row_styles={i: "error" if x[1] == "紧急" else "warning" for i, x in enumerate(rows1)}, wrap=(4,)),
                  Block(["报修日期", "完成日期", "地点", "处理方式", "问题描述", "费用(元)"], rows2,
                        title=f"二、本月修好的（{len(rows2)} 项）", formats={5: MONEY}, wrap=(4,)),
                  Block(["月份", "报修", "完成", "自修", "外修", "费用(元)"], rows3, title="三、本学期按月（费用按完成月份计）",
                        formats={5: MONEY}, row_styles={len(rows3) - 1: "total"}),
                  Block(["地点", "报修次数", "费用(元)"], rows4, title="四、本学期按地点（费用只计统计日前已完成的，与按月一致）",
                        formats={2: MONEY}),
                  Block(["资产编号", "维修次数", "费用(元)", "报修日期"], rows5,
                        title="五、本学期维修两次及以上的资产（考虑集中维修或更换）", formats={2: MONEY}, wrap=(3,),
                        row_styles={i: "warning" for i in range(len(rows5))})]
        titles = [self.title(REPAIRS), f"统计至 {self.as_of.isoformat()}，来自“维修登记”；不列报修人、验收人。"]
        return SheetOutput(REPAIRS, blocks, titles=titles, widths=[12, 12, 14, 12, 30, 12], landscape=False,
                           page_header=self.title(REPAIRS), tab_color=TAB)

    # -- 能耗统计 -------------------------------------------------------------------
    def energy(self) -> SheetOutput:
        use = en.monthly(self.t["meters"].frame)
        months = [m for m in self.months if (use["month"] == m).any()]
        c = en.compared(use, months, present_days(self.v, self.as_of), self.s.energy_alert_percent)
        rows1 = [[month_label(r.month), r.kind, r.unit, _n(r.usage), r.amount, _n(blank(r.child_days)),
                  _round(r.per_child_day, 3), month_label(r.base) if isinstance(r.base, str) else None,
                  _n(blank(r.base_usage)), _round(r.change, 1), "偏高，排查是否漏水漏电" if r.flagged else None]
                 for r in c.itertuples()]
        rows2 = []
        for m in months:
            cost = {k: float(c.loc[(c["month"] == m) & (c["kind"] == k), "amount"].sum()) for k in UNITS}
            rows2.append([month_label(m), *(round(cost[k], 2) for k in UNITS), round(sum(cost.values()), 2)])
        blocks = [Block(["月份", "类别", "单位", "用量", "金额(元)", "出勤人日", "每人日用量", "对比月", "对比用量",
                         "变化(%)", "提示"], rows1, title="一、按月按类别",
                        formats={4: MONEY, 6: "0.000", 9: "0.0"},
                        row_styles={i: "warning" for i, r in enumerate(rows1) if r[10]}),
                  Block(["月份", "水费(元)", "电费(元)", "燃气费(元)", "合计(元)"], rows2, title="二、每月费用",
                        formats={1: MONEY, 2: MONEY, 3: MONEY, 4: MONEY})]
        check = self._against_ledger(c)
        if check:
            blocks.append(Block(["预算科目", "收支明细支出(元)", "水电气金额(元)", "差额(元)"], check,
                                title="三、与收支明细核对（本学期至今）", formats={1: MONEY, 2: MONEY, 3: MONEY}))
        charts = [Chart("每月水电燃气费", 1, Series("月份", (0, len(rows2) - 1), 0),
                        [Series(h, (0, len(rows2) - 1), i + 1) for i, h in enumerate(("水费", "电费", "燃气费"))],
                        y_title="元", y_format="#,##0")] if rows2 else []
        titles = [self.title(ENERGY),
                  f"统计至 {self.as_of.isoformat()}，来自“水电气”的抄表记录。对比月：去年同月，没有记录则取上学期同期（6 个月前）；"
                  f"用量比对比月高出 {self.s.energy_alert_percent:g}% 以上的提示排查（“基本信息”的能耗预警比例）。"
                  "出勤人日来自出勤表。"]
        return SheetOutput(ENERGY, blocks, titles=titles, charts=charts,
                           widths=[10, 11, 11, 11, 11, 9, 10, 10, 10, 8, 22], page_header=self.title(ENERGY), tab_color=TAB)

    def _against_ledger(self, c) -> list[list]:
        if not self.s.term_valid:
            return []
        paid = round(float(c["amount"].sum()), 2)
        return [[item, round(amount, 2), paid, round(amount - paid, 2)]
                for item, amount in spent(self.t, self.s.term_start, self.as_of).items() if re.search(r"水电|燃气|能耗", item)]
