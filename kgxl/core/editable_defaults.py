"""Reference sheets users may edit (营养标准, 体检标准): their rows over the defaults shipped in
kgxl/data/, whose README names each default's source. A row the user deleted falls back to the
default, so a half-filled sheet never leaves an indicator unjudged."""
from __future__ import annotations

import pandas as pd

from kgxl.core.cells import is_blank


def defaults_frame(rows: list[dict], numeric: tuple[str, ...]) -> pd.DataFrame:
    """Rows kgxl ships (text, as their CSV holds them) as a frame: blanks None, the numeric columns numbers."""
    df = pd.DataFrame(rows)
    df = df.where(df != "", None)
    for k in numeric:
        df[k] = pd.to_numeric(df[k])
    return df


def overlay(frame: pd.DataFrame | None, defaults: pd.DataFrame) -> pd.DataFrame:
    """The user's rows (by item, first one kept) then the defaults of items they lack; indexed by item."""
    table = defaults.set_index("item")
    if frame is not None and len(frame):
        user = frame.dropna(subset=["item"]).drop_duplicates("item").set_index("item")
        table = pd.concat([user, table[~table.index.isin(user.index)]])
    return table


def number(v) -> float | None:
    return None if is_blank(v) else float(v)
