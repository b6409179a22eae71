"""The security domain's sheet names: read by its declaration and its sheets."""
BUS, RIDERSHIP = "班车统计", "乘车情况统计"
BUS_SHEETS = ("vehicles", "bus_staff", "bus_routes", "bus_trips", "bus_rolls")
ROLL_CALL = ("vehicles", "bus_trips", "bus_rolls")  # what the bus rules cannot check without
