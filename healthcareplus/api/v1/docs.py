"""Interactive documentation (Swagger UI) at ``/api/v1/docs``, served from this app only.

No CDN: Swagger UI's script and stylesheet come from the ``fastapi-offline`` package (a
pinned requirement), our start-up script from ``docs_assets``, all under
``/api/v1/docs/assets/``. The page has no inline script, so it runs under the app's
Content-Security-Policy (``api/security_headers.py``: scripts from this origin only).
The problem types the API answers with are documented at ``/api/v1/problems/{slug}``.
"""

from __future__ import annotations

import html
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from healthcareplus.api.v1.problems import PROBLEM_TYPES, ApiProblem, ProblemTypeDoc, problems

_SWAGGER = Path(fastapi_offline.__file__).parent / "static"
ASSETS: dict[str, tuple[Path, str]] = {
    "swagger-ui-bundle.js": (_SWAGGER / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (_SWAGGER / "swagger-ui.css", "text/css"),
    "favicon.png": (_SWAGGER / "favicon.png", "image/png"),
    "swagger-init.js": (
        Path(__file__).parent / "docs_assets" / "swagger-init.js",
        "text/javascript",
    ),
}
CACHE = {"Cache-Control": "public, max-age=3600"}
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{assets}/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""

router = APIRouter()


@router.get("/docs", include_in_schema=False)
def docs_page(request: Request) -> HTMLResponse:
    root = str(request.scope.get("root_path", ""))
    page = PAGE.format(
        title=html.escape(f"{request.app.title} – docs"),
        assets=html.escape(f"{root}/docs/assets"),
        openapi=html.escape(f"{root}{request.app.openapi_url}"),
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


@router.get("/docs/assets/{name}", include_in_schema=False)
def docs_asset(name: str) -> FileResponse:
    found = ASSETS.get(name)
    if found is None:
        raise ApiProblem("not-found", "There is no such file.")
    path, media_type = found
    return FileResponse(path, media_type=media_type, headers=CACHE)


@router.get(
    "/problems/{slug}",
    response_model=ProblemTypeDoc,
    tags=["Problems"],
    summary="What a problem type means",
    description="Each problem's `type` is this page: its title, status and meaning. Public.",
    responses=problems(404),
)
def problem_type(slug: str) -> ProblemTypeDoc:
    kind = PROBLEM_TYPES.get(slug)
    if kind is None:
        raise ApiProblem("not-found", "There is no such problem type.")
    return ProblemTypeDoc(
        type=kind.uri, title=kind.title, status=kind.status, description=kind.description
    )


__all__ = ["ASSETS", "router"]
