"""The assets domain's sheet names and words, shared by its declaration, rules and sheets."""
SUMMARY, COUNT, SUPPLIES, LOANS, REPAIRS, ENERGY = "资产台账汇总", "资产清点表", "物品出入单", "出借未还", "维修情况", "能耗统计"
SCRAPPED = "已报废"
OFF_BOOKS = ("报废", "盘亏")  # changes after which an asset is off the books
UNITS = {"水": "吨", "电": "千瓦时", "燃气": "立方米"}
TAB = "FF8B6914"


def blank(x):
    """None for a blank cell (None or pandas' NaN), else the value."""
    return None if x is None or x != x else x


def where(frame, test, column: str):
    """The rows whose value in the column passes the test (a boolean mask that stays one on an empty frame)."""
    import pandas as pd

    return frame[pd.Series([bool(test(x)) for x in frame[column]], index=frame.index, dtype=bool)]


def spent(tables: dict, first, last) -> dict[str, float]:
    """收支明细's 支出 by 预算科目 between two days (both included); empty without the sheet."""
    if "ledger" not in tables:
        return {}
    led = tables["ledger"].frame.dropna(subset=["date", "budget_item", "amount"])
    led = led[(led["direction"] == "支出") & (led["date"] >= first) & (led["date"] <= last)]
    return {k: float(v) for k, v in led.groupby("budget_item")["amount"].sum().items()}
