"""Curate kgxl/data/food_composition.csv from ../shared/data/food_composition/cfct6_foods.csv.

Run by hand when the source changes (the product never reads ../shared at run time):
    python tools/curate_foods.py ../shared/data/food_composition/cfct6_foods.csv
Rules (also stated in kgxl/data/README.md): infant formula/foods and brand-specific rows are left
out; names must be single-line and unique (first row wins); "Tr" (trace) becomes 0, "—" (not
measured) stays blank; a row whose 4P+9F+4C differs from the stated energy by more than 15 %
is flagged in 能量核对, not dropped; a row with a negative figure or more than 900 kcal per 100 g
(more than pure fat: an OCR misread, often kJ read as kcal) is dropped and named in the output.
"""
import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kgxl" / "data" / "food_composition.csv"
FIELDS = ["food_code", "food_name", "category", "edible_pct", "energy_kcal", "protein_g", "fat_g", "carb_g",
          "calcium_mg", "iron_mg", "zinc_mg", "vitamin_a_ug", "thiamin_mg", "riboflavin_mg", "vitamin_c_mg",
          "quality_protein", "source", "energy_check"]
SOURCE_COLS = {"edible_pct": "edible", "energy_kcal": "energyKCal", "protein_g": "protein", "fat_g": "fat",
               "carb_g": "CHO", "calcium_mg": "Ca", "iron_mg": "Fe", "zinc_mg": "Zn", "vitamin_a_ug": "vitaminA",
               "thiamin_mg": "thiamin", "riboflavin_mg": "riboflavin", "vitamin_c_mg": "vitaminC"}
QUALITY = ("畜肉类", "禽肉类", "乳类", "蛋类", "鱼虾蟹贝类", "干豆类及其制品-大豆")


def number(text: str) -> str:
    text = (text or "").strip().rstrip("*")  # the book marks some values with *; the figure stands
    if text in ("Tr", "tr"):
        return "0"
    try:
        float(text)
    except ValueError:
        return ""
    return text


def main(src: str) -> None:
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
            out["energy_check"] = "" if e and abs(calc - e) <= 0.15 * e else f"需核实（计算值{calc:.0f}）"
            rows.append(out)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} foods -> {OUT}; dropped as impossible: {', '.join(dropped)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/food_composition/cfct6_foods.csv")
