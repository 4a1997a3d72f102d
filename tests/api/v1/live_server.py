"""The API served over real HTTP by granian (the deployed server, the security headers
around the API) on a free port, for the tests that need a live server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
APP = "tests.api.v1.docs_server:app"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def granian_api(db_url: str, log_path: Path, *, workers: int, rate_limit: int) -> Iterator[str]:
    """Serve the API on ``db_url`` with ``workers`` processes and the rate limits raised to
    ``rate_limit``; yields its base URL (``…/api/v1``) once it answers. The server's
    output goes to ``log_path``."""
    port = free_port()
    env = {
        **os.environ,
        "REFLEX_DB_URL": db_url,
        "PYTHONPATH": str(ROOT),
        "HCP_API_RATE_PER_ADDRESS": str(rate_limit),
        "HCP_API_RATE_PER_TOKEN": str(rate_limit),
    }
    command = [
        str(Path(sys.executable).parent / "granian"),
        *("--interface", "asgi", "--host", "127.0.0.1", "--port", str(port)),
        *("--workers", str(workers), APP),
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{base}/cities", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(log_path.read_text())
                time.sleep(0.2)
            yield base
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


__all__ = ["free_port", "granian_api"]
