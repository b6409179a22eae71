"""The workbooks the web page opened lately, remembered for next time in the user's settings folder
(%APPDATA%\\kgxl on Windows, ~/Library/Application Support/kgxl on macOS, $XDG_CONFIG_HOME/kgxl elsewhere)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

KEEP = 8


def settings_folder() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home()) / "kgxl"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "kgxl"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "kgxl"


class Recent:
    def __init__(self, file: Path | None = None):
        self.file = file or settings_folder() / "ui.json"

    def items(self) -> list[str]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            return [p for p in data.get("recent", []) if isinstance(p, str)][:KEEP]
        except (OSError, ValueError, AttributeError):
            return []  # nothing remembered yet, or a file another program damaged: start again

    def add(self, path: Path) -> None:
        items = [str(path), *(p for p in self.items() if p != str(path))][:KEEP]
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_name(self.file.name + ".tmp")
            tmp.write_text(json.dumps({"recent": items}, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.file)
        except OSError:
            pass  # remembering is a convenience: a read-only settings folder must not stop the work
