"""Booking, rescheduling and cancelling, the patient's views and calendar files."""
