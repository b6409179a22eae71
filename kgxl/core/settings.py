"""Settings: the 基本信息 key/value sheet as one frozen value the computations take.

Its items are the schema's: the kindergarten's own in schemas/基本信息.yaml and each domain's in its fragment
(schemas/基本信息.<domain>.yaml), so a domain's setting is declared with the domain and this class never grows.
Every item reads as an attribute (settings.meal_fee); a blank optional item takes the default its schema gives
(and its help text says).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kgxl.core.schema import load_schemas

if TYPE_CHECKING:
    import pandas as pd


SETTINGS = "settings"  # the key of 基本信息's schema: the kindergarten's own items


def _items() -> dict:
    return {i.key: i for i in load_schemas()[SETTINGS].items}


def owners() -> dict[str, str]:
    """Item key -> the schema that declares it: 基本信息's own (settings) or a domain's fragment (attendance_settings…).
    A report declares the fragments it reads, as it declares sheets."""
    out = {i.key: SETTINGS for i in _items().values()}
    for s in load_schemas().values():
        if s.fragment:
            out |= {i.key: s.key for i in s.items}
    return out


def _typed(item, value):
    if value is None or (isinstance(value, float) and value != value):  # blank, also as NaN
        value = item.default
    if value is None:
        return None
    if item.type == "integer":
        return int(value)
    if item.type == "number":
        return float(value)
    return value


class Settings:
    """Settings(meal_fee=8.0, …): any item of 基本信息 by its key; the others take their defaults."""

    __slots__ = ("_values",)

    def __init__(self, **values):
        items = _items()
        unknown = set(values) - set(items)
        if unknown:
            raise TypeError(f"基本信息 has no items {sorted(unknown)}")
        object.__setattr__(self, "_values", {k: _typed(i, values.get(k)) for k, i in items.items()})

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> "Settings":
        if frame is None or frame.empty:
            return cls()
        row = frame.iloc[0]
        return cls(**{k: row.get(k) for k in _items() if k in row.index})

    def replace(self, **changes) -> "Settings":
        """A copy with some items changed."""
        return Settings(**{**self._values, **changes})

    def __getattr__(self, name: str):
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(f"基本信息 has no item {name}") from None

    def __setattr__(self, name, value):
        raise AttributeError("Settings is frozen")

    def __eq__(self, other) -> bool:
        return isinstance(other, Settings) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items(), key=lambda kv: kv[0])))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v is not None)
        return f"Settings({shown})"

    @property
    def term_valid(self) -> bool:
        return bool(self.term_start and self.term_end and self.term_start <= self.term_end)


class SettingsView:
    """Settings as a report or rule reads them: only the items of the schemas it declares (read(key) refuses, and
    notes, the others)."""

    def __init__(self, settings: Settings, read):
        self._settings, self._read, self._owners = settings, read, owners()

    def __getattr__(self, name: str):
        owner = self._owners.get(name)
        if owner is not None:
            self._read(owner)
        return getattr(self._settings, name)

    @property
    def term_valid(self) -> bool:
        self._read(SETTINGS)
        return self._settings.term_valid

    def replace(self, **changes) -> Settings:
        return self._settings.replace(**changes)
