"""Row selection by a Python test of each value, for columns of dates and mixed values pandas cannot compare in
bulk. The mask is always a boolean Series: a bare list selects columns when the frame has no rows."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd


def passes(frame: pd.DataFrame, test: Callable, column: str) -> pd.Series:
    """True where the column's value passes the test."""
    return pd.Series([bool(test(x)) for x in frame[column]], index=frame.index, dtype=bool)


def where(frame: pd.DataFrame, test: Callable, column: str) -> pd.DataFrame:
    """The rows whose value in the column passes the test."""
    return frame[passes(frame, test, column)]
