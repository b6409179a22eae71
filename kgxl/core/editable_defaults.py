"""Reference sheets users may edit (营养标准, 体检标准): their rows over the defaults shipped in
kgxl/data/, whose README names each default's source. A row the user deleted falls back to the
default, so a half-filled sheet never leaves an indicator unjudged."""
from __future__ import annotations

from pathlib import Path

import pandas as pd


def overlay(frame: pd.DataFrame | None, defaults_csv: Path) -> pd.DataFrame:
    """The user's rows (by item, first one kept) then the defaults of items they lack; indexed by item."""
    table = pd.read_csv(defaults_csv, dtype={"basis": str, "confidence": str}).set_index("item")
    if frame is not None and len(frame):
        user = frame.dropna(subset=["item"]).drop_duplicates("item").set_index("item")
        table = pd.concat([user, table[~table.index.isin(user.index)]])
    return table


def number(v) -> float | None:
    return None if v is None or v != v else float(v)
