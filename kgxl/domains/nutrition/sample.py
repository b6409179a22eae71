"""The sample kindergarten's quantified menu (带量食谱): the rotation of kgxl.sample.menus over its school days."""


def rows(s, got: dict) -> dict:
    return {"menu": s.menu, "settings": {"meal_service": "全日制"}}
