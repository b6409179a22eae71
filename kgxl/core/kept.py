"""What a process that stays up (the web page, Excel's persistent Python) keeps from one click to the next: typed
sheets, rules' findings, the results several reports share and 待办事项's items, each by the digest of what made it,
so a click that changed one register does not compute the rest again. A process that runs once (`kgxl ACTION BOOK`)
starts with none; `refresh --full` forgets them all."""
from __future__ import annotations

from collections import OrderedDict

_EVERY: list[Kept] = []


class Kept:
    """A memo of the last `limit` results by key (least recently used first out). Its values are only read."""

    def __init__(self, limit: int):
        self.limit, self.values = limit, OrderedDict()
        _EVERY.append(self)

    def __contains__(self, key) -> bool:
        return key in self.values

    def put(self, key, value) -> None:
        """key now stands for value (a newer one replaces the kept one)."""
        self.values[key] = value
        self.values.move_to_end(key)
        while len(self.values) > self.limit:
            self.values.popitem(last=False)

    def get(self, key, make):
        """The value kept for key, else make()'s, kept; key None: not known, made and not kept."""
        if key is None:
            return make()
        if key in self.values:
            self.values.move_to_end(key)
            return self.values[key]
        self.put(key, value := make())
        return value


def forget() -> None:
    """Every memo emptied: the next click is the process's first sight of a book (benchmarks measure it so)."""
    for k in _EVERY:
        k.values.clear()
