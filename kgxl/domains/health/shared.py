"""What the health domain gives the others (卫生保健月报): the month's check figures of the whole kindergarten."""
from kgxl.domains.health.sheets import summary

__all__ = ["summary"]
