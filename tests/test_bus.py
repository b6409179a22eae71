"""班车 worked by hand on a small book (two routes of three, 2026-10-12 and 13): every figure of 班车统计 and
乘车情况统计, the roll-call cases as 错误 at their cells, and 刷新汇总 going on without the bus sheets."""
import datetime as dt

import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

D, T = dt.date, dt.time
TODAY = D(2026, 10, 31)
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10"}


def child(cid, cls, leave=None):
    return {"child_id": cid, "name": f"童{cid}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": cls,
            "entry_date": D(2026, 9, 1), "leave_date": leave}


ROSTER = [child("C01", "小一班"), child("C02", "小一班"), child("C03", "小二班"), child("C04", "小二班"),
          child("C05", "小二班"), child("C06", "小二班", leave=D(2026, 10, 14))]
VEHICLES = [{"plate": "示X001", "seats": 5, "inspection_until": D(2027, 6, 30), "insurance_until": D(2027, 3, 1)},
            {"plate": "示X002", "seats": 8, "inspection_until": D(2027, 6, 30), "insurance_until": D(2026, 11, 20)}]
PEOPLE = [{"name": "司机甲", "duty": "驾驶员", "licence_until": D(2030, 1, 1), "no_accident": "是"},
          {"name": "司机乙", "duty": "驾驶员", "licence_until": D(2030, 1, 1), "no_accident": "是"},
          {"name": "老师甲", "duty": "跟车老师"}, {"name": "老师乙", "duty": "跟车老师"}]
ROUTES = [{"route": "东线", "child_id": c} for c in ("C01", "C02", "C03")] + [
    {"route": "西线", "child_id": c} for c in ("C04", "C05")] + [{"route": "西线", "child_id": "C06", "until": D(2026, 10, 14)}]
DAYS = (D(2026, 10, 12), D(2026, 10, 13))
CREW = {"东线": ("示X001", "司机甲", "老师甲"), "西线": ("示X002", "司机乙", "老师乙")}


def trip(day, when, route, **change):
    plate, driver, escort = CREW[route]
    return {"date": day, "trip": when, "route": route, "plate": plate, "driver": driver, "escort": escort,
            "depart": T(7, 20) if when == "入园" else T(16, 40), **change}


TRIPS = [trip(d, w, r) for d in DAYS for r in ("东线", "西线") for w in ("入园", "离园")]


def roll(day, when, route, cid, on=True, off=None, note=None):
    return {"date": day, "trip": when, "route": route, "child_id": cid, "boarded": "是" if on else "否",
            "alighted": ("是" if on else None) if off is None else off, "note": note}


def rolls():
    out = []
    for d in DAYS:
        for r in ("东线", "西线"):
            for w in ("入园", "离园"):
                for x in ROUTES:
                    if x["route"] != r:
                        continue
                    absent = x["child_id"] == "C02" and d == DAYS[1]
                    fetched = x["child_id"] == "C05" and d == DAYS[0] and w == "离园"
                    out.append(roll(d, w, r, x["child_id"], on=not (absent or fetched)))
    return out  # 24 rows: row 2 is 10-12 入园 东线 C01


def book(path, **changes):
    rows = {"settings": SETTINGS, "roster": ROSTER, "vehicles": VEHICLES, "bus_staff": PEOPLE, "bus_routes": ROUTES,
            "bus_trips": TRIPS, "bus_rolls": rolls(),
            "classes": [{"class_name": c, "age_group": "小班", "head_teacher": "某"} for c in ("小一班", "小二班")],
            **changes}
    path.write_bytes(book_bytes(rows, {}))
    return path


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    p = book(tmp_path_factory.mktemp("bus") / "b.xlsx")
    assert [x for x in validate_book(FileBook(p), TODAY).problems if x.severity == "错误"] == []
    return {o.name: o for o in ACTIONS["bus"].run(FileBook(p), month="2026-10", today=TODAY).outputs}


def test_ridership_by_route(sheets):
    (table, _sign) = sheets["乘车情况统计"].blocks
    # 东线: 3 children; C02 absent on 10-13: 3 + 3 + 2 + 2 = 10 rides. 西线: C06 rode both days but left the route
    # on 10-14 (not registered on 10-31); C05 fetched by a parent on 10-12's 离园: 3 + 2 + 3 + 3 = 11 rides.
    assert table.rows == [["东线", "示X001", 5, 4, 3, 3, 10, 3, 100.0, 100.0],
                          ["西线", "示X002", 8, 4, 2, 3, 11, 3, 100.0, 100.0],
                          ["合计", None, None, 8, 5, 6, 21, None, 100.0, 100.0]]
    text = " ".join(sheets["乘车情况统计"].titles) + str(table.rows)
    assert "童C" not in text and "老师甲" not in text and "司机" not in text  # no names: it goes to the bureau


def test_trips_children_and_papers(sheets):
    check, trips, kids, papers = sheets["班车统计"].blocks
    assert check.rows == []
    assert len(trips.rows) == 8 and trips.rows[0][:8] == [D(2026, 10, 12), "入园", "东线", "示X001", "司机甲", "老师甲", 3, 3]
    assert [r[4] for r in trips.rows if r[2] == "西线"] == ["司机乙"] * 4
    rides = {r[0]: (r[1], r[2], r[3], r[4]) for r in kids.rows}
    assert rides == {"C01": ("童C01", "小一班", "东线", 4), "C02": ("童C02", "小一班", "东线", 2),
                     "C03": ("童C03", "小二班", "东线", 4), "C04": ("童C04", "小二班", "西线", 4),
                     "C05": ("童C05", "小二班", "西线", 3), "C06": ("童C06", "小二班", "西线", 4)}
    # as of 10-31, with 30 days' warning: 示X002's insurance (11-20) is due in 20 days
    assert ["示X002", "保险", D(2026, 11, 20), "即将到期"] in papers.rows
    assert ["示X001", "保险", D(2027, 3, 1), "有效"] in papers.rows and ["司机甲", "驾驶证", D(2030, 1, 1), "有效"] in papers.rows


def test_the_roll_call_cases_are_errors_at_their_cells(tmp_path):
    r = rolls()
    r[4]["alighted"] = None                               # row 6: 10-12 离园 东线 C02 boarded, not counted off
    r.append(roll(DAYS[1], "入园", "西线", "C01"))          # row 26: C01 rides 西线: not on that route (警告)
    r.append(roll(D(2026, 10, 15), "入园", "西线", "C06"))  # row 27: no such trip; C06 left on 10-14
    trips = [*TRIPS,
             trip(DAYS[0], "入园", "东线"),                  # row 10: registered twice
             trip(D(2026, 10, 15), "离园", "西线", escort=None, driver="老师甲")]  # row 11: no escort, wrong duty
    trips[4] = trip(DAYS[1], "入园", "东线", escort=None)   # row 6: no escort
    vehicles = [dict(VEHICLES[0], seats=4), VEHICLES[1]]  # 东线 on 10-12: 3 children + 2 adults > 4
    people = [dict(PEOPLE[1], licence_until=D(2026, 10, 12)) if p["name"] == "司机乙" else p for p in PEOPLE]
    path = book(tmp_path / "e.xlsx", bus_rolls=r, bus_trips=trips, vehicles=vehicles, bus_staff=people)
    found = {(p.sheet, p.cell, p.code, p.severity) for p in validate_book(FileBook(path), TODAY).problems}
    bus = {x for x in found if x[0] in ("乘车点名", "出车记录", "班车车辆", "班车人员")}
    assert bus == {
        ("乘车点名", "F6", "not_alighted", "错误"),
        ("乘车点名", "D26", "rider_not_on_route", "警告"),
        ("乘车点名", "C27", "roll_without_trip", "错误"), ("乘车点名", "D27", "rider_not_enrolled", "错误"),
        ("出车记录", "C10", "trip_twice", "错误"),
        ("出车记录", "F11", "no_escort", "错误"), ("出车记录", "E11", "wrong_duty", "错误"),
        ("出车记录", "F6", "no_escort", "错误"),
        ("出车记录", "D2", "overloaded", "错误"), ("出车记录", "D3", "overloaded", "错误"),
        ("出车记录", "E8", "bus_expired", "错误"), ("出车记录", "E9", "bus_expired", "错误"),  # 司机乙 on 10-13
        ("出车记录", "C11", "trip_without_roll", "警告"),
        ("班车车辆", "E3", "bus_soon", "警告"),
    }


def test_bad_input_is_located(tmp_path):
    vehicles = [dict(VEHICLES[0], seats=0), VEHICLES[1], dict(VEHICLES[1], seats=8)]  # 核载 0; a plate twice
    trips = [dict(TRIPS[0], depart="8.30"), dict(TRIPS[1], depart="8点半"), *TRIPS[2:]]
    routes = [*ROUTES, {"route": "南线", "child_id": "C99"}]
    path = book(tmp_path / "x.xlsx", vehicles=vehicles, bus_trips=trips, bus_routes=routes)
    problems = [p for p in validate_book(FileBook(path), TODAY).problems if p.severity == "错误"]
    cells = {(p.sheet, p.cell) for p in problems}
    assert {("班车车辆", "C2"), ("班车车辆", "A4"), ("出车记录", "G2"), ("出车记录", "G3"), ("乘车路线", "B8")} <= cells
    assert all(p.message and p.cell for p in problems)


def test_bus_errors_stop_only_the_bus_report(tmp_path, capsys):
    r = rolls()
    r[4]["alighted"] = None
    injury = {"date": D(2026, 10, 12), "time": T(10, 0), "place": "户外场地", "child_id": "C01", "kind": "跌倒摔伤",
              "severity": "轻", "hospital": "否"}
    path = book(tmp_path / "s.xlsx", bus_rolls=r, injuries=[injury])
    main(["refresh", str(path), "--today", "2026-10-31", "--month", "2026-10"])
    out = capsys.readouterr().out
    assert "班车统计" in out and "乘车点名" in out
    names = FileBook(path).sheet_names()
    assert "班车统计" not in names and "乘车情况统计" not in names
    assert "伤害统计" in names and "校验结果" in names  # the other reports are written


def test_a_new_term_carries_vehicles_people_and_the_routes_of_kept_children(tmp_path):
    from kgxl.app.new_term import carry

    v = validate_book(FileBook(book(tmp_path / "t.xlsx")), TODAY)
    rows = carry(v, D(2027, 2, 22), D(2027, 7, 9), {}).rows
    assert [r["plate"] for r in rows["vehicles"]] == ["示X001", "示X002"] and len(rows["bus_staff"]) == 4
    assert [(r["route"], r["child_id"]) for r in rows["bus_routes"]] == [
        ("东线", "C01"), ("东线", "C02"), ("东线", "C03"), ("西线", "C04"), ("西线", "C05")]  # C06 left on 10-14
    assert rows["bus_trips"] == [] and rows["bus_rolls"] == []
