"""What the care domain gives the others: the names of its sheets."""
from kgxl.domains.care.names import INFECTIONS, INJURIES, MONTHLY, SAMPLES

__all__ = ["SAMPLES", "INFECTIONS", "INJURIES", "MONTHLY"]
