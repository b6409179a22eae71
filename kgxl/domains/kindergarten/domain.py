"""The kindergarten domain, declared once (see kgxl.core.domain): 基本信息, 班级, 幼儿名册 and 节假日调整, and what
a new term takes of them (the classes moved up, the children still enrolled, the settings with the new dates)."""
from kgxl.core.domain import KEEP, Code, Domain

DOMAIN = Domain(
    name="kindergarten", title="园所基本信息", group="数据",
    inputs=("settings", "classes", "roster", "holiday_overrides"),
    rules=".rules:plausible_ages", rule_inputs=("settings", "roster"),
    carry={"settings": ".carry:settings", "classes": ".carry:classes", "roster": ".carry:roster",
           "holiday_overrides": KEEP},
    sample=".sample:rows",
    codes={"implausible_age": Code("年龄不像在园幼儿", "警告", "按出生日期算出的年龄超出 1.5-7.5 岁，请核对出生日期")},
)
