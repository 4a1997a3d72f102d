"""The doctor's day, visits, treatment records and prescriptions."""
