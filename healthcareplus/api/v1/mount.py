"""The API's mount in the app's Starlette router (``healthcareplus.api.create_api``).

Starlette matches a mount with ``^/api/v1/(?P<path>.*)$``, whose ``.`` stops at a line
break: a request path holding an encoded newline (``/api/v1/appointments/a%0Ab``) would
fall past the API to the app's plain-text 404 (or to Reflex), not answer as a problem.
The mount here matches every path under the prefix, so the API answers all of its own.
"""

from __future__ import annotations

import re

from starlette.routing import Mount

from healthcareplus.api.v1.app import API_PREFIX, create_v1_app


def v1_mount() -> Mount:
    """A new API app mounted at ``API_PREFIX``, matching any path beneath it."""
    mount = Mount(API_PREFIX, app=create_v1_app())
    mount.path_regex = re.compile(mount.path_regex.pattern, re.DOTALL)
    return mount


__all__ = ["v1_mount"]
