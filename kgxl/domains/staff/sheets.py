"""The staff and safety reports as sheet outputs: 教职工资质 (certificates and staffing ratios), 培训统计,
月考核汇总, 安全工作台账 and 绩效工资表. They name staff, so the bureau export leaves them out unless asked. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds, month_label, short_days
from kgxl.core.cells import is_blank
from kgxl.core.frames import passes
from kgxl.core.money import MONEY, half_up, percent, yuan
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthReport, report_title
from kgxl.domains.security.shared import register_lines
from kgxl.domains.staff.appraisal import appraisal
from kgxl.domains.staff.merit import merit_table
from kgxl.domains.staff.names import (
    APPRAISAL,
    HEALTH_CHECK_BASIS,
    MERIT,
    QUALIFICATION,
    SAFETY,
    TRAINING,
)
from kgxl.domains.staff.people import (
    EXPIRED,
    MISSING,
    SOON,
    cert_state,
    in_service,
    ratios,
)
from kgxl.domains.staff.safety import drills_against_plan, duty_gaps, pledges
from kgxl.domains.staff.training import CARER_TRAINING, per_person, rhythm, sessions

TAB = "FF7030A0"
ROLES = ("保育员", "厨师", "营养员", "保健老师", "保安", "保洁", "财务", "教师", "行政", "其他")


def _int(v):
    return None if is_blank(v) else int(v)


TIED = "评优候选（并列）"  # people tied at the last place: all listed, the choice is the meeting's
RUNNING = "进行中"  # a window not yet ended, nothing held in it yet: not judged


class StaffReport(MonthReport):
    """Everything the staff sheets need for one month, computed once. The report day is the month's end,
    or today if earlier."""

    def __init__(self, v, month: str, today: dt.date):
        self.v, self.t, self.s, self.month = v, v.tables, v.settings, month
        self.first, self.as_of, self.today = month_bounds(month)[0], min(month_bounds(month)[1], today), today
        self.name = self.s.kindergarten_name or ""

    def qualification(self) -> SheetOutput:
        staff = self.t["staff"].frame
        on = in_service(staff, self.as_of)
        rank = {r: i for i, r in enumerate(ROLES)}
        on = on.assign(rank=on["role"].map(rank)).sort_values(["rank", "staff_id"], kind="stable")
        rows, styles = [], {}
        for r in on.itertuples():
            state = cert_state(r.health_cert_expiry, self.as_of, self.s.health_cert_warn_days)
            rows.append([r.staff_id, r.name, r.role, r.class_name if isinstance(r.class_name, str) else None,
                         r.qualification if isinstance(r.qualification, str) else None,
                         r.cert_no if isinstance(r.cert_no, str) else None,
                         r.health_cert_expiry if isinstance(r.health_cert_expiry, dt.date) else None,
                         state])
            if state in (EXPIRED, MISSING):
                styles[len(rows) - 1] = "error"
            elif state == SOON:
                styles[len(rows) - 1] = "warning"
        people = Block(["工号", "姓名", "岗位", "班级", "资格证书", "证书编号", "健康证到期", "健康证"], rows,
                       title="一、在岗人员资质", row_styles=styles)
        by_role = []
        for role in ROLES:
            g = on[on["role"] == role]
            if not len(g):
                continue
            cert = int(g["qualification"].map(lambda q: isinstance(q, str) and bool(q.strip())).sum())
            health = int(sum(cert_state(e, self.as_of, self.s.health_cert_warn_days) not in (EXPIRED, MISSING) for e in g["health_cert_expiry"]))
            by_role.append([role, len(g), cert, percent(cert, len(g)), health, percent(health, len(g))])
        counts = Block(["岗位", "在岗人数", "持资格证书", "持证率(%)", "健康证有效", "健康证有效率(%)"], by_role,
                       title="二、各岗位持证情况", formats={3: "0.0", 5: "0.0"})
        ra = ratios(staff, self.t["roster"].frame, self.as_of)
        ratio_rows = [[r.group, r.roles, r.children, f"每{r.per}名幼儿至少1名", r.required, r.actual,
                       "达标" if r.met else "不达标", r.basis] for r in ra.itertuples()]
        ratio_styles = {i: "error" for i, r in enumerate(ra.itertuples()) if not r.met}
        norms = Block(["人员", "岗位", "在园幼儿", "配备标准", "应配", "实有", "结果", "依据"], ratio_rows,
                      title="三、人员配备比例", row_styles=ratio_styles, wrap=(1, 3, 7))
        titles = [self.title(QUALIFICATION),
                  f"统计日 {self.as_of.isoformat()}。健康证：{HEALTH_CHECK_BASIS}。已过期、未填写的标红，"
                  f"{self.s.health_cert_warn_days}天内到期的标黄（“基本信息”的健康证到期提醒）；"
                  "持证率＝持有资格证书的人数÷在岗人数。配备标准及其出处见“依据”列。"]
        return SheetOutput(QUALIFICATION, [people, counts, norms], titles=titles, landscape=False,
                           widths=[9, 8, 10, 10, 15, 13, 11, 32], page_header=self.title(QUALIFICATION), tab_color=TAB)

    def training(self) -> SheetOutput:
        tr, staff = self.t["trainings"].frame, self.t["staff"].frame
        tr = tr[tr["date"].notna() & (tr["date"] <= self.as_of)]
        ses = sessions(tr)
        rows1 = [[r.date, r.topic, r.category, r.speaker if isinstance(r.speaker, str) else None, int(r.people),
                  float(r.hours)] for r in ses.itertuples()]
        every = self.s.training_every_days
        rh = rhythm(tr, self.s.term_start, self.as_of, every)
        rows2 = [[r.start, r.end, short_days(r.dates) or "—", "已开展" if r.held else RUNNING if r.running else "未开展"]
                 for r in rh.itertuples()]
        styles2 = {i: "error" for i, r in enumerate(rh.itertuples()) if not r.held and not r.running}
        pp = per_person(tr, staff, self.s.term_start, self.as_of)
        rows3, styles3 = [], {}
        for r in pp.itertuples():
            rows3.append([r.staff_id, r.name, r.role, int(r.sessions), float(r.hours), len(r.missed), short_days(r.missed) or None])
            if len(r.missed) >= 2:
                styles3[len(rows3) - 1] = "warning"
        judged = rh[rh["held"] | ~rh["running"]] if len(rh) else rh
        held = int(judged["held"].sum()) if len(judged) else 0
        blocks = [Block(["日期", "主题", "类别", "主讲人", "参加人数", "学时"], rows1, title="一、本学期培训"),
                  Block(["起", "止", f"{CARER_TRAINING}培训日期", "结果"], rows2, row_styles=styles2,
                        title=f"二、{CARER_TRAINING}培训节奏（每{every}天至少一次：{held}/{len(judged)} 个周期已开展；"
                              f"统计日尚未结束的周期还没有培训时记为“{RUNNING}”，结束后再判断，不计入）"),
                  Block(["工号", "姓名", "岗位", "参加次数", "学时", f"缺席{CARER_TRAINING}次数", "缺席日期"], rows3,
                        row_styles=styles3, formats={4: "0.0"}, title="三、个人参训情况（保育员按入职后的业务培训计缺席）",
                        wrap=(6,))]
        titles = [self.title(TRAINING), f"统计 {self.s.term_start} 至 {self.as_of} 的“培训记录”，同一日期和主题为一次培训。"]
        return SheetOutput(TRAINING, blocks, titles=titles, widths=[12, 22, 12, 10, 9, 9, 24],
                           page_header=self.title(TRAINING), tab_color=TAB, landscape=False)

    def appraisal(self) -> SheetOutput:
        a = appraisal(self.t["appraisals"].frame, self.t["appraisal_items"].frame, self.t["staff"].frame, self.month)
        top = self.s.top_per_role
        rows, styles = [], {}
        flagged = passes(a, bool, "missing") | passes(a, bool, "over")
        clean = a[~flagged]
        # the best unflagged of each 岗位, every one tied at the last place included (never row order)
        cut = {role: sorted(g["total"], reverse=True)[min(top, len(g)) - 1] for role, g in clean.groupby("role")}
        many = {role: int((g["total"] >= cut[role]).sum()) > top for role, g in clean.groupby("role")}
        for r, flag in zip(a.itertuples(), flagged):
            flags = "；".join(filter(None, [f"缺考核项：{'、'.join(r.missing)}" if r.missing else "",
                                            f"超过满分：{'、'.join(r.over)}" if r.over else ""]))
            best = not flag and r.total >= cut[r.role]
            mark = (TIED if many[r.role] and r.total == cut[r.role] else "评优候选") if best else None
            rows.append([r.role, int(r.rank), r.staff_id, r.name, r.total, r.full, percent(r.total, r.full),
                         float(half_up(r.term_avg, 1)), mark, flags or None])
            if flags:
                styles[len(rows) - 1] = "warning"
        titles = [self.title(APPRAISAL),
                  f"按“月考核”{month_label(self.month)}的得分，每个岗位按总分排名（1 为最高，同分同名次）；学期平均为本学期至本月各月总分的平均；"
                  f"每个岗位排名最前、没有缺项或超满分的 {top} 人为评优候选（“基本信息”的评优人数）；最后一个名额有同分的，"
                  f"同分者都列出，标“{TIED}”，由园务会议决定，表格不按行序取舍。"]
        return SheetOutput(APPRAISAL, [Block(["岗位", "名次", "工号", "姓名", "本月总分", "满分", "得分率(%)", "学期平均",
                                              "评优", "需核对"], rows, row_styles=styles, formats={6: "0.0", 7: "0.0"},
                                             wrap=(9,))],
                           titles=titles, widths=[9, 6, 10, 10, 9, 7, 9, 9, 9, 26], landscape=False,
                           page_header=self.title(APPRAISAL), tab_color=TAB)

    def safety(self) -> SheetOutput:
        t = self.t
        drills = t["drills"].frame if "drills" in t else pd.DataFrame(columns=["date", "kind", "seconds", "children"])
        dp = drills_against_plan(drills, self.s.planned_drills, self.as_of)
        rows1 = [[r.kind, "是" if r.planned else "计划外", short_days(r.dates) or "—", _int(r.seconds), r.children,
                  "已开展" if r.held else "未开展"] for r in dp.itertuples()]
        styles1 = {i: "warning" for i, r in enumerate(dp.itertuples()) if not r.held}
        signed, unsigned = pledges(t["pledges"].frame if "pledges" in t else pd.DataFrame(columns=["staff_id"]),
                                   t["staff"].frame, self.as_of)
        rows2 = [["已签订", len(signed), None], ["未签订", len(unsigned),
                                               "、".join(f"{n}（{i}）" for i, n in zip(unsigned["staff_id"], unsigned["name"])) or None]]
        overrides = getattr(self.v.calendar, "overrides", {}) or {}
        gaps = duty_gaps(t["duty"].frame if "duty" in t else pd.DataFrame(columns=["date", "staff_id"]),
                         self.s.term_start, self.s.term_end, overrides)
        rows3 = [[r.day, r.what, r.reason] for r in gaps.itertuples()]
        blocks = [Block(["演练类型", "计划内", "开展日期", "最短疏散用时(秒)", "参加幼儿(人次)", "结果"], rows1,
                        row_styles=styles1, title=f"一、安全演练（本学期计划：{self.s.planned_drills}）"),
                  Block(["安全责任书", "人数", "未签订人员"], rows2, title="二、安全责任书（在岗人员）",
                        row_styles={1: "warning"} if len(unsigned) else {}, wrap=(2,)),
                  Block(["日期", "节假日", "问题"], rows3, title="三、值班安排缺口（本学期节假日无人值班、值班人未填写）",
                        row_styles={i: "error" for i in range(len(rows3))})]
        lines = register_lines(self.v, self.first, self.as_of, self.today)
        blocks.append(Block(["登记", "本月情况和需关注的"], lines, title="四、门卫、接送、班车和消防登记（本月，明细见各自的汇总表）",
                            span=5))
        titles = [self.title(SAFETY), f"统计日 {self.as_of.isoformat()}。节假日为法定节假日和“节假日调整”中的放假、园所停课日。"]
        return SheetOutput(SAFETY, blocks, titles=titles, widths=[12, 10, 16, 12, 12, 30], landscape=False,
                           page_header=self.title(SAFETY), tab_color=TAB)


def make_staff(v, req):
    r = StaffReport(v, req.month, req.today)
    outputs = [r.qualification()]
    if "trainings" in v.tables:
        outputs.append(r.training())
    if "appraisals" in v.tables and "appraisal_items" in v.tables:
        outputs.append(r.appraisal())
    return outputs, "、".join(o.name for o in outputs)


def make_safety(v, req):
    return [StaffReport(v, req.month, req.today).safety()], SAFETY


# -- 绩效工资表: one month's 绩效 per person for the payroll office (merit.py), with the plan it used -----------
def merit_sheet(v, month: str) -> tuple[SheetOutput, str]:
    t, s = v.tables, v.settings
    plan = t["merit_plan"].frame
    adj = t["merit_adjustments"].frame if "merit_adjustments" in t else t.frame("merit_adjustments")
    scores = t["appraisals"].frame if "appraisals" in t else t.frame("appraisals")
    df = merit_table(t["staff"].frame, scores, plan, adj, s.merit_base, month)
    rows, styles = [], {}
    for r in df.astype(object).where(df.notna(), None).to_dict("records"):  # blank cells as None, not NaN
        if r["note"]:
            styles[len(rows)] = "warning"
        rows.append([r["staff_id"], r["name"], r["role"], r["score"], r["band"],
                     None if r["base"] is None else yuan(r["base"]), yuan(r["bonus"]), yuan(r["penalty"]),
                     None if r["total"] is None else yuan(r["total"]), r["reasons"], r["note"]])
    known = df["total"].dropna()
    styles[len(rows)] = "total"
    rows.append([None, f"{len(df)} 人", None, None, None, yuan(df["base"].dropna().sum()), yuan(df["bonus"].sum()),
                 yuan(df["penalty"].sum()), yuan(known.sum()), None, None])
    bands = [[r.role, r.min_score, r.label if isinstance(r.label, str) else None,
              None if r.amount != r.amount else r.amount, None if r.factor != r.factor else r.factor]
             for r in plan.dropna(subset=["role", "min_score"]).sort_values(["role", "min_score"]).itertuples()]
    blocks = [Block(["工号", "姓名", "岗位", "月考核得分", "档次", "基础绩效", "奖励", "扣罚", "应发绩效", "奖罚事由", "说明"], rows,
                    title="一、本月绩效", formats={3: "0.0", 5: MONEY, 6: MONEY, 7: MONEY, 8: MONEY}, row_styles=styles,
                    wrap=(9, 10)),
              Block(["岗位", "最低分", "档次名称", "绩效金额(元)", "绩效系数"], bands, title="二、绩效方案（本表所用）",
                    formats={1: "0.0", 3: MONEY, 4: "0.00"})]
    name = s.kindergarten_name or ""
    base = f"绩效基数 {s.merit_base:,.2f} 元/月，" if s.merit_base is not None else ""
    titles = [report_title(name, month, "绩效工资表"),
              f"按“月考核”本月得分在“绩效方案”中对应的档次计发基础绩效（{base}取得分达到的最高一档），加本月“奖罚登记”的奖励、"
              "减扣罚，为应发绩效。本表只计算绩效，不计算基本工资、个人所得税和社会保险，请交财务按工资制度核发。"
              "本表含个人信息，不对外发送。"]
    out = SheetOutput(MERIT, blocks, titles=titles, widths=[9, 9, 9, 10, 11, 11, 10, 10, 11, 30, 24],
                      page_header=f"{name} 绩效工资表", tab_color="FF7030A0")
    missing = int(df["score"].isna().sum())
    return out, f"{MERIT}（{len(df)} 人，应发绩效 {known.sum() / 100:,.2f} 元" + (f"；{missing} 人本月没有月考核" if missing else "") + "）"


def has_plan(v) -> bool:
    return v.has_rows("merit_plan")


def make_merit(v, req):
    sheet, said = merit_sheet(v, req.month)
    return [sheet], said
