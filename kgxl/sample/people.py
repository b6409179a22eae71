"""Invented names for the sample: common surnames and given-name characters, combined at random."""
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
GIVEN = ("子涵 梓萱 浩然 一诺 欣怡 宇轩 若曦 沐阳 诗涵 俊熙 雨桐 梓睿 可馨 思远 语嫣 博文 佳怡 子墨 "
         "安琪 天佑 紫涵 明轩 晨曦 奕辰 乐瑶 嘉懿 书瑶 皓宇 欣妍 锦程 依诺 梓豪 雅琪 睿泽 心怡 铭泽 "
         "可欣 宇航 芷若 逸飞 梦琪 俊杰 思彤 子轩 雨萱 泽宇 佳琪 昊然").split()
ADULT_GIVEN = "丽华 秀英 建华 晓燕 海燕 春梅 志强 红梅 玉兰 桂芳 国庆 明霞 静 敏 婷 芳 磊 娟 军 燕".split()


def child_name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def adult_name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(ADULT_GIVEN)
