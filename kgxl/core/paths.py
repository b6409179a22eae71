"""Where the package's shipped files are: data/ (reference tables with their provenance) and the
input-sheet schemas. A built wheel carries the repository's top-level schemas/ as kgxl/schemas; a
checkout (editable install) reads schemas/ beside the package."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
DATA = PACKAGE / "data"
_PACKAGED_SCHEMAS = PACKAGE / "schemas"
SCHEMAS = _PACKAGED_SCHEMAS if _PACKAGED_SCHEMAS.is_dir() else PACKAGE.parent / "schemas"
