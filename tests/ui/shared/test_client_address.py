"""The client's address behind trusted reverse proxies: the Nth X-Forwarded-For entry from
the right, else the socket's peer; never an entry the browser could have written, never an
exception. The last tests go through Reflex itself: the ASGI request as Reflex turns it into
an event's router data, and a sign-in that records the throttling key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import reflex as rx
from reflex.app import EventNamespace
from reflex.istate.data import RouterData
from reflex_base.constants import RouteVar
from sqlmodel import Session, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.forwarding import forwarded_client
from healthcareplus.core.models import LoginAttempt
from healthcareplus.domain.accounts.throttle import client_key_for
from healthcareplus.ui.shared.account_state import AccountFormState
from healthcareplus.ui.shared.client_address import client_address
from tests.ui.harness import PASSWORD, Client, Users, redirects

PEER = "10.0.0.4"  # the nearest proxy, as the socket sees it
BROWSER = "198.51.100.9"


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int], None]]:
    def set_hops(count: int) -> None:
        monkeypatch.setenv("HCP_TRUSTED_PROXY_HOPS", str(count))
        get_settings.cache_clear()

    yield set_hops
    get_settings.cache_clear()


def router(peer: str = PEER, **headers: str) -> RouterData:
    raw = {name.replace("_", "-"): value for name, value in headers.items()}
    return RouterData.from_router_data({RouteVar.CLIENT_IP: peer, RouteVar.HEADERS: raw})


@pytest.mark.parametrize(
    ("count", "header", "expected"),
    [
        (0, f"{BROWSER}, 10.0.0.3", PEER),  # no proxy: the header is the browser's own words
        (1, BROWSER, BROWSER),
        (1, f"203.0.113.66, {BROWSER}", BROWSER),  # spoofed entry on the left: ignored
        (2, f"{BROWSER}, 10.0.0.3", BROWSER),
        (2, f"203.0.113.66, 192.0.2.1, {BROWSER}, 10.0.0.3", BROWSER),  # spoofed on the left
        (2, BROWSER, PEER),  # fewer entries than proxies: something skipped a proxy
        (3, f"{BROWSER}, 10.0.0.3", PEER),
        (1, f"{BROWSER}:51234", BROWSER),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "2001:DB8:0:0::1", "2001:db8::1"),
        (1, f"{BROWSER}, ", PEER),  # the trusted entry is empty
        (1, "unknown", PEER),
        (1, "not an address, at all", PEER),
        (1, "<script>alert(1)</script>", PEER),
        (1, ",,,,", PEER),
        (1, "\x00\xff\u202e, 1.2.3", PEER),
        (1, "1.2.3.4.5", PEER),
        (1, f"{'9' * 5000}, {BROWSER}", PEER),  # far longer than any proxy writes
        (1, "", PEER),
    ],
)
def test_forwarded_client(count: int, header: str, expected: str) -> None:
    assert forwarded_client(PEER, header, count) == expected


@pytest.mark.parametrize("count", [0, 1, 2])
def test_without_the_header_the_peer_is_the_client(hops: Callable[[int], None], count: int):
    hops(count)
    assert client_address(router()) == PEER


def test_the_header_name_is_matched_in_any_case(hops: Callable[[int], None]) -> None:
    hops(1)
    assert client_address(router(**{"X-Forwarded-For": BROWSER})) == BROWSER
    assert client_address(router(x_forwarded_for=BROWSER)) == BROWSER


@pytest.mark.parametrize("headers", [{"x-forwarded-for": 42}, ["x-forwarded-for"], None, "x"])
def test_odd_router_headers_fall_back_to_the_peer(
    hops: Callable[[int], None], headers: Any
) -> None:
    hops(1)
    odd = SimpleNamespace(
        session=SimpleNamespace(client_ip=PEER), headers=SimpleNamespace(raw_headers=headers)
    )
    assert client_address(odd) == PEER  # type: ignore[arg-type]


def asgi_router_data(header_pairs: list[tuple[bytes, bytes]], peer: str) -> dict[str, Any]:
    """Router data as Reflex builds it for a websocket event from the ASGI request."""
    environ = {"asgi.scope": {"headers": header_pairs, "client": (peer, 51234)}}
    return EventNamespace._build_static_router_data(None, "sid-1", environ)  # type: ignore[arg-type]


def test_reflex_gives_the_forwarded_header_to_the_event(hops: Callable[[int], None]) -> None:
    hops(2)
    # Two X-Forwarded-For lines (a proxy that adds its own instead of appending): Reflex
    # joins them in order, as HTTP says they must be read.
    data = asgi_router_data(
        [
            (b"host", b"clinic.example"),
            (b"x-forwarded-for", b"203.0.113.66, " + BROWSER.encode()),
            (b"x-forwarded-for", b"10.0.0.3"),
        ],
        PEER,
    )
    root = rx.State()
    root.router_data = root._update_router_vars(data, root.router_data)
    assert root.router.session.client_ip == PEER  # Reflex's own hop count stays 0
    assert client_address(root.router) == BROWSER


async def test_sign_in_throttles_on_the_forwarded_address(
    make_client: Callable[..., Client],
    users: Users,
    fresh_session: Callable[[], Session],
    hops: Callable[[int], None],
) -> None:
    hops(1)
    client = make_client(url="/login")
    data = asgi_router_data([(b"x-forwarded-for", f"203.0.113.66, {BROWSER}".encode())], PEER)
    client.root.router_data = client.root._update_router_vars(data, client.root.router_data)

    await client.call(
        AccountFormState, "sign_in", form_data={"email": "asha@example.com", "password": "x"}
    )
    events = await client.call(
        AccountFormState, "sign_in", form_data={"email": "asha@example.com", "password": PASSWORD}
    )

    assert redirects(events) == ["/"]
    with fresh_session() as db:
        keys = {a.client_key for a in db.exec(select(LoginAttempt)).all()}
    assert keys == {client_key_for(BROWSER)}
