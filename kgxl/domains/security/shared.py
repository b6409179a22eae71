"""What the security domain gives the others: the names of its sheets."""
from kgxl.domains.security.names import BUS, RIDERSHIP

__all__ = ["BUS", "RIDERSHIP"]
