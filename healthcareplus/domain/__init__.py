"""Plain-Python domain code by feature: functions take a session and keyword arguments,
raise domain errors and never import Reflex, Starlette or FastAPI."""
