"""The security domain's sheet names: read by its declaration and its sheets."""
BUS, RIDERSHIP, GATE, FIRE = "班车统计", "乘车情况统计", "门卫与接送", "消防月报"
BUS_SHEETS = ("vehicles", "bus_staff", "bus_routes", "bus_trips", "bus_rolls")
ROLL_CALL = ("vehicles", "bus_trips", "bus_rolls")  # what the bus rules cannot check without
GATE_SHEETS = ("visits", "pickup_auth", "pickup_events")
FIRE_SHEETS = ("fire_equipment", "fire_checks")
