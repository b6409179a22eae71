"""Staff and safety: qualifications and health certificates, training, monthly appraisal, drills, safety
pledges, duty, and the staffing ratios the health station checks."""
