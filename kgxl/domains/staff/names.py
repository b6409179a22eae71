"""The staff domain's sheet names and words: read by its declaration, rules and sheets."""
QUALIFICATION, TRAINING, APPRAISAL, SAFETY, MERIT = "教职工资质", "培训统计", "月考核汇总", "安全工作台账", "绩效工资表"
# Every member of staff holds a valid 健康证 (托幼机构工作人员健康合格证) every day in service: checked before
# starting and yearly after (《托儿所幼儿园卫生保健管理办法》, 卫生部 教育部令第76号, 第十九条; kgxl/data/README.md)
HEALTH_CHECK_BASIS = "《托儿所幼儿园卫生保健管理办法》第十九条：工作人员上岗前须经健康检查取得健康合格证，在岗人员每年健康检查1次"
