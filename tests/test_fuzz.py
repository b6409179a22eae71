"""A seeded fuzz over the sample's input sheets (#23): random cells typed as other types, huge and non-finite
numbers, text in number columns, deleted rows, deleted sheets and renamed headers. 刷新汇总 must answer every
one: no internal fault, no run over 10 s, every 错误 at a cell or with a sheet-level reason, and the input as it
was. Runs in memory (the file layer has its own tests), bounded to about 30 s."""
import copy
import datetime as dt
import random
import time

import pytest
from conftest import SAMPLE

from kgxl.app.pipeline import run_refresh
from kgxl.core.actions import UserError
from kgxl.core.port import RawSheet
from kgxl.core.schema import load_schemas
from kgxl.io.filebook import FileBook

BUDGET = 30.0  # seconds
# problems about a whole sheet (no one cell to point at): a sheet, a column or a 基本信息 item missing
SHEET_LEVEL = {"missing_sheet", "missing_column", "missing_item"}
TODAY = dt.date(2026, 11, 30)
HOSTILE = [None, "", " ", "abc", "１２３", "1e20", 1e20, float("inf"), float("nan"), -1, 0, 10**15, "Infinity",
           "1.234,50", "2026-13-45", "＝1+2", "=SUM(A1)", True, dt.date(1900, 1, 1), dt.date(2099, 12, 31),
           dt.datetime(2026, 11, 2, 11, 20), dt.time(11, 20), "√", "病", "—", "小一班", "x" * 300]


class MemoryBook:
    """The sample's sheets in memory; writes are kept apart, never applied to the sheets read."""

    def __init__(self, sheets: dict[str, RawSheet]):
        self.sheets, self.written = sheets, []

    def sheet_names(self):
        return list(self.sheets)

    def read(self, name):
        s = self.sheets[name]
        return RawSheet(s.name, [list(r) for r in s.rows], list(s.merged))

    def write(self, outputs):
        self.written += outputs


def _mutate(rng: random.Random, sheets: dict[str, RawSheet], inputs: list[str]) -> list[str]:
    done = []
    for _ in range(rng.randint(1, 6)):
        name = rng.choice(inputs)
        if name not in sheets:
            continue
        rows = sheets[name].rows
        what = rng.random()
        if what < 0.55 and len(rows) > 1:
            r = rng.randrange(len(rows))
            row = rows[r]
            c = rng.randrange(max(len(row), 1) + 2)
            row.extend([None] * (c + 1 - len(row)))
            row[c] = rng.choice(HOSTILE)
            done.append(f"{name}!r{r}c{c}")
        elif what < 0.7 and len(rows) > 2:
            del rows[rng.randrange(1, len(rows))]
            done.append(f"{name} row deleted")
        elif what < 0.8 and rows and rows[0]:
            c = rng.randrange(len(rows[0]))
            rows[0][c] = f"改名{c}"
            done.append(f"{name} header renamed")
        elif what < 0.9:
            sheets.pop(name)
            done.append(f"{name} deleted")
        else:
            rows.append([rng.choice(HOSTILE) for _ in range(rng.randint(1, 12))])
            done.append(f"{name} row added")
    return done


@pytest.mark.slow
def test_refresh_answers_every_corruption():
    book = FileBook(SAMPLE)
    original = {n: book.read(n) for n in book.sheet_names()}
    schemas = load_schemas().values()
    inputs = [n for n in original if any(s.sheet == n or (s.monthly and s.matches(n)) for s in schemas)]
    rng = random.Random(23)
    start, runs = time.monotonic(), 0
    while time.monotonic() - start < BUDGET or runs < 3:
        sheets = copy.deepcopy(original)
        done = _mutate(rng, sheets, inputs)
        typed = copy.deepcopy(sheets)
        mem = MemoryBook(sheets)
        t = time.monotonic()
        try:
            result = run_refresh(mem, today=TODAY)
        except UserError:
            result = None  # a located reason in Chinese: the fronts show it
        assert time.monotonic() - t < 10, done
        assert {n: s.rows for n, s in mem.sheets.items()} == {n: s.rows for n, s in typed.items()}, done
        for p in result.problems if result else []:
            if p.severity == "错误":
                assert p.sheet and (p.cell or p.code in SHEET_LEVEL), (done, p)
        runs += 1
    assert runs >= 3
