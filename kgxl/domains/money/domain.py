"""The money domain, declared once (see kgxl.core.domain). Refunds and present days come from the
attendance domain (a declared dependency)."""
from __future__ import annotations

from kgxl.core.actions import TODAY
from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.money.names import (
    ACCOUNT,
    ACCOUNT_INPUTS,
    AID,
    ARREARS,
    BUDGET,
    FEES,
    MEAL_SHEETS,
    NOTICE,
    RECEIPTS,
    REMINDERS,
    SETTLE_INPUTS,
    SETTLE_NEEDS,
    SETTLEMENT,
)

DOMAIN = Domain(
    name="money", title="财务", group="财务",
    inputs=("stock", "fee_items", "fee_records", "ledger", "budget", "money_settings", "receipt_books", "receipt_voids",
            "aid", "opening_arrears"),
    rules=".rules:rules", rule_inputs=(*SETTLE_INPUTS, "stock", "receipt_books", "receipt_voids"),
    reports=(
        Report("meals", "伙食费结算", "按食品出入库、收费记录和出勤表核算各月伙食费收支、库存和盈亏率（±2%），"
               "生成伙食费核算表和本月伙食账目公示", ".sheets:make_meals",
               inputs=(*ACCOUNT_INPUTS, "stock", "budget", "ledger", "money_settings", "aid"), needs=MEAL_SHEETS,
               sheets=(ACCOUNT, NOTICE), image="AccountingFormat"),
        Report("budget", "预算执行", "按收支明细统计学期预算各科目的执行情况，标出超预算和预算外的科目", ".sheets:make_budget",
               inputs=("settings", "budget", "ledger"), needs=("budget", "ledger"), sheets=(BUDGET,),
               image="ConditionalFormattingDataBarsGallery"),
        Report("fees", "收费公示", "按收费项目生成本学期收费公示表（A4 一页，可直接打印张贴）", ".sheets:make_fees",
               inputs=("settings", "money_settings", "fee_items", "aid"), needs=("fee_items",), sheets=(FEES,), image="FilePrint",
               params=(TODAY,)),
        Report("settle", "学期结算", "按收费项目、在园时间、资助和已缴费用，计算每名幼儿应退或应补的金额（多退少补或多退少不补），"
               "并核对收费、退费、资助与收支明细中的收费收入", ".sheets:make_settlement", inputs=SETTLE_INPUTS,
               needs=SETTLE_NEEDS, sheets=(SETTLEMENT,),
               image="FunctionsFinancialInsertGallery"),
        Report("arrears", "欠费与催费", "按学期结算的同一口径列出欠费的幼儿（按班级，含欠费金额和逾期天数），并生成每名幼儿一张的"
               "催费通知（每页四张，可剪开分发）", ".sheets:make_arrears", inputs=SETTLE_INPUTS,
               needs=SETTLE_NEEDS, sheets=(ARREARS, REMINDERS), image="FileEmailAsPdfEmailAttachment",
               refresh_when=".sheets:has_arrears"),
        Report("aid", "资助情况", "按资助对象统计本学期各类别、各资金来源的资助人数和金额，以及本园从事业收入中提取资助的比例"
               "（不含幼儿姓名，可报教育局）", ".sheets:make_aid", inputs=SETTLE_INPUTS,
               needs=("aid", *SETTLE_NEEDS), sheets=(AID,), image="AccountingFormatExcel",
               refresh_when=".sheets:has_aid"),
        Report("receipts", "票据使用情况", "按票据领用登记的每本收据统计本月和累计使用、作废、未用的张数和收费金额，列出跳号、"
               "重复使用和不在号段内的票据号", ".sheets:make_receipts",
               inputs=("settings", "fee_records", "receipt_books", "receipt_voids"), needs=("fee_records", "receipt_books"),
               sheets=(RECEIPTS,), image="NumberFormatsDialog", refresh_when=".sheets:has_books"),
    ),
    bureau=(NOTICE, FEES, BUDGET, AID),
    personal=(SETTLEMENT, RECEIPTS, ARREARS, REMINDERS),
    requires=("attendance",),
    carry={"stock": ".carry:opening_stock", "fee_items": KEEP, "receipt_books": ".carry:open_books",
           "aid": ".carry:continuing_aid", "opening_arrears": ".carry:arrears"},
    sample=".sample:rows",
    codes={
        "finer_than_fen": Code("金额精确到分以下", "警告", "金额写到分（0.01 元）"),
        "staff_meal": Code("教职工伙食记入了幼儿伙食账", "错误", "从本表删除这一行，在教职工伙食账中另行记录"),
        "stock_negative": Code("出库超过库存", "错误", "核对出库数量，或补录入库"),
        "value_left": Code("出库后库存金额不为零", "警告", "核对出入库单价，或在月末盘点时按实际金额登记"),
        "fee_category_blank": Code("收费项目没有类别", "警告", "按批准文件填写收费类别，否则公示为“未分类”"),
        "voluntary_not_agency": Code("代收费未标为代收代办", "警告", "核对收费类别或代收代办"),
        "receipt_unread": Code("票据号读不出", "警告", "按票据上印的字头和数字填写"),
        "receipt_typed": Code("票据号写法不规范", "警告", "按票据上印的写：半角，不加 NO."),
        "receipt_reused": Code("票据号重复使用", "警告", "核对票据号：每个号码只能用一次"),
        "receipt_outside": Code("票据号不在领用的号段内", "警告", "在票据领用登记这一本，或核对号码"),
        "receipt_missing": Code("收费没有票据号", "警告", "补填票据号"),
        "receipt_gap": Code("票据跳号", "警告", "找到票据补登，或登记作废"),
        "aid_standard": Code("资助标准读不出", "错误", "填每学期金额（如 600）或比例（如 50%、全免）"),
        "aid_item": Code("资助项目不按在园时间收费", "错误", "选按天、月或学期收取的收费项目"),
        "aid_not_enrolled": Code("资助对象不在园", "错误", "核对幼儿编号、资助起止日期或名册的入园离园日期"),
        "aid_twice": Code("同一项目重复资助", "错误", "同一幼儿同一项目同一学期只登记一行"),
        "aid_beyond_fee": Code("资助超过应缴金额", "错误", "资助不能超过该项目本学期的应缴金额"),
        "aid_below_band": Code("资助提取比例低于规定", "警告", "按规定从事业收入中提取资助资金（财教〔2011〕410号）"),
        "receipt_closed_unused": Code("票据未用完就核销", "警告", "核对核销日期，或把未用的号码登记作废"),
        "waived_fee": Code("向免收的幼儿收取了保教费", "错误", "公办园该年龄段免收保育教育费：删除这一行或改为退费"),
    },
)
