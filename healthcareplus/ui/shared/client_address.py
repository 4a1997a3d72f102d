"""The address of the browser behind an event, for sign-in throttling.

Behind ``trusted_proxy_hops`` reverse proxies the socket's peer is the nearest proxy, and
each proxy appends the address it received the request from to ``X-Forwarded-For``. The
client is therefore the Nth entry from the right: everything left of it was written by
the browser and may be forged. Reflex 0.10 hands the request's headers to every event
(``router.headers.raw_headers``, lower-case names, repeated headers joined with ", ").

Reflex's own ``rx.Config.trusted_proxy_hops`` does the same to ``router.session.client_ip``;
it stays 0 (``rxconfig.py``) so the two are never applied twice.
"""

from __future__ import annotations

from collections.abc import Mapping

from reflex.istate.data import RouterData

from healthcareplus.core.config import get_settings
from healthcareplus.core.forwarding import forwarded_client
from healthcareplus.domain.accounts import throttle

FORWARDED_FOR = "x-forwarded-for"


def _header(headers: object, name: str) -> str:
    """One header's value from the router's mapping, whatever its case ("" if absent)."""
    if not isinstance(headers, Mapping):
        return ""
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name:
            return value if isinstance(value, str) else ""
    return ""


def client_address(router: RouterData) -> str:
    """The address of the browser that sent the current event (see the module's doc)."""
    peer = router.session.client_ip or ""
    forwarded_for = _header(router.headers.raw_headers, FORWARDED_FOR)
    return forwarded_client(peer, forwarded_for, get_settings().trusted_proxy_hops)


def client_key(router: RouterData) -> str:
    """The throttling key of the browser that sent the current event."""
    return throttle.client_key_for(client_address(router))
