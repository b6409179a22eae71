"""Money is exact: amounts become integer fen (rounded half up, once, when read) or Decimal yuan;
every total is a sum of those. Sheets show ¥#,##0.00. Every figure a sheet shows is rounded by one
rule, half up (half_up): money, percentages, intakes, z-scores."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

MONEY = "¥#,##0.00"


def half_up(value, digits: int = 0) -> Decimal:
    """The one rounding of kgxl: value rounded half up to `digits` decimals (168.25 -> 168.3 at 1, where
    Python's round gives 168.2). A float is taken at its shortest decimal form."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def money(value) -> Decimal:
    """Yuan, rounded half up to the fen."""
    return half_up(value, 2)


def to_fen(values: pd.Series) -> pd.Series:
    """Amounts in yuan as typed (floats) -> integer fen, rounded half up; NaN stays 0."""
    import pandas as pd

    fen: dict = {}  # amounts repeat (a fee, a standard): each distinct one rounded once

    def one(v) -> int:
        if v is None or v != v:
            return 0
        if v not in fen:
            fen[v] = int(money(v) * 100)
        return fen[v]
    return pd.Series([one(v) for v in values], index=values.index, dtype="int64")


def yuan(fen) -> float:
    """Integer fen as a number for a sheet cell (exact to the fen in a float)."""
    return int(fen) / 100


def pct(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, rounded half up to 0.01; None when whole is 0."""
    if not whole:
        return None
    return half_up(Decimal(part) * 100 / Decimal(whole), 2)


def pct_value(p: Decimal | None) -> float | None:
    """A pct() as a number for a sheet cell."""
    return float(p) if p is not None else None


def split(total_fen: int, weights: list[int]) -> list[int]:
    """total_fen shared in proportion to weights, in whole fen that sum exactly to the total
    (largest remainders get the odd fen)."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    shares = [total_fen * w // whole for w in weights]
    rest = total_fen - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(total_fen * weights[i] % whole), i))
    for i in order[:rest]:
        shares[i] += 1
    return shares


def percent(part, whole) -> float | None:
    """Percent, one decimal, rounded half up (规范 附件5 表1); None when nothing was due."""
    if not whole:
        return None
    return float(half_up(Decimal(str(part)) * 100 / Decimal(str(whole)), 1))  # exact for counts: 1661/2000 is 83.1
