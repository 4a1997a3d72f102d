"""The API as the app serves it (inside the security headers), for a real HTTP server in
the docs browser test: ``granian --interface asgi tests.api.v1.docs_server:app``."""

from healthcareplus.api import create_api
from healthcareplus.api.security_headers import SecurityHeaders

app = SecurityHeaders(create_api())
