"""The money domain's names: read by its declaration and its sheets."""
ACCOUNT, NOTICE, BUDGET, FEES, SETTLEMENT, RECEIPTS = "伙食费核算", "伙食账目公示", "预算执行", "收费公示", "学期结算", "票据使用情况"
# what the meal account reads (a month's refunds from the registers, by the refund rule)
ACCOUNT_INPUTS = ("settings", "attendance_settings", "roster", "holiday_overrides", "register", "fee_items",
                  "fee_records")
MEAL_SHEETS = ("stock", "fee_items", "fee_records")  # the meal account cannot be made without these
WAIVER_SHEETS = ("fee_records", "fee_items", "roster", "classes")  # a waived 保教费 is found from these
