"""The patient's screens: discovery, booking, payment, appointments and profile."""
