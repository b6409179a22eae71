"""Run by the install scripts with the Python they found, before anything is installed: can kgxl and Excel use
it? Standalone (kgxl is not installed yet); prints OK, or what to do in Chinese and exits 1."""
import struct
import sys

DOWNLOAD = "请从 https://www.python.org/downloads/ 下载安装 Python 3.12 或更新版本（64 位）"


def verdict(version: tuple, bits: int, executable: str, platform: str) -> str:
    """What is wrong with this Python for kgxl, in words the user can act on; "" when nothing is."""
    if tuple(version[:2]) < (3, 11):
        return (f"找到的 Python 是 {version[0]}.{version[1]} 版，后勤助手需要 3.11 或更新的版本。{DOWNLOAD}，"
                "安装时勾选“Add python.exe to PATH”，然后重新运行安装程序。")
    if platform == "win32" and bits != 64:
        return f"找到的是 32 位的 Python，后勤助手需要 64 位的。请在“设置 → 应用”中卸载它，{DOWNLOAD}。"
    if platform == "win32" and "WindowsApps" in executable:
        return ("找到的是微软应用商店（Microsoft Store）版的 Python：它的文件放在 Excel 看不到的重定向文件夹里，"
                f"后勤助手按钮会找不到它。{DOWNLOAD}，再在“设置 → 应用 → 高级应用设置 → 应用执行别名”中关闭 "
                "python.exe 和 python3.exe 两项。")
    return ""


if __name__ == "__main__":
    message = verdict(sys.version_info, struct.calcsize("P") * 8, sys.executable, sys.platform)
    print(message or "OK")
    sys.exit(1 if message else 0)
