"""The procurement domain's sheet names: read by its declaration and its sheets."""
SUPPLIERS, DELIVERIES, SHELF, APPROVALS = "供应商与证照", "进货验收台账", "库存保质期", "采购审批情况"
