#!/bin/bash
# kgxl installer for macOS: double-click in Finder. It puts kgxl in ~/kgxl (where the workbook's buttons look for
# it), offers the kindergarten's first workbook in ~/Documents/后勤 and points its buttons at this Python.
# Every Python step it runs is tested in tests/test_install.py.
set -u
cd "$(dirname "$0")" || exit 1
here="$(pwd)"
fail() { echo; echo "$1"; read -r -p "按回车键关闭" _; exit 1; }

python="$(command -v python3)" || fail "没有找到 Python 3。请从 https://www.python.org/downloads/ 下载安装 Python 3.12，然后重新双击“安装.command”。"
"$python" install/check_python.py || fail "请按上面的提示处理后，重新双击“安装.command”。"
"$python" -m venv "$HOME/kgxl" || fail "创建 Python 环境失败：$HOME/kgxl"
wheel="$(ls -t dist/kgxl-*.whl 2>/dev/null | head -1)"
echo "正在安装后勤助手（需要联网下载组件；下载很慢时见 docs/使用说明.md 的“下载慢：国内镜像”）"
"$HOME/kgxl/bin/python" -m pip install --disable-pip-version-check --upgrade "${wheel:-$here}" \
  || fail "安装失败。请检查网络连接后重新双击“安装.command”。"
"$HOME/kgxl/bin/xlwings" runpython install || echo "未能安装 Excel 调用 Python 的脚本，按钮可能无法运行：见 docs/使用说明.md。"

docs="$HOME/Documents/后勤"
mkdir -p "$docs"
read -r -p "请输入园所全称，新建本园的工作簿（已有工作簿的直接按回车）：" name
if [ -n "$name" ]; then
  book="$docs/$name.xlsm"
  if [ -e "$book" ]; then
    echo "$book 已存在，未覆盖。"
  else
    "$HOME/kgxl/bin/kgxl" new "$book" --name "$name" || fail "新建工作簿失败。"
  fi
  "$HOME/kgxl/bin/kgxl" setup-excel "$book" --python "$HOME/kgxl/bin/python"
  open "$docs"
fi
echo "安装完成。打开工作簿，允许宏，使用“后勤助手”选项卡。使用方法见 docs/使用说明.md。"
