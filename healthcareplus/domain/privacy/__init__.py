"""A patient's rights over their personal data: a copy of everything held, and erasure."""
