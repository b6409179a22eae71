"""WS/T 423—2022 worked by hand: children at and around the SD lines of the standard's tables (quoted
from 附录 B in the comments), classified as 表3 says (each band includes its lower line); ages between
rows interpolated and 82-83 months extrapolated as the sheets say; from 84 months not evaluated."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kgxl.domains.health.growth import CHINA, FAMILY, WHO, cutoffs, evaluate
from kgxl.domains.health.growth_reference import zscores as who_z

D = dt.date


def grades(birth: D, day: D, sex: str, height: float, weight: float, note=None, standard=CHINA) -> dict:
    """The grade of each family for one check (None where the family does not hold); None if not evaluated."""
    roster = pd.DataFrame([{"child_id": "K", "name": "童", "sex": sex, "birth_date": birth, "class_name": "班",
                            "entry_date": D(2020, 1, 1), "leave_date": None}])
    checks = pd.DataFrame([{"child_id": "K", "date": day, "height_cm": height, "weight_kg": weight,
                            "hemoglobin": None, "note": note or "已核实"}])
    conditions = evaluate(checks, roster, cutoffs(None, standard)).iloc[0]["conditions"]
    return None if conditions is None else {FAMILY[c]: c for c in conditions}


def test_weight_for_age_at_a_tabulated_age():
    # 表 B.1 boys, 36 months: -3SD 10.8, -2SD 11.9 (kg)
    boy = lambda w: grades(D(2023, 9, 1), D(2026, 9, 1), "男", 96.0, w).get("低体重")  # noqa: E731
    assert [boy(11.9), boy(11.89), boy(10.8), boy(10.79)] == [None, "低体重", "低体重", "重度低体重"]


def test_height_for_age_girls():
    # 表 B.4 girls, 48 months: -3SD 92.2, -2SD 96.0 (cm)
    girl = lambda h: grades(D(2022, 9, 1), D(2026, 9, 1), "女", h, 15.0).get("生长迟缓")  # noqa: E731
    assert [girl(96.0), girl(95.99), girl(92.2), girl(92.19)] == [None, "生长迟缓", "生长迟缓", "重度生长迟缓"]


def test_under_two_by_length():
    # 表 B.6 girls' weight-for-length at 80 cm: +1SD 11.2, +2SD 12.3, +3SD 13.6 (kg); measured lying (卧位) at 18 months
    girl = lambda w: grades(D(2025, 3, 1), D(2026, 9, 1), "女", 80.0, w, "卧位 已核实").get("超重肥胖")  # noqa: E731
    assert [girl(11.19), girl(11.2), girl(12.3), girl(13.59), girl(13.6)] == [None, "超重", "肥胖", "肥胖", "重度肥胖"]
    # the same girl's 79.3 cm measured standing is an 80.0 cm length (+0.7 cm)
    assert grades(D(2025, 3, 1), D(2026, 9, 1), "女", 79.3, 11.2).get("超重肥胖") == "超重"


def test_two_to_seven_by_height_and_between_whole_centimetres():
    # 表 B.7 boys' weight-for-height at 100 cm: -3SD 12.6, -2SD 13.4, +1SD 16.6; at 101 cm +1SD 16.9
    boy = lambda h, w: grades(D(2022, 9, 1), D(2026, 9, 1), "男", h, w)  # noqa: E731
    assert [boy(100.0, w).get("消瘦") for w in (13.4, 13.39, 12.6, 12.59)] == [None, "消瘦", "消瘦", "重度消瘦"]
    assert [boy(100.0, w).get("超重肥胖") for w in (16.59, 16.6)] == [None, "超重"]
    # at 100.5 cm the +1SD line is halfway: (16.6 + 16.9) / 2 = 16.75
    assert [boy(100.5, w).get("超重肥胖") for w in (16.74, 16.76)] == [None, "超重"]


def test_bmi_for_age_where_the_height_table_ends():
    # 131 cm is past weight-for-height (75-130 cm), so BMI-for-age decides. 表 B.9 boys, 81 months:
    # +1SD 17.2, +2SD 19.7 (kg/m²); at 1.31 m the weights are 17.2 × 1.7161 = 29.517 and 19.7 × 1.7161 = 33.807
    boy = lambda w: grades(D(2019, 12, 1), D(2026, 9, 1), "男", 131.0, w).get("超重肥胖")  # noqa: E731
    assert [boy(29.51), boy(29.52), boy(33.80), boy(33.81)] == [None, "超重", "超重", "肥胖"]


def test_between_two_tabulated_ages():
    # 表 B.1 boys, 24 months -2SD 10.2, 27 months -2SD 10.7. Born 2023-09-01, checked 2025-10-16: 25 months and 15
    # days = 25 + 15 / 30.4375 months, so the line is 10.2 + (25.4928 - 24) / 3 × (10.7 - 10.2) = 10.4488 kg
    months = 25 + 15 / 30.4375
    line = 10.2 + (months - 24) / 3 * (10.7 - 10.2)
    assert line == pytest.approx(10.4488, abs=1e-4)
    boy = lambda w: grades(D(2023, 9, 1), D(2025, 10, 16), "男", 88.0, w).get("低体重")  # noqa: E731
    assert [boy(10.45), boy(10.44)] == [None, "低体重"]


def test_82_months_continue_the_last_rows_and_84_is_not_evaluated():
    # 表 B.3 boys' height -2SD: 78 months 112.6, 81 months 113.9; at 82 months 113.9 + (113.9 - 112.6) / 3 = 114.333
    boy = lambda h: grades(D(2019, 10, 1), D(2026, 8, 1), "男", h, 20.0).get("生长迟缓")  # noqa: E731
    assert [boy(114.34), boy(114.33)] == [None, "生长迟缓"]
    assert grades(D(2019, 8, 1), D(2026, 8, 1), "男", 125.0, 24.0) is None  # 7 years: outside the standard


def test_who_cutoffs_depend_on_age_and_60_months_follow_anthroplus():
    # WHO: under 5 years overweight > +2 SD (weight-for-height); from 5 years BMI-for-age > +1 SD
    assert grades(D(2022, 9, 1), D(2026, 9, 1), "男", 100.0, 17.8, standard=WHO).get("超重肥胖") is None
    assert grades(D(2021, 3, 1), D(2026, 9, 1), "女", 110.0, 21.0, standard=WHO).get("超重肥胖") == "超重"
    # 60.5 months: AnthroPlus's 2007 rows (boys' height-for-age, 60: M 109.7265 S 0.04156; 61: M 110.2647 S 0.04164;
    # L = 1) interpolated, where the old igrowup convention used the 2006 standards until 61 months
    days = 1841
    f = days / 30.4375 - 60
    m, s = 109.7265 + f * (110.2647 - 109.7265), 0.04156 + f * (0.04164 - 0.04156)
    haz = who_z([1], [days], [112.0], [19.0])["haz"].iloc[0]
    assert haz == pytest.approx((112.0 / m - 1) / s, abs=1e-9)
    assert np.isnan(who_z([1], [days], [112.0], [19.0])["whz"].iloc[0])  # no weight-for-height from 60 months


def test_out_of_scope_and_lying_measurements_are_located_warnings():
    from helpers import table

    from kgxl.domains.health.rules import check_problems

    roster = pd.DataFrame([{"child_id": "K", "name": "童", "sex": "男", "birth_date": D(2019, 8, 1), "class_name": "班",
                            "entry_date": D(2022, 9, 1), "leave_date": None},
                           {"child_id": "J", "name": "童", "sex": "女", "birth_date": D(2022, 9, 1), "class_name": "班",
                            "entry_date": D(2025, 9, 1), "leave_date": None}])
    t, _ = table("health_checks", [{"child_id": "K", "date": D(2026, 8, 1), "height_cm": 125.0, "weight_kg": 24.0},
                                   {"child_id": "J", "date": D(2026, 9, 1), "height_cm": 103.0, "weight_kg": 16.0,
                                    "note": "卧位"}])
    found = {(p.cell, p.code) for p in check_problems(t, roster, cutoffs(None, CHINA), D(2026, 11, 20), set())}
    assert found == {("B2", "beyond_standard"), ("C3", "lying_over_two")}
    assert not check_problems(t, roster, cutoffs(None, WHO), D(2026, 11, 20), set())[0].code == "beyond_standard"


def test_a_condition_without_a_recheck_interval_asks_for_one():
    from helpers import table

    from kgxl.domains.health.rules import recheck_problems

    rows = [{"standard": "WS/T 423-2022", "item": "超重", "compare": "≥", "threshold": 1, "basis": "表3",
             "confidence": "二手资料"},
            {"standard": "WS/T 423-2022", "item": "肥胖", "compare": "≥", "threshold": 2, "recheck_months": 3,
             "basis": "本园", "confidence": "未核实"}]
    t, _ = table("health_norms", rows)
    found = [(p.cell, p.code) for p in recheck_problems(t, CHINA)]
    assert ("G2", "recheck_unset") in found and not any(c == "G3" for c, _ in found)
    rest = next(p for p in recheck_problems(t, CHINA) if not p.cell)  # rows only in the defaults: one sheet-level 警告
    assert "重度肥胖" in rest.message and "贫血" in rest.message and "超重" not in rest.message.split("的复查")[0]


@pytest.mark.parametrize("sex, family, height, weights, lines, expected", [
    # the other sex of each table above, at the same edges (values quoted from 附录 B):
    # 表 B.2 girls' weight-for-age, 36 months: -3SD 10.3, -2SD 11.4
    ("女", "低体重", 96.0, (11.4, 11.39, 10.3, 10.29), None, [None, "低体重", "低体重", "重度低体重"]),
    # 表 B.5 boys' weight-for-length at 80 cm (lying, 18 months): +1SD 11.6, +2SD 12.7, +3SD 14.1
    ("男", "超重肥胖", 80.0, (11.59, 11.6, 12.7, 14.1), "卧位 已核实", [None, "超重", "肥胖", "重度肥胖"]),
    # 表 B.8 girls' weight-for-height at 100 cm (48 months): -3SD 12.3, -2SD 13.1, +1SD 16.4
    ("女", "消瘦", 100.0, (13.1, 13.09, 12.3, 12.29), None, [None, "消瘦", "消瘦", "重度消瘦"]),
    ("女", "超重肥胖", 100.0, (16.39, 16.4), None, [None, "超重"]),
])
def test_the_other_sex_at_the_same_edges(sex, family, height, weights, lines, expected):
    birth = {"低体重": D(2023, 9, 1), "超重肥胖": D(2025, 3, 1) if height == 80.0 else D(2022, 9, 1),
             "消瘦": D(2022, 9, 1)}[family]
    got = [grades(birth, D(2026, 9, 1), sex, height, w, lines).get(family) for w in weights]
    assert got == expected


def test_boys_height_and_girls_bmi():
    # 表 B.3 boys' height-for-age, 48 months: -3SD 93.3, -2SD 97.2
    boy = lambda h: grades(D(2022, 9, 1), D(2026, 9, 1), "男", h, 17.0).get("生长迟缓")  # noqa: E731
    assert [boy(97.2), boy(97.19), boy(93.3), boy(93.29)] == [None, "生长迟缓", "生长迟缓", "重度生长迟缓"]
    # 表 B.10 girls' BMI-for-age, 81 months: +1SD 16.7, +2SD 18.8; at 1.31 m: 16.7 × 1.7161 = 28.659, 18.8 × 1.7161 = 32.263
    girl = lambda w: grades(D(2019, 12, 1), D(2026, 9, 1), "女", 131.0, w).get("超重肥胖")  # noqa: E731
    assert [girl(28.65), girl(28.66), girl(32.26), girl(32.27)] == [None, "超重", "超重", "肥胖"]


def test_an_older_norms_sheet_without_the_new_columns_still_works(tmp_path):
    # a 体检标准 made before 生长标准 and 判定 existed: its rows are WHO's and read as < / >, no 错误
    from kgxl.core.port import RawSheet
    from kgxl.core.reading import read_table
    from kgxl.core.schema import load_schemas

    header = ["评价", "界值", "适用起始月龄", "适用截止月龄", "复查间隔(月)", "依据", "可信度"]
    rows = [["超重", 1.5, None, None, 3, "本园", "未核实"], ["贫血", 105, 6, 72, 1, "本园", "未核实"]]
    t, problems = read_table(load_schemas()["health_norms"], RawSheet("体检标准", [header, *rows]))
    assert {p.code for p in problems} == {"missing_column"} and all(p.severity == "警告" for p in problems)
    who = cutoffs(t.frame, WHO)
    assert {(c.item, c.compare, c.threshold) for c in who.rules} >= {("超重", ">", 1.5), ("贫血", "<", 105.0)}
    assert not any(c.threshold == 1.5 for c in cutoffs(t.frame, CHINA).rules)  # WS/T 423 keeps its own defaults


def test_values_on_an_interpolated_line_fall_in_the_band_that_includes_it():
    """Between tabulated points a line is interpolated; a value exactly on it is on it (not a float's width below):
    each of these was put one band too low."""
    from kgxl.domains.health.china_reference import zscores
    from kgxl.domains.health.sheets import level

    # 表 B.2 boys' height: 24 months -2SD 82.0, 27 months 84.4: at 26 months the line is 83.6 (was 生长迟缓)
    at26 = lambda h: grades(D(2024, 7, 10), D(2026, 9, 10), "男", h, 11.5).get("生长迟缓")  # noqa: E731
    assert [at26(83.6), at26(83.59)] == [None, "生长迟缓"]
    # 表 B.7 boys' weight-for-height: +1SD 21.6 at 114 cm and 22.1 at 115 (21.7 at 114.2: was 正常);
    # +2SD 21.8 at 110 cm and 22.3 at 111 (22.0 at 110.4: was 超重)
    boy = lambda h, w: grades(D(2022, 9, 1), D(2026, 9, 1), "男", h, w).get("超重肥胖")  # noqa: E731
    assert [boy(114.2, 21.7), boy(114.2, 21.69), boy(110.4, 22.0), boy(110.4, 21.99)] == ["超重", None, "肥胖", "超重"]
    # 表 B.1 boys' weight: +2SD 23.6 at 57 months and 24.5 at 60: at 58 months the line is 23.9 (was 中上)
    z = zscores([1, 1], [58.0, 26.0], [110.0, 83.6], [23.9, 11.5])
    assert z["waz"][0] == 2.0 and level(z["waz"][0]) == "上" and z["haz"][1] == -2.0 and level(z["haz"][1]) == "中下"
