"""Inspections: the plan (检查计划) expanded into due checks, matched with the log (检查记录), and the
month's printable tab."""
