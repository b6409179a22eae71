"""Suppliers' papers: the 统一社会信用代码's check character (GB 32100-2015 §4 and its annex: 17 characters of the
31-character set weighted by 3^(i-1) mod 31; the 18th is 31 − (sum mod 31), 31 written 0) and a licence's status on
a day. Pure."""
from __future__ import annotations

import datetime as dt
import unicodedata

CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 表1: no I, O, Z, S, V
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
NONE_NEEDED = "不需要许可证"
EXPIRED, UNSET, VALID = "已过期", "未填", "有效"


def credit_code_problem(text) -> str | None:
    """What is wrong with a typed 统一社会信用代码 (full-width characters and spaces are read as typed), or None."""
    code = "".join(unicodedata.normalize("NFKC", str(text)).split()).upper()
    if len(code) != 18:
        return f"应为18位，这里是 {len(code)} 位"
    bad = [c for c in code if c not in CHARS]
    if bad:
        return f"含有代码中不用的字符“{''.join(dict.fromkeys(bad))}”（只用数字和除 I、O、Z、S、V 以外的大写字母）"
    want = check_char(code[:17])
    if code[17] != want:
        return f"末位校验码与前17位对不上（按前17位应为 {want}），请核对是否抄错"
    return None


def check_char(first17: str) -> str:
    """The 18th character of a code whose first 17 are given."""
    return CHARS[(31 - sum(CHARS.index(c) * w for c, w in zip(first17, WEIGHTS)) % 31) % 31]


def status(kind, until, day: dt.date, notice_days) -> str:
    """A supplier's licence on `day`: 不需要许可证, 未填, 已过期, "N 天后到期" (within notice_days), or 有效."""
    if kind == NONE_NEEDED:
        return NONE_NEEDED
    if not isinstance(until, dt.date):
        return UNSET
    left = (until - day).days
    if left < 0:
        return EXPIRED
    if notice_days is not None and left <= notice_days:
        return f"{left} 天后到期" if left else "今天到期"
    return VALID
