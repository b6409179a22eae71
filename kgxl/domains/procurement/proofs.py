"""Which delivery needs which proof: 畜禽肉 its 动物检疫合格证明 (《学校食品安全与营养健康管理规定》: 采购肉类查验检疫
合格证明) — the 肉禽蛋 category but eggs (a food named with 蛋). Pure."""
MEAT = "肉禽蛋"


def needs_quarantine(category, food) -> bool:
    return category == MEAT and "蛋" not in str(food)
