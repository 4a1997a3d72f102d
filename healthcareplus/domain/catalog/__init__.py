"""Cities, hospitals, doctors, search and the symptom checker."""
