import contextlib
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# xlwings' remote engine stands in for Excel in the tests (tests only; set before xlwings is imported)
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbook" / "Logistics.xlsm"


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the committed master workbook."""
    dest = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, dest)
    return dest


@contextlib.contextmanager
def building_wheel():
    """One `pip wheel` of the checkout at a time: pip builds in the source tree (its build/ and kgxl.egg-info), and two
    tests doing so on both xdist workers at once (the wheel's, the release's) break each other."""
    with open(Path(tempfile.gettempdir()) / "kgxl-wheel-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def need(*tools: str) -> None:
    """Skip a test whose real component is missing, except in CI, where `make test` must have installed it."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            raise RuntimeError(f"{', '.join(missing)} required in CI: `make test` installs it")
        pytest.skip(f"{', '.join(missing)} not installed (run `make test` to install)")
