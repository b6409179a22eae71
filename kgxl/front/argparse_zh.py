"""argparse's own words in Chinese: its usage line, section titles, built-in help and error messages
(argparse looks each up through gettext, so a translation table is all it takes)."""
from __future__ import annotations

import argparse

WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "须提供以下参数之一：%s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
}


def _(text: str) -> str:
    return WORDS.get(text, text)


def _n(singular: str, plural: str, n: int) -> str:
    return f"需要 {n} 个值" if singular.startswith("expected") else (singular if n == 1 else plural)


def install() -> None:
    argparse._ = _
    argparse.ngettext = _n
