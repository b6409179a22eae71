import os
import shutil
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


def need(*tools: str) -> None:
    """Skip a test whose real component is missing, except in CI, where `make test` must have installed it."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            raise RuntimeError(f"{', '.join(missing)} required in CI: `make test` installs it")
        pytest.skip(f"{', '.join(missing)} not installed (run `make test` to install)")
