"""The sample kindergarten's attendance settings (its registers are drawn with its people, in kgxl.sample.data)."""


def rows(s, got: dict) -> dict:
    return {"settings": {"meal_fee": s.meal_fee, "refund_rule": "按缺勤天数退", "sick_alert_same_day": 3,
                         "sick_alert_window_count": 5, "sick_alert_window_days": 3}}
