"""The sample kindergarten's 行事历 in the shape of the seeds' 各月工作安排 (six or seven items a month over the
term; two done late, two still open at the end of November) and its 学期目标 like theirs (体检率 ≥ 90 %, 工作计划完成率
100 %, the meal account within ±2 %)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import month_bounds, months_between

# per month of the term: (day planned, item, category, who: principal|nurse|cook|guard|accountant)
PLAN = [
    [(5, "开学前环境大扫除和全面消毒", "检查", "guard"), (10, "新生入园体检及健康档案建立", "保健", "nurse"),
     (10, "核定本学期收费标准并公示", "财务", "accountant"), (12, "制定本学期卫生保健工作计划", "保健", "nurse"),
     (15, "教职工健康证核查", "队伍与安全", "principal"), (20, "秋季开学安全大检查", "检查", "principal"),
     (25, "召开膳食委员会会议", "膳食", "cook")],
    [(10, "秋季消防疏散演练", "队伍与安全", "guard"), (15, "幼儿体格检查（身高、体重）", "保健", "nurse"),
     (20, "食堂从业人员食品安全培训", "膳食", "cook"), (25, "传染病防控知识宣传", "保健", "nurse"),
     (31, "固定资产清点", "园产与物品", "accountant"), (31, "伙食费收支公示", "财务", "accountant")],
    [(6, "冬季传染病预防消毒", "保健", "nurse"), (13, "地震应急疏散演练", "队伍与安全", "guard"),
     (18, "期中安全大检查", "检查", "principal"), (20, "保育员业务培训", "队伍与安全", "nurse"),
     (24, "营养分析及食谱调整", "膳食", "nurse"), (27, "水电线路冬季检修", "园产与物品", "guard"),
     (30, "伙食费收支公示", "财务", "accountant")],
    [(4, "冬季取暖设施安全检查", "园产与物品", "guard"), (11, "反恐防暴演练", "队伍与安全", "guard"),
     (18, "幼儿血红蛋白检测", "保健", "nurse"), (22, "召开膳食委员会会议", "膳食", "cook"),
     (28, "元旦活动安全预案", "检查", "principal"), (31, "伙食费收支公示", "财务", "accountant")],
    [(8, "期末安全大检查", "检查", "principal"), (12, "学期末物品盘点", "园产与物品", "accountant"),
     (15, "学期收费结算", "财务", "accountant"), (18, "卫生保健工作总结", "保健", "nurse"),
     (19, "寒假安全教育告家长书", "队伍与安全", "principal"),
     (20, "本学期工作计划完成情况总结", "其他", "principal")],
]
LATE = {"新生入园体检及健康档案建立": 8, "固定资产清点": 5}  # days late
OPEN = {"传染病防控知识宣传", "保育员业务培训"}  # not done by the end of November
AS_OF = dt.date(2026, 11, 30)  # the sample's day: nothing is done after it


def rows(s, got: dict) -> dict:
    who = {"principal": s.principal, "nurse": s.nurse, "cook": s.cook, "guard": s.guard, "accountant": s.accountant}
    out = []
    for month, items in zip(months_between(*s.term), PLAN):
        last = month_bounds(month)[1]
        for day, item, category, person in items:
            planned = min(last, last.replace(day=min(day, last.day)))
            done = planned + dt.timedelta(days=LATE.get(item, -1))
            out.append({"month": month, "item": item, "category": category, "owner": who[person], "planned": planned,
                        "done": done if item not in OPEN and done <= AS_OF and planned < AS_OF else None})
    targets = [{"measure": "体检率(%)", "direction": "不低于", "target": 90, "note": "本学期工作计划：幼儿体检达标率 90% 以上"},
               {"measure": "工作计划完成率(%)", "direction": "不低于", "target": 100, "note": "本学期工作计划：完成率百分百"},
               {"measure": "膳食费盈亏率(%)", "direction": "绝对值不超过", "target": 2, "note": "伙食费收支盈亏控制在 ±2% 以内"},
               {"measure": "留样合格率(%)", "direction": "不低于", "target": 100, "note": "每餐每样留样"},
               {"measure": "出勤率(%)", "direction": "不低于", "target": 90, "note": None},
               {"measure": "能量占参考摄入量(%)", "direction": "不低于", "target": 90, "note": "带量食谱营养分析达标"},
               {"measure": "伤害发生率(‰)", "direction": "不高于", "target": 10, "note": None},
               {"measure": "用电(千瓦时/人日)", "direction": "不高于", "target": 1.5, "note": "节约用电"}]
    return {"calendar_plan": out, "term_targets": targets}
