"""伙食费核算 (the accountant's working sheet, every month of the term so far) and 伙食账目公示 (the
one-page public notice of one month). Pure: MonthAccounts in, SheetOutputs out."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kgxl.core.calendar import month_label
from kgxl.core.money import MONEY, money, pct_value, yuan
from kgxl.core.port import Block, SheetOutput
from kgxl.domains.money.meal_account import CATEGORIES, MonthAccount, period_of
from kgxl.domains.money.shared import ACCOUNT, NOTICE


def rule_text(settings) -> str:
    return (f"幼儿伙食费专款专用、单独核算；本园按{period_of(settings)}核算，结余或亏损控制在当期伙食费收入的±2%以内"
            f"（盈亏率＝结余÷收入）。")


def reconciliation(accs: list[MonthAccount], cash: tuple[int, int] | None) -> str:
    """The line that ties the term's account (refunds owed, food used) to the cash 预算执行 shows."""
    receipts, owed, paid = (sum(getattr(a, k) for a in accs) for k in ("receipts", "refunds", "refunds_paid"))
    opening, purchases, closing = int(accs[0].stock["opening"].sum()), sum(int(a.stock["purchases"].sum()) for a in accs), \
        int(accs[-1].stock["closing"].sum())
    cost = sum(a.cost for a in accs)
    text = (f"与现金收付的对应（本学期累计）：伙食费收入 {_y(receipts - owed)} ＝ 实收 {_y(receipts)} − 应退 {_y(owed)}（其中已退付 {_y(paid)}，尚未退付 {_y(owed - paid)}）；"
            f"伙食支出 {_y(cost)} ＝ 学期初库存 {_y(opening)} ＋ 购入 {_y(purchases)} − 现有库存 {_y(closing)}。")
    if cash is not None:
        text += (f"“预算执行”按收支明细记的是现金：伙食类收入 {_y(cash[0])}、支出 {_y(cash[1])}，与上面的差额即尚未退付的"
                 f"伙食费、库存变化和尚未入账的收付。")
    return text


def _fraction(p) -> float | None:
    """A pct() (percent, to 0.01) as the fraction a 0.00% cell shows."""
    return None if p is None else float(p / 100)


def _y(fen: int) -> str:
    return f"{fen / 100:,.2f} 元"


def account_sheet(accs: list[MonthAccount], settings, cash: tuple[int, int] | None = None) -> SheetOutput:
    name, period = settings.kindergarten_name or "", period_of(settings)
    last = accs[-1]
    monthly, styles = [], {}
    for i, a in enumerate(accs):
        status = a.status(period)
        monthly.append([month_label(a.month), a.child_days, settings.meal_fee, yuan(a.receipts), yuan(a.refunds),
                        yuan(a.income), yuan(a.cost), yuan(a.balance), pct_value(a.pct), yuan(a.cum_income),
                        yuan(a.cum_balance), pct_value(a.cum_pct),
                        float(a.per_child_day) if a.per_child_day is not None else None, status,
                        a.refunds_from, yuan(a.refunds_paid)])
        if status not in ("正常", "无收入"):
            styles[i] = "error"
    days = sum(a.child_days or 0 for a in accs)
    cost = sum(a.cost for a in accs)
    styles[len(monthly)] = "total"
    monthly.append(["本学期累计", days or None, settings.meal_fee, yuan(sum(a.receipts for a in accs)),
                    yuan(sum(a.refunds for a in accs)), yuan(last.cum_income), yuan(cost), yuan(last.cum_balance),
                    pct_value(last.cum_pct), yuan(last.cum_income), yuan(last.cum_balance), pct_value(last.cum_pct),
                    float(money(Decimal(cost) / 100 / days)) if days else None, last.status("学期"), None,
                    yuan(sum(a.refunds_paid for a in accs))])
    money_cols = {c: MONEY for c in (3, 4, 5, 6, 7, 9, 10, 15)}
    first = Block(["月份", "儿童人日数", "伙食费标准(元/人/天)", "伙食费实收", "应退伙食费", "伙食费收入", "伙食支出",
                   "本月结余", "本月盈亏率(%)", "累计收入", "累计结余", "累计盈亏率(%)", "每人日食品成本(元)",
                   f"核算结果（按{period}）", "应退依据", "本月实际退付"], monthly, title="一、各月收支",
                  formats={**money_cols, 2: "0.00", 8: "0.00", 11: "0.00", 12: "0.00"}, row_styles=styles)
    rows, cat_styles = [], {}
    for a in accs:
        s = a.stock
        used = s[(s != 0).any(axis=1)]
        for cat, r in used.iterrows():
            rows.append([month_label(a.month), cat, *(yuan(r[k]) for k in ("opening", "purchases", "issued", "closing",
                                                                             "cost", "adjust"))])
        cat_styles[len(rows)] = "total"
        rows.append([month_label(a.month), "合计", *(yuan(s[k].sum()) for k in ("opening", "purchases", "issued", "closing",
                                                                              "cost", "adjust"))])
    second = Block(["月份", "类别", "期初库存", "本月购入", "本月出库", "期末库存", "伙食支出", "盘点差异（盘亏为正）"], rows,
                   title="二、各类食品支出（伙食支出＝期初库存＋本月购入－期末库存）",
                   formats={c: MONEY for c in range(2, 8)}, row_styles=cat_styles)
    titles = [f"{name} {month_label(last.month)} 伙食费核算（本学期截至{month_label(last.month)}）".strip(),
              rule_text(settings) + "伙食费收入＝伙食费实收－应退伙食费；有出勤表的月份按出勤表和退费规则计算应退，"
              "没有出勤表的月份按收费记录中的退费（负数金额）计算。期末库存有盘点的按盘点金额，否则按账面结存。"
              + reconciliation(accs, cash)]
    return SheetOutput(ACCOUNT, [first, second], titles=titles,
                       widths=[12, 10, 11, 13, 12, 13, 13, 12, 10, 13, 12, 10, 11, 13, 9, 12],
                       page_header=f"{name} 伙食费核算", tab_color="FF548235")


def notice_sheet(a: MonthAccount, settings, published: dt.date) -> SheetOutput:
    name, period = settings.kindergarten_name or "", period_of(settings)
    fee = settings.meal_fee
    income = Block(["项目", "金额(元)"], [["伙食费实收", yuan(a.receipts)], ["减：应退伙食费", yuan(a.refunds)],
                                      ["本月伙食费收入", yuan(a.income)]],
                   title="一、伙食费收入", formats={1: MONEY}, row_styles={2: "total"})
    s = a.stock
    rows = [[cat, *(yuan(s.at[cat, k]) for k in ("opening", "purchases", "closing", "cost"))]
            for cat in CATEGORIES if (s.loc[cat] != 0).any()]
    rows.append(["合计", *(yuan(s[k].sum()) for k in ("opening", "purchases", "closing", "cost"))])
    spend = Block(["食品类别", "期初库存", "本月购入", "期末库存", "本月支出"], rows,
                  title="二、伙食支出（本月支出＝期初库存＋本月购入－期末库存）", formats={c: MONEY for c in range(1, 5)},
                  row_styles={len(rows) - 1: "total"})
    result = Block(["项目", "本月", "本学期累计"],
                   [["伙食费收入(元)", yuan(a.income), yuan(a.cum_income)],
                    ["伙食支出(元)", yuan(a.cost), yuan(a.cum_income - a.cum_balance)],
                    ["结余(元)（负数为亏损）", yuan(a.balance), yuan(a.cum_balance)],
                    ["盈亏率", _fraction(a.pct), _fraction(a.cum_pct)],
                    [f"核算结果（按{period}，±2%以内为正常）", a.status("月") if period == "月" else "—",
                     a.status("学期")]],
                   title="三、收支结余", formats={1: MONEY, 2: MONEY},
                   cell_formats={(3, 1): "0.00%", (3, 2): "0.00%"})  # the rate a number, shown as a percent
    signs = Block(["园长（签字）", "会计（签字）", "膳食委员会（签字）", "公示日期"],
                  [[None] * 4, [None, None, None, f"{published.year}年{published.month}月{published.day}日"]],
                  title="四、签字")
    days = f"{a.child_days:,}" if a.child_days is not None else "（无出勤表）"
    cost = f"{a.per_child_day} 元" if a.per_child_day is not None else "—"
    fee_text = f"{fee:.2f} 元/人/天" if fee is not None else "未设置"
    titles = [f"{name} {month_label(a.month)} 伙食账目公示".strip(),
              f"本月就餐儿童 {days} 人日，伙食费标准 {fee_text}，每人日食品成本 {cost}。" + rule_text(settings)
              + "欢迎家长监督。"]
    return SheetOutput(NOTICE, [income, spend, result, signs], titles=titles, widths=[30, 16, 16, 18, 16],
                       landscape=False, page_header=f"{name} 伙食账目公示", tab_color="FF548235")
