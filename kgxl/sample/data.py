"""The sample kindergarten's data, generated from one seed: rows per input sheet, keyed by the
schemas' column keys. Everything here is invented; the shape (rates, amounts, rhythms) is what a
real 180-child kindergarten's workbook looks like in its first term.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from kgxl.core.calendar import month_bounds, school_days
from kgxl.sample.menus import MEAL_ROTATION
from kgxl.sample.people import adult_name, child_name

SEED = 20260901
TERM_START, TERM_END = dt.date(2026, 9, 1), dt.date(2027, 1, 22)
MONTHS = ("2026-09", "2026-10", "2026-11", "2026-12")
MEAL_FEE = 8.0
CLASSES = (("小一班", "小班", 2026), ("小二班", "小班", 2026), ("中一班", "中班", 2025),
           ("中二班", "中班", 2025), ("大一班", "大班", 2024), ("大二班", "大班", 2024))
CHILDREN_PER_CLASS = 30
STOCK_CATEGORY = (("谷类", "粮食"), ("薯类", "粮食"), ("植物油", "油"), ("畜肉", "肉禽蛋"), ("禽肉", "肉禽蛋"),
                  ("蛋类", "肉禽蛋"), ("鱼虾", "水产"), ("蔬菜", "蔬菜"), ("菌藻", "蔬菜"), ("水果", "水果"),
                  ("乳类", "奶"), ("干豆", "豆制品"))
SUPPLIERS = {"粮食": "城东粮油店", "油": "城东粮油店", "肉禽蛋": "放心肉食配送中心", "水产": "江城水产批发部",
             "蔬菜": "绿源蔬菜合作社", "水果": "鲜果园水果店", "奶": "光华乳业配送站", "豆制品": "老街豆腐坊"}
MILK_SWITCH = (dt.date(2026, 12, 20), "晨光乳品公司")  # 光华乳业's licence ends: milk from another 定点 supplier after


def supplier(category: str, day: dt.date) -> str:
    """Who the sample kitchen buys a category from on a day."""
    if category == "奶" and day > MILK_SWITCH[0]:
        return MILK_SWITCH[1]
    return SUPPLIERS[category]


# a kitchen throws away what spoils before a break longer than this many days (the winter holiday), counting it 0
LONG_BREAK, PERISHABLE = 14, {"肉禽蛋", "水产", "蔬菜", "水果", "奶", "豆制品"}
PRICE = {"粮食": 6.5, "油": 20.0, "肉禽蛋": 35.0, "水产": 45.0, "蔬菜": 6.9, "水果": 10.6, "奶": 13.8, "豆制品": 7.5}  # yuan/kg
OVERRIDES = [(dt.date(2026, 11, 13), "园所停课", "教职工消防演练及培训"), (dt.date(2027, 1, 1), "放假", "元旦")]
ILLNESSES = ("感冒", "发热", "咳嗽", "腹泻", "手足口病", "水痘", "支气管炎")


def scaled_classes(parallel: int) -> tuple:
    """`parallel` classes per age group (小一班, 小二班, ...): 3 gives the 6-class sample's double."""
    digits = "一二三四五六七八九十"
    return tuple((f"{g[0]}{digits[i] if i < 10 else i + 1}班", g, year)
                 for g, year in (("小班", 2026), ("中班", 2025), ("大班", 2024)) for i in range(parallel))


class Sample:
    """classes and months default to the bundled sample; benchmarks pass bigger ones (school_year)."""

    def __init__(self, seed: int = SEED, classes: tuple = CLASSES, months: tuple = MONTHS,
                 term: tuple[dt.date, dt.date] = (TERM_START, TERM_END), overrides: list = OVERRIDES,
                 current_month: str = "2026-11", term_label: str = "2026-2027学年第一学期",
                 children_per_class: int = CHILDREN_PER_CLASS):
        self.rng, self.seed = random.Random(seed), seed
        self.meal_fee = MEAL_FEE
        self.children_per_class = children_per_class  # tests pass a few for a small book
        self.classes, self.months, self.term, self.current_month = classes, months, term, current_month
        self.term_label = term_label
        self.scale = len(classes) / len(CLASSES)  # for amounts that grow with the kindergarten (budget, wages)
        self.override_rows = overrides
        self.overrides = {d: k for d, k, _ in overrides}
        self.days = school_days(term[0], min(month_bounds(months[-1])[1], term[1]), self.overrides)
        self.staff = {c: (adult_name(self.rng), adult_name(self.rng)) for c, _, _ in classes}
        self.principal, self.accountant, self.nurse, self.cook, self.guard = (adult_name(self.rng) for _ in range(5))
        self.roster = self._roster()
        self.registers = {m: self._register(m) for m in months}
        self.menu = self._menu()

    @staticmethod
    def adult_name(rng) -> str:
        """An invented adult's name (the domains' sample hooks name staff with it)."""
        return adult_name(rng)

    @classmethod
    def school_year(cls, classes: tuple, seed: int = SEED) -> "Sample":
        """A whole school year in one workbook (the benchmarks' shape): ten registers from September
        to June, the winter break as the kindergarten's own 放假 rows, a quantified menu for every
        school day (190, where issue 9 sketched 100: 营养分析 in June needs June's menu, and the meal
        account needs food bought all year), and the year's stock, ledger and logs. 2027's statutory holidays are
        not in chinesecalendar's data, so kgxl counts weekdays for that year and warns."""
        winter = [(dt.date(2027, 1, 25) + dt.timedelta(n), "放假", "寒假") for n in range(26)]
        months = tuple(f"{2026 + (m < 9)}-{m:02d}" for m in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6))
        return cls(seed, classes, months, term=(TERM_START, dt.date(2027, 6, 30)),
                   overrides=sorted(OVERRIDES + winter), current_month=months[-1],
                   term_label="2026-2027学年")

    # -- people -------------------------------------------------------------------------
    def _roster(self) -> list[dict]:
        rng, rows, seq = self.rng, [], defaultdict(int)
        for cls, group, entry_year in self.classes:
            age = {"小班": 3, "中班": 4, "大班": 5}[group]
            for _ in range(self.children_per_class):
                seq[entry_year] += 1
                birth = dt.date(2026 - age, 9, 1) - dt.timedelta(days=rng.randint(1, 364))
                rows.append({"child_id": f"{entry_year}{seq[entry_year]:03d}", "name": child_name(rng),
                             "sex": rng.choice("男女"), "birth_date": birth, "class_name": cls,
                             "entry_date": dt.date(entry_year, 9, 1), "leave_date": None, "note": None})
        for r in rng.sample(rows, 6):
            r["note"] = rng.choice(("花生过敏", "乳糖不耐受", "体弱儿（贫血）随访", "哮喘史", "鸡蛋过敏"))
        for r, d in zip(rng.sample(rows[min(60, len(rows) // 3):], 2), (dt.date(2026, 10, 30), dt.date(2026, 11, 20))):
            r["leave_date"], r["note"] = d, "随家长工作调动转园"
        for i, (cls, d) in enumerate((("小一班", dt.date(2026, 10, 12)), ("中二班", dt.date(2026, 11, 2)),
                                      ("大一班", dt.date(2026, 12, 7)))):
            age = {"小": 3, "中": 4, "大": 5}[cls[0]]
            seq[2026] += 1  # the year's next number (a fixed 900+ would collide in a kindergarten of 900 new children)
            rows.append({"child_id": f"2026{seq[2026]:03d}", "name": child_name(rng), "sex": rng.choice("男女"),
                         "birth_date": dt.date(2026 - age, 3, 1) + dt.timedelta(days=rng.randint(0, 150)),
                         "class_name": cls, "entry_date": d, "leave_date": None, "note": "插班"})
        rows.sort(key=lambda r: (r["class_name"] != "小一班", [c for c, _, _ in self.classes].index(r["class_name"]),
                                 r["child_id"]))
        return rows

    def _register(self, month: str) -> dict:
        first, last = month_bounds(month)
        days = [d for d in self.days if first <= d <= last]
        rng, rows = self.rng, []
        sick_rate = {"2026-09": 0.025, "2026-10": 0.03, "2026-11": 0.045, "2026-12": 0.055}.get(month, 0.05)
        for child in self.roster:
            marks, notes, i = {}, [], 0
            while i < len(days):
                d = days[i]
                if d < child["entry_date"] or (child["leave_date"] and d > child["leave_date"]):
                    marks[d] = "—"
                    i += 1
                    continue
                u = rng.random()
                if u < sick_rate / 2.5:  # a sick episode of 1-4 school days
                    span = rng.randint(1, 4)
                    illness = rng.choice(ILLNESSES)
                    # an episode ends with the enrolment: a child who left is not marked 病 after leaving
                    episode = [d2 for d2 in days[i:i + span] if not child["leave_date"] or d2 <= child["leave_date"]]
                    for d2 in episode:
                        marks[d2] = "病"
                    notes.append(f"{d.month}/{d.day}起{illness}")
                    i += len(episode)
                    continue
                marks[d] = "事" if u < sick_rate / 2.5 + 0.025 else "缺" if u < sick_rate / 2.5 + 0.028 else "√"
                i += 1
            rows.append({"child_id": child["child_id"], "name": child["name"], "class_name": child["class_name"],
                         "marks": marks, "note": "；".join(notes) or None})
        return {"days": days, "rows": rows}

    # -- meals and stock ----------------------------------------------------------------
    def _menu(self) -> list[dict]:
        rows = []
        for n, d in enumerate(self.days):  # every school day of the sample's months
            for meal, options in MEAL_ROTATION:
                for dish, items in options[n % len(options)]:
                    for food, grams in items:
                        rows.append({"date": d, "meal": meal, "dish": dish, "food": food, "grams": float(grams),
                                     "note": None})
        return rows

    def present(self, d: dt.date) -> int:
        month = d.strftime("%Y-%m")
        return sum(1 for r in self.registers[month]["rows"] if r["marks"].get(d) == "√")

    def _prices(self, daily: dict, cat_of: dict) -> dict[str, float]:
        """Yuan per kg: the category's price times a draw per food, scaled so that the menu as eaten
        costs the meal fee per child-day, as a kindergarten plans its menu to its fee. The draws have
        their own stream, so a larger book buys at the sample's prices."""
        rng = random.Random(f"{self.seed}-prices")
        raw = {f: PRICE[cat_of[f]] * rng.uniform(0.8, 1.25) for f in sorted({f for d in daily.values() for f in d})}
        cost = sum(kg * raw[f] for d in daily.values() for f, kg in d.items())
        child_days = sum(self.present(d) for d in daily)
        return {f: round(p * MEAL_FEE * child_days / cost, 2) for f, p in raw.items()}

    def stock(self, foods: list[dict]) -> list[dict]:
        """The kitchen's 食品出入库 for the menu (foods: 食物成分's rows, for each food's category)."""
        cat_of = {}
        for f in foods:
            cat_of[f["food_name"]] = next((s for p, s in STOCK_CATEGORY if f["category"].startswith(p)), "其他")
        daily = defaultdict(lambda: defaultdict(float))  # day -> food -> kg
        for m in self.menu:
            daily[m["date"]][m["food"]] += m["grams"] * self.present(m["date"]) / 1000
        prices = self._prices(daily, cat_of)
        rows, on_hand = [], defaultdict(float)
        weeks = defaultdict(list)
        for d in sorted(daily):
            weeks[d.isocalendar()[:2]].append(d)
        for week_days in weeks.values():
            need = defaultdict(float)
            for d in week_days:
                for food, kg in daily[d].items():
                    need[food] += kg
            for food in sorted(need):
                cat = cat_of[food]
                price = prices[food]
                qty = math.ceil(max(need[food] * 1.05 - on_hand[food], 0.5) * 2) / 2
                on_hand[food] += qty
                rows.append({"date": week_days[0], "kind": "入库", "food": food, "category": cat, "qty_kg": qty,
                             "unit_price": price, "amount": round(qty * price, 2), "supplier": supplier(cat, week_days[0]),
                             "invoice": "是", "handler": self.cook})
            for d in week_days:
                for food in sorted(daily[d]):
                    qty = round(daily[d][food], 2)
                    on_hand[food] -= qty
                    rows.append({"date": d, "kind": "出库", "food": food, "category": cat_of[food], "qty_kg": qty,
                                 "unit_price": prices[food], "amount": round(qty * prices[food], 2), "supplier": None,
                                 "invoice": None, "handler": self.cook})
            last = week_days[-1]
            month_end = month_bounds(last.strftime("%Y-%m"))[1]
            if not any(self.days[i] <= month_end and self.days[i] > last for i in range(len(self.days))):
                after = next((d for d in self.days if d > last), None)
                long_break = after is not None and (after - last).days > LONG_BREAK
                for food in sorted(f for f, q in on_hand.items() if q > 0.005):
                    if long_break and cat_of[food] in PERISHABLE:  # thrown away before the winter holiday: counted 0
                        on_hand[food] = 0.0
                    qty = round(on_hand[food], 2)
                    rows.append({"date": last, "kind": "盘点", "food": food, "category": cat_of[food], "qty_kg": qty,
                                 "unit_price": prices[food], "amount": round(qty * prices[food], 2), "supplier": None,
                                 "invoice": None, "handler": self.accountant})
        return rows
