# Started by 后勤助手.bat: the kgxl web page (kgxl ui) from the environment 安装.bat made; the page opens in the
# default browser and works while this window stays open. UTF-8 with a BOM, like install.ps1.
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$kgxl = Join-Path $env:LOCALAPPDATA "kgxl\Scripts\kgxl.exe"
if (-not (Test-Path $kgxl)) {
    Write-Host "还没有安装后勤助手：请先双击“安装.bat”。" -ForegroundColor Red
    Read-Host "按回车键关闭"
    exit 1
}
Write-Host "正在启动后勤助手网页……使用期间请不要关闭本窗口；用完后关闭本窗口即可。"
& $kgxl ui
if ($LASTEXITCODE -ne 0) { Read-Host "按回车键关闭" }
