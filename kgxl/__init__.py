"""kgxl: the logistics assistant behind a kindergarten's Excel workbook."""

__version__ = "0.1.0"
