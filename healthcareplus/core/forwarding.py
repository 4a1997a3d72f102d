"""The client's address behind trusted reverse proxies, for the website's events and the
API's requests alike.

Behind ``trusted_proxy_hops`` reverse proxies the socket's peer is the nearest proxy, and
each proxy appends the address it received the request from to ``X-Forwarded-For``. The
client is therefore the Nth entry from the right: everything left of it was written by
the client and may be forged.
"""

from __future__ import annotations

import ipaddress

MAX_HEADER = 4096  # a longer header is not one our proxies wrote


def forwarded_client(peer: str, forwarded_for: str, hops: int) -> str:
    """The client's address given the socket ``peer``, the ``X-Forwarded-For`` header and
    how many trusted proxies append to it; the peer when the header cannot say."""
    if hops <= 0 or not forwarded_for or len(forwarded_for) > MAX_HEADER:
        return peer
    entries = forwarded_for.split(",")
    if len(entries) < hops:
        return peer
    entry = entries[-hops].strip()
    if entry.startswith("[") and "]" in entry:  # "[2001:db8::1]:4711"
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:  # "203.0.113.7:4711"
        entry = entry.split(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return peer


__all__ = ["MAX_HEADER", "forwarded_client"]
