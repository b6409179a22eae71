#!/bin/bash
# Double-click in Finder: the kgxl web page (kgxl ui) from the environment 安装.command made, opened in the
# default browser; it works while this window stays open.
kgxl="$HOME/kgxl/bin/kgxl"
if [ ! -x "$kgxl" ]; then
  echo "还没有安装后勤助手：请先双击“安装.command”。"
  read -r -p "按回车键关闭" _
  exit 1
fi
echo "正在启动后勤助手网页……使用期间请不要关闭本窗口；用完后关闭本窗口即可。"
exec "$kgxl" ui
