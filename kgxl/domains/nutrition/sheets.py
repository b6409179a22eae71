"""营养分析 as a sheet output, following 托儿所幼儿园卫生保健工作规范 附件5 表4: intake by food group,
nutrients against the reference, energy sources, protein sources, meal split, meal fee, and a
generated 评价与建议. Pure: an Analysis, a Reference and the norms in, a SheetOutput out.
"""
from __future__ import annotations

from kgxl.core.actions import UserError, default_month
from kgxl.core.calendar import month_bounds
from kgxl.core.cells import is_blank
from kgxl.core.money import half_up, percent
from kgxl.core.port import Block, Chart, Series, SheetOutput
from kgxl.domains.money.shared import MEAL_SHEETS, meal_accounts, meal_items
from kgxl.domains.nutrition.intake import MEALS, NUTRIENTS, Analysis, Period, analyse
from kgxl.domains.nutrition.names import CHECK, SHEET
from kgxl.domains.nutrition.norms import Norm, norms
from kgxl.domains.nutrition.reference import AGE_GROUPS, WHOLE, Reference, reference

WITH_DRI = list(NUTRIENTS)[:9]
LINE = 55  # characters of a 评价与建议 row: about the width of columns B-J, across which it is merged
LAST = 9  # column J
PLACES = {"千卡": 1, "克": 1}  # decimals of an intake by its unit (others: 2)
ADVICE = {"能量": "主食（谷薯类）和适量油脂", "蛋白质": "鱼、禽、蛋、瘦肉、奶类和豆制品", "钙": "奶及奶制品、豆制品和虾皮等",
          "铁": "动物肝脏、动物血和红肉，同时搭配富含维生素C的蔬菜水果", "锌": "贝类、红肉和动物内脏",
          "维生素A": "动物肝脏、蛋黄和深色蔬菜（胡萝卜、菠菜、南瓜等）", "维生素B1": "粗杂粮、杂豆和瘦猪肉",
          "维生素B2": "奶类、蛋类和动物肝脏", "维生素C": "新鲜蔬菜和水果"}
SOURCE_ADVICE = {("蛋白质供能比", "不足"): "蛋白质供能比偏低，建议适当增加鱼禽蛋瘦肉和豆制品",
                 ("蛋白质供能比", "过量"): "蛋白质供能比偏高，建议适当增加主食",
                 ("脂肪供能比", "不足"): "脂肪供能比偏低，可适当增加烹调油或肉类",
                 ("脂肪供能比", "过量"): "脂肪供能比偏高，建议减少烹调油和油炸、肥肉类食物",
                 ("碳水化合物供能比", "不足"): "碳水化合物供能比偏低，建议增加主食（谷薯类）",
                 ("碳水化合物供能比", "过量"): "碳水化合物供能比偏高，建议减少甜食，适当增加优质蛋白食物"}


def _r(v, digits: int = 1):
    return None if is_blank(v) else float(half_up(v, digits))


def nutrition_sheet(a: Analysis, ref: Reference, norms: dict[str, Norm], settings, cost: float | None = None,
                    cost_note: str = "") -> SheetOutput:
    """cost: the period's food cost per child-day (伙食费核算), else cost_note says why there is none."""
    name = settings.kindergarten_name or ""
    means = ref.means
    whole = means.loc[WHOLE] if WHOLE in means.index else None
    groups = [g for g in AGE_GROUPS if g in means.index]
    advice: list[str] = []

    # 一、平均每人每日进食量
    food_rows = [[g, _r(r.raw_g), _r(r.edible_g)] for g, r in a.groups.iterrows()]
    food_rows.append(["合计", _r(a.groups["raw_g"].sum()), _r(a.groups["edible_g"].sum())])
    foods = Block(["食物类别", "生重(克)", "可食部(克)"], food_rows, title="一、平均每人每日进食量",
                  formats={1: "0.0", 2: "0.0"}, row_styles={len(food_rows) - 1: "total"})

    # 二、营养素摄入量
    rows, styles, own = [], {}, {}
    for col, (label, unit) in NUTRIENTS.items():
        amount = a.per_day[col]
        places = PLACES.get(unit, 2)  # kcal and grams to 0.1, the milli- and micrograms to 0.01
        if places != 2:
            own[(len(rows), 2)] = "0.0"
        if col in WITH_DRI and whole is not None:
            pct = percent(amount, whole[col])
            norm = norms.get(label)
            status = norm.judge(pct) if norm else "—"
            row = [label, unit, _r(amount, places), _r(whole[col], 1), pct, status, norm.text() if norm else "未设定"]
            row += [percent(amount, means.loc[g, col]) for g in groups]
            if status == "不足":
                advice.append(f"{label}摄入不足（{pct}%），建议增加{ADVICE[label]}")
                styles[len(rows)] = "warning"
            elif status == "过量":
                advice.append(f"{label}摄入超过上限（{pct}%），请核对用量")
                styles[len(rows)] = "warning"
        else:
            row = [label, unit, _r(amount, places), None, None, "—", "无参考量"] + [None] * len(groups)
        rows.append(row)
    intake = Block(["营养素", "单位", "每人每日摄入量", f"参考摄入量（{WHOLE}）", "占参考量(%)", "评价", "标准(%)",
                    *[f"{g}占参考量(%)" for g in groups]], rows, title="二、营养素摄入量",
                   formats={2: "0.00", 3: "0.0", 4: "0.0", **{7 + i: "0.0" for i in range(len(groups))}},
                   row_styles=styles, cell_formats=own)

    # 三、热量来源分布 (4/9/4 kcal per gram, as shares of their sum)
    kcal = {"蛋白质": 4 * a.per_day["protein_g"], "脂肪": 9 * a.per_day["fat_g"], "碳水化合物": 4 * a.per_day["carb_g"]}
    grams = {"蛋白质": a.per_day["protein_g"], "脂肪": a.per_day["fat_g"], "碳水化合物": a.per_day["carb_g"]}
    total = sum(kcal.values())
    rows, styles = [], {}
    for label, e in kcal.items():
        item = f"{label}供能比"
        pct = percent(e, total)
        norm = norms.get(item)
        status = norm.judge(pct) if norm else "—"
        if (item, status) in SOURCE_ADVICE:
            advice.append(f"{SOURCE_ADVICE[(item, status)]}（{pct}%，标准 {norm.text()}%）")
            styles[len(rows)] = "warning"
        rows.append([label, _r(grams[label]), _r(e), pct, norm.text() if norm else "未设定", status])
    energy = Block(["来源", "每人每日摄入(克)", "热量(千卡)", "占总热量(%)", "标准(%)", "评价"], rows,
                   title="三、热量来源分布（按每克蛋白质4、脂肪9、碳水化合物4千卡计）", formats={1: "0.0", 2: "0.0", 3: "0.0"},
                   row_styles=styles)

    # 四、蛋白质来源
    protein_total = a.protein.sum()
    rows = [[label, _r(g), percent(g, protein_total), None, None] for label, g in a.protein.items()]
    quality = a.protein["动物性食物"] + a.protein["大豆及其制品"]
    qpct = percent(quality, protein_total)
    qnorm = norms.get("优质蛋白占比")
    qstatus = qnorm.judge(qpct) if qnorm else "—"
    rows.append(["优质蛋白（动物性＋大豆）", _r(quality), qpct, qnorm.text() if qnorm else "未设定", qstatus])
    if qstatus == "不足":
        advice.append(f"优质蛋白占比偏低（{qpct}%），建议增加鱼禽蛋瘦肉、奶类和豆制品")
    protein = Block(["来源", "蛋白质(克)", "占蛋白质(%)", "标准(%)", "评价"], rows, title="四、蛋白质来源",
                    formats={1: "0.0", 2: "0.0"}, row_styles={len(rows) - 1: "total"})

    # 五、餐次热量分配 (share of the day's reference energy, the way the norms state it)
    ref_energy = whole["energy_kcal"] if whole is not None else None
    day_energy = a.meals.sum()
    rows, styles = [], {}
    for meal in MEALS:
        e = a.meals[meal]
        item = f"{meal}供能比"
        norm = norms.get(item)
        if meal not in a.served:
            rows.append([meal, None, None, None, norm.text() if norm else "未设定", "未供应"])
            continue
        pct = percent(e, ref_energy)
        status = norm.judge(pct) if norm else "—"
        if status in ("不足", "过量"):
            advice.append(f"{meal}热量占全日参考量 {pct}%，{'低于' if status == '不足' else '高于'}标准 {norm.text()}%")
            styles[len(rows)] = "warning"
        rows.append([meal, _r(e), percent(e, day_energy), pct, norm.text() if norm else "未设定", status])
    meals = Block(["餐次", "热量(千卡)", "占在园摄入(%)", "占全日参考量(%)", "标准(%)", "评价"], rows,
                  title="五、餐次热量分配（点心计入前一餐）", formats={1: "0.0", 2: "0.0", 3: "0.0"}, row_styles=styles)

    # 六、膳食费使用: the month's food cost per child-day from 伙食费核算 (a week has no account of its own)
    fee = [["伙食费标准(元/人/天)", settings.meal_fee], ["每人每日食品成本(元)", _r(cost, 2) if cost is not None else cost_note]]
    if cost is not None and settings.meal_fee:
        fee.append(["食品成本占伙食费标准(%)", percent(cost, settings.meal_fee)])
    money = Block(["项目", "数值"], fee, title="六、膳食费使用", formats={1: "0.00"},
                  cell_formats={(2, 1): "0.0"})  # yuan to the fen, the share a percent to 0.1

    # 评价与建议
    if not advice:
        advice.append("各项营养素摄入量、热量来源、蛋白质来源和餐次分配均符合标准。")
    notes = list(advice)  # the food table's own doubts go to 营养数据核对 (data_check), not to the bureau's copy
    if len(ref.outside):
        notes.append(f"有 {len(ref.outside)} 名幼儿不在参考摄入量表的年龄范围（2-6岁）内，未计入参考量")
    # a long note goes on several rows so that it stays inside the printed width (columns B-J)
    lines = [[i + 1 if k == 0 else None, t[k:k + LINE]] for i, t in enumerate(notes) for k in range(0, len(t), LINE)]
    review = Block(["序号", "评价与建议"], lines, title="七、评价与建议", span=LAST)

    children = int(whole["children"]) if whole is not None else 0
    basis = "寄宿制" if settings.meal_service == "寄宿制" else "全日制"
    titles = [f"{name} {a.period.label} 营养分析".strip(),
              f"统计期间 {a.period.start} 至 {a.period.end}，带量食谱 {len(a.days)} 天；参考摄入量：{ref.source}，"
              f"按 {ref.on} 在册的 {children} 名幼儿的年龄和性别平均；评价标准：“营养标准”表（{basis}）。"]
    chart = Chart("营养素摄入量占参考量的百分比", block=1, categories=Series("营养素", (0, len(WITH_DRI) - 1), 0),
                  series=[Series("占参考量(%)", (0, len(WITH_DRI) - 1), 4)], y_title="%", width_cols=8)
    return SheetOutput(SHEET, [foods, intake, energy, protein, meals, money, review], titles=titles,
                       widths=[24, 14, 14, 16, 14, 10, 10, 14, 14, 14, 14], charts=[chart] if whole is not None else [],
                       landscape=False, page_header=f"{name} 营养分析", tab_color="FF9BBB59")


def data_check(a: Analysis, name: str) -> SheetOutput:
    """营养数据核对: what in the food table the analysis had to take on trust (rows marked 需核实, the user's own rows,
    nutrients not measured and counted as 0). For the one who keeps the food table, not for the bureau."""
    rows = [["需核实", f, t[3:].lstrip("：:") or t] for f, t in a.flagged.items()]
    rows += [["自定义数据", f, "不是《中国食物成分表》的数据，请核对来源"] for f in a.custom]
    rows += [["未测定（按0计）", f, label] for label, foods in a.unmeasured.items()
             if label not in ("能量", "蛋白质", "脂肪", "碳水化合物") for f in foods]
    if not rows:
        rows = [["—", "—", "本期食谱用到的食物成分数据没有需要核对的"]]
    titles = [f"{name} {a.period.label} {CHECK}".strip(),
              "营养分析用到的这些食物成分数据需要核对：对照《中国食物成分表》原书核对后，可在“食物成分”表的“数据核对”列改为“已核对”。"
              "本表供维护食物成分表的老师使用，不随导出上报。"]
    return SheetOutput(CHECK, [Block(["类别", "食物", "说明"], rows, wrap=(2,))], titles=titles, widths=[16, 30, 60],
                       landscape=False, page_header=f"{name} {CHECK}", tab_color="FF9BBB59", after=SHEET)


def _period(v, month: str | None, week: str | None, today):
    if month and week:
        raise UserError("请只指定月份或周次中的一个")
    return Period.week(week) if week else Period.month(default_month(v.settings, month, today))


def _food_cost(v, period) -> tuple[float | None, str]:
    """The month's food cost per child-day from the meal account (unrounded), or why there is none."""
    month = period.start.strftime("%Y-%m")
    if (period.start, period.end) != month_bounds(month):
        return None, "按月分析时显示"
    t = v.tables
    if not all(k in t for k in MEAL_SHEETS) or not meal_items(t["fee_items"].frame) or not v.settings.term_valid:
        return None, "需要“食品出入库”“收费记录”和“收费项目”（含伙食费）"
    if not v.settings.term_start <= period.start <= v.settings.term_end:
        return None, "不在本学期内"
    a = meal_accounts(v, month)[-1]
    if not a.child_days:
        return None, "本月没有出勤表，无法计算人日数"
    return a.cost / 100 / a.child_days, ""  # unrounded: the sheet rounds it, and its share of the fee is of this


def make_analysis(v, req):
    period = _period(v, req.month, req.params.get("week"), req.today)
    a = analyse(v.tables["menu"].frame, v.tables["foods"].frame, period)
    if a is None:
        raise UserError(f"“带量食谱”中没有 {period.label} 的食谱，无法做营养分析")
    ref = reference(v.tables["roster"].frame, v.tables["classes"].frame, a.days[-1])
    table = v.tables.get("nutrition_norms")
    cost, note = _food_cost(v, period)
    sheet = nutrition_sheet(a, ref, norms(table.frame if table else None, v.settings.meal_service == "寄宿制"),
                            v.settings, cost, note)
    energy = ""
    if WHOLE in ref.means.index:
        energy = f"，能量为参考量的 {100 * a.per_day['energy_kcal'] / ref.means.loc[WHOLE, 'energy_kcal']:.0f}%"
    return [sheet, data_check(a, v.settings.kindergarten_name or "")], \
        f"{SHEET}（{period.label}，带量食谱 {len(a.days)} 天{energy}）、{CHECK}"
