import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbook" / "Logistics.xlsm"


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the committed master workbook."""
    dest = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, dest)
    return dest
