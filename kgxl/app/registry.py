"""Everything the fronts and the pipeline need, derived from the list of domains: the actions (CLI
subcommands, ribbon buttons), the steps of 刷新汇总, the order of the input sheets, the bureau
export's defaults and privacy, the domains' rules, the problem catalogue, what a new term carries and
the rows of a new workbook. Nothing here is kept by hand but DOMAINS, one line per domain.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kgxl.core.catalogue import CODES
from kgxl.core.domain import Code, Domain, Report
from kgxl.core.schema import SheetSchema, load_schemas
from kgxl.domains.assets.domain import DOMAIN as assets
from kgxl.domains.attendance.domain import DOMAIN as attendance
from kgxl.domains.care.domain import DOMAIN as care
from kgxl.domains.daily_health.domain import DOMAIN as daily_health
from kgxl.domains.health.domain import DOMAIN as health
from kgxl.domains.inspections.domain import DOMAIN as inspections
from kgxl.domains.kindergarten.domain import DOMAIN as kindergarten
from kgxl.domains.money.domain import DOMAIN as money
from kgxl.domains.nutrition.domain import DOMAIN as nutrition
from kgxl.domains.planning.domain import DOMAIN as planning
from kgxl.domains.procurement.domain import DOMAIN as procurement
from kgxl.domains.security.domain import DOMAIN as security
from kgxl.domains.staff.domain import DOMAIN as staff

# In the order of the ribbon, the CLI and 刷新汇总. A new domain: its folder and one line here.
DOMAINS: list[Domain] = [kindergarten, attendance, inspections, nutrition, money, procurement, health, care, daily_health,
                         staff, assets, security, planning]


@dataclass(frozen=True)
class Registry:
    domains: tuple[Domain, ...]
    reports: tuple[Report, ...]  # every domain's reports, in order
    inputs: tuple[SheetSchema, ...]  # the input sheets' schemas in workbook order (month-named ones last); a domain's
    # 基本信息 items are in the settings schema (kgxl.core.schema merges them)
    bureau: tuple[str, ...]  # sheets the export sends by default: fixed names in domain order, then month-named ones
    personal: frozenset[str]  # generated sheets that name people
    staff_columns: dict[str, tuple[str, ...]]  # bureau sheet (pattern) -> headers of its columns naming staff
    catalogue: dict[str, Code]

    @property
    def rules(self) -> list:
        """(rule hook, the sheets it reads, who) of each domain, the hook imported now (a workbook is being read)."""
        return [(d.resolve(d.rules), d.rule_inputs, f"{d.name} rules") for d in self.domains if d.rules]

    @property
    def dues(self) -> list:
        """(due hook, the sheets it reads, the domain's title) of each domain that has things due (待办事项)."""
        return [(d.resolve(d.due), d.due_inputs, d.title) for d in self.domains if d.due]

    def reference_rows(self) -> dict[str, list]:
        """The reference sheets as kgxl ships them (食物成分, 体检标准…), for a workbook that has none."""
        return {key: d.resolve(f)() for d in self.domains for key, f in d.reference.items()}

    @property
    def refresh_steps(self) -> tuple[Report, ...]:
        return tuple(r for r in self.reports if r.in_refresh)

    def group_of(self, report: Report) -> str:
        return next(d.group for d in self.domains if report in d.reports)


def build(domains: tuple[Domain, ...]) -> Registry:
    schemas = load_schemas()
    owner: dict[str, str] = {}
    for d in domains:
        for key in d.inputs:
            if key not in schemas:
                raise ValueError(f"domain {d.name}: no schema {key}")
            if key in owner:
                raise ValueError(f"schema {key} owned by {owner[key]} and {d.name}")
            owner[key] = d.name
    orphans = set(schemas) - set(owner)
    if orphans:
        raise ValueError(f"schemas no domain owns: {sorted(orphans)}")
    names = {d.name for d in domains}
    for d in domains:
        if set(d.requires) - names:
            raise ValueError(f"domain {d.name} requires unknown {set(d.requires) - names}")
    inputs = sorted((schemas[k] for k in owner if not schemas[k].fragment), key=lambda s: (s.monthly, s.order, s.key))
    for d in domains:
        if set(d.due_inputs) - set(schemas):
            raise ValueError(f"domain {d.name}: due reads unknown sheets {set(d.due_inputs) - set(schemas)}")
        for key in [*d.carry, *d.reference]:
            if key not in d.inputs:
                raise ValueError(f"domain {d.name} carries or ships {key}, a sheet it does not own")
    reports = tuple(r for d in domains for r in d.reports)
    for r in reports:
        if not set(r.needs) <= set(r.inputs):
            raise ValueError(f"report {r.id} needs sheets it does not read: {set(r.needs) - set(r.inputs)}")
    ids = [r.id for r in reports]
    if len(ids) != len(set(ids)):
        raise ValueError(f"report ids twice: {ids}")
    bureau = [s for d in domains for s in d.bureau]
    personal = frozenset(s for d in domains for s in d.personal)
    if personal & set(bureau):
        raise ValueError(f"sheets both personal and for the bureau: {personal & set(bureau)}")
    catalogue = dict(CODES)
    for d in domains:
        twice = set(d.codes) & set(catalogue)
        if twice:
            raise ValueError(f"domain {d.name} redefines codes {twice}")
        catalogue.update(d.codes)
    staff_columns = {sheet: cols for d in domains for sheet, cols in d.staff_columns.items()}
    return Registry(tuple(domains), reports, tuple(inputs),
                    tuple(sorted(bureau, key=lambda s: "{" in s)), personal, staff_columns, catalogue)


@lru_cache(maxsize=1)
def current() -> Registry:
    return build(tuple(DOMAINS))


def register(domain: Domain) -> None:
    """Add a domain (a plug-in, or a test's throw-away one); everything derived follows."""
    DOMAINS.append(domain)
    current.cache_clear()


def unregister(domain: Domain) -> None:
    DOMAINS.remove(domain)
    current.cache_clear()


def title(code: str) -> str:
    """What users read for a problem code."""
    c = current().catalogue.get(code)
    return c.title if c else code
