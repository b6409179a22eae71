"""Shelf life (保质期) as typed on 进货验收, and the last day a batch may be used: 保质期至 as printed when typed, else
生产日期 + 保质期 − 1 day (produced on 12-01 and good for 7 days: good to 12-07, expired from 12-08). Pure."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from kgxl.core.calendar import add_months

RULE = ("保质期至：按包装上印的“保质期至”，没有印的按 生产日期＋保质期−1天（如 12月1日生产、保质期7天，可用到12月7日，"
        "12月8日起为过期）")
_UNITS = {"天": "day", "日": "day", "周": "week", "星期": "week", "个月": "month", "月": "month", "年": "year"}
_TYPED = re.compile(r"^(\d+)(天|日|周|星期|个月|月|年)$")


def parse(text) -> tuple[tuple[int, str] | None, str | None]:
    """((count, unit), None) for "7天", "6个月", "1年", "180 天"; (None, why) for what cannot be read: a bare number
    (days or months?) or anything else."""
    s = "".join(unicodedata.normalize("NFKC", str(text)).split())
    m = _TYPED.match(s)
    if m:
        return (int(m.group(1)), _UNITS[m.group(2)]), None
    if re.fullmatch(r"\d+(\.\d+)?", s):
        return None, f"“{s}”没有单位，读不出是天还是月：请写成 {s}天 或 {s}个月"
    return None, f"读不出“{s}”：请写成 7天、6个月、1年 这样的数字加单位"


def last_good(produced, shelf_life, use_by) -> dt.date | None:
    """The last day a batch may be used, or None when neither 保质期至 nor 生产日期 with a readable 保质期 is typed."""
    if isinstance(use_by, dt.date):
        return use_by
    if not isinstance(produced, dt.date) or not isinstance(shelf_life, str):
        return None
    got, _ = parse(shelf_life)
    if got is None:
        return None
    n, unit = got
    end = {"day": lambda: produced + dt.timedelta(days=n), "week": lambda: produced + dt.timedelta(weeks=n),
           "month": lambda: add_months(produced, n), "year": lambda: add_months(produced, 12 * n)}[unit]()
    return end - dt.timedelta(days=1)
