"""The sample kindergarten's assets, supplies, repairs and meter readings: about 400 asset cards over its rooms,
a term of supplies, about 30 repairs and monthly readings from the previous term on. Their own random stream, so
the other sample data do not move. Planted for the sheets to show: at the count (the Friday before the end of
当前月份) a card with one chair more than on the books, a tablet missing from the office and a 教学一体机 found in
多功能厅; a loaned speaker never returned; an urgent repair left open; a month of unusual water use (the
second month of the term, about 60 % above the same month of the previous term)."""
from __future__ import annotations

import datetime as dt
import random

from kgxl.core.calendar import month_bounds
from kgxl.domains.assets.energy import shift

# (name, category, unit, qty, price, model): what every class's room holds
CLASSROOM = [("幼儿桌", "家具、用具", "张", 8, 260.0, "1200×600"), ("幼儿椅", "家具、用具", "把", 32, 65.0, "高30cm"),
             ("午睡床", "家具、用具", "张", 32, 380.0, "实木单层"), ("玩具柜", "家具、用具", "组", 4, 680.0, "五格"),
             ("图书架", "家具、用具", "个", 2, 420.0, None), ("教师办公桌", "家具、用具", "张", 1, 560.0, None),
             ("被褥柜", "家具、用具", "组", 2, 1200.0, None), ("口杯架", "家具、用具", "个", 1, 320.0, "消毒型"),
             ("毛巾架", "家具、用具", "个", 1, 260.0, None), ("鞋柜", "家具、用具", "组", 2, 460.0, None),
             ("壁挂空调", "电气设备", "台", 1, 3200.0, "1.5匹"), ("柜式空调", "电气设备", "台", 1, 5600.0, "3匹"),
             ("紫外线消毒灯", "医疗设备", "台", 1, 680.0, "移动式"), ("餐具消毒柜", "电气设备", "台", 1, 1850.0, "立式"),
             ("饮水机", "电气设备", "台", 1, 980.0, "温热型"), ("空气净化器", "电气设备", "台", 1, 2100.0, None),
             ("教学一体机", "广播、电视、电影设备", "台", 1, 8600.0, "65寸"), ("电钢琴", "玩教具", "台", 1, 4200.0, "88键"),
             ("音箱", "广播、电视、电影设备", "台", 1, 560.0, None), ("积木（大）", "玩教具", "套", 2, 880.0, None),
             ("角色扮演区玩具", "玩教具", "套", 1, 1500.0, None), ("美工区材料柜", "家具、用具", "组", 1, 760.0, None),
             ("科学区教具", "玩教具", "套", 1, 1280.0, None), ("建构区地垫", "玩教具", "套", 1, 650.0, None),
             ("晨检卡架", "家具、用具", "个", 1, 120.0, None), ("窗帘", "家具、用具", "套", 1, 900.0, "遮光"),
             ("电风扇", "电气设备", "台", 2, 260.0, "壁挂"), ("衣帽架", "家具、用具", "个", 1, 300.0, None),
             ("区角隔断柜", "家具、用具", "组", 2, 520.0, None), ("钢琴凳", "家具、用具", "个", 1, 180.0, None),
             ("故事机", "广播、电视、电影设备", "台", 1, 320.0, None), ("体能器械（小）", "玩教具", "套", 1, 900.0, None)]
ROOMS = {  # room -> [(name, category, unit, qty, price, model, count of cards)]
    "办公室": [("办公桌", "家具、用具", "张", 1, 980.0, None, 8), ("办公椅", "家具、用具", "把", 1, 420.0, None, 8),
            ("台式计算机", "计算机设备及软件", "台", 1, 4600.0, "i5/16G", 6), ("笔记本电脑", "计算机设备及软件", "台", 1, 5800.0, None, 2),
            ("平板电脑", "计算机设备及软件", "台", 1, 3200.0, "10.9寸", 2), ("激光打印机", "办公设备", "台", 1, 1600.0, "A4黑白", 3),
            ("复印机", "办公设备", "台", 1, 12800.0, "A3彩色", 1), ("文件柜", "家具、用具", "组", 1, 860.0, None, 10),
            ("碎纸机", "办公设备", "台", 1, 680.0, None, 1), ("壁挂空调", "电气设备", "台", 1, 3200.0, "1.5匹", 3)],
    "财务室": [("保险柜", "家具、用具", "台", 1, 2600.0, None, 1), ("台式计算机", "计算机设备及软件", "台", 1, 4600.0, None, 2),
            ("点钞机", "办公设备", "台", 1, 880.0, None, 1), ("凭证柜", "家具、用具", "组", 1, 960.0, None, 4),
            ("财务软件", "计算机设备及软件", "套", 1, 6800.0, None, 1)],
    "厨房": [("蒸饭柜", "食品加工专用设备", "台", 1, 6800.0, "24盘", 2), ("燃气灶", "食品加工专用设备", "台", 1, 5200.0, "双头大锅灶", 2),
           ("四门冰箱", "电气设备", "台", 1, 5600.0, None, 3), ("留样冰箱", "电气设备", "台", 1, 2200.0, "专用", 1),
           ("和面机", "食品加工专用设备", "台", 1, 3800.0, None, 1), ("切菜机", "食品加工专用设备", "台", 1, 4200.0, None, 1),
           ("消毒柜（大）", "电气设备", "台", 1, 7800.0, "热风循环", 2), ("不锈钢操作台", "家具、用具", "张", 1, 1100.0, None, 8),
           ("洗菜池", "家具、用具", "个", 1, 900.0, "三联", 3), ("抽油烟机", "电气设备", "台", 1, 9600.0, None, 1),
           ("电子秤", "办公设备", "台", 1, 380.0, "30kg", 2), ("食品留样柜", "家具、用具", "个", 1, 1300.0, None, 1)],
    "保健室": [("观察床", "医疗设备", "张", 1, 1500.0, None, 2), ("身高体重计", "医疗设备", "台", 1, 1800.0, None, 1),
            ("视力表灯箱", "医疗设备", "台", 1, 420.0, None, 1), ("药品柜", "家具、用具", "组", 1, 980.0, None, 2),
            ("紫外线消毒车", "医疗设备", "台", 1, 1600.0, None, 1), ("血红蛋白仪", "医疗设备", "台", 1, 3600.0, None, 1),
            ("额温枪", "医疗设备", "个", 1, 180.0, None, 6)],
    "多功能厅": [("投影仪", "广播、电视、电影设备", "台", 1, 6200.0, None, 1), ("音响系统", "广播、电视、电影设备", "套", 1, 18000.0, None, 1),
             ("三角钢琴", "玩教具", "台", 1, 36000.0, None, 1), ("舞台灯光", "电气设备", "套", 1, 9800.0, None, 1),
             ("折叠椅", "家具、用具", "把", 40, 85.0, None, 2), ("柜式空调", "电气设备", "台", 1, 8800.0, "5匹", 2)],
    "图书室": [("书架", "家具、用具", "个", 1, 620.0, None, 12), ("阅读桌", "家具、用具", "张", 1, 480.0, None, 6),
            ("幼儿图书", "图书、档案", "册", 2400, 18.0, None, 1), ("绘本", "图书、档案", "册", 1200, 32.0, None, 1)],
    "户外场地": [("大型组合滑梯", "玩教具", "套", 1, 68000.0, None, 1), ("攀爬架", "玩教具", "套", 1, 12000.0, None, 2),
             ("秋千", "玩教具", "座", 1, 3800.0, None, 2), ("沙水区设施", "构筑物", "处", 1, 26000.0, None, 1),
             ("户外遮阳棚", "构筑物", "处", 1, 18000.0, None, 1), ("平衡木", "玩教具", "个", 1, 1200.0, None, 4),
             ("三轮车", "玩教具", "辆", 1, 380.0, None, 12)],
    "门卫室": [("监控主机", "安全生产设备", "台", 1, 9800.0, "32路", 1), ("监控摄像头", "安全生产设备", "个", 1, 680.0, None, 24),
            ("一键报警装置", "安全生产设备", "套", 1, 3200.0, None, 1), ("防暴钢叉", "安全生产设备", "把", 1, 160.0, None, 4),
            ("灭火器", "安全生产设备", "具", 1, 120.0, "4kg干粉", 30), ("应急照明灯", "安全生产设备", "个", 1, 95.0, None, 20)],
}
SUPPLIES = [("A4复印纸", "办公用品", "包", 20, 26.0), ("签字笔", "办公用品", "盒", 5, 18.0), ("文件夹", "办公用品", "个", 20, 6.5),
            ("打印机硒鼓", "办公用品", "个", 2, 180.0), ("84消毒液", "清洁消毒", "瓶", 20, 12.0), ("洗手液", "清洁消毒", "瓶", 30, 15.0),
            ("擦手纸", "清洁消毒", "包", 60, 8.5), ("垃圾袋", "清洁消毒", "卷", 30, 6.0), ("拖把", "清洁消毒", "把", 6, 35.0),
            ("酒精棉片", "卫生保健", "盒", 10, 9.0), ("创可贴", "卫生保健", "盒", 5, 12.0), ("医用口罩", "卫生保健", "盒", 10, 25.0),
            ("彩色卡纸", "教学用品", "包", 20, 16.0), ("水彩笔", "教学用品", "盒", 20, 22.0), ("超轻黏土", "教学用品", "盒", 15, 28.0),
            ("胶棒", "教学用品", "盒", 10, 20.0), ("灯管", "维修材料", "支", 10, 28.0), ("水龙头", "维修材料", "个", 3, 65.0),
            ("电池（5号）", "维修材料", "板", 10, 15.0), ("便携音箱", "其他", "台", 1, 260.0), ("折叠梯", "其他", "把", 1, 320.0),
            ("相机", "其他", "台", 1, 3800.0)]
REPAIRS = [("水龙头漏水", "一般", "自修", 0.0), ("灯管不亮", "一般", "自修", 28.0), ("门锁损坏", "一般", "外修", 160.0),
           ("空调不制冷", "紧急", "外修", 380.0), ("幼儿椅松动", "一般", "自修", 0.0), ("下水道堵塞", "紧急", "外修", 220.0),
           ("窗户合页脱落", "一般", "自修", 15.0), ("插座松动", "紧急", "自修", 12.0), ("消毒柜不加热", "一般", "外修", 260.0),
           ("玩具柜门脱落", "一般", "自修", 0.0)]


def _day(s, month: str, nth: int) -> dt.date:
    first, last = month_bounds(month)
    days = [d for d in s.days if first <= d <= last]
    return days[min(nth, len(days) - 1)]


def assets(s, rng: random.Random) -> list[dict]:
    rows: list[dict] = []
    keepers = {"办公室": s.principal, "财务室": s.accountant, "厨房": s.cook, "保健室": s.nurse, "多功能厅": s.principal,
               "图书室": s.adult_name(rng), "户外场地": s.guard, "门卫室": s.guard}

    def add(name, cat, unit, qty, price, model, room, keeper):
        year = rng.randint(2015, 2025)
        rows.append({"asset_id": f"ZC{len(rows) + 1:04d}", "name": name, "category": cat, "model": model, "unit": unit,
                     "qty": qty, "unit_price": price, "amount": round(qty * price, 2),
                     "bought": dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                     "funding": rng.choice(("财政拨款", "财政拨款", "财政拨款", "自筹")), "room": room, "keeper": keeper,
                     "status": "在用", "note": None})
    for cls, _, _ in s.classes:
        for name, cat, unit, qty, price, model in CLASSROOM:
            add(name, cat, unit, qty, price, model, cls, s.staff[cls][0])
    for room, items in ROOMS.items():
        for name, cat, unit, qty, price, model, cards in items:
            for _ in range(cards):
                add(name, cat, unit, qty, price, model, room, keepers[room])
    planted = {"柜式空调", "大型组合滑梯", "幼儿椅", "平板电脑", "教学一体机", "音箱", "故事机", "空气净化器", "应急照明灯"}
    for r in rng.sample([r for r in rows if r["name"] not in planted], 6):  # the planted ones stay in use
        r["status"] = rng.choice(("闲置", "待报废", "待报废"))
    return rows


def changes(s, cards: list[dict], rng: random.Random) -> list[dict]:
    """The term's changes: new purchases (their cards bought this term), moves, repairs and two scrappings."""
    months = [m for m in s.months if m <= s.current_month]
    rows = []
    for r in cards[-4:]:  # the last cards (应急照明灯 at the gate) are this term's purchase
        r["bought"] = _day(s, months[min(1, len(months) - 1)], 3)
        rows.append({"date": r["bought"], "asset_id": r["asset_id"], "kind": "新增", "new_room": None, "new_keeper": None,
                     "handler": s.accountant, "note": "本学期购置"})
    for r in (r for r in repairs(s, cards) if r["asset_id"] and r["problem"] == "空调不制冷"):  # as 维修登记 has them
        rows.append({"date": r["reported"], "asset_id": r["asset_id"], "kind": "报修", "new_room": None,
                     "new_keeper": None, "handler": s.guard, "note": "不制冷"})
        if r["done"]:
            rows.append({"date": r["done"], "asset_id": r["asset_id"], "kind": "修复", "new_room": None,
                         "new_keeper": None, "handler": s.guard, "note": "加氟"})
    for r in [c for c in cards if c["status"] == "待报废"][:2]:
        r["status"] = "已报废"
        rows.append({"date": _day(s, months[-1], 2), "asset_id": r["asset_id"], "kind": "报废", "new_room": None,
                     "new_keeper": None, "handler": s.accountant, "note": "经园务会审批报废"})
    movable = [c for c in cards if c["name"] in ("音箱", "故事机", "空气净化器") and c["status"] == "在用"]
    for r in rng.sample(movable, 3):
        dest = rng.choice([c for c, _, _ in s.classes if c != r["room"]])
        rows.append({"date": _day(s, months[min(1, len(months) - 1)], rng.randint(0, 15)), "asset_id": r["asset_id"],
                     "kind": "调拨", "new_room": dest, "new_keeper": s.staff[dest][0], "handler": s.principal,
                     "note": "班级间调剂"})
    return sorted(rows, key=lambda r: r["date"])


def counts(s, cards: list[dict], moves: list[dict]) -> list[dict]:
    """Every room counted on the Friday before the end of 当前月份; the planted differences."""
    first, last = month_bounds(s.current_month)
    day = max(d for d in s.days if first <= d <= last - dt.timedelta(days=2) and d.weekday() == 4)
    room = {c["asset_id"]: c["room"] for c in cards}
    for m in moves:
        if m["new_room"] and m["date"] <= day:
            room[m["asset_id"]] = m["new_room"]
    gone = {m["asset_id"] for m in moves if m["kind"] == "报废" and m["date"] <= day}
    rows = []
    for c in cards:
        if c["asset_id"] in gone:
            continue
        rows.append({"date": day, "asset_id": c["asset_id"], "qty": c["qty"], "room": None,
                     "condition": "待报废" if c["status"] == "待报废" else "完好", "counter": s.accountant, "note": None})
    chairs = next(r for r in rows if r["asset_id"] == next(c["asset_id"] for c in cards if c["name"] == "幼儿椅"))
    chairs["qty"] += 1
    chairs["note"] = "多出一把，来源待查"
    tablet = next(r for r in rows if r["asset_id"] == next(c["asset_id"] for c in cards if c["name"] == "平板电脑"))
    tablet["qty"], tablet["note"] = 0, "未找到"
    screen = next(r for r in rows if r["asset_id"] == next(c["asset_id"] for c in cards if c["name"] == "教学一体机"))
    screen["room"] = "多功能厅"
    return rows


def supply_rows(s) -> tuple[list[dict], list[dict]]:
    """The same supplies however many classes the sample has (its own stream, the first six classes)."""
    rng = random.Random(f"{s.seed}-supplies")
    catalogue = [{"item": n, "category": c, "unit": u, "safety_stock": float(k), "note": None} for n, c, u, k, _ in SUPPLIES]
    price = {n: p for n, _, _, _, p in SUPPLIES}
    consumable = [n for n, c, *_ in SUPPLIES if c != "其他"]
    keeper = s.adult_name(rng)
    rows = []

    def move(d, kind, item, qty, dept=None, person=None):
        p = price[item] if kind == "入库" or (kind == "盘点" and d == s.term[0]) else None  # the opening count is priced
        rows.append({"date": d, "kind": kind, "item": item, "qty": float(qty), "unit_price": p,
                     "amount": round(qty * p, 2) if p else None, "dept": dept, "person": person, "handler": keeper,
                     "note": None})
    for n, _, _, k, _ in SUPPLIES:
        move(s.term[0], "盘点", n, k * 2 if n in consumable else 2)
    classes = [c for c, _, _ in s.classes[:6]]
    for month in (m for m in s.months if m <= s.current_month):
        for week in range(4):
            d = _day(s, month, week * 5)
            for item in rng.sample(consumable, 6):
                qty = rng.randint(1, 4)
                dept = rng.choice(classes + ["办公室", "厨房", "保健室"])
                move(d, "领用", item, qty, dept, s.staff[dept][1] if dept in s.staff else s.adult_name(rng))
        d = _day(s, month, 1)
        for n, _, _, k, _ in SUPPLIES:
            if n in consumable and rng.random() < 0.7:
                move(d, "入库", n, k)
    borrower = classes[-1]
    move(_day(s, s.months[0], 12), "出借", "便携音箱", 1, borrower, s.staff[borrower][0])  # planted: never returned
    move(_day(s, s.months[0], 14), "出借", "相机", 1, "办公室", s.principal)
    move(_day(s, s.months[0], 16), "归还", "相机", 1, "办公室", s.principal)
    move(_day(s, s.current_month, 3), "出借", "折叠梯", 1, "保洁", s.adult_name(rng))
    rows.sort(key=lambda r: r["date"])
    return catalogue, _fit_stock(rows)


def _fit_stock(rows: list[dict]) -> list[dict]:
    """Drop the 领用 rows the stock cannot cover, so the sample has no 超过库存."""
    stock, kept = {}, []
    for r in rows:
        have = stock.get(r["item"], 0.0)
        if r["kind"] == "盘点":
            have = r["qty"]
        elif r["kind"] in ("入库", "归还"):
            have += r["qty"]
        elif r["qty"] > have:
            continue
        else:
            have -= r["qty"]
        stock[r["item"]] = have
        kept.append(r)
    return kept


def repairs(s, cards: list[dict]) -> list[dict]:
    """The same repairs however many classes the sample has (its own stream, the first six classes' rooms)."""
    rng = random.Random(f"{s.seed}-repairs")
    rows = []
    places = [c for c, _, _ in s.classes[:6]] + ["厨房", "办公室", "户外场地", "保健室", "多功能厅"]
    months = [m for m in s.months if m <= s.current_month]
    aircon = next(c for c in cards if c["name"] == "柜式空调")
    for n in range(29):
        month = months[n * len(months) // 29]
        reported = _day(s, month, rng.randint(0, 18))
        problem, urgency, method, cost = REPAIRS[rng.randrange(len(REPAIRS))]
        done = reported + dt.timedelta(days=rng.randint(0, 3) if urgency == "紧急" else rng.randint(1, 9))
        place = rng.choice(places)
        asset = aircon["asset_id"] if problem == "空调不制冷" else None
        place = aircon["room"] if asset else place
        open_ = done > month_bounds(s.current_month)[1] - dt.timedelta(days=5) and urgency == "一般"
        rows.append({"reported": reported, "reporter": s.staff[place][1] if place in s.staff else s.adult_name(rng),
                     "place": place, "asset_id": asset, "problem": problem, "urgency": urgency,
                     "method": None if open_ else method, "done": None if open_ else done,
                     "cost": None if open_ else cost, "checker": None if open_ else s.principal})
    slide = next(c for c in cards if c["name"] == "大型组合滑梯")
    rows.append({"reported": _day(s, s.current_month, 10), "reporter": s.guard, "place": "户外场地",
                 "asset_id": slide["asset_id"], "problem": "滑梯护栏螺丝松动，已围挡停用", "urgency": "紧急", "method": None,
                 "done": None, "cost": None, "checker": None})  # planted: urgent and still open
    return sorted(rows, key=lambda r: r["reported"])


def meters(s, rng: random.Random) -> list[dict]:
    """Monthly readings from six months before the term to 当前月份; water in the term's second month is high."""
    first = s.months[0]
    months = [shift(first, k) for k in range(6, 0, -1)] + [m for m in s.months if m <= s.current_month]
    base = {"水": (180.0, 4.2, "SB-0117"), "电": (5200.0, 0.62, "DB-3302"), "燃气": (620.0, 3.1, "RQ-0890")}
    reading = {"水": 10230.0, "电": 286400.0, "燃气": 40210.0}
    rows = []
    for m in months:
        summer = m.endswith(("-07", "-08"))
        for kind, (use, price, meter) in base.items():
            u = use * (0.35 if summer else 1.0) * rng.uniform(0.9, 1.1)
            if kind == "水" and len(s.months) > 1 and m == s.months[1]:
                u *= 1.6  # planted: a leak
            u = round(u)
            rows.append({"month": m, "kind": kind, "meter": meter, "prev": reading[kind], "reading": reading[kind] + u,
                         "usage": float(u), "amount": round(u * price, 2), "changed": None,
                         "note": "疑似漏水，已报修" if kind == "水" and m == s.months[1] else None})
            reading[kind] += u
    return rows


def rows(s, got: dict) -> dict:
    rng = random.Random(f"{s.seed}-assets")
    cards = assets(s, rng)
    moves = changes(s, cards, rng)
    catalogue, supply_moves = supply_rows(s)
    return {"assets": cards, "asset_changes": moves,
            "asset_counts": counts(s, cards, moves), "supplies": catalogue, "supply_moves": supply_moves,
            "repairs": repairs(s, cards), "meters": meters(s, rng)}
