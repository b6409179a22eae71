"""The problem codes of reading and checking any sheet, with what users read instead of the code.
Each domain declares its own codes (Domain.codes); kgxl.app.registry joins them into one catalogue,
and a test fails on a code used anywhere in kgxl that the catalogue lacks."""
from __future__ import annotations

from kgxl.core.domain import Code

E, W = "错误", "警告"
CODES: dict[str, Code] = {
    # the workbook's layout
    "missing_sheet": Code("缺少工作表", E, "按工作表说明添加这张表（表名须一致）"),
    "missing_column": Code("缺少列", E, "在表头行添加该列，列名须与说明一致"),
    "missing_item": Code("缺少项目", E, "在 A 列添加该项目，在 B 列填写"),
    "empty_row": Code("中间有空行", W, "删除空行，数据连续填写"),
    "needs_upgrade": Code("工作簿需要升级", E, "在后勤助手网页上打开这个工作簿，点“升级工作簿”"),
    "fill_in": Code("尚未填写", W, "新工作簿：填写这一项（或这张表）后才能计算"),
    "stale_report": Code("报表不是按当前数据计算的", E, "先刷新汇总，再导出"),
    "stray_cell": Code("远离表格的单元格", W, "删除这个单元格的内容（多半是误操作输入的）"),
    "merged_cell": Code("数据区有合并单元格", E, "取消合并，在每个单元格分别填写"),
    # one cell's value
    "formula_error": Code("公式错误", E, "修正公式，或改填数值"),
    "not_number": Code("应为数字", E, "填写数字"),
    "fullwidth_number": Code("数字写成了全角或文本", W, "改为半角数字"),
    "number_as_text": Code("数字存成了文本", W, "把单元格改为数字格式"),
    "not_integer": Code("应为整数", E, "填写整数"),
    "number_too_large": Code("数值过大", E, "核对是否粘贴了编号或多打了数字"),
    "date_as_number": Code("日期显示为数字", W, "把单元格设为日期格式"),
    "not_date": Code("应为日期", E, "填写日期，如 2026-09-01"),
    "bad_date": Code("无效日期", E, "月或日超出范围，请改正"),
    "date_as_text": Code("日期写成了文本", W, "把单元格改为日期格式"),
    "date_without_year": Code("日期缺少年份", E, "写完整日期，如 2026-09-03"),
    "not_time": Code("应为时刻", E, "填写时刻，如 11:30"),
    "time_as_text": Code("时刻写成了文本", W, "把单元格改为时间格式"),
    "not_month": Code("应为月份", E, "填写月份，如 2026-09"),
    # the schema's rules for one column
    "required": Code("必须填写", E, "填写这个单元格"),
    "allowed": Code("不在可选值中", E, "从下拉列表中选择"),
    "below_min": Code("小于允许的最小值", E, "核对数值和单位"),
    "above_max": Code("大于允许的最大值", E, "核对数值和单位"),
    "bad_format": Code("格式不对", E, "按列说明的格式填写"),
    "duplicate": Code("重复", E, "该列全表应唯一，请改正重复的值"),
    # the schema's rules across columns and sheets
    "unknown_ref": Code("引用的名称不存在", E, "改为所引用表中已有的名称，或先在该表中添加"),
    "amount_mismatch": Code("金额不等于数量×单价", E, "核对数量、单价和金额"),
    "date_order": Code("日期先后顺序不对", E, "核对两个日期"),
    "order": Code("数值大小顺序不对", E, "核对两个数值"),
    "out_of_term": Code("不在本学期内", W, "核对日期或基本信息的学期起止日期"),
    # lists brought in by kgxl import (located in the file read)
    "bad_id_number": Code("身份证号有误", E, "核对身份证号（18位，末位为校验码）"),
    "id_mismatch": Code("与身份证号不一致", E, "核对出生日期、性别和身份证号"),
    "duplicate_child": Code("幼儿重复", E, "同名同出生日期的幼儿已在名册中，删去这一行或核对"),
    "entry_date_assumed": Code("入园日期按学期开始", W, "如不是学期第一天入园，导入后在名册中改正"),
    "holidays_unknown_year": Code("缺少该年的节假日数据", W, "在“节假日调整”表填写该年的放假和补班日期"),
}
