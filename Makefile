# The two commands a newcomer runs: `make demo` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)

.PHONY: demo test check bench workbook docs clean components release

$(STAMP): pyproject.toml Makefile
	$(PY) -m venv $(VENV)
	# a pip that resolves for another platform by that platform's Python (test_release; 23.x checks this one's)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade "pip==26.3"
	$(BIN)/pip install -q --disable-pip-version-check -e ".[test,bureau]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p demo
	cp workbook/Logistics.xlsm demo/Logistics.xlsm
	$(BIN)/kgxl refresh demo/Logistics.xlsm --today 2026-11-30  # as of the sample's 当前月份 (its records are of that term)
	@echo
	@echo "示例工作簿已复制到 demo/Logistics.xlsm，结果写在其中的出勤汇总、月检查表、“校验结果”和“运行日志”等表；原文件备份为 demo/Logistics.backup.xlsm。"
	@echo "网页版：运行 $(BIN)/kgxl ui 启动后勤助手网页（浏览器自动打开；加 --no-browser 只显示网址），在其中打开 demo/Logistics.xlsm。"

test: $(STAMP) components
	$(BIN)/pytest -q -n 2

# The inner loop, under a minute: all but the tests marked slow (LibreOffice, the xlwings parity, the CLI in a
# subprocess, the wheel). `make test` (and CI) runs everything. Both on two processes (pytest-xdist).
check: $(STAMP)
	$(BIN)/pytest -q -m "not slow" -n 2

# The real components of the tests, from Debian's packages: LibreOffice is the spreadsheet client, pdftotext reads its
# printed pages back, a CJK font makes the printed Chinese real glyphs (page breaks then match what users see), UNO
# (for the system python3) and the script provider let the tests run the workbook's VBA macros; Chromium and its
# chromedriver are the browser of the web page's test (no browser is downloaded at run time); Apache POI (on the
# JDK, which also validates the ribbon), libgsf and 7-Zip are the independent readers of the VBA project.
components:
	@{ command -v soffice && command -v pdftotext && fc-list :lang=zh | grep -q . && /usr/bin/python3 -c "import uno" \
	   && test -f /usr/lib/libreoffice/program/pythonscript.py && command -v chromium && command -v chromedriver \
	   && command -v javac && test -f /usr/share/java/poi.jar && command -v gsf && command -v 7z ; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends libreoffice-calc poppler-utils fonts-wqy-zenhei \
	    libreoffice-script-provider-python python3-uno chromium chromium-driver \
	    default-jdk-headless libapache-poi-java libgsf-bin p7zip-full >/dev/null; }

# The tables of issues 9 and 39 at 180, 600 and 5,000 children, written to benchmarks/RESULTS.md (about 40 minutes on
# 2 cores: every operation of each size in a process of its own).
# Drill-downs, run by hand: attendance_term.py, nutrition_term.py, run_log.py, readers.py (columnar readers compared;
# it needs fastexcel and pyarrow, which kgxl does not install) in benchmarks/.
bench: $(STAMP)
	cd benchmarks && ../$(BIN)/python bench.py

# The Windows release folder (release/): kgxl's wheel, every dependency's 64-bit Windows wheel for Python 3.11-3.13,
# the installer, launchers, guide and sample; 安装.bat then installs with no network (tools/release.py).
release: $(STAMP)
	$(BIN)/python tools/release.py --out release

workbook: $(STAMP)
	$(BIN)/kgxl build-workbook --out workbook/Logistics.xlsm --force

docs: $(STAMP)
	$(BIN)/kgxl docs --out docs/sheets.md

clean:
	rm -rf $(VENV) demo .pytest_cache build *.egg-info release
