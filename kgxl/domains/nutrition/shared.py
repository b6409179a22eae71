"""The nutrition domain's names, shared by its declaration and its sheet, and the month's intake against the
reference for the other domains (卫生保健月报)."""
SHEET, CHECK = "营养分析", "营养数据核对"
NEEDS = ("menu", "foods", "roster", "classes")  # 营养标准 has shipped defaults


def percent_of_reference(v, month: str) -> dict | None:
    """Energy and protein per child per day of the month's menu as % of the enrolled children's mean reference
    intake (营养分析's figures, rounded to 0.1); None without the sheets or a menu day in the month."""
    from kgxl.core.money import half_up
    from kgxl.domains.nutrition.intake import Period, analyse
    from kgxl.domains.nutrition.reference import WHOLE, reference

    if not all(k in v.tables for k in NEEDS):
        return None
    a = analyse(v.tables["menu"].frame, v.tables["foods"].frame, Period.month(month))
    if a is None:
        return None
    ref = reference(v.tables["roster"].frame, v.tables["classes"].frame, a.days[-1])
    if WHOLE not in ref.means.index:
        return None
    means = ref.means.loc[WHOLE]
    return {k: float(half_up(100 * a.per_day[col] / means[col], 1)) if means[col] else None
            for k, col in (("energy", "energy_kcal"), ("protein", "protein_g"))}
