"""Plain HTTP endpoints served beside the Reflex app, on the same port.

Reflex 0.10 mounts its own backend inside this Starlette app (``rx.App(api_transformer=
api)``), so these routes answer first and everything else falls through to Reflex. The
handlers are thin adapters over the services (see ``exports``). Starlette rather than
FastAPI: it ships with Reflex, and these few routes need no request models or OpenAPI.
"""

from __future__ import annotations

from starlette.applications import Starlette

from healthcareplus.api.exports import routes as export_routes


def create_api() -> Starlette:
    return Starlette(routes=[*export_routes])


api = create_api()

__all__ = ["api", "create_api"]
