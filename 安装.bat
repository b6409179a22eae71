@echo off
rem Double-click to install kgxl for this Windows user: runs install\install.ps1 (see docs).
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install\install.ps1"
