"""Plain HTTP endpoints served beside the Reflex app, on the same port.

Reflex 0.10 mounts its own backend inside this Starlette app (``rx.App(api_transformer=
api)``), so these routes answer first and everything else falls through to Reflex:

- ``/api/admin/...``: the admins' one-time downloads (``exports``), plain Starlette routes;
- ``/api/v1/...``: the versioned public REST API, a FastAPI app (``v1``) with its OpenAPI
  document and docs.

Both are thin adapters over the domain services.
"""

from __future__ import annotations

from starlette.applications import Starlette

from healthcareplus.api.exports import routes as export_routes
from healthcareplus.api.v1 import v1_mount


def create_api() -> Starlette:
    return Starlette(routes=[*export_routes, v1_mount()])


api = create_api()

__all__ = ["api", "create_api"]
