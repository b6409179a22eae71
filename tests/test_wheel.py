"""The built wheel is the product: installed (not editable) into a fresh virtual environment, it runs
kgxl validate and kgxl refresh on a copy of the sample from a folder outside the checkout, with the
schemas, data and VBA sources it carries."""
import os
import shutil
import subprocess
import sys
import venv

import pytest
from conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow


def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    wheels = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], check=True,
                   capture_output=True, timeout=300)
    wheel = next(wheels.glob("kgxl-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # nothing of the checkout's environment
    keep = {k: v for k, v in os.environ.items() if k.startswith("PIP_")}  # the machine's package index settings
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True, timeout=600,
                   cwd=tmp_path, env=clean | keep)
    work = tmp_path / "elsewhere"
    work.mkdir()
    book = work / "园所.xlsm"
    shutil.copy2(SAMPLE, book)

    def kgxl(*args):
        return subprocess.run([str(env_dir / "bin" / "kgxl"), *args], cwd=work, capture_output=True, text=True,
                              timeout=300, env=clean)

    where = subprocess.run([str(python), "-c", "import kgxl.core.paths as p; print(p.SCHEMAS); print(p.DATA)"],
                           cwd=work, capture_output=True, text=True, check=True, env=clean).stdout.split()
    assert all(str(env_dir) in w for w in where), where  # the wheel's own copies, not the checkout's
    r = kgxl("validate", book.name, "--today", "2026-11-21")
    assert r.returncode == 0 and "错误 0 个" in r.stdout, r.stdout + r.stderr  # the sample's one planted 警告 only
    r = kgxl("refresh", book.name, "--today", "2026-11-21")
    assert r.returncode == 0 and "已刷新 2026年11月" in r.stdout and "体检统计" in r.stdout, r.stdout + r.stderr
    assert (work / "园所.backup.xlsm").exists()
