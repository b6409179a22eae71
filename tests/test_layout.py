"""The package's layout holds: layers import only what they may, no import circles, every domain folder has one
shape and is read by another domain only through its shared.py, declarations are data, no hand lists of sheet
names or schema keys outside the domain declarations, every problem code in the catalogue."""
import ast
import re
from collections import defaultdict
from pathlib import Path

from kgxl.app.registry import current
from kgxl.core.domain import KEEP
from kgxl.core.schema import load_schemas

PACKAGE = Path(__file__).resolve().parent.parent / "kgxl"


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(encoding="utf-8"))
    return out


MODULES = _modules()


def _imports(tree: ast.Module, top_only: bool) -> set[str]:
    """kgxl modules a module imports (at its top level only, or anywhere)."""
    nodes = tree.body if top_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kgxl"):
            for alias in node.names:  # `from kgxl.x import y` may name the module kgxl.x.y
                found.add(f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("kgxl")}
    return {m for m in found if m in MODULES}


def _layer(module: str) -> tuple[str, str | None]:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] == "domains":
        return "domains", parts[2]
    return (parts[1] if len(parts) > 1 else "kgxl"), None


def test_layers_import_only_what_they_may():
    requires = {d.name: set(d.requires) for d in current().domains}
    bad = []
    for module, tree in MODULES.items():
        layer, domain = _layer(module)
        for target in _imports(tree, top_only=False):
            t_layer, t_domain = _layer(target)
            if layer == "domains" and t_layer not in ("core", "kgxl", "domains"):
                bad.append((module, target))
            if layer == "domains" and t_domain and t_domain != domain and t_domain not in requires.get(domain, ()):
                bad.append((module, target))  # another domain, not declared in `requires`
            if layer in ("core", "io") and t_layer not in ("core", "kgxl", layer if layer == "io" else "core"):
                bad.append((module, target))
            if layer == "core" and t_layer == "io":
                bad.append((module, target))
    assert bad == [], bad


def test_no_import_circles():
    """No cycle among the modules' top-level imports, nor between layers or domains at all."""
    graph = {m: _imports(t, top_only=True) for m, t in MODULES.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(m, path):
        state[m] = 1
        for n in graph[m]:
            if state.get(n) == 1:
                cycles.append(path[path.index(n):] + [n] if n in path else [m, n])
            elif n not in state:
                visit(n, [*path, n])
        state[m] = 2
    for m in graph:
        if m not in state:
            visit(m, [m])
    assert cycles == [], cycles
    everything = {m: _imports(t, top_only=False) - {m} for m, t in MODULES.items()}
    mutual = sorted((a, b) for a in everything for b in everything[a] if a < b and a in everything[b])
    assert mutual == [], mutual  # not even through an import inside a function
    rooms = defaultdict(set)  # layer or domain -> the others it imports, lazily or not
    for module, tree in MODULES.items():
        here = _layer(module)
        rooms[here] |= {_layer(t) for t in _imports(tree, top_only=False)} - {here}
    for a, targets in rooms.items():
        for b in targets:
            assert a not in rooms.get(b, ()), f"{a} and {b} import each other"


def _levels() -> dict[str, int]:
    """Import level of each module: 0 imports no kgxl module, else 1 + the highest level it imports
    (top-level imports)."""
    graph = {m: _imports(t, top_only=True) - {m} for m, t in MODULES.items()}
    level: dict[str, int] = {}

    def of(m):
        if m not in level:
            level[m] = 0
            level[m] = 1 + max((of(n) for n in graph[m]), default=-1)
        return level[m]
    return {m: of(m) for m in graph}


def test_import_levels_are_shallow():
    levels = _levels()
    print("import levels:", max(levels.values()), sorted(levels.items(), key=lambda x: -x[1])[:5])
    assert max(levels.values()) <= 12


def _sheet_names() -> set[str]:
    reg = current()
    names = {s.sheet for s in load_schemas().values() if not s.monthly}
    names |= {s for r in reg.reports for s in r.sheets}
    return names


def test_no_hand_list_of_sheet_names_outside_the_declarations():
    names = _sheet_names()
    found = []
    for module, tree in MODULES.items():
        if module.endswith((".domain", ".names", ".shared", ".sample")) or module.startswith("kgxl.sample"):
            continue  # the declarations and their names; the sample generators' rows are data, keyed by schema
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                hits = [e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in names]
                if len(hits) >= 2:
                    found.append((module, hits))
    assert found == [], found


def _code_params(tree: ast.Module) -> dict[str, int]:
    """Functions of a module with a parameter named code: name -> its position."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [a.arg for a in node.args.args]
            if "code" in names:
                out[node.name] = names.index("code")
    return out


def _alternatives(v: ast.expr) -> list[str]:
    """The strings an argument can be: a constant, or either branch of a conditional."""
    if isinstance(v, ast.Constant) and isinstance(v.value, str):
        return [v.value]
    if isinstance(v, ast.IfExp):
        return _alternatives(v.body) + _alternatives(v.orelse)
    return []


def codes_in_source() -> dict[str, str]:
    """Every problem code written in kgxl: the string given as a `code` argument (Problem and the
    helpers that build one), or first in a (code, severity, message) issue tuple."""
    problem = {"Problem": 4}
    found = {}
    for module, tree in MODULES.items():
        params = {**problem, **_code_params(tree)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                pos = params.get(name)
                args = [a for a in node.args]
                values = [k.value for k in node.keywords if k.arg == "code"]
                if pos is not None and pos < len(args):
                    values.append(args[pos])
                for v in values:
                    for c in _alternatives(v):
                        found[c] = module
            elif isinstance(node, ast.Tuple) and len(node.elts) == 3:
                first, sev = node.elts[0], node.elts[1]
                if isinstance(first, ast.Constant) and isinstance(sev, ast.Name) and sev.id in ("ERROR", "WARNING"):
                    found[first.value] = module
    return found


def test_every_code_is_in_the_catalogue():
    codes = codes_in_source()
    assert len(codes) > 40, codes  # the scan sees the codes (a broken scan finds none)
    missing = {c: m for c, m in codes.items() if c not in current().catalogue}
    assert missing == {}, missing
    for code, c in current().catalogue.items():
        assert c.title and c.help and c.severity in ("错误", "警告"), code
        assert not any(ch.isascii() and ch.isalpha() for ch in c.title), (code, c.title)  # Chinese, not a code


def test_console_summary_shows_titles_not_codes(tmp_path):
    from kgxl.app.report import text_report
    from kgxl.core.problems import Problem

    problems = [Problem("幼儿名册", "E6", "班级", "火星班", "unknown_ref", "班级“火星班”不在…"),
                Problem("节假日调整", "", "", "", "holidays_unknown_year", "内置节假日数据不含 2027 年", "警告")]
    text = text_report(problems, "x.xlsm")
    assert "引用的名称不存在 1" in text and "缺少该年的节假日数据 1" in text
    assert "unknown_ref" not in text and "holidays_unknown_year" not in text


DECLARATION = {"domain", "names"}  # a domain's declaration: its domain.py and the names it reads


def _refs(d) -> list:
    """Every code reference of a declaration."""
    return [d.rules, d.sample, *(r.make for r in d.reports), *(r.refresh_when for r in d.reports),
            *(p for p in d.carry.values() if p != KEEP), *d.reference.values()]


def test_every_domain_folder_has_one_shape():
    """domain.py; names.py and sheets.py (or sheets/) when it has reports; rules.py when it has rules; shared.py when
    another domain reads it; any other module is a computation named for what it computes."""
    read = {r for d in current().domains for r in d.requires}
    for d in current().domains:
        folder = PACKAGE / "domains" / d.name
        files = {p.name for p in folder.iterdir() if not p.name.startswith("__")}
        assert "domain.py" in files, d.name
        assert ("names.py" in files) == bool(d.reports), d.name
        assert ("rules.py" in files) == bool(d.rules), d.name
        assert ("sheets.py" in files or "sheets" in files) == bool(d.reports), d.name
        assert d.name not in read or "shared.py" in files, d.name
        assert [f for f in files if re.search(r"(_rules|_sheets?|^sheet)\.py$", f)] == [], d.name
        for ref in filter(None, _refs(d)):  # data: a string naming a function of the domain's own modules
            assert isinstance(ref, str) and ref.startswith("."), (d.name, ref)
            assert callable(d.resolve(ref)), (d.name, ref)


def test_a_declaration_imports_no_computation():
    """domain.py reads only core's declaration types and its names.py; names.py only the schemas: kgxl --help
    reads every declaration and must not import pandas."""
    for d in current().domains:
        own = f"kgxl.domains.{d.name}"
        assert _imports(MODULES[f"{own}.domain"], top_only=False) <= {"kgxl.core.domain", "kgxl.core.actions",
                                                                       f"{own}.names"}, d.name
        if f"{own}.names" in MODULES:
            assert _imports(MODULES[f"{own}.names"], top_only=False) <= {"kgxl.core.schema"}, d.name


def test_another_domain_only_through_its_shared_module():
    bad = []
    for module, tree in MODULES.items():
        layer, domain = _layer(module)
        for target in _imports(tree, top_only=False):
            t_layer, t_domain = _layer(target)
            if t_layer != "domains":
                continue
            if target.endswith(".domain") and module != "kgxl.app.registry":
                bad.append((module, target))  # the registry alone reads the declarations
            elif domain != t_domain and not (target.endswith(".domain") or target == f"kgxl.domains.{t_domain}.shared"):
                bad.append((module, target))  # another domain (or a layer) reaching inside a domain
    assert bad == [], bad


def _schema_keys() -> set[str]:
    return {k for k, s in load_schemas().items() if not s.fragment}


def test_no_hand_list_of_schema_keys_outside_the_declarations():
    """What a new term carries, which sheets ship rows, what a report reads: said once, in a declaration."""
    keys, found = _schema_keys(), []
    for module, tree in MODULES.items():
        if module.rsplit(".", 1)[-1] in DECLARATION:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                hits = [e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in keys]
                if len(hits) >= 2:
                    found.append((module, hits))
    assert found == [], found
