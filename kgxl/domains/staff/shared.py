"""What the staff domain gives the others: the names of its sheets."""
from kgxl.domains.staff.names import APPRAISAL, QUALIFICATION, SAFETY, TRAINING

__all__ = ["QUALIFICATION", "TRAINING", "APPRAISAL", "SAFETY"]
