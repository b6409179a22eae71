"""Attendance: the monthly registers (出勤-YYYY-MM), 出勤率, sick-absence tracking and meal-fee refunds."""
