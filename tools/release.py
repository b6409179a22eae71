"""`make release`: the Windows release folder, installable with no network (#43).

A kindergarten PC in China fails where it downloads, so the release carries every wheel 安装.bat needs: kgxl's own
wheel in dist/, and in wheels/ every dependency's 64-bit Windows wheel for each Python the installer accepts
(3.11, 3.12, 3.13), downloaded here by pip for that platform. pip evaluates environment markers against the machine
it runs on, not the target, so a requirement only Windows has (xlwings' pywin32) would be missed: every downloaded
wheel's requirements are read again with Windows' markers, and what they add is downloaded too, until nothing is
missing. Beside the wheels: the installer, the launchers, the guide and the sample workbook, as in the repository.

    python tools/release.py [--out release]
"""
from __future__ import annotations

import argparse
import email
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from packaging import tags
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12", "3.13")  # what install/check_python.py accepts
SHIPPED = ("安装.bat", "后勤助手.bat", "install", "docs/使用说明.md", "workbook/Logistics.xlsm", "README.md")


def windows(python: str) -> dict[str, str]:
    """The marker environment of 64-bit CPython `python` on Windows."""
    return {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64",
            "python_version": python, "python_full_version": f"{python}.0", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "extra": ""}


def requirements(wheel: Path, python: str) -> list[Requirement]:
    """The wheel's requirements that hold on Windows for `python` (extras not asked for left out)."""
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        message = email.message_from_bytes(z.read(meta))
    out = []
    for text in message.get_all("Requires-Dist") or []:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate(windows(python)):
            out.append(req)
    return out


def supported(python: str) -> set:
    """The wheel tags 64-bit CPython `python` on Windows installs."""
    version = tuple(int(p) for p in python.split("."))
    return {*tags.cpython_tags(version, platforms=["win_amd64"]),
            *tags.compatible_tags(version, f"cp{python.replace('.', '')}", platforms=["win_amd64"])}


def missing(folder: Path, python: str) -> list[str]:
    """Requirements (as pip takes them) of the wheels for `python` in folder that no wheel there satisfies."""
    have: dict[str, list] = {}
    for w in folder.glob("*.whl"):
        name, version, _, tags = parse_wheel_filename(w.name)
        if tags & supported(python):
            have.setdefault(name, []).append((version, w))
    lacking = []
    for versions in have.values():
        for _, wheel in versions:
            for req in requirements(wheel, python):
                found = have.get(canonicalize_name(req.name), [])
                if not any(req.specifier.contains(v, prereleases=True) for v, _ in found):
                    lacking.append(str(req).split(";")[0].strip())
    return sorted(set(lacking))


def download(folder: Path, python: str, wanted: list[str]) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "-d", str(folder),
                    "--platform", "win_amd64", "--only-binary=:all:", "--python-version", python, *wanted],
                   check=True)


def build(out: Path) -> Path:
    """The release folder at out (made anew); returns it."""
    if out.exists():
        shutil.rmtree(out)
    dist, wheels = out / "dist", out / "wheels"
    dist.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps",
                    "-w", str(dist), str(ROOT)], check=True)
    kgxl = next(dist.glob("kgxl-*.whl"))
    for python in PYTHONS:
        download(wheels, python, [str(kgxl)])
        for _ in range(5):  # the requirements only Windows has, and theirs
            lacking = missing(wheels, python)
            if not lacking:
                break
            download(wheels, python, lacking)
        else:
            raise SystemExit(f"Python {python}: still missing {missing(wheels, python)}")
    (wheels / kgxl.name).unlink(missing_ok=True)  # kgxl's own wheel is in dist/ (what 安装.bat installs)
    for name in SHIPPED:
        src, dest = ROOT / name, out / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Build the Windows release folder (no network needed to install).")
    parser.add_argument("--out", default=str(ROOT / "release"), help="the folder to make (replaced)")
    out = build(Path(parser.parse_args().out))
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{out}: {len(list((out / 'wheels').glob('*.whl')))} wheels, {size / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
