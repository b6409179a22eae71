"""The money domain's names: read by its declaration and its sheets."""
ACCOUNT, NOTICE, BUDGET, FEES, SETTLEMENT, RECEIPTS = "伙食费核算", "伙食账目公示", "预算执行", "收费公示", "学期结算", "票据使用情况"
ARREARS, REMINDERS, AID = "欠费明细", "催费通知", "资助情况"
# what 学期结算 reads, and so 欠费明细 and 催费通知 (the same computation)
SETTLE_INPUTS = ("settings", "attendance_settings", "money_settings", "roster", "classes", "holiday_overrides", "register",
                 "fee_items", "fee_records", "budget", "ledger", "aid", "opening_arrears")
# what the meal account reads (a month's refunds from the registers, by the refund rule)
ACCOUNT_INPUTS = ("settings", "attendance_settings", "roster", "holiday_overrides", "register", "fee_items",
                  "fee_records")
MEAL_SHEETS = ("stock", "fee_items", "fee_records")  # the meal account cannot be made without these
WAIVER_SHEETS = ("fee_records", "fee_items", "roster", "classes")  # a waived 保教费 is found from these
SETTLE_NEEDS = ("fee_items", "fee_records", "roster")  # 学期结算 and what follows it cannot be made without these
