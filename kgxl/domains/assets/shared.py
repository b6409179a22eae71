"""What the assets domain gives the others: the names of its sheets."""
from kgxl.domains.assets.names import COUNT, ENERGY, LOANS, REPAIRS, SUMMARY, SUPPLIES

__all__ = ["SUMMARY", "COUNT", "SUPPLIES", "LOANS", "REPAIRS", "ENERGY"]
