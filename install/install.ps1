# kgxl installer for Windows, started by 安装.bat. It puts kgxl in %LOCALAPPDATA%\kgxl (where the workbook's
# buttons look for it), offers the kindergarten's first workbook in Documents\后勤 and points its buttons at this
# Python. Saved as UTF-8 with a BOM: Windows PowerShell 5.1 reads a file without one in the ANSI code page.
# Every Python step it runs is tested in tests/test_install.py; this file itself cannot run on our machines.
$ErrorActionPreference = "Stop"
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$env:PYTHONIOENCODING = "utf-8"
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$project = Split-Path -Parent $here
$envDir = Join-Path $env:LOCALAPPDATA "kgxl"

function Stop-Install($message) {
    Write-Host ""
    Write-Host $message -ForegroundColor Red
    Read-Host "按回车键关闭"
    exit 1
}

# 1. A Python 3.11+, 64-bit, not the Microsoft Store one: the py launcher first, then python on the PATH.
$python = $null
foreach ($cmd in @("py -3", "python")) {
    $parts = $cmd.Split(" ")
    try {
        $exe = & $parts[0] @($parts | Select-Object -Skip 1) -c "import sys; print(sys.executable)" 2>$null
    } catch {
        continue
    }
    if ($LASTEXITCODE -eq 0 -and $exe) { $python = ($exe | Select-Object -Last 1).Trim(); break }
}
if (-not $python) {
    Stop-Install "没有找到 Python。请从 https://www.python.org/downloads/ 下载安装 Python 3.12（64 位），安装时勾选“Add python.exe to PATH”，然后重新双击“安装.bat”。"
}
$check = & $python (Join-Path $here "check_python.py")
if ($LASTEXITCODE -ne 0) { Stop-Install ($check -join "`n") }

# 2. The environment kgxl runs in.
Write-Host "正在创建 Python 环境：$envDir"
& $python -m venv $envDir
if ($LASTEXITCODE -ne 0) { Stop-Install "创建 Python 环境失败：$envDir" }
$kpy = Join-Path $envDir "Scripts\python.exe"
$kgxl = Join-Path $envDir "Scripts\kgxl.exe"

# 3. kgxl from this folder: its wheel when there is one (a release), else the folder itself (never editable).
$wheel = Get-ChildItem (Join-Path $project "dist") -Filter "kgxl-*.whl" -ErrorAction SilentlyContinue |
    Sort-Object LastWriteTime | Select-Object -Last 1
$source = if ($wheel) { $wheel.FullName } else { $project }
#    A release carries every component in wheels\ (make release): installed with no network; only what the folder
#    lacks (another Python version) is downloaded, and the user is told so.
$wheels = Join-Path $project "wheels"
$installed = $false
if (Test-Path $wheels) {
    Write-Host "正在用安装包自带的组件安装后勤助手（不需要联网）"
    & $kpy -m pip install --disable-pip-version-check --no-index --find-links $wheels --upgrade $source
    $installed = ($LASTEXITCODE -eq 0)
    if (-not $installed) { Write-Host "安装包中缺少本机 Python 版本所需的部分组件，改为联网下载这些组件……" }
}
if (-not $installed) {
    Write-Host "正在安装后勤助手（需要联网下载组件；下载很慢时见 docs\使用说明.md 的“下载慢：国内镜像”）"
    & $kpy -m pip install --disable-pip-version-check --find-links $wheels --upgrade $source
    if ($LASTEXITCODE -ne 0) {
        Stop-Install "安装失败。请检查网络连接后重新双击“安装.bat”；下载很慢时请按 docs\使用说明.md 的“下载慢：国内镜像”设置。"
    }
}

# 4. The first workbook, in Documents\后勤: never in the program folder, never over an existing file.
$docs = Join-Path ([Environment]::GetFolderPath("MyDocuments")) "后勤"
New-Item -ItemType Directory -Force -Path $docs | Out-Null
$name = Read-Host "请输入园所全称，新建本园的工作簿（已有工作簿的直接按回车）"
if ($name) {
    $book = Join-Path $docs "$name.xlsm"
    if (Test-Path $book) {
        Write-Host "$book 已存在，未覆盖。"
    } else {
        & $kgxl new $book --name $name
        if ($LASTEXITCODE -ne 0) { Stop-Install "新建工作簿失败。" }
    }
    # 5. The workbook's 后勤助手 buttons use this Python.
    & $kgxl setup-excel $book --python $kpy
    Start-Process explorer.exe $docs
} else {
    Write-Host "已有工作簿时：双击“后勤助手.bat”打开网页，打开工作簿后点“设置 Excel 按钮”，让它的按钮使用本机的后勤助手。"
}
Write-Host ""
Write-Host "安装完成。打开工作簿，点击“启用内容”，使用“后勤助手”选项卡。使用方法见 docs\使用说明.md。"
Read-Host "按回车键关闭"
