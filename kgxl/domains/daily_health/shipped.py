"""The reference rows kgxl ships in every new workbook: 消毒要求, one row per object the 《托儿所幼儿园卫生保健工作规范》
附件3 (托幼机构环境和物品预防性消毒方法) names, with no frequency and no concentration: those are set by the local
卫生保健机构 and the disinfectant's instructions, and the user fills them (a 警告 while blank; kgxl/data/README.md)."""
from __future__ import annotations

from kgxl.domains.daily_health.disinfection import ITEMS

BASIS = "消毒对象见《托儿所幼儿园卫生保健工作规范》附件3；频次和浓度请按当地要求和消毒剂说明书填写"


def disinfection_rules() -> list[dict]:
    return [{"item": item, "frequency": None, "times": None, "low": None, "high": None, "basis": BASIS}
            for item in ITEMS.values()]
