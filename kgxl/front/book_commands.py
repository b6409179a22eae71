"""The commands that are not one action of the registry: the web page front, a new kindergarten's workbook, the
next term's, an upgrade, the Excel buttons' Python, lists imported, and the developers' sample build and sheet docs.
Each is its parser (Chinese help) and a thin handler; kgxl.front.cli adds them and turns what they raise into exit
codes."""
from __future__ import annotations

from pathlib import Path

from kgxl.core.actions import Param, parse_param
from kgxl.io.writer_lock import writer_lock

COMMANDS = ("ui", "collect", "new", "new-term", "import", "upgrade", "setup-excel", "build-workbook", "docs")
KEEPS = "已存在的文件不会被覆盖"


def _term(p, required: bool, which: str) -> None:
    p.add_argument("--term-start", required=required, metavar="YYYY-MM-DD", help=f"{which}第一天")
    p.add_argument("--term-end", required=required, metavar="YYYY-MM-DD", help=f"{which}最后一天")


def _book(p, help: str = "工作簿文件（.xlsm/.xlsx）") -> None:
    p.add_argument("book", metavar="工作簿", help=help)


def add(sub) -> None:
    w = sub.add_parser("ui", help="打开后勤助手网页（在浏览器中选择工作簿、点击按钮；适合 WPS 和不能用按钮的电脑）",
                       description="在本机启动后勤助手网页并用浏览器打开：选择工作簿，点击与 Excel 按钮相同的操作，查看问题列表，"
                                   "下载导出上报的文件。只能在本机访问；关闭窗口或按 Ctrl+C 停止。")
    w.add_argument("book", nargs="?", metavar="工作簿", help="网页打开时使用的工作簿（可不填，在网页上选择）")
    w.add_argument("--no-browser", action="store_true", help="不自动打开浏览器，只显示网址")
    w.add_argument("--port", type=int, default=0, metavar="端口", help="端口号（默认自动选择空闲端口）")
    c = sub.add_parser("collect", help="（教育局用）汇总各园导出的月度报表，生成区县汇总表",
                       description="读取文件夹中各幼儿园用“导出上报”生成的报表（主工作簿 .xlsm 先按“导出上报”的规则导出），"
                                   "检查是否为本月、本版本的后勤助手报表，"
                                   "把其中的数字存入 DuckDB 数据库，生成区县汇总表：每园一行、全区合计（按人次和金额合计计算）、"
                                   "未上报的园所、跳过的文件及原因、需要关注的园所。")
    c.add_argument("folders", nargs="+", metavar="文件夹", help="存放各园报表的文件夹（或文件），可写多个")
    c.add_argument("--month", required=True, metavar="YYYY-MM", help="汇总的月份")
    c.add_argument("--out", required=True, metavar="汇总表", help="生成的区县汇总表（.xlsx）")
    c.add_argument("--db", metavar="数据库", help="DuckDB 数据库文件（保留各月数据，用于比较和找出未上报的园所）；不写则只在内存中")
    c.add_argument("--expect", metavar="园所名单", help="本区县应上报的园所名单（.txt 每行一个，或 .xlsx 第一列）")
    c.add_argument("--name", metavar="区县名称", help="汇总表标题中的区县名称")
    c.add_argument("--change", type=float, metavar="百分点", help="出勤率较上月变化超过这么多个百分点时列入“需要关注”（需 --db）")
    c.add_argument("--check-rate", type=float, default=100.0, metavar="百分比",
                   help="体检率低于此值的园所列入“需要关注”（默认 100）")
    c.add_argument("--sample-rate", type=float, default=100.0, metavar="百分比",
                   help="留样合格率低于此值的园所列入“需要关注”（默认 100）")
    c.add_argument("--workers", type=int, default=0, metavar="进程数", help="并行读取的进程数（默认为 CPU 核数）")
    c.add_argument("--scheduler", metavar="地址", help="用 Dask 集群读取（local 为本机临时集群，或调度器地址 tcp://…；"
                                                     "各节点须能以相同路径访问这些文件）")
    n = sub.add_parser("new", help="新建本园的空白主工作簿（含全部输入表、参考表和后勤助手按钮，不含示例数据）",
                       description="新建本园的空白主工作簿：全部输入表（带表头、下拉选项和说明）、参考表（食物成分、营养标准、"
                                   "体检标准、传染病病种）、后勤助手按钮；不含任何示例人员。之后运行 kgxl validate 查看还需填写的单元格。")
    n.add_argument("path", metavar="路径", help=f"新工作簿的路径（.xlsm），如 文档/后勤/阳光幼儿园.xlsm；{KEEPS}")
    n.add_argument("--name", required=True, metavar="园所名称", help="园所全称")
    _term(n, False, "本学期")
    t = sub.add_parser("new-term", help="由本学期的工作簿新建下学期的主工作簿（幼儿升班、库存结转）",
                       description="由本学期的工作簿新建下学期的主工作簿：带入在园幼儿（新学年时按 托班→小班→中班→大班 升班，"
                                   "大班离园）、班级、在职教职工、体检记录、期末库存（作为期初）、收费项目、检查计划、考核细则、"
                                   "营养标准、体检标准、食物成分、学期目标和基本信息，行事历的事项顺延到下学期（未完成状态）；出勤、食谱、收费、收支等记录从空表开始。原工作簿只读取，不修改。")
    t.add_argument("old", metavar="本学期工作簿", help="本学期的主工作簿（.xlsm）")
    t.add_argument("path", metavar="新工作簿", help=f"下学期主工作簿的路径（.xlsm）；{KEEPS}")
    _term(t, True, "下学期")
    t.add_argument("--class", dest="classes", action="append", metavar="旧班级=新班级",
                   help="改变默认的升班对应，如 --class 小一班=中二班；写 大一班=离园 表示该班离园；可写多次")
    i = sub.add_parser("import", help="把已有的幼儿名单或教职工名单（xlsx、xls、csv）导入工作簿",
                       description="把已有的名单追加到工作簿的“幼儿名册”或“教职工”表：按表头名称找列（姓名、性别、出生日期、"
                                   "班级、入园日期、身份证号等）；由身份证号得出出生日期和性别并核对校验位。发现问题时列出文件中的"
                                   "行和列，不写入任何内容（除非加 --skip-bad）；工作簿中已有的行不会改动。")
    _book(i)
    i.add_argument("--roster", metavar="文件", help="幼儿名单文件，导入到“幼儿名册”")
    i.add_argument("--staff", metavar="文件", help="教职工名单文件，导入到“教职工”")
    i.add_argument("--skip-bad", action="store_true", help="跳过有错误的行，导入其余的行")
    i.add_argument("--json", action="store_true", help="以 JSON 输出问题列表（供脚本使用）")
    u = sub.add_parser("upgrade", help="把旧版后勤助手生成的工作簿升级到当前版本（保留填写的全部内容）",
                       description="把旧版后勤助手生成的工作簿升级到当前版本：添加新的工作表、列和基本信息项目（不移动已填写的"
                                   "内容），更新后勤助手按钮和宏，然后刷新汇总。原文件备份为 .backup。")
    _book(u)
    u.add_argument("--today", metavar="YYYY-MM-DD", help="刷新汇总时以此日期为“今天”（默认为系统日期）")
    x = sub.add_parser("setup-excel", help="让工作簿的后勤助手按钮使用本机安装了 kgxl 的 Python（安装程序会自动运行）",
                       description="把本机安装了 kgxl 的 Python 的路径写入工作簿的 xlwings.conf 表（Windows：Interpreter_Win；"
                                   "macOS：Interpreter_Mac），后勤助手按钮才能找到 Python。原文件备份为 .backup。")
    _book(x, "主工作簿（.xlsm）")
    x.add_argument("--python", metavar="路径", help="python.exe 的完整路径（默认为运行本命令的 Python）")
    b = sub.add_parser("build-workbook", help="（开发用）由 schemas 和示例数据生成示例工作簿 workbook/Logistics.xlsm",
                       description="（开发用）由 schemas 和示例幼儿园数据生成示例工作簿，其中全是虚构的幼儿和记录。"
                                   "不会覆盖已有的文件，除非加 --force。")
    b.add_argument("--out", default="workbook/Logistics.xlsm", help="输出路径")
    b.add_argument("--force", action="store_true", help="覆盖已有的文件（原文件备份为 .backup）")
    d = sub.add_parser("docs", help="（开发用）由 schemas 生成输入表说明文档")
    d.add_argument("--out", default="docs/sheets.md", help="输出路径")


def _days(args) -> dict:
    return {k: parse_param(Param(k, "", kind="date"), getattr(args, k)) for k in ("term_start", "term_end")}


def run(args, refresh) -> int:
    """One of COMMANDS; refresh(): 刷新汇总 on args.book as the CLI runs it (the upgrade's last step)."""
    if args.command == "collect":
        from kgxl.front.collect_command import run_collect
        return run_collect(args)
    if args.command == "ui":
        from kgxl.front.web.server import serve
        serve(open_browser=not args.no_browser, port=args.port, book=Path(args.book) if args.book else None)
    elif args.command == "new":
        from kgxl.app.new_book import new_workbook
        day = _days(args)
        path = new_workbook(Path(args.path), args.name, day["term_start"], day["term_end"])
        print(f"已新建主工作簿：{path}。请先在“基本信息”中填写学期、伙食费标准等项目，再填写班级和幼儿名册（可用 kgxl import "
              f"导入）；运行 kgxl validate \"{path}\" 可查看还需填写的单元格。")
    elif args.command == "new-term":
        from kgxl.app.new_book import new_term_workbook
        from kgxl.app.new_term import parse_edits
        day = _days(args)
        print(new_term_workbook(Path(args.old), Path(args.path), day["term_start"], day["term_end"],
                                parse_edits(args.classes)))
    elif args.command == "import":
        from kgxl.front.import_command import run_import
        return run_import(args)
    elif args.command == "upgrade":
        return _upgrade(args, refresh)
    elif args.command == "setup-excel":
        from kgxl.app.excel_setup import setup_excel
        with writer_lock(Path(args.book)):
            print(setup_excel(Path(args.book), args.python))
    elif args.command == "build-workbook":
        from kgxl.app.books import build_workbook
        print(f"已生成主工作簿：{build_workbook(Path(args.out), args.force)}")
    else:
        from kgxl.front.docs import write_docs
        print(f"已生成文档：{write_docs(Path(args.out))}")
    return 0


def _upgrade(args, refresh) -> int:
    from kgxl.app.upgrade import upgrade_book

    said = upgrade_book(Path(args.book))
    if said is None:
        print(f"{args.book} 已是当前版本，无需升级。")
        return 0
    print(said)
    args.json = False
    return refresh()
