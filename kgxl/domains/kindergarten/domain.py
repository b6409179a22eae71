"""The kindergarten domain, declared once (see kgxl.core.domain)."""
from kgxl.core.domain import Code, Domain


def rules(v):
    from kgxl.domains.kindergarten.rules import (
        plausible_ages,  # pandas only when a workbook is read
    )

    return plausible_ages(v)


DOMAIN = Domain(
    name="kindergarten", title="园所基本信息", group="数据",
    inputs=("settings", "classes", "roster", "holiday_overrides"),
    rules=rules,
    codes={"implausible_age": Code("年龄不像在园幼儿", "警告", "按出生日期算出的年龄超出 1.5-7.5 岁，请核对出生日期")},
)
