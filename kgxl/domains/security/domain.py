"""The security domain (门卫、接送、班车、消防), declared once (see kgxl.core.domain). The school bus: vehicles,
drivers and escorts, routes, every trip and its roll call."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.security.names import BUS, BUS_SHEETS, RIDERSHIP

DOMAIN = Domain(
    name="security", title="门卫、接送、班车、消防", group="队伍与安全",
    inputs=(*BUS_SHEETS, "security_settings"),
    rules=".rules:rules",
    rule_inputs=("settings", "security_settings", "roster", "staff", *BUS_SHEETS),
    reports=(
        Report("bus", "班车统计", "按出车记录和乘车点名核对每趟班车（上车的幼儿都点到下车、不超载、有跟车老师、车辆和驾驶证在有效期内），"
               "统计本月各路线的出车趟次和乘车人次；另生成不含姓名的乘车情况统计，默认随导出上报",
               ".sheets:make_bus", inputs=("settings", "security_settings", "roster", *BUS_SHEETS),
               needs=("vehicles", "bus_trips"), sheets=(BUS, RIDERSHIP), image="FormControlCheckBox",
               refresh_when=".bus:has_trips"),
    ),
    bureau=(RIDERSHIP,),
    personal=(BUS,),
    carry={"vehicles": KEEP, "bus_staff": KEEP, "bus_routes": ".carry:routes_of_children"},
    sample=".sample:rows",
    codes={
        "not_alighted": Code("上车幼儿未点到下车", "错误", "立即核实该幼儿的去向；确已下车的在“下车”填 是"),
        "overloaded": Code("班车超载", "错误", "校车载人不得超过核定人数：核对点名或改派车辆"),
        "no_escort": Code("班车没有跟车老师", "错误", "每趟班车须有随车照管人员：填写跟车老师"),
        "bus_expired": Code("车辆或驾驶证过期仍出车", "错误", "年检、保险或驾驶证过期的不得接送幼儿：核对日期或更换车辆、驾驶员"),
        "bus_soon": Code("班车证照即将到期", "警告", "提前办理年检、续保或换证"),
        "wrong_duty": Code("人员职责与出车记录不符", "错误", "驾驶员栏填“班车人员”中职责为驾驶员的人，跟车老师栏填跟车老师"),
        "driver_papers": Code("驾驶员资料不全", "警告", "填写驾驶证有效期至，并签署无事故声明"),
        "trip_twice": Code("同一趟班车登记两次", "错误", "同一日期、趟次和路线只登记一行"),
        "roll_without_trip": Code("点名没有对应的出车记录", "错误", "先在“出车记录”登记这一趟，或核对日期、趟次和路线"),
        "trip_without_roll": Code("出车没有点名", "警告", "在“乘车点名”登记这一趟每个乘车幼儿的上车、下车"),
        "rider_not_on_route": Code("乘车幼儿不在该路线", "警告", "核对路线，或在“乘车路线”中登记该幼儿"),
        "rider_not_enrolled": Code("乘车幼儿该日不在园", "错误", "核对日期或幼儿编号（入园日期至离园日期之间）"),
    },
)
