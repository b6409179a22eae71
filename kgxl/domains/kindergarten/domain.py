"""The kindergarten domain, declared once (see kgxl.core.domain)."""
from kgxl.core.domain import Code, Domain
from kgxl.domains.kindergarten.rules import plausible_ages

DOMAIN = Domain(
    name="kindergarten", title="园所基本信息", group="数据",
    inputs=("settings", "classes", "roster", "holiday_overrides"),
    rules=plausible_ages,
    codes={"implausible_age": Code("年龄不像在园幼儿", "警告", "按出生日期算出的年龄超出 1.5-7.5 岁，请核对出生日期")},
)
