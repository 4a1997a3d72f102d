"""The front desk: patients who phone or walk in, booking and payments for them at the
counter, and the day's check-in queue, each scoped to the hospitals the desk serves."""
