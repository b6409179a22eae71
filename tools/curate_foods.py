"""Curate kgxl/data/food_composition.csv from ../shared/data/food_composition/cfct6_foods.csv.

Run by hand when the source changes (the product never reads ../shared at run time):
    python tools/curate_foods.py ../shared/data/food_composition
Rules (also stated in kgxl/data/README.md): infant formula/foods and brand-specific rows are left
out; names must be single-line and unique (first row wins); "Tr" (trace) becomes 0, "—" (not
measured) stays blank; a row with a negative figure or more than 900 kcal per 100 g (more than pure
fat: an OCR misread, often kJ read as kcal) is dropped and named in the output.
Flagged in 数据核对 (需核实), never dropped: a row whose 4P+9F+4C differs from the stated energy by
more than 15 %, and a row whose energy, protein, fat or carbohydrate disagrees with the second,
independent OCR reading of the same book (cfct6_macros_crosscheck.csv, matched by name) by more
than 10 % and more than 0.5 g (5 kcal for energy).
Vitamins and minerals are blanked (not measured) and the row flagged when the OCR shifted the row's
columns, seen as water + protein + fat + carbohydrate + ash outside 85-110 g per 100 g (猪肝's 6502 µg
of vitamin A landed in the thiamin column), or when a figure exceeds what any food here holds
(MICRO_MAX: a bound far above the largest true value in the book for that column).
别名: the names in a food's brackets (番茄 [西红柿] -> 西红柿) and its name before any qualifier
(稻米（代表值） -> 稻米), each kept only where it points at one food: a name claimed by several
foods goes to the 代表值 row or to the one row without a （…） qualifier, else it is no alias.
Eleven grain products that only the second reading has (馒头, 花卷, 燕麦, 油面筋…; SECOND_ONLY) are added with
their energy and macros, 可食部 100 and 需核实. Then the everyday names kitchens write (kgxl/data/everyday_food_names.csv, each with the entry a dietitian would
choose and the rule used) are added; where a bracket name is also an everyday name, the everyday table's choice wins
(白菜 is 大白菜（代表值）, not 白菜（脱水）).
"""
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "kgxl" / "data"
OUT = DATA / "food_composition.csv"
EVERYDAY = DATA / "everyday_food_names.csv"
FIELDS = ["food_code", "food_name", "category", "edible_pct", "energy_kcal", "protein_g", "fat_g", "carb_g",
          "calcium_mg", "iron_mg", "zinc_mg", "vitamin_a_ug", "thiamin_mg", "riboflavin_mg", "vitamin_c_mg",
          "quality_protein", "aliases", "source", "data_check"]
SOURCE_COLS = {"edible_pct": "edible", "energy_kcal": "energyKCal", "protein_g": "protein", "fat_g": "fat",
               "carb_g": "CHO", "calcium_mg": "Ca", "iron_mg": "Fe", "zinc_mg": "Zn", "vitamin_a_ug": "vitaminA",
               "thiamin_mg": "thiamin", "riboflavin_mg": "riboflavin", "vitamin_c_mg": "vitaminC"}
QUALITY = ("畜肉类", "禽肉类", "乳类", "蛋类", "鱼虾蟹贝类", "干豆类及其制品-大豆")
CROSS = {"energy_kcal": ("energyKCal", "能量", 5), "protein_g": ("protein", "蛋白质", 0.5), "fat_g": ("fat", "脂肪", 0.5),
         "carb_g": ("CHO", "碳水化合物", 0.5)}
MICRO = ("calcium_mg", "iron_mg", "zinc_mg", "vitamin_a_ug", "thiamin_mg", "riboflavin_mg", "vitamin_c_mg")
MICRO_MAX = {"calcium_mg": 10000, "iron_mg": 300, "zinc_mg": 200, "vitamin_a_ug": 50000, "thiamin_mg": 5,
             "riboflavin_mg": 15, "vitamin_c_mg": 3000}
LABELS = {"calcium_mg": "钙", "iron_mg": "铁", "zinc_mg": "锌", "vitamin_a_ug": "维生素A", "thiamin_mg": "维生素B1",
          "riboflavin_mg": "维生素B2", "vitamin_c_mg": "维生素C"}
# grain products the first reading lacks but the second has (energy and macros only): kept with 可食部 100 (a processed
# food with no inedible part) and flagged 需核实, their vitamins and minerals blank (not read)
SECOND_ONLY = {"馒头（代表值）": "谷类及其制品-小麦", "馒头（标准粉）": "谷类及其制品-小麦", "馒头（富强粉）": "谷类及其制品-小麦",
               "花卷": "谷类及其制品-小麦", "烙饼（标准粉）": "谷类及其制品-小麦", "油条": "谷类及其制品-小麦",
               "油饼": "谷类及其制品-小麦", "水面筋": "谷类及其制品-小麦", "油面筋": "谷类及其制品-小麦",
               "燕麦": "谷类及其制品-其他", "莜麦面": "谷类及其制品-其他"}
SECOND_NOTE = "需核实（仅见于第二读取：只有能量和宏量营养素，可食部按100计，维生素和矿物质未读取）"
BRACKETS = re.compile(r"\s*\[([^\]]*)\]")
QUALIFIER = re.compile(r"[（(]")


def number(text: str) -> str:
    text = (text or "").strip().rstrip("*")  # the book marks some values with *; the figure stands
    if text in ("Tr", "tr"):
        return "0"
    try:
        float(text)
    except ValueError:
        return ""
    return text


def shifted(out: dict, r: dict) -> list[str]:
    """Blank the row's vitamins and minerals when its columns look shifted; returns the notes."""
    parts = [number(r.get(k, "")) for k in ("water", "protein", "fat", "CHO", "ash")]
    if all(parts):
        total = sum(float(p) for p in parts)
        if not 85 <= total <= 110:
            for k in MICRO:
                out[k] = ""
            return [f"水分+蛋白质+脂肪+碳水+灰分={total:.0f}克，列可能错位，维生素和矿物质已置空"]
    notes = []
    for k, bound in MICRO_MAX.items():
        if out[k] and float(out[k]) > bound:
            notes.append(f"{LABELS[k]}{out[k]}超出合理范围，已置空")
            out[k] = ""
    return notes


def disagreements(out: dict, second: dict | None) -> list[str]:
    """Macros on which the two OCR readings of the book differ."""
    if not second:
        return []
    found = []
    for key, (col, label, floor) in CROSS.items():
        other = number(second.get(col, ""))
        if key == "energy_kcal" and other and float(other) == 0:
            continue  # no food here has no energy: the second reading lost this figure (its oils read 0)
        if other and out[key]:
            a, b = float(out[key]), float(other)
            if abs(a - b) > max(floor, 0.1 * max(a, b)):
                found.append(f"{label}{out[key]}/{other}")
    return found


def aliases(rows: list[dict]) -> None:
    """Fill each row's 别名 (see the module doc)."""
    names = {r["food_name"] for r in rows}
    claims = defaultdict(list)
    for i, r in enumerate(rows):
        name = r["food_name"]
        inside = [a.strip() for m in BRACKETS.findall(name) for a in re.split("[、，,]", m)]
        base = QUALIFIER.split(BRACKETS.sub("", name), 1)[0].strip()
        for a in {*inside, base}:
            if a and a != name and a not in names:
                claims[a].append(i)
    chosen = {}
    for alias, who in claims.items():
        if len(who) > 1:
            who = ([i for i in who if "代表值" in rows[i]["food_name"]]
                   or [i for i in who if not QUALIFIER.search(BRACKETS.sub("", rows[i]["food_name"]))])
        if len(who) == 1:
            chosen[alias] = who[0]
    index = {r["food_name"]: i for i, r in enumerate(rows)}
    with EVERYDAY.open(encoding="utf-8") as f:
        for e in csv.DictReader(f):
            if e["everyday_name"] not in names:
                chosen[e["everyday_name"]] = index[e["food_name"]]
    for alias, i in chosen.items():
        rows[i]["aliases"] = "、".join(filter(None, [rows[i].get("aliases", ""), alias]))


def main(folder: str) -> None:
    src = Path(folder) / "cfct6_foods.csv"
    with (Path(folder) / "cfct6_macros_crosscheck.csv").open(encoding="utf-8-sig") as f:
        second = {r["foodName"].strip(): r for r in csv.DictReader(f)}
    rows, seen, dropped = [], set(), []
    with open(src, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            name, cat = r["foodName"].strip(), r["category"].strip()
            if cat.startswith("婴幼儿食品") or "牌" in name or "\n" in name or '"' in name or name in seen:
                continue
            seen.add(name)
            out = {"food_code": r["foodCode"].strip(), "food_name": name, "category": cat,
                   "quality_protein": "是" if cat.startswith(QUALITY) else "否", "source": "中国食物成分表第6版"}
            for k, col in SOURCE_COLS.items():
                out[k] = number(r[col])
            if not all(out[k] for k in ("edible_pct", "energy_kcal", "protein_g", "fat_g", "carb_g")):
                continue  # a food without its macros cannot be used in the analysis
            if any(out[k] and float(out[k]) < 0 for k in SOURCE_COLS) or float(out["energy_kcal"]) > 900:
                dropped.append(f"{out['food_code']} {name}")
                continue  # physically impossible (an OCR misread): never ship it
            p, fat, c, e = (float(out[k]) for k in ("protein_g", "fat_g", "carb_g", "energy_kcal"))
            calc = 4 * p + 9 * fat + 4 * c
            notes = [] if e and abs(calc - e) <= 0.15 * e else [f"4P+9F+4C={calc:.0f}千卡"]
            notes += shifted(out, r)
            differ = disagreements(out, second.get(name))
            if differ:
                notes.append("另一读取：" + "，".join(differ))
            out["data_check"] = f"需核实（{'；'.join(notes)}）" if notes else ""
            rows.append(out)
    for name, cat in SECOND_ONLY.items():
        r = second[name]
        assert not {name.replace(" ", "")} & {n.replace(" ", "") for n in seen}, name  # truly absent from the first
        rows.append({"food_code": "", "food_name": name, "category": cat, "quality_protein": "否",
                     "source": "中国食物成分表第6版", "edible_pct": "100", "energy_kcal": number(r["energyKCal"]),
                     "protein_g": number(r["protein"]), "fat_g": number(r["fat"]), "carb_g": number(r["CHO"]),
                     "data_check": SECOND_NOTE})
    aliases(rows)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    flagged = sum(1 for r in rows if r["data_check"])
    print(f"{len(rows)} foods -> {OUT} ({flagged} flagged 需核实, {sum(1 for r in rows if r.get('aliases'))} with "
          f"aliases); dropped as impossible: {', '.join(dropped)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/food_composition")
