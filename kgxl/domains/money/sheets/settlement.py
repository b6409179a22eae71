"""The sheets of one Settlement (settlement.py): 学期结算 (every child, with the fee income tied to 收支明细), 欠费明细
(the children who owe, by class: the payroll of 催费) and 催费通知 (one slip per child who owes, four to an A4 page,
nothing on a slip about another child). All three print the same figures, so they agree to the fen."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_end_in_term
from kgxl.core.money import MONEY, yuan
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import report_title
from kgxl.domains.attendance.shared import rule_text as refund_rule_text
from kgxl.domains.money.names import ARREARS, REMINDERS, SETTLEMENT
from kgxl.domains.money.settlement import KEEP_SHORT, Settlement, of_book, tieout

SLIPS_PER_PAGE = 4
WAIVED_LINE = "减免（多退少不补）"


def _y(fen) -> str:
    return f"{int(fen) / 100:,.2f} 元"


def columns(s: Settlement) -> list[tuple[str, str]]:
    """(header, row key) of 学期结算's money and count columns, the optional ones only when the book has them."""
    r = s.rows
    out = [("上学期欠费", "carried")] if r["carried"].any() else []
    if s.meal:
        out += [("已缴伙食费", "meal_paid"), ("应出勤天数", "days"), ("其中待核实天数", "pending"),
                ("按规则退费天数", "refund_days"), ("应退伙食费", "refund")]
        out += [("伙食费资助", "meal_aid")] if r["meal_aid"].any() else []
        out += [("伙食费应收", "meal_used")]
    for item in s.items:
        out += [(f"{item}应缴", f"{item}_due")]
        out += [(f"{item}资助", f"{item}_aid")] if r[f"{item}_aid"].any() else []
        out += [(f"{item}已缴", f"{item}_paid")]
    for item in s.agency:
        out += [(f"{item}已缴", f"{item}_paid"), (f"{item}实际分摊", f"{item}_used")]
    out += [("应退(+)/应补(-)", "balance")]
    out += [(WAIVED_LINE, "waived")] if s.rule == KEEP_SHORT else []
    return out


COUNTS = ("days", "pending", "refund_days")


def _settled(x) -> str:
    b, w = int(x["final"]), int(x["waived"])
    text = f"退 {b / 100:,.2f} 元" if b > 0 else f"补 {-b / 100:,.2f} 元" if b < 0 else "已结清"
    return text + (f"（减免 {w / 100:,.2f} 元）" if w else "")


def settlement_sheet(s: Settlement, tie: pd.DataFrame, settings, month: str) -> SheetOutput:
    name = settings.kindergarten_name or ""
    cols = columns(s)
    header = ["幼儿编号", "姓名", "班级", *(h for h, _ in cols), "结算"]
    r = s.rows.sort_values(["class_name", "child_id"], na_position="last", kind="stable")
    rows = []
    for x in r.to_dict("records"):
        rows.append([x["child_id"], x["name"], x["class_name"],
                     *(int(x[k]) if k in COUNTS else yuan(x[k]) for _, k in cols), _settled(x)])
    refund, due = int(r["final"].clip(lower=0).sum()), int(-r["final"].clip(upper=0).sum())
    waived = int(r["waived"].sum())
    rows.append([None, "全园合计", None, *(int(r[k].sum()) if k in COUNTS else yuan(r[k].sum()) for _, k in cols),
                 f"应退 {refund / 100:,.2f} 元，应补 {due / 100:,.2f} 元" + (f"，减免 {waived / 100:,.2f} 元" if waived else "")])
    fmt = {3 + i: MONEY for i, (_, k) in enumerate(cols) if k not in COUNTS}
    cost_text = "；".join(f"{i}实际支出 {c / 100:,.2f} 元，按各人已缴金额分摊" if c is not None
                         else f"{i}尚未在收支明细中记录实际支出，暂按已缴金额计" for i, c in s.agency.items())
    pending = int(r["pending"].sum())
    paid = int(r["meal_paid"].sum()) + sum(int(r[f"{i}_paid"].sum()) for i in [*s.items, *s.agency])
    owed = (int(r["meal_used"].sum()) + sum(int((r[f"{i}_due"] - r[f"{i}_aid"]).sum()) for i in s.items)
            + sum(int(r[f"{i}_used"].sum()) for i in s.agency) + int(r["carried"].sum()))
    b_refund, b_due = int(r["balance"].clip(lower=0).sum()), int(-r["balance"].clip(upper=0).sum())
    aid = int(s.credits["aid"].sum()) if len(s.credits) else 0
    rule = (f"本园按“{s.rule}”结算：伙食费和代收代办费用按实际消耗多退少补" if s.rule != KEEP_SHORT else
            "本园按“多退少不补”结算：伙食费和代收代办费用多缴的退还，少缴的减免（列在“减免”栏）")
    titles = [report_title(name, month, f"学期结算（{s.rule}，截至 {s.as_of}）"),
              f"{rule}；按月、按学期收取的项目按在园月份应缴，欠缴的仍须补缴。"
              + (f"伙食费应收＝应出勤天数×标准 {settings.meal_fee:.2f} 元 − 按退费规则（{refund_rule_text(settings)}）"
                 f"应退的伙食费（与各月“伙食费退费”相同）" + ("− 资助" if r["meal_aid"].any() else "") + "。" if s.meal else "")
              + (f"{cost_text}。" if cost_text else "")
              + (f"资助共抵减 {aid / 100:,.2f} 元（见“资助对象”）。" if aid else "")
              + (f"有 {pending} 个在园日未登记出勤或尚未到来，按未退计，请核实后重新结算。" if pending else "")
              + f"核对：全园已缴 {paid / 100:,.2f} 元 − 应缴 {owed / 100:,.2f} 元 ＝ 应退 {b_refund / 100:,.2f} 元 − "
              f"应补 {b_due / 100:,.2f} 元 ＝ {(paid - owed) / 100:,.2f} 元"
              + (f"；其中减免 {waived / 100:,.2f} 元，结算后应补 {due / 100:,.2f} 元" if waived else "")
              + "。下表二核对收费、退费、资助与收支明细中的收费收入。"]
    blocks = [Block(header, rows, formats=fmt, row_styles={len(rows) - 1: "total"}, title="一、各幼儿结算"),
              tie_block(tie, s.as_of)]
    return SheetOutput(SETTLEMENT, blocks, titles=titles,
                       widths=[11, 10, 9, *([12] * len(cols)), 18], freeze_cols=3, repeat_block=0,
                       page_header=f"{name} 学期结算", tab_color="FF548235")


def tie_block(tie: pd.DataFrame, as_of: dt.date) -> Block:
    """Per 收费项目, the term's 收费 − 退费 + 资助 against 收支明细's income for it, and the months that differ."""
    rows, styles = [], {}
    for item, g in tie.groupby("item", sort=False):
        booked = None if g["booked"].isna().all() else int(g["booked"].fillna(0).sum())
        diff = None if booked is None else booked - int(g["expected"].sum())
        months = "；".join(f"{int(m[5:])}月 {d / 100:+,.2f}" for m, d in zip(g["month"], g["diff"]) if d == d and d)
        note = ("收支明细中没有名称含该项目的收入科目" if booked is None else months or "一致")
        if booked is None or diff:
            styles[len(rows)] = "warning"
        rows.append([item, yuan(g["received"].sum()), yuan(g["refunded"].sum()), yuan(g["aid"].sum()),
                     yuan(g["expected"].sum()), None if booked is None else yuan(booked),
                     None if diff is None else yuan(diff), note])
    return Block(["收费项目", "收费", "退费", "资助", "应记收入（收费−退费＋资助）", "收支明细收入", "差额", "差额所在月份"],
                 rows or [[None, None, None, None, None, None, None, "本学期没有收费记录"]],
                 title=f"二、收费与收支明细核对（本学期截至 {as_of}）", formats={c: MONEY for c in range(1, 7)},
                 row_styles=styles, wrap=(7,))


def owing(s: Settlement) -> pd.DataFrame:
    """The children who owe (final < 0), by class."""
    r = s.rows[s.rows["final"] < 0]
    return r.sort_values(["class_name", "child_id"], na_position="last", kind="stable")


def lines(s: Settlement, x: dict) -> list[tuple[str, int, int, int, int]]:
    """Per item of one child: (item, owed, 资助, paid, still owed); 上学期欠费 when the book has any, the waiver under
    多退少不补; every item, so the lines of all children line up (欠费明细's columns)."""
    out = []
    if s.rows["carried"].any():
        out.append(("上学期欠费", int(x["carried"]), 0, 0, int(x["carried"])))
    if s.meal:
        owed = int(x["meal_used"] + x["meal_aid"])
        out.append((s.meal, owed, int(x["meal_aid"]), int(x["meal_paid"]), int(x["meal_used"] - x["meal_paid"])))
    for i in s.items:
        due, aid, paid = int(x[f"{i}_due"]), int(x[f"{i}_aid"]), int(x[f"{i}_paid"])
        out.append((i, due, aid, paid, due - aid - paid))
    for i in s.agency:
        used, paid = int(x[f"{i}_used"]), int(x[f"{i}_paid"])
        out.append((i, used, 0, paid, used - paid))
    if s.rule == KEEP_SHORT:
        out.append((WAIVED_LINE, 0, 0, 0, -int(x["waived"])))
    return out


def item_lines(s: Settlement, x: dict) -> list[tuple[str, int, int, int, int]]:
    """A slip's lines: the child's items with anything owed, paid or left."""
    return [line for line in lines(s, x) if line[1] or line[3] or line[4]]


def _overdue(x: dict, day: dt.date) -> int | None:
    since = x["since"]
    return max((day - since).days, 0) if isinstance(since, dt.date) else None


def arrears_sheet(s: Settlement, settings, month: str, today: dt.date) -> SheetOutput:
    name = settings.kindergarten_name or ""
    day = min(today, s.as_of)
    r = owing(s)
    left = {x["child_id"]: [line[4] for line in lines(s, x)] for x in r.to_dict("records")}

    def summed(g):
        return [yuan(sum(c)) for c in zip(*(left[i] for i in g["child_id"]))]
    rows, styles = [], {}
    for cls, g in r.groupby("class_name", sort=False, dropna=False):
        for x in g.to_dict("records"):
            rows.append([x["class_name"], x["child_id"], x["name"], *(yuan(v) for v in left[x["child_id"]]),
                         yuan(-x["final"]), x["since"], _overdue(x, day), x["last_paid"]])
        styles[len(rows)] = "total"
        rows.append([cls if cls == cls else None, f"{len(g)} 人", "小计", *summed(g), yuan(-g["final"].sum()),
                     None, None, None])
    total = int(-r["final"].sum())
    if len(r):
        styles[len(rows)] = "total"
        rows.append([None, f"{len(r)} 人", "全园合计", *summed(r), yuan(total), None, None, None])
    names = [line[0] for line in lines(s, s.rows.iloc[0].to_dict())] if len(s.rows) else []
    header = ["班级", "幼儿编号", "姓名", *(f"{h}欠缴" if h != WAIVED_LINE else h for h in names), "合计欠费",
              "欠费起始日期", "逾期天数", "最近缴费日期"]
    n = len(names)
    fmt = {c: MONEY for c in range(3, 4 + n)} | {4 + n: "yyyy-mm-dd", 6 + n: "yyyy-mm-dd"}
    titles = [report_title(name, month, f"欠费明细（截至 {s.as_of}）"),
              f"共 {len(r)} 名幼儿欠费，合计 {total / 100:,.2f} 元。与“学期结算”按同一口径计算（应缴 − 资助 − 已缴，"
              f"负数为多缴或应退，已抵扣）；逾期天数从最早一笔未缴费用的应缴日（该月第一个在园日）算到 {day}。"
              "本表含幼儿姓名，只供财务催费使用，不对外发送。"]
    return SheetOutput(ARREARS, [Block(header, rows or [[None, None, "没有欠费的幼儿"]], formats=fmt, row_styles=styles)],
                       titles=titles, widths=[9, 11, 10, *([12] * (n + 1)), 12, 9, 12], freeze_cols=3,
                       page_header=f"{name} 欠费明细", tab_color="FF548235")


def reminders_sheet(s: Settlement, settings, month: str, today: dt.date) -> SheetOutput:
    """One slip per child who owes: its own items only, the total, since when, and a line to fill in the date."""
    name = settings.kindergarten_name or ""
    day = min(today, s.as_of)
    blocks = []
    for k, x in enumerate(owing(s).to_dict("records")):
        lines = item_lines(s, x)
        rows = [[i, yuan(o), yuan(a) if a else None, yuan(p), yuan(left)] for i, o, a, p, left in lines]
        credit = any(left < 0 for *_, left in lines)
        rows.append(["合计尚欠（已扣除应退）" if credit else "合计尚欠", None, None, None, yuan(-x["final"])])
        since = x["since"]
        rows.append(["欠费起始", since.isoformat() if isinstance(since, dt.date) else None, "逾期天数",
                     _overdue(x, day), None])
        rows.append(["请于", "　　年　　月　　日前", "到财务室缴清", "联系电话", settings.phone or None])
        rows.append(["财务（签章）", None, "通知日期", day.isoformat(), None])
        blocks.append(Block(["收费项目", "应缴(元)", "资助减免(元)", "已缴(元)", "尚欠(元)"], rows,
                            title=f"{name} 催费通知　　{x['class_name'] or ''} {x['name'] or x['child_id']} 家长：",
                            formats={1: MONEY, 2: MONEY, 3: MONEY, 4: MONEY},
                            row_styles={len(lines): "total"}, new_page=bool(k) and k % SLIPS_PER_PAGE == 0))
    titles = [f"{name} 催费通知（截至 {s.as_of}，共 {len(blocks)} 份，每页 {SLIPS_PER_PAGE} 份，沿空行剪开分发）"]
    return SheetOutput(REMINDERS, blocks or [Block(["说明"], [["没有欠费的幼儿"]])], titles=titles,
                       widths=[22, 18, 16, 14, 14], landscape=False, page_header=f"{name} 催费通知",
                       tab_color="FF548235")


def _settlement_of(v, month: str) -> Settlement:
    return of_book(v, month_end_in_term(month, v.settings.term_end))


def make_settlement(v, req):
    s, t = _settlement_of(v, req.month), v.tables
    tie = tieout(t["fee_records"].frame, t["fee_items"].frame, s.credits, t["ledger"].frame if "ledger" in t else None,
                 v.settings.term_start, s.as_of)
    b = s.rows["final"]
    return [settlement_sheet(s, tie, v.settings, req.month)], (
        f"{SETTLEMENT}（{int((b > 0).sum())} 名幼儿应退 {b.clip(lower=0).sum() / 100:,.2f} 元，{int((b < 0).sum())} 名应补 "
        f"{-b.clip(upper=0).sum() / 100:,.2f} 元）")


def has_arrears(v) -> bool:
    return v.has_rows("fee_records")


def make_arrears(v, req):
    s = _settlement_of(v, req.month)
    r = owing(s)
    return ([arrears_sheet(s, v.settings, req.month, req.today), reminders_sheet(s, v.settings, req.month, req.today)],
            f"{ARREARS}、{REMINDERS}（{len(r)} 名幼儿欠费 {-r['final'].sum() / 100:,.2f} 元）")
