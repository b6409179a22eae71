@echo off
rem Double-click: starts the kgxl web page (kgxl ui) in the browser; runs install\start.ps1. Keep its window open.
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0install\start.ps1"
