"""体检评价: z-scores checked by hand against WHO's LMS rows, the restricted adjustment, cut-offs,
bad input located in 体检记录, the 体弱儿 outcomes, and the sample's sheets reconciled row by row."""
import datetime as dt
import math

import pandas as pd
import pytest
from test_nutrition import CLASSES, SETTINGS

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.domains.health.growth import STANDARD_NAMES, WHO, cutoffs, evaluate
from kgxl.domains.health.growth_reference import zscores
from kgxl.domains.health.sheets import (
    EVALUATION,
    REGISTER,
    REMINDERS,
    STATISTICS,
    TOTAL,
    HealthReport,
)
from kgxl.domains.health.status import COUNTS_AS
from kgxl.io.filebook import FileBook

run_health = ACTIONS["health"].run

D = dt.date


def z(x, L, M, S):
    return ((x / M) ** L - 1) / (L * S)


def restricted(x, L, M, S):
    """WHO's adjustment for weight-based indicators beyond ±3 SD, written out by hand."""
    sd = {k: M * (1 + L * S * k) ** (1 / L) for k in (-3, -2, 2, 3)}
    v = z(x, L, M, S)
    if v > 3:
        return 3 + (x - sd[3]) / (sd[3] - sd[2])
    if v < -3:
        return -3 + (x - sd[-3]) / (sd[-2] - sd[-3])
    return v


def lerp(a, b, f):
    return a + f * (b - a)


def one(sex, birth, check, height, weight):
    return zscores([sex], [(check - birth).days], [height], [weight]).iloc[0]


def test_under_five_by_day_from_the_lms_rows():
    # boy, exactly 1096 days: length_for_age.txt "1 1096 1 96.0889 0.03858 H"
    r = one(1, D(2023, 9, 1), D(2026, 9, 1), 100.0, 19.0)
    assert r["haz"] == pytest.approx(z(100.0, 1, 96.0889, 0.03858), abs=1e-9)
    # weight_for_height.txt "1 95 -0.3521 14.06 0.0806 H" at 95.0 cm: 19 kg is beyond +3 SD, so restricted
    r = one(1, D(2023, 9, 1), D(2026, 9, 1), 95.0, 19.0)
    assert z(19.0, -0.3521, 14.06, 0.0806) > 3
    assert r["whz"] == pytest.approx(restricted(19.0, -0.3521, 14.06, 0.0806), abs=1e-9)
    assert abs(r["whz"] - z(19.0, -0.3521, 14.06, 0.0806)) > 0.05  # the adjustment matters here
    # girl, 1461 days: weight_for_age.txt "2 1461 -0.3361 16.0697 0.13884"
    r = one(2, D(2022, 9, 1), D(2026, 9, 1), 103.0, 20.0)
    assert r["waz"] == pytest.approx(z(20.0, -0.3361, 16.0697, 0.13884), abs=1e-9)


def test_under_two_standing_height_becomes_length():
    # girl, 700 days, 80.0 cm standing = 80.7 cm length: length_for_age.txt "2 700 1 85.5184 0.03711 L",
    # weight_for_length.txt "2 80.7 -0.3833 10.2332 0.08932 L"
    birth = D(2024, 1, 1)
    r = one(2, birth, birth + dt.timedelta(days=700), 80.0, 10.0)
    assert r["haz"] == pytest.approx(z(80.7, 1, 85.5184, 0.03711), abs=1e-9)
    assert r["whz"] == pytest.approx(z(10.0, -0.3833, 10.2332, 0.08932), abs=1e-9)


def test_from_five_by_month_interpolated():
    # girl, 2265 days = 74.41 months: hfa_girls "74 1 116.0812 0.04461" / "75 1 116.5568 0.04469",
    # bmi_girls "74 -1.1115 15.2831 0.10287" / "75 -1.1272 15.2911 0.10333"; no weight-for-height after 5
    f = 2265 / 30.4375 - 74
    r = one(2, D(2020, 1, 1), D(2026, 3, 15), 118.0, 20.0)
    assert r["haz"] == pytest.approx(z(118.0, 1, lerp(116.0812, 116.5568, f), lerp(0.04461, 0.04469, f)), abs=1e-9)
    bmi = 20.0 / 1.18 ** 2
    assert r["baz"] == pytest.approx(z(bmi, lerp(-1.1115, -1.1272, f), lerp(15.2831, 15.2911, f),
                                       lerp(0.10287, 0.10333, f)), abs=1e-9)
    assert math.isnan(r["whz"])
    # boy, 2020 days = 66.37 months, 13 kg: wfa_who2007 "1 66 -0.2548 19.3940 0.13178" / "1 67 -0.2653 19.5765
    # 0.13213"; below -3 SD, so restricted
    f = 2020 / 30.4375 - 66
    L, M, S = lerp(-0.2548, -0.2653, f), lerp(19.3940, 19.5765, f), lerp(0.13178, 0.13213, f)
    r = one(1, D(2021, 3, 10), D(2026, 9, 20), 105.0, 13.0)
    assert z(13.0, L, M, S) < -3
    assert r["waz"] == pytest.approx(restricted(13.0, L, M, S), abs=1e-9)


ROSTER = [{"child_id": "K1", "name": "甲", "sex": "男", "birth_date": D(2022, 9, 1), "class_name": "小一班",
           "entry_date": D(2025, 9, 1), "leave_date": None},
          {"child_id": "K2", "name": "乙", "sex": "女", "birth_date": D(2021, 3, 10), "class_name": "中一班",
           "entry_date": D(2025, 9, 1), "leave_date": None},
          {"child_id": "K3", "name": "丙", "sex": "女", "birth_date": D(2024, 1, 1), "class_name": "小一班",
           "entry_date": D(2026, 3, 1), "leave_date": None}]


def check(child, day, h, w, hb=None, note=None):
    return {"child_id": child, "date": day, "height_cm": h, "weight_kg": w, "hemoglobin": hb, "note": note}


def norm(standard, item, compare, threshold, start, end, recheck):
    return {"standard": standard, "item": item, "compare": compare, "threshold": threshold, "from_months": start,
            "to_months": end, "recheck_months": recheck, "basis": "本园", "confidence": "未核实"}


def test_classification_follows_the_editable_cutoffs():
    checks = pd.DataFrame([check("K1", D(2026, 9, 15), 100.0, 19.0, 105), check("K2", D(2026, 9, 15), 100.0, 14.0, 125)])
    roster = pd.DataFrame(ROSTER)
    ev = evaluate(checks, roster, cutoffs(None, WHO)).set_index("child_id")
    assert ev.loc["K1", "conditions"] == ("超重", "贫血")
    assert ev.loc["K2", "conditions"] == ("低体重", "生长迟缓")  # z -2.33 and -2.48
    norms = pd.DataFrame([norm("WHO", "超重", ">", 3.5, None, 60, 3), norm("通用", "贫血", "<", 100, 6, 72, 1)])
    ev = evaluate(checks, roster, cutoffs(norms, WHO)).set_index("child_id")
    assert ev.loc["K1", "conditions"] == ()


def health_book(path, checks, today_roster=ROSTER, **extra):
    rows = {"settings": SETTINGS, "classes": CLASSES, "roster": today_roster, "health_checks": checks, **extra}
    path.write_bytes(book_bytes(rows, {}))
    return path


def test_bad_checks_are_located(tmp_path):
    checks = [check("K1", D(2026, 9, 15), 96.0, 15.0),                     # row 2: fine
              check("K1", D(2026, 9, 16), 96.0, 30.0),                     # 3: a 4-year-old at 30 kg (斤?)
              check("K1", D(2026, 9, 17), 150.0, 15.0),                    # 4: 150 cm
              check("K1", D(2026, 9, 18), 96.0, 15000),                    # 5: grams in 千克
              check("K2", D(2020, 1, 1), 96.0, 15.0),                      # 6: before birth
              check("K2", D(2026, 12, 1), 110.0, 18.0),                    # 7: after today
              check("K1", D(2026, 9, 19), 96.0, 30.0, None, "已核实，确为此体重"),  # 8: verified
              check("K1", D(2026, 9, 20), 1050, 15.0)]                     # 9: millimetres
    v = validate_book(FileBook(health_book(tmp_path / "h.xlsx", checks)), D(2026, 11, 20))
    found = {(p.cell, p.code, p.severity) for p in v.problems if p.sheet == "体检记录"}
    assert found == {("D3", "implausible_growth", "警告"), ("C4", "implausible_growth", "警告"),
                     ("D5", "above_max", "错误"), ("B6", "before_birth", "错误"), ("B7", "future_date", "错误"),
                     ("C9", "above_max", "错误")}
    msg = {p.cell: p.message for p in v.problems if p.sheet == "体检记录"}
    assert "克" in msg["D5"] and "毫米" in msg["C9"] and "已核实" in msg["D3"]
    result = run_health(FileBook(tmp_path / "h.xlsx"), month="2026-11", today=D(2026, 11, 20))
    assert not result.outputs[0].name == EVALUATION  # stopped: 错误 in 体检记录, only 校验结果 written
    assert "体检记录" in result.summary


def test_unverified_implausible_row_is_not_evaluated(tmp_path):
    checks = [check("K1", D(2025, 9, 15), 92.0, 13.5, 120), check("K1", D(2026, 9, 16), 96.0, 30.0)]
    r = run_health(FileBook(health_book(tmp_path / "h.xlsx", checks)), month="2026-11", today=D(2026, 11, 20))
    rows = r.outputs[0].blocks[0].rows
    (k1,) = [x for x in rows if x[1] == "K1"]
    assert k1[14] == "待核实" and k1[11] > 5  # its z-scores are shown, so the user sees why
    assert "测量值存疑" in k1[15]
    stats = {x[0]: x for x in r.outputs[2].blocks[0].rows}
    assert stats[TOTAL][2] == 1 and stats[TOTAL][4] == 0  # checked on time, but not evaluated


def test_a_check_at_84_months_is_named_not_evaluated(tmp_path):
    """A 大班 child can be 7 in the spring term: WS/T 423 stops at 84 months, and every report must still be made."""
    roster = [*ROSTER, {"child_id": "K7", "name": "丁", "sex": "男", "birth_date": D(2019, 10, 20), "class_name": "中一班",
                        "entry_date": D(2023, 9, 1), "leave_date": None}]
    # a year earlier overweight (in the register), now exactly 7
    checks = [check("K7", D(2025, 10, 20), 114.0, 25.0, 120), check("K7", D(2026, 10, 20), 122.0, 23.0, 125)]
    path = health_book(tmp_path / "h.xlsx", checks, today_roster=roster)
    v = validate_book(FileBook(path), D(2026, 11, 20))
    assert [(p.cell, p.code) for p in v.problems if p.sheet == "体检记录"] == [("B3", "beyond_standard")]
    r = run_health(FileBook(path), month="2026-11", today=D(2026, 11, 20))
    (k7,) = [x for x in r.outputs[0].blocks[0].rows if x[1] == "K7"]
    assert k7[14] == "未评价" and "满7岁" in k7[15]
    (entry,) = [x for x in r.outputs[1].blocks[0].rows if x[1] == "K7"]
    assert entry[11] == "未评价"


def _report(checks, roster=ROSTER, today=D(2026, 11, 20), norms=None):
    return HealthReport(pd.DataFrame(checks), pd.DataFrame(roster), ["小一班", "中一班"], norms, "园", "2026-11", today,
                        WHO)


def test_register_outcomes_and_rhythm():
    checks = [  # K1: obese, then overweight (improving); anaemic twice, Hb falling (not improving)
        check("K1", D(2025, 9, 15), 96.0, 21.0, 105), check("K1", D(2026, 9, 15), 103.0, 21.0, 104),
        # K2: stunted last year, normal now
        check("K2", D(2025, 9, 15), 95.0, 14.0, 120), check("K2", D(2026, 9, 15), 110.0, 18.5, 121),
        # K3 (2 years 8 months in Sept): first check, underweight; under 3, so due again in 6 months
        check("K3", D(2026, 9, 1), 90.0, 10.0, 118)]
    rep = _report(checks)
    reg = rep.s.register.set_index("child_id")
    assert reg.loc["K1", "reasons"] == ("超重", "贫血") and reg.loc["K1", "outcome"] == "未好转"
    assert reg.loc["K1", "since"] == {"超重": D(2025, 9, 15), "贫血": D(2025, 9, 15)}
    assert reg.loc["K2", "outcome"] == "已恢复正常" and reg.loc["K2", "reasons"] == ("生长迟缓",)
    # a condition is re-checked by its own interval (under-nutrition monthly, 卫办妇社发〔2012〕49号), never by the
    # routine rhythm; an interval left blank is said so
    assert reg.loc["K3", "outcome"] == "新发现" and reg.loc["K3", "next"] == D(2026, 10, 1)
    assert reg.loc["K1", "next"] is None and reg.loc["K1", "unset"] == ("超重", "贫血")
    assert reg.loc["K3", "prev_conditions"] is None  # no earlier check: no 上次结论
    row = {r[1]: r for r in _report(checks).register().blocks[0].rows}
    assert row["K3"][10] is None and "超重、贫血复查间隔未设置" in row["K1"][13]
    evaluation = {r[1]: r for r in rep.evaluation().blocks[0].rows}
    assert evaluation["K1"][15] == "超重、贫血" and evaluation["K1"][19] == "肥胖、贫血"  # every child has an Hb here
    kids = rep.s.children.set_index("child_id")
    assert kids.loc["K3", "due"] == D(2027, 3, 1) and kids.loc["K1", "due"] == D(2027, 9, 15)
    # a cut-off's 复查间隔 sets the next re-check; Hb improving makes K1 好转 once 贫血 is its only reason
    norms = pd.DataFrame([norm("通用", "贫血", "<", 110, 6, 72, 1)])
    checks[1] = check("K1", D(2026, 9, 15), 103.0, 17.0, 108)
    reg = _report(checks, norms=norms).s.register.set_index("child_id")
    assert reg.loc["K1", "reasons"] == ("贫血",) and reg.loc["K1", "outcome"] == "好转"
    assert reg.loc["K1", "next"] == D(2026, 10, 15)


def test_overdue_children_are_listed():
    checks = [check("K1", D(2025, 9, 15), 96.0, 15.0, 120), check("K2", D(2026, 9, 15), 110.0, 18.5)]
    rep = _report(checks)
    items = {(r[1], r[4]): r for r in rep.reminders().blocks[0].rows}
    assert items[("K1", "体格检查")][6] == D(2026, 9, 15) and items[("K1", "体格检查")][7:] == ["逾期", 66]
    assert items[("K3", "入园体检")][6] == D(2026, 3, 1)  # never checked: due at entry
    assert ("K2", "体格检查") not in items and items[("K2", "血红蛋白")][6] == D(2025, 9, 1)
    total = rep.class_counts().set_index("class_name").loc[TOTAL]
    assert (total["enrolled"], total["checked"], total["overdue"]) == (3, 1, 2)


@pytest.fixture(scope="module", params=["WS/T 423-2022", "WHO"])
def sample_result(request, tmp_path_factory):
    """体检评价 of the sample, by its default standard (WS/T 423-2022) and with the setting switched to WHO."""
    import openpyxl
    from conftest import SAMPLE

    path = SAMPLE
    if request.param == "WHO":
        path = tmp_path_factory.mktemp("who") / "Logistics.xlsm"
        wb = openpyxl.load_workbook(SAMPLE, keep_vba=True)
        ws = wb["基本信息"]
        next(r for r in ws.iter_rows() if r[0].value == "生长评价标准")[1].value = "WHO"
        wb.save(path)
    return request.param, run_health(FileBook(path), month="2026-11", today=D(2026, 11, 20))


def frame(result):
    block = result.outputs[0].blocks[0]
    df = pd.DataFrame(block.rows, columns=block.header)
    return df.rename(columns=lambda c: c.replace("(近似)", ""))


def test_sample_children_have_a_plausible_spread(sample_result):
    standard, result = sample_result
    df = frame(result)
    assert len(df) >= 170 and (df["结论"] != "待核实").all()
    for col in ("年龄别体重Z", "年龄别身高Z", "BMI Z值"):
        assert -0.8 < df[col].mean() < 1.0 and 0.6 < df[col].std() < 1.5, col
        assert df[col].between(-4, 4).all()
    by_height = df["身高别体重Z"].notna().mean()
    # WHO: weight-for-height only under 5 (the 大班 over 5 are judged on BMI); WS/T 423: up to 7 within 75-130 cm
    assert 0.3 < by_height < 0.95 if standard == "WHO" else by_height > 0.95
    flagged = (df["结论"] == "需关注").mean()
    assert 0.03 < flagged < 0.3
    found = {c for v in df["评价"] for c in v.split("（")[0].split("、")} - {"正常"}
    assert {"超重", "肥胖", "消瘦", "贫血"} <= found
    assert result.summary.startswith("已生成体格发育评价")
    for o in result.outputs[:4]:  # every health sheet names the standard used
        assert STANDARD_NAMES[standard] in "".join(o.titles), o.name


def test_ws_t_423_finds_more_overweight_than_the_old_who_cutoffs():
    from conftest import SAMPLE

    result = run_health(FileBook(SAMPLE), month="2026-11", today=D(2026, 11, 20))  # the sample's default: WS/T 423

    from kgxl.core.reading import read_table
    from kgxl.core.schema import load_schemas

    book = FileBook(SAMPLE)
    checks = read_table(load_schemas()["health_checks"], book.read("体检记录"))[0].frame
    classes = ["小一班", "小二班", "中一班", "中二班", "大一班", "大二班"]
    old = pd.DataFrame([norm("WHO", "超重", ">", 2, None, 60, 3), norm("WHO", "超重", ">", 2, 60, None, 3),
                        norm("WHO", "肥胖", ">", 3, None, 60, 3), norm("WHO", "肥胖", ">", 3, 60, None, 3)])
    before = HealthReport(checks, sample_roster(), classes, old, "园", "2026-11", D(2026, 11, 20), WHO)
    total = before.class_counts().set_index("class_name").loc[TOTAL]
    stats = result.outputs[2].blocks[0]
    now = pd.DataFrame(stats.rows, columns=stats.header).set_index("班级").loc[TOTAL]
    print("WS/T 423 vs old WHO cut-offs: 超重", now["超重人数"], total["超重"], "肥胖", now["肥胖人数"], total["肥胖"])
    assert now["超重人数"] > total["超重"] and now["肥胖人数"] > total["肥胖"]
    assert 0.05 < now["超重人数"] / now["评价人数"] < 0.2 and 0.01 < now["肥胖人数"] / now["评价人数"] < 0.1


def test_sample_register_schedules_every_condition(sample_result):
    _, result = sample_result
    reg = result.outputs[1].blocks[0]
    df = pd.DataFrame(reg.rows, columns=reg.header)
    late = df["下次复查"].dropna()
    assert (late <= D(2026, 11, 20) + dt.timedelta(days=92)).all()  # nothing a year away
    assert not df["复查状态"].str.contains("未设置").any()  # the sample sets its own intervals
    assert df.loc[df["上次结论"].notna(), "上次结论"].ne("").all()


def test_sample_statistics_reconcile_with_the_rows(sample_result):
    _, result = sample_result
    ev, reg, stats, rem = (o.blocks[0] for o in result.outputs[:4])
    assert [o.name for o in result.outputs[:4]] == [EVALUATION, REGISTER, STATISTICS, REMINDERS]
    rows = pd.DataFrame(ev.rows, columns=ev.header)
    st = pd.DataFrame(stats.rows, columns=stats.header).set_index("班级")
    from kgxl.domains.health.status import enrolled
    roster = pd.DataFrame(sample_roster())
    counts = enrolled(roster, D(2026, 11, 20))["class_name"].value_counts()
    for cls, g in [*rows.groupby("班级"), (TOTAL, rows)]:
        s = st.loc[cls]
        on = g[g["体检状态"] == "按时"]
        assert s["在册人数"] == (counts.sum() if cls == TOTAL else counts[cls])
        assert s["体检人数"] == len(on) and s["评价人数"] == (on["结论"] != "待核实").sum()
        assert s["体检逾期人数"] == s["在册人数"] - len(on)
        for cond in ("低体重", "生长迟缓", "消瘦", "超重", "肥胖", "贫血"):  # a severe grade counts in its column
            n = on["评价"].map(lambda t, c=cond: any(COUNTS_AS.get(x, x) == c for x in t.split("（")[0].split("、"))).sum()
            assert s[f"{cond}人数"] == n, (cls, cond)
        assert s["体检率(%)"] == round(100 * len(on) / s["在册人数"], 1)
    assert st.drop(TOTAL)["超重人数"].sum() == st.loc[TOTAL, "超重人数"]
    # every child needing attention is in the register, and every overdue check is in the reminders
    attention = set(rows.loc[rows["结论"] == "需关注", "幼儿编号"])
    register = pd.DataFrame(reg.rows, columns=reg.header)
    assert attention == set(register.loc[register["转归"] != "已恢复正常", "幼儿编号"])
    late = {r[1] for r in rem.rows if r[4] in ("体格检查", "入园体检") and r[7] in ("逾期", "无记录")}
    assert len(late) == st.loc[TOTAL, "体检逾期人数"]


def test_an_old_haemoglobin_proves_no_recovery():
    # anaemic in 2024, a normal Hb in 2025-09-10: more than 12 months before the report day, so neither anaemia nor
    # a recovery from it is claimed (体检提醒 asks for a new Hb instead)
    checks = [check("K2", D(2024, 9, 10), 92.0, 13.0, 100), check("K2", D(2025, 9, 10), 100.0, 15.5, 120),
              check("K2", D(2026, 9, 15), 110.0, 18.5)]
    rep = _report(checks)
    reg = rep.s.register
    assert reg.empty or "K2" not in set(reg["child_id"])
    assert ("K2", "血红蛋白") in {(r[1], r[4]) for r in rep.reminders().blocks[0].rows}


def sample_roster():
    from conftest import SAMPLE

    from kgxl.core.reading import read_table
    from kgxl.core.schema import load_schemas

    s = load_schemas()["roster"]
    return read_table(s, FileBook(SAMPLE).read(s.sheet))[0].frame


def test_ages_are_calendar_ages_on_every_sheet():
    """曹梦琪 (born 12-31) is 5岁10月 on 10-31, 黄嘉懿 (born 6-21) 3岁4月 on 11-20: completed calendar months, not
    days ÷ 30.4375 (which gave 5岁9月 and 3岁5月); an item not yet due has no 逾期天数."""
    from kgxl.domains.health.growth import age_text

    assert age_text(D(2020, 12, 31), D(2026, 10, 31)) == "5岁10月"
    assert age_text(D(2023, 6, 21), D(2026, 11, 20)) == "3岁4月"
    assert age_text(D(2023, 2, 21), D(2026, 8, 21)) == "3岁6月"
    roster = [{"child_id": "K8", "name": "戊", "sex": "女", "birth_date": D(2023, 2, 21), "class_name": "小一班",
               "entry_date": D(2025, 9, 1), "leave_date": None},
              {"child_id": "K9", "name": "己", "sex": "女", "birth_date": D(2023, 6, 21), "class_name": "小一班",
               "entry_date": D(2025, 9, 1), "leave_date": None}]
    rep = _report([check("K8", D(2026, 8, 21), 98.0, 14.5, 120), check("K9", D(2026, 5, 25), 95.0, 14.0, 120)],
                  roster=roster)
    (row,) = [r for r in rep.evaluation().blocks[0].rows if r[1] == "K8"]
    assert row[5] == "3岁6月"
    (item,) = [r for r in rep.reminders().blocks[0].rows if r[1] == "K9"]
    assert (item[3], item[4], item[6], item[7], item[8]) == ("3岁4月", "体格检查", D(2026, 11, 25), "本月到期", None)


def test_a_new_condition_is_never_better():
    """2025049's case: height-for-age improved (−3.15 → −2.48) while weight-for-age fell into 低体重 (−1.22 → −2.33):
    a Z moved away from normal, so 转归 is 未好转 (it said 好转)."""
    checks = [check("K2", D(2025, 9, 15), 92.0, 14.5), check("K2", D(2026, 9, 15), 100.0, 14.0)]
    reg = _report(checks).s.register.set_index("child_id")
    assert reg.loc["K2", "reasons"] == ("低体重", "生长迟缓") and reg.loc["K2", "prev_conditions"] == ("重度生长迟缓",)
    assert reg.loc["K2", "outcome"] == "未好转"


def test_two_checks_on_one_day_are_located_and_counted_once(tmp_path):
    """Was silent: the later row won, 上次检查 was the same day (体重增长 −4.0) and 体弱儿管理 said 已恢复正常."""
    checks = [check("K1", D(2025, 9, 15), 96.0, 21.0), check("K1", D(2026, 9, 15), 103.0, 21.0),
              check("K1", D(2026, 9, 15), 103.0, 17.0)]
    path = health_book(tmp_path / "h.xlsx", checks)
    v = validate_book(FileBook(path), D(2026, 11, 20))
    (p,) = [p for p in v.problems if p.sheet == "体检记录"]
    assert (p.cell, p.code, p.severity) == ("B3", "same_day_check", "警告") and "B4" in p.message
    rep = _report(checks)
    (row,) = [r for r in rep.evaluation().blocks[0].rows if r[1] == "K1"]
    assert row[16] == D(2025, 9, 15) and row[18] == -4.0  # 上次检查 a year before, not the same day
    reg = rep.s.register.set_index("child_id")
    assert reg.loc["K1", "outcome"] == "已恢复正常" and reg.loc["K1", "prev_conditions"] == ("肥胖",)


def test_a_six_year_old_is_checked_for_anaemia_by_ws_t_441():
    """From 72 months the shipped 体检标准 had no anaemia row (大班's 6-year-olds were never judged): WS/T 441-2013 gives
    5-11 岁 < 115 g/L."""
    roster = pd.DataFrame([{"child_id": "K6", "name": "丑", "sex": "女", "birth_date": D(2020, 6, 1), "class_name": "中一班",
                            "entry_date": D(2023, 9, 1), "leave_date": None}])
    for standard in STANDARD_NAMES:
        checks = pd.DataFrame([check("K6", D(2026, 9, 15), 116.0, 21.0, hb) for hb in (112, 115)])
        ev = evaluate(checks, roster, cutoffs(None, standard))
        assert list(ev["hb_judged"]) == [True, True]
        assert ["贫血" in c for c in ev["conditions"]] == [True, False]


def test_an_anaemic_child_whose_haemoglobin_is_old_stays_in_the_register():
    """Anaemic at the last Hb (2025-09-10), no Hb since: after 12 months the child left 体弱儿管理 with no 结案; it stays,
    贫血 kept as a reason and its re-check overdue, while the statistics (which need a current Hb) count no anaemia."""
    checks = [check("K2", D(2025, 9, 10), 105.0, 17.0, 100), check("K2", D(2026, 9, 15), 110.0, 18.5)]
    rep = _report(checks)
    reg = rep.s.register.set_index("child_id")
    assert reg.loc["K2", "reasons"] == ("贫血",) and reg.loc["K2", "outcome"] == "待复查血红蛋白"
    assert reg.loc["K2", "next"] == D(2026, 9, 10)
    (row,) = [r for r in rep.register().blocks[0].rows if r[1] == "K2"]
    assert row[11] == "待复查血红蛋白" and row[13].startswith("逾期")
    assert "贫血" not in rep.s.children.set_index("child_id").loc["K2", "conditions"]


def test_a_child_with_no_record_in_a_new_workbook_is_unknown_not_years_late():
    """#42: a child who entered in 2024, with no check in this (first-term) workbook: 体检提醒 says 无记录 and no
    逾期天数 (the history is unknown), not 应检 2024-09-01 逾期 790 天; one who entered this term and has no
    entry check is still late; a child with a check keeps its due dates."""
    roster = [{**ROSTER[1], "entry_date": D(2024, 9, 1)},
              {**ROSTER[2], "entry_date": D(2026, 9, 7)},
              ROSTER[0]]
    checks = [check("K1", D(2026, 9, 15), 103.0, 21.0)]  # K1 checked this term, no Hb ever (entered 2025)
    rep = HealthReport(pd.DataFrame(checks), pd.DataFrame(roster), ["小一班", "中一班"], None, "园", "2026-11",
                       D(2026, 11, 20), WHO, since=D(2026, 9, 1))
    rows = rep.reminders().blocks[0].rows
    by = {(r[1], r[4]): r for r in rows}
    assert by[("K2", "入园体检")][5:] == [None, None, "无记录", None]
    assert by[("K2", "血红蛋白")][7] == "无记录" and by[("K1", "血红蛋白")][7] == "无记录"
    assert by[("K3", "入园体检")][6:] == [D(2026, 9, 7), "逾期", (D(2026, 11, 20) - D(2026, 9, 7)).days]
    assert [r[7] for r in rows] == sorted((r[7] for r in rows), key=lambda s: {"逾期": 0, "无记录": 1}.get(s, 2))
    assert "“无记录”：本学期前入园" in rep.reminders().titles[1]
