"""What a process that stays up (the web page, Excel's persistent Python) keeps between clicks (kgxl.core.kept): a rule
hook's findings by the digest of the sheets it read, the day, and the cells already marked on the sheets it declares
(an edit anywhere else, even one that changes other rules' findings, does not run it again); a shared result by the
day and the digest of what it read (which sheets are there included); a sheet's cross-sheet checks by the digests of
it and the sheets it refers to."""
import datetime as dt

import openpyxl
from helpers import marks, register_of, set_cells
from python_calamine import CalamineWorkbook

from kgxl.app import registry
from kgxl.core import rules
from kgxl.core.cells import col_letter
from kgxl.core.domain import Domain
from kgxl.core.problems import WARNING, Problem
from kgxl.front.cli import main

TODAY = dt.date(2026, 11, 30)


def test_a_rule_runs_again_only_when_what_it_can_see_changed(sample_copy, capsys):
    asked = []

    def rule(v):
        asked.append(v.today)
        checker = v.tables["repairs"].frame["checker"].iloc[0]
        return [Problem("维修登记", "J2", "验收人", checker, "toy_checker", f"验收人 {checker}", WARNING)]

    repairs = Domain(name="repairs_rule", title="验收", group="验收", rules=rule, rule_inputs=("repairs",))
    registry.register(repairs)
    try:
        def validate(today=TODAY) -> str:
            main(["validate", str(sample_copy), "--today", today.isoformat()])
            return capsys.readouterr().out
        assert "验收人" in validate() and len(asked) == 1
        validate()
        assert len(asked) == 1  # the same sheets, day and marked cells: kept
        # an unknown mark in a register: the attendance rule reports a new 错误 (a cell marked), on a sheet this
        # rule does not read, so it is not run again
        wb = CalamineWorkbook.from_path(str(sample_copy))
        sheet = register_of(wb.sheet_names, TODAY)
        (r, c), _ = next(iter(marks(wb.get_sheet_by_name(sheet).to_python(), TODAY).items()))
        set_cells(sample_copy, sheet, {f"{col_letter(c)}{r + 1}": "X"})
        out = validate()
        assert f"{col_letter(c)}{r + 1}" in out and "无法识别" in out
        assert len(asked) == 1
        set_cells(sample_copy, "维修登记", {"J2": "赵六"})  # a sheet it reads
        assert "验收人 赵六" in validate() and len(asked) == 2
        validate(TODAY + dt.timedelta(days=1))
        assert len(asked) == 3  # another day: run again
    finally:
        registry.unregister(repairs)


def test_a_shared_result_is_computed_again_only_when_what_it_read_changed(sample_copy, capsys):
    """A result several reports share (Validated.shared) is kept with the day and the digest of the sheets it read:
    a rule that runs again because another of its sheets changed takes it as it was; `refresh --full` forgets it."""
    made, ran = [], []

    def rule(v):
        ran.append(1)
        n = v.shared("toy.repairs", lambda: made.append(1) or len(v.tables["repairs"].frame))
        return [Problem("班级", "D2", "", n, "toy_count", f"维修 {n} 条；{v.tables['classes'].frame.iloc[0, 3]}", WARNING)]

    toy = Domain(name="toy_shared", title="玩具", group="玩具", rules=rule, rule_inputs=("repairs", "classes"))
    registry.register(toy)
    try:
        def validate(today=TODAY) -> str:
            main(["validate", str(sample_copy), "--today", today.isoformat()])
            return capsys.readouterr().out
        validate()
        assert (len(ran), len(made)) == (1, 1)
        set_cells(sample_copy, "班级", {"D2": "另一位老师"})  # the rule runs again; what the result read did not change
        assert "另一位老师" in validate() and (len(ran), len(made)) == (2, 1)
        set_cells(sample_copy, "维修登记", {"J2": "赵六"})  # what it read changed
        validate()
        assert (len(ran), len(made)) == (3, 2)
        validate(TODAY + dt.timedelta(days=1))  # another day
        assert (len(ran), len(made)) == (4, 3)
        main(["refresh", str(sample_copy), "--today", (TODAY + dt.timedelta(days=1)).isoformat(), "--full"])
        assert (len(ran), len(made)) == (5, 4)  # --full: nothing kept from earlier clicks
    finally:
        registry.unregister(toy)


def test_a_sheets_cross_checks_run_again_only_when_it_or_a_sheet_it_refers_to_changed(sample_copy, capsys,
                                                                                        monkeypatch):
    """The schemas' cross-sheet checks of a sheet (references, dates in order, amounts, the term) are kept by the
    digests of the sheet and of the sheets its columns refer to."""
    checked = []
    real = rules._sheet_problems
    monkeypatch.setattr(rules, "_sheet_problems", lambda t, *a: checked.append(t.sheet) or real(t, *a))

    def validate() -> list[str]:
        checked.clear()
        main(["validate", str(sample_copy), "--today", TODAY.isoformat()])
        return sorted(checked)
    validate()  # values no other test types: a process keeps what every test's books had (by digest)
    assert validate() == []  # nothing changed: every sheet's findings kept
    set_cells(sample_copy, "维修登记", {"J2": "钱九"})
    assert validate() == ["维修登记"]
    set_cells(sample_copy, "班级", {"D2": "第三位老师"})  # 班级 and the sheets whose columns name a class
    months = [n for n in CalamineWorkbook.from_path(str(sample_copy)).sheet_names if n.startswith("出勤-")]
    assert validate() == sorted(["班级", "幼儿名册", "教职工", "晨午检", "消毒记录", *months])


def test_two_books_open_in_turn_each_keep_their_rules_findings(sample_copy, tmp_path, capsys):
    """The web page may have two workbooks open in turn: a rule's findings are kept for the last few versions of what
    it read, so going back to the first book does not run it again."""
    ran = []

    def rule(v):
        ran.append(v.tables["repairs"].frame["checker"].iloc[0])
        return []

    toy = Domain(name="toy_two_books", title="玩具", group="玩具", rules=rule, rule_inputs=("repairs",))
    other = tmp_path / "other" / "Logistics.xlsm"
    other.parent.mkdir()
    other.write_bytes(sample_copy.read_bytes())
    set_cells(other, "维修登记", {"J2": "周十"})
    registry.register(toy)
    try:
        for book in (sample_copy, other, sample_copy, other):
            main(["validate", str(book), "--today", TODAY.isoformat()])
        assert ran[1:] == ["周十"] and len(ran) == 2
    finally:
        registry.unregister(toy)


def test_which_sheets_a_rule_found_there_is_part_of_what_it_read(sample_copy, tmp_path, capsys):
    """A rule that looks at which of its sheets the book has (iterating the tables) and stops has read them all: a
    book that has the sheet does not take the findings of one that had not."""
    def rule(v):
        if "repairs" not in set(v.tables):
            return []
        return [Problem("维修登记", "J2", "验收人", "", "toy_there", "维修登记在", WARNING)]

    toy = Domain(name="toy_there", title="玩具", group="玩具", rules=rule, rule_inputs=("repairs",))
    without = tmp_path / "without" / "Logistics.xlsm"
    without.parent.mkdir()
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    del wb["维修登记"]
    wb.save(without)
    registry.register(toy)
    try:
        main(["validate", str(without), "--today", TODAY.isoformat()])
        assert "toy_there" not in capsys.readouterr().out
        main(["validate", str(sample_copy), "--today", TODAY.isoformat()])
        assert "toy_there" in capsys.readouterr().out
    finally:
        registry.unregister(toy)


def test_a_register_typed_in_computes_again_only_its_months_parts(sample_copy, monkeypatch, capsys):
    """A term's attendance and charges are sums of each register's parts (its tally, its charged days, its
    absences), each kept while that register is unchanged: marks typed in November's register compute November's
    parts again, not September's or October's, and the term's figures come out as a full refresh gives them."""
    from kgxl.domains.attendance import shared as attendance
    from kgxl.domains.money import settlement

    tallied, charged = [], []
    tally, charge = attendance.tally, settlement.charged
    monkeypatch.setattr(attendance, "tally", lambda part, month: tallied.append(month) or tally(part, month))
    monkeypatch.setattr(settlement, "charged", lambda days, as_of: charged.append(days is not None) or charge(days, as_of))

    def refresh(*extra) -> list[list]:
        assert main(["refresh", str(sample_copy), "--today", TODAY.isoformat(), *extra]) == 0
        capsys.readouterr()
        wb = CalamineWorkbook.from_path(str(sample_copy))
        return [wb.get_sheet_by_name(n).to_python() for n in ("出勤汇总", "幼儿出勤统计", "学期结算")]
    refresh("--full")
    months = sorted(set(tallied))
    assert len(months) >= 3 and len(charged) >= len(months)
    tallied.clear(), charged.clear()
    wb = CalamineWorkbook.from_path(str(sample_copy))
    sheet = register_of(wb.sheet_names, TODAY)
    set_cells(sample_copy, sheet, {f"{col_letter(c)}{r + 1}": v for (r, c), v in
                                   marks(wb.get_sheet_by_name(sheet).to_python(), TODAY).items()})
    after_edit = refresh()
    assert set(tallied) == {TODAY.strftime("%Y-%m")} and len(charged) == 1  # the edited register's only
    assert refresh("--full") == after_edit  # the same figures as everything computed again
