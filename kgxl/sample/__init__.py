"""The sample kindergarten shipped in workbook/Logistics.xlsm: invented people, realistic shape."""
