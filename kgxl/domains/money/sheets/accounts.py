"""The money domain's account sheets: 伙食费核算 (the accountant's working sheet, every month of the term so far),
伙食账目公示 (the one-page public notice of one month), 预算执行 and 收费公示 (A4, one page); and the reports that
make them. Pure: the domain's computations in, SheetOutputs out."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from kgxl.core.actions import UserError
from kgxl.core.calendar import month_bounds, month_end_in_term, month_label
from kgxl.core.money import MONEY, money, pct, pct_value, yuan
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import report_title
from kgxl.domains.money.aid import BASIS, band
from kgxl.domains.money.budget_execution import DIRECTIONS, execution, meal_cash
from kgxl.domains.money.fees import CATEGORIES as FEE_CATEGORIES
from kgxl.domains.money.fees import VOLUNTARY, category_of, waiver_text
from kgxl.domains.money.meal_account import CATEGORIES, MonthAccount, meal_items, period_of
from kgxl.domains.money.names import ACCOUNT, BUDGET, FEES, NOTICE
from kgxl.domains.money.shared import meal_accounts


def rule_text(settings) -> str:
    return (f"幼儿伙食费专款专用、单独核算；本园按{period_of(settings)}核算，结余或亏损控制在当期伙食费收入的±2%以内"
            f"（盈亏率＝结余÷收入）。")


def reconciliation(accs: list[MonthAccount], cash: tuple[int, int] | None) -> str:
    """The line that ties the term's account (refunds owed, food used) to the cash 预算执行 shows."""
    receipts, owed, paid = (sum(getattr(a, k) for a in accs) for k in ("receipts", "refunds", "refunds_paid"))
    opening, purchases, closing = int(accs[0].stock["opening"].sum()), sum(int(a.stock["purchases"].sum()) for a in accs), \
        int(accs[-1].stock["closing"].sum())
    cost = sum(a.cost for a in accs)
    aid = sum(a.aid for a in accs)
    text = (f"与现金收付的对应（本学期累计）：伙食费收入 {_y(receipts - owed)} ＝ 实收 {_y(receipts)}"
            + (f"（含资助抵缴 {_y(aid)}）" if aid else "") + f" − 应退 {_y(owed)}（其中已退付 {_y(paid)}，尚未退付 {_y(owed - paid)}）；"
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
    titles = [report_title(name, last.month, f"伙食费核算（本学期截至{month_label(last.month)}）"),
              rule_text(settings) + "伙食费收入＝伙食费实收－应退伙食费；有出勤表的月份按出勤表和退费规则计算应退，"
              "没有出勤表的月份按收费记录中的退费（负数金额）计算。期末库存有盘点的按盘点金额，否则按账面结存。"
              + reconciliation(accs, cash)]
    return SheetOutput(ACCOUNT, [first, second], titles=titles,
                       widths=[12, 10, 11, 13, 12, 13, 13, 12, 10, 13, 12, 10, 11, 13, 9, 12],
                       page_header=f"{name} 伙食费核算", tab_color="FF548235")


def stock_gaps(stock: pd.DataFrame, month: str, school_days: list[dt.date]) -> str:
    """What the month's food cost rests on, said to the parents and the accountant when it is not a count: no 盘点
    (the closing stock is the book balance), and 出库 on fewer days than the kindergarten had school — food not
    booked out stays in stock, so the month's cost is too low and its surplus too high."""
    first, last = month_bounds(month)
    rows = stock[[isinstance(d, dt.date) and first <= d <= last for d in stock["date"]]]
    if (rows["kind"] == "盘点").any():
        return ""
    out_days = len(set(rows.loc[rows["kind"] == "出库", "date"]))
    text = "本月没有盘点，期末库存按账面结存（期初＋购入－出库）计算"
    if out_days < len(school_days):
        text += (f"；出库只登记了 {out_days} 天（本月上学 {len(school_days)} 天），未登记出库的食品仍算作库存，"
                 "本月支出因此偏低、结余偏高，请补登出库或在月末盘点后重新生成")
    return text + "。"


def notice_sheet(a: MonthAccount, settings, published: dt.date, gaps: str = "") -> SheetOutput:
    name, period = settings.kindergarten_name or "", period_of(settings)
    fee = settings.meal_fee
    income = Block(["项目", "金额(元)"], [["伙食费实收" + (f"（含资助抵缴 {_y(a.aid)}）" if a.aid else ""), yuan(a.receipts)], ["减：应退伙食费", yuan(a.refunds)],
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
                  [[None, None, None, f"{published.year}年{published.month}月{published.day}日"]],
                  title="四、签字", tall=3)  # one row, three lines high: room for a signature
    days = f"{a.child_days:,}" if a.child_days is not None else "（无出勤表）"
    cost = f"{a.per_child_day} 元" if a.per_child_day is not None else "—"
    fee_text = f"{fee:.2f} 元/人/天" if fee is not None else "未设置"
    titles = [report_title(name, a.month, "伙食账目公示"),
              f"本月就餐儿童 {days} 人日，伙食费标准 {fee_text}，每人日食品成本 {cost}。" + rule_text(settings)
              + gaps + "欢迎家长监督。"]
    return SheetOutput(NOTICE, [income, spend, result, signs], titles=titles, widths=[30, 16, 16, 18, 16],
                       landscape=False, page_header=f"{name} 伙食账目公示", tab_color="FF548235")


def budget_sheet(budget: pd.DataFrame, ledger: pd.DataFrame, settings, month: str) -> SheetOutput:
    name = settings.kindergarten_name or ""
    start, end = settings.term_start, settings.term_end
    as_of = month_end_in_term(month, end)
    expected = pct((as_of - start).days + 1, (end - start).days + 1)
    df = execution(budget, ledger, start, as_of)
    blocks = []
    for n, direction in enumerate(DIRECTIONS):
        part = df[df["direction"] == direction]
        rows, styles = [], {}
        for r in part.itertuples():
            if not r.budgeted:
                status = "预算外"
            elif direction == "支出" and r.actual > r.budget:
                status = "超预算"
            else:
                status = "正常"
            if status != "正常":
                styles[len(rows)] = "error"
            rows.append([r.budget_item, r.category, yuan(r.budget), yuan(r.actual), yuan(r.budget - r.actual),
                         pct_value(pct(r.actual, r.budget)), pct_value(expected), status])
        styles[len(rows)] = "total"
        total_b, total_a = int(part["budget"].sum()), int(part["actual"].sum())
        rows.append([f"{direction}合计", None, yuan(total_b), yuan(total_a), yuan(total_b - total_a),
                     pct_value(pct(total_a, total_b)), pct_value(expected), None])
        blocks.append(Block(["预算科目", "科目类别", "预算金额", "实际发生", "剩余预算", "执行率(%)", "时间进度(%)", "状态"],
                            rows, title=f"{'一二'[n]}、{direction}", formats={2: MONEY, 3: MONEY, 4: MONEY, 5: "0.00", 6: "0.00"},
                            row_styles=styles))
    by_cat = df.groupby(["direction", "category"], sort=False)[["budget", "actual"]].sum().reset_index()
    by_cat["order"] = by_cat["direction"].map({d: i for i, d in enumerate(DIRECTIONS)})
    rows = [[r.direction, r.category, yuan(r.budget), yuan(r.actual), yuan(r.budget - r.actual),
             pct_value(pct(r.actual, r.budget))] for r in by_cat.sort_values("order", kind="stable").itertuples()]
    blocks.append(Block(["收支", "科目类别", "预算金额", "实际发生", "剩余预算", "执行率(%)"], rows, title="三、按科目类别汇总",
                        formats={2: MONEY, 3: MONEY, 4: MONEY, 5: "0.00"}))
    titles = [report_title(name, month, f"学期预算执行情况（{settings.term_label or ''}）"),
              f"统计 {start} 至 {as_of} 的收支明细；本学期已过 {expected}% 的天数（时间进度）。超出预算的支出和"
              f"预算外的科目标为红色；预算外科目请补列预算或改正收支明细中的预算科目。"]
    return SheetOutput(BUDGET, blocks, titles=titles, widths=[18, 12, 15, 15, 15, 11, 11, 10],
                       landscape=False, page_header=f"{name} 预算执行", tab_color="FF548235")


def aid_policy(aided: list[str], settings) -> str:
    """收费公示's 资助政策 line: the band of 事业收入 set aside (财教〔2011〕410号) and the items 资助 reduces."""
    if not aided:
        return ""
    lo, hi = band(settings)
    return (f"资助政策：本园按规定从事业收入中提取 {lo:g}%–{hi:g}% 的资金（{BASIS}），对家庭经济困难、孤儿、残疾等幼儿减免"
            f"{'、'.join(aided)}，由家长申请、本园认定后公示。")


def fee_notice(items: pd.DataFrame, settings, published: dt.date, aided: list[str] = ()) -> SheetOutput:
    name = settings.kindergarten_name or ""
    rank = {c: i for i, c in enumerate(FEE_CATEGORIES)}
    known = sorted(items.dropna(subset=["item"]).itertuples(), key=lambda r: rank.get(category_of(r), len(rank)))
    rows = [[category_of(r), r.item, r.price, r.unit, r.basis, r.refund_rule,
             "家长自愿" if category_of(r) == VOLUNTARY or r.agency == "是" else "否"] for r in known]
    voluntary = [r[1] for r in rows if r[6] == "家长自愿"]
    notes = ["本园按下表项目和标准收费，表外不收取任何费用。", waiver_text(settings)]
    if voluntary:
        notes.append(f"{'、'.join(voluntary)}为代收费项目，由家长自愿选择，按实际支出结算，学期末多退少补。")
    notes.append(aid_policy(list(aided), settings))
    notes.append(f"咨询电话：{settings.phone}。" if settings.phone else "")
    sign = Block(["园长（签字）", "公示日期"], [[None, f"{published.year}年{published.month}月{published.day}日"]])
    titles = [f"{name} {settings.term_label or ''} 收费公示".strip(), "".join(notes)]
    header = ["收费类别", "收费项目", "收费标准(元)", "计费单位", "收费依据（批准文号）", "退费办法", "家长自愿"]
    return SheetOutput(FEES, [Block(header, rows, formats={2: MONEY}, wrap=(4, 5)), sign],
                       titles=titles, widths=[10, 14, 12, 8, 32, 38, 9], page_header=f"{name} 收费公示",
                       tab_color="FF548235")


def make_meals(v, req):
    month = req.month
    if not meal_items(v.tables["fee_items"].frame):
        raise UserError("“收费项目”中没有伙食费项目（项目名称应含“伙食费”），无法核算伙食费收入")
    accs = meal_accounts(v, month)
    a, period = accs[-1], period_of(v.settings)
    off = [f"{month_label(x.month)}{x.status(period)}" for x in accs if x.status(period) not in ("正常", "无收入")]
    until = min(month_bounds(month)[1], req.today)
    school = [d for d in v.calendar.days if d.strftime("%Y-%m") == month and d <= until] if v.calendar else []
    gaps = stock_gaps(v.tables["stock"].frame, month, school)
    what = (f"{ACCOUNT}、{NOTICE}（{month_label(month)}收入 {a.income / 100:,.2f} 元，支出 {a.cost / 100:,.2f} 元，"
            f"盈亏率 {a.pct if a.pct is not None else '—'}%" + (f"；请注意：{'、'.join(off)}" if off else "")
            + (f"；{gaps.rstrip('。')}" if gaps else "") + "）")
    cash = None
    if "budget" in v.tables and "ledger" in v.tables:
        cash = meal_cash(v.tables["budget"].frame, v.tables["ledger"].frame, v.settings.term_start,
                         month_end_in_term(month, v.settings.term_end))
    return [account_sheet(accs, v.settings, cash), notice_sheet(a, v.settings, req.today, gaps)], what


def make_budget(v, req):
    sheet = budget_sheet(v.tables["budget"].frame, v.tables["ledger"].frame, v.settings, req.month)
    flagged = sum(len(b.row_styles) - 1 for b in sheet.blocks[:2])
    return [sheet], BUDGET + (f"（{flagged} 个科目超预算或预算外）" if flagged else "")


def make_fees(v, req):
    aided = list(dict.fromkeys(v.tables["aid"].frame["item"].dropna())) if v.has_rows("aid") else []
    return [fee_notice(v.tables["fee_items"].frame, v.settings, req.today, aided)], FEES
