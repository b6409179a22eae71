"""The security domain (门卫、接送、班车、消防), declared once (see kgxl.core.domain): the gate's visitors, who may
pick up each child and the pick-ups out of the ordinary; the school bus (vehicles, drivers and escorts, routes, every
trip and its roll call); the fire equipment and its monthly checks. 消防月报 also reads the inspection plan's 消防
checks and the drills (input sheets of inspections and staff)."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.security.names import BUS, BUS_SHEETS, FIRE, FIRE_SHEETS, GATE, GATE_SHEETS, RIDERSHIP

DOMAIN = Domain(
    name="security", title="门卫、接送、班车、消防", group="队伍与安全",
    inputs=(*GATE_SHEETS, *BUS_SHEETS, *FIRE_SHEETS, "security_settings"),
    rules=".rules:rules",
    rule_inputs=("settings", "security_settings", "roster", "staff", *GATE_SHEETS, *BUS_SHEETS, *FIRE_SHEETS),
    reports=(
        Report("gate", "门卫与接送", "按来访登记、接送授权和接送异常登记生成本月的门卫与接送情况：来访人次和未登记离开的来访、"
               "接送异常（接送人是否授权）、每个幼儿的晚接次数、没有有效接送授权的在园幼儿",
               ".sheets:make_gate", inputs=("settings", "security_settings", "roster", *GATE_SHEETS), needs=("roster",),
               sheets=(GATE,), image="FilePermission", refresh_when=".gate:has_records"),
        Report("bus", "班车统计", "按出车记录和乘车点名核对每趟班车（上车的幼儿都点到下车、不超载、有跟车老师、车辆和驾驶证在有效期内），"
               "统计本月各路线的出车趟次和乘车人次；另生成不含姓名的乘车情况统计，默认随导出上报",
               ".sheets:make_bus", inputs=("settings", "security_settings", "roster", *BUS_SHEETS),
               needs=("vehicles", "bus_trips"), sheets=(BUS, RIDERSHIP), image="FormControlCheckBox",
               refresh_when=".bus:has_trips"),
        Report("fire", "消防月报", "一页的消防月报：消防器材按类型的数量、本月检查、过期和即将到期（灭火器按 GB 50444 的维修和报废期限），"
               "需要处理的器材和整改、检查计划中的消防检查、本月安全演练，安全负责人签字",
               ".sheets:make_fire", inputs=("settings", "security_settings", *FIRE_SHEETS, "inspection_plan", "inspection_log",
                                              "drills"),
               needs=("fire_equipment",), sheets=(FIRE,), image="FileSaveAsPdfOrXps", refresh_when=".fire:has_equipment"),
    ),
    bureau=(RIDERSHIP,),
    personal=(GATE, BUS),
    carry={"vehicles": KEEP, "bus_staff": KEEP, "bus_routes": ".carry:routes_of_children",
           "pickup_auth": ".carry:authorisations_of_children", "fire_equipment": KEEP},
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "security_settings", "vehicles", "bus_staff", "fire_equipment"),
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
        "visit_unchecked": Code("来访未查验证件", "错误", "外来人员须查验身份证件后才能进入：补查并改为 是，或说明情况"),
        "visit_open": Code("来访没有登记离开", "警告", "核实来访人是否已离园，补填离开时间"),
        "visit_unhosted": Code("上课时段进入班级无人接待", "警告", "上课时段进入班级活动区的外来人员须有教职工接待：填写被访人"),
        "pickup_unauthorised": Code("幼儿被未授权的人接走", "错误",
                                    "立即联系家长核实幼儿安全；家长确认后在“家长确认”填 是，长期代接的到“接送授权”登记"),
        "pickup_card_expired": Code("接送卡已过期", "警告", "请家长续办接送卡，更新“接送授权”的有效期"),
        "late_before_time": Code("晚接时间早于设定", "警告", "核对时间，或“基本信息”的晚接时间"),
        "pickup_not_enrolled": Code("接送登记的幼儿该日不在园", "错误", "核对日期或幼儿编号（入园日期至离园日期之间）"),
        "fire_expired": Code("消防器材已过期", "警告", "灭火器到了维修或报废期限的，送有资质的单位维修或更换，并更新出厂或维修日期"),
        "fire_soon": Code("消防器材即将到期", "警告", "提前安排维修（充装）或更换"),
        "fire_no_date": Code("灭火器没有出厂日期", "警告", "按灭火器铭牌填写出厂日期，才能计算维修和报废期限"),
        "fire_unchecked": Code("消防器材某月没有检查", "警告", "灭火器每月至少检查一次：补登检查记录"),
    },
)
