"""The assets domain's sheet names and words: read by its declaration, rules and sheets."""
SUMMARY, COUNT, SUPPLIES, LOANS, REPAIRS, ENERGY = "资产台账汇总", "资产清点表", "物品出入单", "出借未还", "维修情况", "能耗统计"
SCRAPPED = "已报废"
OFF_BOOKS = ("报废", "盘亏")  # changes after which an asset is off the books
UNITS = {"水": "吨", "电": "千瓦时", "燃气": "立方米"}
TAB = "FF8B6914"
