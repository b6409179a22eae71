"""What the inspections domain gives the others: the name of its monthly tab."""
from kgxl.domains.inspections.names import TAB

__all__ = ["TAB"]
