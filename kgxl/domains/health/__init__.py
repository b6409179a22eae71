"""Health checks: growth z-scores against the WHO references, 体弱儿 follow-up, 体检率 and prevalence."""
