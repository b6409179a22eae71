"""The procurement domain (食品采购与验收), declared once (see kgxl.core.domain): 供应商 with their papers, 进货验收
per delivery tied to money's 食品出入库 (read through money's shared.py), stock by batch with its 保质期, and the
请购——审批——购买——入账 chain against 收支明细.

Its reports are stopped only by 基本信息's 错误: they are the registers an inspector reads, and list the very
problems (an expired batch, a 入库 with no delivery) that are 错误 of their input sheets."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.procurement.names import APPROVALS, DELIVERIES, SHELF, SUPPLIERS

STOCK = ("settings", "deliveries", "stock")

DOMAIN = Domain(
    name="procurement", title="食品采购与验收", group="膳食",
    inputs=("suppliers", "deliveries", "purchase_requests", "procurement_settings"),
    rules=".rules:rules",
    rule_inputs=(*STOCK, "procurement_settings", "suppliers", "purchase_requests", "ledger"),
    reports=(
        Report("suppliers", "供应商与证照", "列出每家供应商的统一社会信用代码、许可证有效期和状态（有效、即将到期、已过期），"
               "是否定点，本月和本学期的进货次数和金额", ".sheets:make_suppliers",
               inputs=(*STOCK, "procurement_settings", "suppliers"), needs=("suppliers",), stops_on=("settings",),
               sheets=(SUPPLIERS,), image="ContactUs", refresh_when=".sheets:has_suppliers"),
        Report("deliveries", "进货验收台账", "按日期和供应商列出本月每批进货的查验情况：生产日期、保质期、合格证明、检疫证明、票据、"
               "感官验收和拒收，与食品出入库核对，缺什么、哪里不符", ".sheets:make_deliveries",
               inputs=(*STOCK, "suppliers"), needs=("deliveries",), stops_on=("settings",), sheets=(DELIVERIES,),
               image="ShowClipboard", refresh_when=".sheets:has_deliveries"),
        Report("shelf", "库存保质期", "按批次（先进先出）列出库存食品的保质期至和剩余天数，过期和临期的排在前面；本月从过期批次出库的",
               ".sheets:make_shelf", inputs=(*STOCK, "procurement_settings"), needs=("deliveries", "stock"),
               stops_on=("settings",), sheets=(SHELF,), image="FunctionsDateTimeInsertGallery",
               refresh_when=".sheets:has_deliveries"),
        Report("approvals", "采购审批情况", "列出本学期的请购单：审批、购买、入账各环节，先购后批、未入账、金额不符的标出",
               ".sheets:make_approvals", inputs=("settings", "procurement_settings", "purchase_requests", "ledger"),
               needs=("purchase_requests",), stops_on=("settings",), sheets=(APPROVALS,), image="SignatureLineInsert",
               refresh_when=".sheets:has_requests"),
    ),
    personal=(DELIVERIES, APPROVALS),
    carry={"suppliers": KEEP, "deliveries": ".carry:open_batches"},
    requires=("money",),
    sample=".sample:rows",
    due=".due:due", due_inputs=(*STOCK, "procurement_settings", "suppliers"),
    codes={
        "credit_code_bad": Code("统一社会信用代码有误", "错误", "核对统一社会信用代码（18位，末位为校验码）"),
        "licence_incomplete": Code("许可证信息不全", "警告", "按证照原件填写许可证编号和有效期"),
        "licence_due": Code("供应商许可证到期", "警告", "请供应商提供新证；过期后不能再从它进货"),
        "not_designated": Code("非定点供应商", "警告", "大宗食品从定点供应商采购；临时采购的写明原因"),
        "licence_expired": Code("供应商许可证已过期", "错误", "许可证过期的供应商不能供货：核对验收日期或供应商"),
        "produced_after": Code("生产日期在验收日期之后", "错误", "核对生产日期"),
        "shelf_life_unread": Code("保质期读不出", "警告", "写成 7天、6个月、1年，或填写保质期至"),
        "reject_no_reason": Code("拒收没有原因", "错误", "写明拒收原因和处理"),
        "no_quarantine": Code("畜禽肉没有检疫证明", "错误", "没有动物检疫合格证明的畜禽肉不得验收入库"),
        "no_invoice": Code("入库没有索证索票", "错误", "进货须查验并留存供货者的许可证和票据"),
        "deliveries_not_started": Code("还没有进货验收记录", "警告", "从今天起每批进货先验收登记"),
        "no_delivery": Code("入库没有验收记录", "警告", "先在进货验收登记，再入库"),
        "delivery_qty": Code("入库与验收数量不符", "警告", "核对两边的数量"),
        "delivery_supplier": Code("入库与验收的供应商不同", "警告", "核对两边的供应商"),
        "delivery_unstocked": Code("验收合格未入库", "警告", "补记入库，或核对日期和食物名称"),
        "expired_in_stock": Code("库存有过期食品", "错误", "立即停用，销毁或退货后记出库或盘点"),
        "near_expiry": Code("库存食品临期", "警告", "先用临期的批次"),
        "expired_used": Code("出库了过期食品", "错误", "过期食品不得使用：核对批次和出库"),
        "bought_before_approval": Code("先购买后审批", "错误", "超过审批金额的采购须先审批后购买"),
        "approved_late": Code("采购没有事先审批", "警告", "补办审批手续"),
        "not_entered": Code("采购未在当月入账", "警告", "在收支明细入账，填写凭证号"),
        "entry_amount": Code("入账金额与请购单不符", "警告", "核对实际金额和凭证"),
    },
)
