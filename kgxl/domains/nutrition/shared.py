"""What the nutrition domain gives the others: the month's energy and protein against the reference (卫生保健月报)."""
from __future__ import annotations

from kgxl.core.money import half_up
from kgxl.domains.nutrition.intake import Period, analyse
from kgxl.domains.nutrition.names import CHECK, NEEDS, SHEET
from kgxl.domains.nutrition.reference import WHOLE, reference

__all__ = ["SHEET", "CHECK", "percent_of_reference"]


def percent_of_reference(v, month: str) -> dict | None:
    """Energy and protein per child per day of the month's menu as % of the enrolled children's mean reference
    intake (营养分析's figures, rounded to 0.1); None without the sheets or a menu day in the month."""
    if not all(k in v.tables for k in NEEDS):
        return None

    def run():  # kept while the menu, foods, roster and classes are: a register typed in leaves it
        a = analyse(v.tables["menu"].frame, v.tables["foods"].frame, Period.month(month))
        if a is None:
            return None
        ref = reference(v.tables["roster"].frame, v.tables["classes"].frame, a.days[-1])
        if WHOLE not in ref.means.index:
            return None
        means = ref.means.loc[WHOLE]
        return {k: float(half_up(100 * a.per_day[col] / means[col], 1)) if means[col] else None
                for k, col in (("energy", "energy_kcal"), ("protein", "protein_g"))}
    return v.shared(("nutrition.percent_of_reference", month), run)
