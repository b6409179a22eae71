"""What the security domain's sheets share in how they look: their tab colour, a time as the sheet shows it."""
from __future__ import annotations

import datetime as dt

TAB = "FFB22222"


def clock(t) -> str | None:
    """07:20 (the package writer keeps text, not Excel times)."""
    return t.strftime("%H:%M") if isinstance(t, dt.time) else None
