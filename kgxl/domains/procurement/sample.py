"""The sample kindergarten's food procurement: its eight suppliers (codes, licence numbers and dates invented for the
sample: the codes carry a correct GB 32100 check character), an 进货验收 row for every 入库 of 食品出入库 (the same day,
food, supplier and quantity; packaged foods with 生产日期 and 保质期, fresh produce and meat without; meat with its
检疫证明), one delivery of spinach partly rejected, and the term's 请购单 for the purchases in 收支明细. Planted
(警告 only): two non-定点 suppliers used (水产, 水果); 光华乳业配送站's licence due on 12-20 (milk comes from 晨光乳品公司
after it); 11-30's rice in two batches, the first near its date; one purchase approved after it was bought, below the
approval amount. Their own random stream, so the other sample data do not move."""
from __future__ import annotations

import datetime as dt
import random

from kgxl.domains.procurement.licence import check_char
from kgxl.domains.procurement.proofs import needs_quarantine

D = dt.date
PERMIT, MAKER, FREE = "食品经营许可证", "食品生产许可证", "不需要许可证"
# name: (code's first 17, licence kind, number, valid until, contact, goods, 定点)
SUPPLIERS = {
    "城东粮油店": ("92330100MA2H3K5P1", PERMIT, "JY13301020012345", D(2028, 5, 31), "周永军", "粮食、食用油", "是"),
    "放心肉食配送中心": ("91330100MA27XQ4R2", PERMIT, "JY13301030023456", D(2027, 9, 30), "郑海", "畜禽肉、鸡蛋", "是"),
    "江城水产批发部": ("92330100MA2K8T6L3", PERMIT, "JY13301040034567", D(2028, 3, 15), "何小波", "鱼虾", "否"),
    "绿源蔬菜合作社": ("93330100MA28N5W74", FREE, None, None, "吴桂芳", "蔬菜", "是"),
    "鲜果园水果店": ("92330100MA2J6C9D5", PERMIT, "JY13301050045678", D(2027, 11, 30), "孙丽", "水果", "否"),
    "光华乳业配送站": ("91330100MA2B4F7G6", PERMIT, "JY13301060056789", D(2026, 12, 20), "冯伟", "牛奶、酸奶", "是"),
    "晨光乳品公司": ("91330100MA2C3N5Q8", MAKER, "SC10533010000789", D(2029, 6, 30), "陈晨", "牛奶、酸奶", "是"),
    "老街豆腐坊": ("92330100MA2E1H8J7", MAKER, "SC12433010000456", D(2027, 12, 31), "许大勇", "豆腐、豆浆、杂豆", "是"),
}
# shelf life by food (散装 fresh produce and meat: none); days before delivery a batch is typically produced
SHELF = {"稻米（代表值）": ("12个月", 40), "小米": ("12个月", 60), "小麦粉（标准粉）": ("12个月", 30),
         "挂面（代表值）": ("12个月", 45), "玉米面（白）": ("6个月", 20), "黑米": ("12个月", 60), "花生油": ("18个月", 60),
         "鸡蛋（代表值）": ("45天", 2), "虾仁": ("12个月", 30), "纯牛奶（代表值，全脂）": ("6个月", 5),
         "酸奶（代表值，全脂）": ("21天", 1), "绿豆（干）": ("12个月", 90)}
NEAR = ("稻米（代表值）", D(2026, 11, 30), 0.4, D(2025, 12, 4))  # food, day, share in the near batch, its 生产日期
SPINACH = "菠菜（鲜）[赤根菜]"
# (请购日期, 物品, 数量, 预计金额, 审批 days after, the 收支明细 row it was paid by: (预算科目, month)): bought on
# that row's day, entered under its 凭证号
REQUESTS = [(D(2026, 9, 5), "办公用品", "一批", 2000.0, 1, ("办公费", "2026-09")),
            (D(2026, 10, 8), "户外玩具（攀爬架、平衡木）", "2套", 28000.0, 4, ("教玩具购置", "2026-10")),
            (D(2026, 10, 8), "打印机墨盒和纸张", "一批", 3800.0, 4, ("办公费", "2026-10")),  # bought 10-10, approved 10-12
            (D(2026, 11, 2), "大型玩具维修", "1项", 6000.0, 1, ("维修维护费", "2026-11")),
            (D(2026, 11, 25), "空调维修配件", "3套", 3500.0, None, None)]


def rows(s, got: dict) -> dict:
    rng = random.Random(47)
    deliveries, receipt = [], 0
    for r in got["stock"]:
        if r["kind"] != "入库":
            continue
        receipt += 1
        base = _delivery(s, r, f"FP{receipt:05d}")
        if r["food"] in SHELF:
            life, before = SHELF[r["food"]]
            produced = r["date"] - dt.timedelta(days=before + rng.randint(0, before // 3))
            base.update(produced=produced, shelf_life=life, batch=produced.strftime("%Y%m%d"), certificate="是")
        if (r["food"], r["date"]) == NEAR[:2]:
            near = round(r["qty_kg"] * NEAR[2], 2)
            deliveries += [{**base, "qty_kg": near, "produced": NEAR[3], "batch": NEAR[3].strftime("%Y%m%d"),
                            "note": "临期批次，先用"}, {**base, "qty_kg": round(r["qty_kg"] - near, 2)}]
            continue
        deliveries.append(base)
        if r["food"] == SPINACH and r["date"].month == 10 and not any(d["sensory"] == "不合格" for d in deliveries):
            deliveries.append({**base, "qty_kg": 3.0, "sensory": "不合格", "receipt": None, "certificate": None,
                               "reason": "部分叶片腐烂发黄，当场退回", "note": None})
    return {"suppliers": [_supplier(n, x) for n, x in SUPPLIERS.items()], "deliveries": deliveries,
            "purchase_requests": _requests(s, got["ledger"]),
            # the sample's own approval amount; a larger sample's money grows with it
            "settings": {"near_expiry_days": 7, "licence_notice_days": 30, "approval_above": 5000.0 * s.scale}}


def _supplier(name: str, x: tuple) -> dict:
    code, kind, number, until, contact, goods, designated = x
    return {"name": name, "credit_code": code + check_char(code), "licence_kind": kind, "licence_no": number,
            "licence_until": until, "contact": contact, "phone": None, "goods": goods, "designated": designated,
            "rating": "良好", "note": "示例数据：代码、证号为虚构"}


def _delivery(s, r: dict, receipt: str) -> dict:
    meat = needs_quarantine(r["category"], r["food"])
    return {"date": r["date"], "supplier": r["supplier"], "food": r["food"], "category": r["category"], "batch": None,
            "produced": None, "shelf_life": None, "use_by": None, "qty_kg": r["qty_kg"], "sensory": "合格",
            "certificate": None, "quarantine": "是" if meat else None, "receipt": receipt,
            "inspector": f"{s.cook}、{s.nurse}", "reason": None, "note": None}


def _requests(s, ledger: list[dict]) -> list[dict]:
    out = []
    for day, item, qty, estimate, approve_after, paid_by in REQUESTS:
        paid = next((r for r in ledger if paid_by and (r["budget_item"], r["date"].strftime("%Y-%m")) == paid_by), None)
        bought = paid["date"] if paid else None
        out.append({"date": day, "item": item, "quantity": qty, "estimate": estimate, "requester": s.accountant,
                    "approver": s.principal if approve_after is not None else None,
                    "approved": day + dt.timedelta(days=approve_after) if approve_after is not None else None,
                    "bought": bought, "amount": paid["amount"] if paid else None, "voucher": paid["voucher"] if paid else None,
                    "note": None})
    return out
