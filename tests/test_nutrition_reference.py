"""The DRI reference of a group of children, checked by hand against the 2013 table's rows."""
import datetime as dt

import pandas as pd
import pytest

from kgxl.domains.nutrition.reference import age_years, dris, reference

D = dt.date
ON = D(2026, 11, 2)


def frames():
    classes = pd.DataFrame({"class_name": ["小一班", "大一班"], "age_group": ["小班", "大班"]})
    kid = {"entry_date": D(2026, 9, 1), "leave_date": None}
    roster = pd.DataFrame([
        {"child_id": "1", "name": "甲", "sex": "男", "birth_date": D(2023, 5, 1), "class_name": "小一班", **kid},  # 3
        {"child_id": "2", "name": "乙", "sex": "女", "birth_date": D(2022, 11, 2), "class_name": "小一班", **kid},  # 4 today
        {"child_id": "3", "name": "丙", "sex": "男", "birth_date": D(2020, 11, 3), "class_name": "大一班", **kid},  # 5
        {"child_id": "4", "name": "丁", "sex": "女", "birth_date": D(2020, 6, 1), "class_name": "大一班", **kid},  # 6
        {"child_id": "5", "name": "戊", "sex": "男", "birth_date": D(2025, 1, 1), "class_name": "小一班", **kid},  # 1: no row
        {"child_id": "6", "name": "己", "sex": "女", "birth_date": D(2022, 1, 1), "class_name": "小一班",
         "entry_date": D(2026, 9, 1), "leave_date": D(2026, 10, 30)},  # left before the day
    ])
    return roster, classes


def test_age_in_completed_years():
    assert age_years(D(2022, 11, 2), ON) == 4 and age_years(D(2022, 11, 3), ON) == 3
    assert age_years(D(2020, 2, 29), D(2026, 2, 28)) == 5 and age_years(D(2020, 2, 29), D(2026, 3, 1)) == 6


def test_table_rows_as_published():
    t = dris()
    # 2013 DRIs: 3 y boy EER 1250 kcal, 6 y girl (light activity) 1250 kcal, Ca 600 mg below 4 y and 800 from 4 y
    assert t.loc[(3, "男"), "energy_kcal"] == 1250 and t.loc[(6, "女"), "energy_kcal"] == 1250
    assert t.loc[(3, "女"), "calcium_mg"] == 600 and t.loc[(4, "女"), "calcium_mg"] == 800
    assert list(t.columns) == ["energy_kcal", "protein_g", "calcium_mg", "iron_mg", "zinc_mg", "vitamin_a_ug",
                               "thiamin_mg", "riboflavin_mg", "vitamin_c_mg"]


def test_reference_is_the_mean_over_enrolled_children_by_group():
    roster, classes = frames()
    ref = reference(roster, classes, ON)
    m = ref.means
    assert list(m.index) == ["全园", "小班", "大班"]
    assert list(m["children"]) == [4, 2, 2]
    # energy: 3y boy 1250, 4y girl 1250, 5y boy 1400, 6y girl 1250
    assert m.loc["全园", "energy_kcal"] == pytest.approx((1250 + 1250 + 1400 + 1250) / 4)
    assert m.loc["小班", "energy_kcal"] == 1250 and m.loc["大班", "energy_kcal"] == pytest.approx((1400 + 1250) / 2)
    # protein: 30, 30, 30, 35; calcium: 600, 800, 800, 800; vitamin C: 40, 50, 50, 50
    assert m.loc["全园", "protein_g"] == pytest.approx(31.25)
    assert m.loc["小班", "calcium_mg"] == 700 and m.loc["全园", "vitamin_c_mg"] == pytest.approx(47.5)
    assert list(ref.outside["child_id"]) == ["5"] and list(ref.outside["age"]) == [1]
    assert ref.source.startswith("中国居民膳食营养素参考摄入量")
