"""The appointment lifecycle, availability, weekly hours, time off and the timetable."""
