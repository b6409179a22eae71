"""The asset sheets as outputs: 资产台账汇总 (no one named: it goes to the bureau) and 资产清点表 (one printed page per
room for the count day, with its signature line; after the count, 账面 against 实存 and what is missing with its
责任人). Pure."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.cells import value_or_none as blank
from kgxl.core.frames import where
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import report_title
from kgxl.core.schema import schema
from kgxl.domains.assets import register as rg
from kgxl.domains.assets.names import COUNT, SUMMARY, TAB
from kgxl.domains.assets.spending import payments, spent

MONEY = "#,##0.00"
PURCHASE = r"购置|设备"  # the budget items whose payments buy assets
MATCH_RULE = ("支出凭证与购置日期相同的卡片对应；未建卡的低值易耗品在摘要中注明，无同日支出的卡片（捐赠、其他科目支出）在资金来源中注明")

SIGN = "清点人（签字）：＿＿＿＿＿＿　　责任人（签字）：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日"


class AssetReport:
    """The asset sheets for a month; the books are taken at the month's end, or today if earlier."""

    def __init__(self, v, month: str, today: dt.date):
        self.v, self.t, self.s, self.month = v, v.tables, v.settings, month
        self.first, self.last = month_bounds(month)
        self.as_of = min(self.last, today)
        self.name = self.s.kindergarten_name or ""
        self.assets = self.t["assets"].frame
        self.changes = self.t["asset_changes"].frame if "asset_changes" in self.t else None
        self.book = rg.book(self.assets, self.changes, self.as_of)
        self.start = self.s.term_start if self.s.term_valid else self.first

    def _title(self, what: str) -> str:
        return f"{self.name} {what}（{self.as_of.isoformat()}）".strip()

    # -- 资产台账汇总 ---------------------------------------------------------------
    def summary(self) -> SheetOutput:
        on = self.book[self.book["on_books"]]
        kinds = self.t["asset_categories"].frame["category"].dropna().tolist() if "asset_categories" in self.t else []
        blocks = [self._grouped(on, "category", "类别", "一、按类别", kinds), self._grouped(on, "room", "存放地点", "二、按存放地点",
                                                                                self.v.classes())]
        c = rg.changes_in_order(self.changes)
        c = c[(c["date"] >= self.start) & (c["date"] <= self.as_of)]
        cards = rg.cards(self.assets)
        rows3 = []
        for r in c.itertuples():
            card = cards.loc[r.asset_id] if r.asset_id in cards.index else None
            moved = r.new_room if isinstance(r.new_room, str) else None
            rows3.append([r.date, r.asset_id, None if card is None else card["name"], r.kind, moved,
                          None if card is None else float(card["amount"])])
        times = c["kind"].value_counts()
        kinds = schema("asset_changes").column("kind").allowed
        said = "、".join(f"{k} {times[k]} 次" for k in kinds if k in times) or "没有"
        blocks.append(Block(["日期", "资产编号", "名称", "类型", "新存放地点", "金额(元)"], rows3, title="三、本学期变动：" + said,
                            formats={5: MONEY}))
        due = self.book[self.book["entered"] & self.book["status"].isin(("待报废", "维修中", "闲置"))]
        due = due.sort_values(["status", "asset_id"])
        rows4 = [[r.asset_id, r.name, r.room, r.status, int(r.qty), float(r.amount)] for r in due.itertuples()]
        blocks.append(Block(["资产编号", "名称", "存放地点", "状态", "数量", "金额(元)"], rows4,
                            title="四、待报废、维修中和闲置的资产", formats={5: MONEY},
                            row_styles={i: "warning" for i, r in enumerate(rows4) if r[3] == "待报废"}))
        bought = self._purchases()
        if bought:
            blocks.append(Block(["日期", "预算科目", "凭证和摘要", "支出(元)", "同日建卡(元)", "核对"], bought,
                                title=f"五、购置支出与建卡核对（本学期至今；{MATCH_RULE}）", formats={3: MONEY, 4: MONEY},
                                wrap=(2,), row_styles={i: "warning" for i, r in enumerate(bought) if r[5] != "已建卡"}))
        check = self._repairs_against_ledger()
        if check:
            blocks.append(Block(["预算科目", "收支明细支出(元)", "登记金额(元)", "登记来源", "差额(元)"], check,
                                title="六、维修支出与维修登记核对（本学期至今）", formats={1: MONEY, 2: MONEY, 4: MONEY}))
        gone = int((self.book["entered"] & ~self.book["on_books"]).sum())
        titles = [self._title(SUMMARY),
                  f"在账资产 {len(on)} 项、{int(on['qty'].sum())} 件，金额 {on['amount'].sum():,.2f} 元（不含已报废、盘亏的 {gone} 项）。"
                  f"账面按“固定资产”卡片并依次计入“资产变动”至 {self.as_of.isoformat()}（{rg.BEFORE_RULE}）；不列责任人。"]
        return SheetOutput(SUMMARY, blocks, titles=titles, widths=[16, 14, 16, 12, 12, 14], landscape=False,
                           page_header=f"{self.name} {SUMMARY}", tab_color=TAB)

    @staticmethod
    def _grouped(on: pd.DataFrame, key: str, label: str, title: str, order: list[str] = ()) -> Block:
        g = on.groupby(key, sort=True).agg(items=("asset_id", "size"), qty=("qty", "sum"), amount=("amount", "sum"))
        rank = {c: i for i, c in enumerate(order)}
        g = g.loc[sorted(g.index, key=lambda k: (rank.get(k, len(rank)), k))]
        rows = [[k, int(r["items"]), int(r["qty"]), round(float(r["amount"]), 2)] for k, r in g.iterrows()]
        rows.append(["合计", int(g["items"].sum()), int(g["qty"].sum()), round(float(g["amount"].sum()), 2)])
        return Block([label, "项数", "件数", "金额(元)"], rows, title=title, formats={3: MONEY},
                     row_styles={len(rows) - 1: "total"})

    def _purchases(self) -> list[list]:
        """Each 支出 of a 购置/设备 budget item beside the cards bought the same day, and each card bought this term
        with no such payment that day: what was bought without a card, and what was carded without a payment."""
        pay = payments(self.t, self.start, self.as_of)
        pay = where(pay, lambda i: bool(re.search(PURCHASE, str(i))), "budget_item")
        a = self.assets.dropna(subset=["asset_id", "bought"])
        a = a[(a["bought"] >= self.start) & (a["bought"] <= self.as_of)]
        carded = a.groupby("bought")["amount"].sum()
        ids = a.groupby("bought")["asset_id"].agg(lambda x: "、".join(sorted(x)))
        rows = []
        for r in pay.itertuples():
            got = round(float(carded.get(r.date, 0.0)), 2)
            word = "已建卡" if abs(got - r.amount) < 0.005 else "未建卡" if not got else "金额不符"
            cards = f"（卡片 {ids[r.date]}）" if got else ""
            rows.append([r.date, r.budget_item, f"{r.voucher or ''} {r.summary or ''}{cards}".strip(), float(r.amount), got, word])
        for day in sorted(set(carded.index) - set(pay["date"])):
            rows.append([day, None, f"新增卡片 {ids[day]}", None, round(float(carded[day]), 2), "无同日支出"])
        return sorted(rows, key=lambda r: r[0])

    def _repairs_against_ledger(self) -> list[list]:
        """收支明细's spending on repairs beside the repairs done this term."""
        return [[item, round(paid, 2), self._repair_cost(), "维修登记（完成的费用）", round(paid - self._repair_cost(), 2)]
                for item, paid in spent(self.t, self.start, self.as_of).items() if re.search(r"维修|修缮", item)]

    def _repair_cost(self) -> float:
        if "repairs" not in self.t:
            return 0.0
        r = self.t["repairs"].frame
        done = where(r, lambda d: isinstance(d, dt.date) and self.start <= d <= self.as_of, "done")
        return round(float(done["cost"].fillna(0).sum()), 2)

    # -- 资产清点表 -----------------------------------------------------------------
    def count(self) -> SheetOutput:
        counts = self.t["asset_counts"].frame if "asset_counts" in self.t else pd.DataFrame(
            columns=["date", "asset_id", "qty", "room", "condition", "counter", "note"])
        counts = where(counts, lambda d: isinstance(d, dt.date) and d <= self.as_of, "date")
        result = rg.count_result(self.assets, self.changes, counts)
        done = result.set_index("asset_id") if len(result) else None
        last = max(counts["date"]) if len(counts) else None
        book = rg.book(self.assets, self.changes, last) if last else self.book  # the pages list the count day's books
        on = book[book["on_books"]]
        blocks = []
        order = {c: i for i, c in enumerate(self.v.classes())}  # the classes' rooms first, in 班级 order
        rooms = sorted(on["room"].dropna().unique(), key=lambda r: (order.get(r, len(order)), r))
        for room in rooms:
            g = on[on["room"] == room]
            keepers = "、".join(dict.fromkeys(str(k) for k in g["keeper"].dropna()))
            rows, styles = [], {}
            for r in g.sort_values("asset_id").itertuples():
                c = done.loc[r.asset_id] if done is not None and r.asset_id in done.index else None
                counted = None if c is None else int(c["counted"])
                result_word = None if c is None else c["result"] if c["result"] != rg.MOVED else f"在{c['found_room']}"
                rows.append([r.asset_id, r.name, r.model if isinstance(r.model, str) else None, r.unit, int(r.qty),
                             counted, None if c is None else blank(c["condition"]), result_word])
                if c is not None and c["result"] != rg.MATCH:
                    styles[len(rows) - 1] = "error" if c["result"] == rg.LOSS else "warning"
            blocks.append(Block(["资产编号", "名称", "规格型号", "单位", "账面数量", "实存数量", "状况", "结果"], rows,
                                title=f"存放地点：{room}　　责任人：{keepers}　　共 {len(rows)} 项", row_styles=styles,
                                new_page=bool(blocks), wrap=(1, 2)))
            blocks.append(Block([], [], title=SIGN))
        if len(result):
            diff = result[result["result"] != rg.MATCH]
            rows = [[r.asset_id, r.name, r.room, r.keeper, r.book_qty, r.counted, r.found_room, r.result,
                     r.value if r.value else None] for r in diff.itertuples()]
            gain = float(diff.loc[diff["value"] > 0, "value"].sum())
            loss = float(-diff.loc[diff["value"] < 0, "value"].sum())
            blocks.append(Block(["资产编号", "名称", "账面地点", "责任人", "账面", "实存", "清点地点", "结果", "盈亏金额(元)"], rows,
                                title=f"清点结果：{len(result)} 项中相符 {int((result['result'] == rg.MATCH).sum())} 项；"
                                      f"盘盈 {gain:,.2f} 元，盘亏 {loss:,.2f} 元（盘亏的由责任人说明，按园内制度处理）",
                                new_page=bool(blocks), formats={8: MONEY},
                                row_styles={i: "error" if r[7] == rg.LOSS else "warning" for i, r in enumerate(rows)}))
        note = (f"清点日期 {last.isoformat()}：“实存数量”“状况”“结果”来自“资产清点”表；已清点的存放地点中没有清点行的资产按实存 0（盘亏）计。"
                if last else "学期末逐室清点：在“实存数量”“状况”栏填写，清点后把结果录入“资产清点”表，再刷新本表得出盘盈盘亏。")
        titles = [report_title(self.name, self.month, COUNT), note]
        return SheetOutput(COUNT, blocks, titles=titles, widths=[12, 18, 14, 6, 9, 9, 8, 12, 12], landscape=False,
                           page_header=f"{self.name} {COUNT}", tab_color=TAB)
