"""Each report's, each rule hook's and each due hook's declaration of what it reads is complete, proved the way a
build system would (#39, #49): on a small generated kindergarten, every input sheet (and each domain's 基本信息
items) in turn is changed by a few seeded edits that keep it readable, and every report must give the same sheets,
every domain's rules the same problems and its due hook the same 待办 items, unless it declares what was changed.
Reading an undeclared sheet already fails at run time (kgxl.core.validated gives each one a view of what it
declares); and a declaration must be needed: an edit of it changed the report, or the report read it on this book."""
import datetime as dt
import random

import pytest

from kgxl.app.books import book_bytes, sample_rows
from kgxl.app.build import shown
from kgxl.app.pipeline import validate_book
from kgxl.app.registry import current
from kgxl.core.actions import UserError
from kgxl.core.cells import norm
from kgxl.core.domain import Request
from kgxl.core.port import RawSheet
from kgxl.core.problems import errors
from kgxl.core.schema import load_schemas
from kgxl.core.settings import owners
from kgxl.io.filebook import FileBook
from kgxl.sample.data import Sample

pytestmark = pytest.mark.slow
TODAY = dt.date(2026, 11, 30)
MONTH = "2026-11"


class Edited:
    """The workbook with one sheet's values changed (the raw values every reader sees)."""

    def __init__(self, book, sheet: str, rows: list[list]):
        self.book, self.sheet, self.rows = book, sheet, rows

    def sheet_names(self):
        return self.book.sheet_names()

    def read(self, name):
        raw = self.book.read(name)
        return RawSheet(name, self.rows, raw.merged, raw.stray) if name == self.sheet else raw

    def __getattr__(self, name):
        return getattr(self.book, name)


def _changed(v):
    """Another value of the same kind: text lengthened, a number moved by one, a date by a day."""
    if isinstance(v, str):
        return v + "改"
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v + 1
    if isinstance(v, (dt.date, dt.datetime)):
        return v + dt.timedelta(days=1)
    return v


def edits(schema, rows: list[list], rng: random.Random) -> list[tuple[str, list[list]]]:
    """(what, rows) edits of a sheet that keep its values readable: for each of its columns a cell changed (its
    value lengthened or moved; for a column of fixed choices or names of another sheet, swapped with another row's),
    and a data row dropped. 基本信息: each item's value changed, the items grouped by the schema declaring them."""
    out = []
    if schema.kind == "keyvalue":
        owner = owners()
        for item in schema.items:
            new = [list(r) for r in rows]
            row = next((r for r in new if r and norm(r[0]) == norm(item.header)), None)
            if row is not None and len(row) > 1 and row[1] not in ("", None) and not item.allowed:
                row[1] = _changed(row[1])
                out.append((owner[item.key], new))
        return out
    header = next((i for i, r in enumerate(rows[:10]) if any(v not in ("", None) for v in r)), 0)
    body = [i for i in range(header + 1, len(rows)) if any(v not in ("", None) for v in rows[i])]
    if len(body) < 2:
        return out
    for c in range(max(len(r) for r in rows)):
        a, b = rng.sample(body, 2)
        new = [list(r) for r in rows]
        if c >= len(new[a]) or new[a][c] in ("", None):
            continue
        column = next((x for x in schema.columns if norm(x.header) == norm(rows[header][c] if c < len(rows[header])
                                                                              else "")), None)
        if column is not None and (column.allowed or column.ref or column.unique):
            if c < len(new[b]):
                new[a][c], new[b][c] = new[b][c], new[a][c]
        else:
            new[a][c] = _changed(new[a][c])
        out.append((schema.key, new))
    new = [list(r) for r in rows]
    del new[rng.choice(body)]
    out.append((schema.key, new))
    return out


def outcome(book, allowed_errors: int | None = None):
    """Every report's sheets (values as shown), every domain's rule problems and the 错误, on this book; None when it
    has more 错误 than allowed (the reports would not be computed)."""
    v = validate_book(book, TODAY)
    if allowed_errors is not None and len(errors(v.problems)) > allowed_errors:
        return None
    reports, reads = {}, {}
    for r in current().reports:
        if r.id == "month":
            continue
        seen: set = set()
        v.tables.recordings.append(seen)
        try:
            made = r.run(v, Request(book, MONTH, TODAY))
            reports[r.id] = [(o.name, shown(o)) for o in made[0]] if isinstance(made, tuple) else made.summary
        except UserError as e:
            reports[r.id] = str(e)
        finally:
            v.tables.recordings.pop()
        reads[r.id] = seen
    rules = {}
    for rule, keys, who in current().rules:
        rules[who] = sorted((p.sheet, p.cell, p.code) for p in rule(v.view(keys, who)))
    for due, keys, who in current().dues:  # 待办事项: each domain's items, from what its due hook declares
        rules[f"{who} due"] = sorted((x.what, str(x.by), x.sheet, x.cell) for x in due(v.view(keys, who), TODAY))
    return reports, rules, errors(v.problems), reads


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small kindergarten and what every report and rule gives on it (and what each report read)."""
    path = tmp_path_factory.mktemp("declared") / "small.xlsm"
    sample = Sample(children_per_class=3)
    path.write_bytes(book_bytes(sample_rows(sample), sample.registers))
    book = FileBook(path)
    return book, outcome(book)


SHEETS = sorted({s.sheet for s in load_schemas().values() if not s.monthly} | {"出勤-2026-11"})


@pytest.mark.parametrize("name", SHEETS)
def test_what_a_sheet_changes_is_declared(small, name):
    """Each edit of the sheet changes only the reports and rules that declare it."""
    book, (base_reports, base_rules, base_errors, _) = small
    # the sheet's own schema: for 基本信息 the merged one, not a domain's fragment of it (whose rows a table edit
    # would shuffle, every item at once, under the fragment's name)
    schema = next(s for s in load_schemas().values() if not s.fragment and (s.sheet == name or s.matches(name)))
    if name not in book.sheet_names():
        pytest.skip(f"{name} is not in the small book")
    undeclared = set()
    for key, rows in edits(schema, book.read(name).rows, random.Random(name)):
        found = outcome(Edited(book, name, rows), len(base_errors))
        if found is None:
            continue  # the edit made the book wrong: the reports would not be computed
        reports, rules, _, _ = found
        for r in current().reports:
            if r.id in reports and reports[r.id] != base_reports[r.id]:
                CHANGED.setdefault(r.id, set()).add(key)
                undeclared |= {(r.id, key)} if key not in r.inputs else set()
        for who, keys in [*((who, keys) for _, keys, who in current().rules),
                          *((f"{who} due", keys) for _, keys, who in current().dues)]:
            if rules[who] != base_rules[who]:
                undeclared |= {(who, key)} if key not in keys else set()
    assert undeclared == set()


CHANGED: dict[str, set[str]] = {}  # report -> the schema keys whose edits changed it (filled by the tests above)


def test_every_declaration_is_needed(small):
    """A report declares only what it reads on this book or what changed it under some edit (in this process: with
    the tests above run in it, else it rests on the reads)."""
    _, (_, _, _, reads) = small
    needless = [(r.id, k) for r in current().reports if r.id != "month" for k in r.inputs
                if k not in CHANGED.get(r.id, set()) and k not in reads[r.id]]
    assert needless == [], needless
