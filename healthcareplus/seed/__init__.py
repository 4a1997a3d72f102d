"""Demo data and bulk generators (``python -m healthcareplus seed``)."""
