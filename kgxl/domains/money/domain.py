"""The money domain, declared once (see kgxl.core.domain). Refunds and present days come from the
attendance domain (a declared dependency)."""
from __future__ import annotations

from kgxl.core.actions import TODAY, UserError
from kgxl.core.calendar import month_end_in_term, month_label
from kgxl.core.domain import Code, Domain, Report
from kgxl.domains.money.shared import (
    ACCOUNT,
    BUDGET,
    FEES,
    MEAL_INPUTS,
    MEAL_SHEETS,
    NOTICE,
    SETTLEMENT,
    meal_accounts,
    stock_ledger,
)


def rules(v) -> list:
    from kgxl.domains.money.fee_notice import waived_fees
    from kgxl.domains.money.stock import stock_problems

    out = stock_problems(v.tables["stock"], stock_ledger(v)) if "stock" in v.tables else []
    t = v.tables
    if all(k in t for k in ("fee_records", "fee_items", "roster", "classes")):
        out += waived_fees(t["fee_records"], t["fee_items"].frame, t["roster"].frame, t["classes"].frame, v.settings)
    return out


def make_meals(v, req):
    from kgxl.domains.money.meal_account import meal_items, period_of
    from kgxl.domains.money.meal_account_sheet import account_sheet, notice_sheet

    month = req.month
    if not meal_items(v.tables["fee_items"].frame):
        raise UserError("“收费项目”中没有伙食费项目（项目名称应含“伙食费”），无法核算伙食费收入")
    accs = meal_accounts(v, month)
    a, period = accs[-1], period_of(v.settings)
    off = [f"{month_label(x.month)}{x.status(period)}" for x in accs if x.status(period) not in ("正常", "无收入")]
    what = (f"{ACCOUNT}、{NOTICE}（{month_label(month)}收入 {a.income / 100:,.2f} 元，支出 {a.cost / 100:,.2f} 元，"
            f"盈亏率 {a.pct if a.pct is not None else '—'}%" + (f"；请注意：{'、'.join(off)}" if off else "") + "）")
    cash = None
    if "budget" in v.tables and "ledger" in v.tables:
        from kgxl.domains.money.budget_execution import meal_cash

        cash = meal_cash(v.tables["budget"].frame, v.tables["ledger"].frame, v.settings.term_start,
                         month_end_in_term(month, v.settings.term_end))
    return [account_sheet(accs, v.settings, cash), notice_sheet(a, v.settings, req.today)], what


def make_budget(v, req):
    from kgxl.domains.money.budget_execution import budget_sheet

    sheet = budget_sheet(v.tables["budget"].frame, v.tables["ledger"].frame, v.settings, req.month)
    flagged = sum(len(b.row_styles) - 1 for b in sheet.blocks[:2])
    return [sheet], BUDGET + (f"（{flagged} 个科目超预算或预算外）" if flagged else "")


def make_fees(v, req):
    from kgxl.domains.money.fee_notice import fee_notice

    return [fee_notice(v.tables["fee_items"].frame, v.settings, req.today)], FEES


def make_settlement(v, req):
    from kgxl.domains.attendance.shared import child_days
    from kgxl.domains.money.settlement import settle, settlement_sheet

    t, month = v.tables, req.month
    s = settle(t["fee_records"].frame, t["fee_items"].frame, child_days(v), t["roster"].frame,
               t["ledger"].frame if "ledger" in t else None, t["budget"].frame if "budget" in t else None,
               v.settings, month_end_in_term(month, v.settings.term_end))
    b = s.rows["balance"]
    return [settlement_sheet(s, v.settings, month)], (f"{SETTLEMENT}（{int((b > 0).sum())} 名幼儿应退 "
                                                      f"{b.clip(lower=0).sum() / 100:,.2f} 元，{int((b < 0).sum())} 名应补 "
                                                      f"{-b.clip(upper=0).sum() / 100:,.2f} 元）")


DOMAIN = Domain(
    name="money", title="财务", group="财务",
    inputs=("stock", "fee_items", "fee_records", "ledger", "budget"),
    rules=rules,
    reports=(
        Report("meals", "伙食费结算", "按食品出入库、收费记录和出勤表核算各月伙食费收支、库存和盈亏率（±2%），"
               "生成伙食费核算表和本月伙食账目公示", make_meals, inputs=(*MEAL_INPUTS, "register"), needs=MEAL_SHEETS,
               sheets=(ACCOUNT, NOTICE), image="AccountingFormat"),
        Report("budget", "预算执行", "按收支明细统计学期预算各科目的执行情况，标出超预算和预算外的科目", make_budget,
               inputs=("settings", "budget", "ledger", "register"), needs=("budget", "ledger"), sheets=(BUDGET,),
               image="ConditionalFormattingDataBarsGallery"),
        Report("fees", "收费公示", "按收费项目生成本学期收费公示表（A4 一页，可直接打印张贴）", make_fees,
               inputs=("settings", "fee_items", "register"), needs=("fee_items",), sheets=(FEES,), image="FilePrint",
               params=(TODAY,)),
        Report("settle", "学期结算", "按已缴费用、在园天数和代收代办项目的实际支出，计算每名幼儿应退或应补的金额（多退少补）",
               make_settlement, inputs=(*MEAL_INPUTS, "budget", "ledger", "register"),
               needs=("fee_items", "fee_records", "roster"), sheets=(SETTLEMENT,),
               image="FunctionsFinancialInsertGallery"),
    ),
    bureau=(NOTICE, FEES, BUDGET),
    personal=(SETTLEMENT,),
    requires=("attendance",),
    codes={
        "finer_than_fen": Code("金额精确到分以下", "警告", "金额写到分（0.01 元）"),
        "staff_meal": Code("教职工伙食记入了幼儿伙食账", "错误", "从本表删除这一行，在教职工伙食账中另行记录"),
        "stock_negative": Code("出库超过库存", "错误", "核对出库数量，或补录入库"),
        "value_left": Code("出库后库存金额不为零", "警告", "核对出入库单价，或在月末盘点时按实际金额登记"),
        "waived_fee": Code("向免收的幼儿收取了保教费", "错误", "公办园该年龄段免收保育教育费：删除这一行或改为退费"),
    },
)
