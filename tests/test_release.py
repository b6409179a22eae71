"""The Windows release folder (#43, `make release`): built by tools/release.py here (pip downloads the Windows
wheels), then resolved with no index at all, for each Python the installer accepts, as pip on a 64-bit Windows PC
would resolve it: kgxl's wheel and every requirement, Windows-only ones included (pip evaluates markers against the
machine it runs on, so those are named to it explicitly here, read from the wheels' own metadata). Any missing
wheel fails. The bundle's size is printed (-s shows it)."""
import email
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, building_wheel

pytestmark = pytest.mark.slow
WINDOWS_ONLY = re.compile(r"""(platform_system\s*==\s*["']Windows["']|sys_platform\s*==\s*["']win32["']|"""
                          r"""os_name\s*==\s*["']nt["'])""")


def windows_only(wheels: Path) -> set[str]:
    """The names the bundle's wheels require on Windows only (and not under an extra)."""
    names = set()
    for w in wheels.glob("*.whl"):
        with zipfile.ZipFile(w) as z:
            meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
            for req in email.message_from_bytes(z.read(meta)).get_all("Requires-Dist") or []:
                if WINDOWS_ONLY.search(req) and "extra ==" not in req:
                    names.add(re.match(r"[A-Za-z0-9._-]+", req).group(0))
    return names


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "kgxl-windows"
    with building_wheel():  # release.py builds kgxl's wheel in the checkout too
        subprocess.run([sys.executable, str(ROOT / "tools" / "release.py"), "--out", str(out)], check=True,
                       timeout=1800)
    return out


@pytest.mark.parametrize("python", ["3.11", "3.12", "3.13"])
def test_the_release_installs_offline_on_windows(bundle, python, tmp_path):
    kgxl = next((bundle / "dist").glob("kgxl-*.whl"))
    extra = sorted(windows_only(bundle / "wheels"))
    assert "pywin32" in extra  # xlwings' COM bridge: what a Linux pip would have left out
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--disable-pip-version-check",
                        "--find-links", str(bundle / "wheels"), "--platform", "win_amd64", "--python-version", python,
                        "--only-binary=:all:", "--target", str(tmp_path / "t"), "--isolated", str(kgxl), *extra],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    would = r.stdout.split("Would install", 1)[1]
    assert "kgxl-" in would and "pandas-" in would and "pywin32-" in would
    for name in ("安装.bat", "install/install.ps1", "docs/使用说明.md", "workbook/Logistics.xlsm"):
        assert (bundle / name).is_file(), name
    size = sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())
    print(f"release bundle: {len(list((bundle / 'wheels').glob('*.whl')))} wheels, {size / 2**20:.0f} MB")
