"""The kindergarten itself: 基本信息, 班级, 幼儿名册 and 节假日调整, the sheets every other domain reads."""
