"""Printing a workbook to PDF with LibreOffice (headless), when it is installed.

LibreOffice prints every sheet starting on a new page and honours each sheet's page setup (paper,
orientation, fit to width, repeated title rows, header and footer).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

_PLACES = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
           r"C:\Program Files\LibreOffice\program\soffice.exe",
           r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in _PLACES if Path(p).exists()), None)


def to_pdf(book: bytes, suffix: str = ".xlsx", timeout: int = 300) -> bytes | None:
    """The PDF of a workbook, or None when LibreOffice is not installed or fails."""
    exe = soffice()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="kgxl-pdf-") as tmp:
        src = Path(tmp) / f"book{suffix}"
        src.write_bytes(book)
        # a private profile: works beside a LibreOffice the user has open
        profile = (Path(tmp) / "profile").as_uri()
        try:
            subprocess.run([exe, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                            "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=timeout)
        except (subprocess.SubprocessError, OSError):
            return None
        pdf = src.with_suffix(".pdf")
        return pdf.read_bytes() if pdf.exists() else None
