"""The security domain's rules: the bus's (bus_problems), the gate's and pick-up's, the fire equipment's."""
from __future__ import annotations

from kgxl.domains.security.bus_problems import bus_problems
from kgxl.domains.security.fire_problems import fire_problems
from kgxl.domains.security.gate_problems import gate_problems


def rules(v) -> list:
    return bus_problems(v) + gate_problems(v) + fire_problems(v)
