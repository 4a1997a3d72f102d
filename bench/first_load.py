"""First load of the public pages: how soon `/` and `/doctors` show their data.

Starts the production app as the browser tests do (``tests/e2e/conftest.py``): a migrated
and seeded throwaway SQLite database, ``reflex run --env prod`` on a free port (the build
goes to the checkout's ``.web``, as ``make run``'s does, or to ``REFLEX_WEB_WORKDIR``; the
app state stays in memory, or in Redis with ``--redis``). Then, with Playwright and
chromium, it loads each page ``--loads`` times at a phone (390x844) and a desktop
(1280x800) size, each load in a new browser context (no cache, no session), pages and
sizes interleaved, after ``--warmup`` rounds that are not counted. For every load, in ms
from the start of navigation:

- load: the load event (``loadEventStart``; ``/doctors`` includes its redirect to
  ``/doctors/``);
- paint: the first contentful paint;
- content: when the page's data is on screen: the first animation frame whose layout
  shows it (visible elements, not only in the DOM), or the first paint if that comes
  later. On ``/`` a city card and a speciality (a tile on a phone, a card elsewhere), on
  ``/doctors`` a doctor card;
- content - load: how long after the load event the data showed (negative: before it);
- live: the app is connected and the page's on-load events have run (the ``app-ready``
  marker): what is shown is the live data.

It prints the median and p95 of each. ``--url`` measures a server that is already
running instead (nothing is started or built); given twice or more, it compares them,
their loads interleaved.

    .venv/bin/python -m bench.first_load                  # 20 loads of each
    .venv/bin/python -m bench.first_load --loads 10
    .venv/bin/python -m bench.first_load --url http://127.0.0.1:3000
    .venv/bin/python -m bench.first_load --url http://127.0.0.1:3000 --url http://127.0.0.1:3001

Needs the dev requirements (Playwright) and a chromium (``make chromium``). Not part of
the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from playwright.sync_api import Browser, ViewportSize, sync_playwright
except ImportError:  # the dev requirements are not installed
    sys.exit("bench.first_load needs Playwright and a browser: make deps-dev chromium")

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    VENV_BIN,
    _free_port,
    _start,
    _stop,
    _wait_http,
    migrate_and_seed,
)

SIZES = {"390x844": PHONE, "1280x800": DESKTOP}
# What "the page's data is on screen" means, per page: every selector has a visible match.
CONTENT = {
    "/": [
        "[data-testid=city-card]",
        "[data-testid=speciality-tile], [data-testid=speciality-card]",
    ],
    "/doctors": ["[data-testid=doctor-card]"],
}
TIMEOUT_MS = 30_000
Key = tuple[str, str]  # page, viewport
COLUMNS = ("load", "paint", "content", "content - load", "live")

# Runs in every document before the page's own scripts: each animation frame, note when
# each content selector first has a visible match and when the app-ready marker appears.
PROBE = """
(() => {
  const selectors = %s;
  const seen = {};
  window.__hcpFirstView = seen;
  const visible = (sel) => Array.from(document.querySelectorAll(sel)).some(
    (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
  const tick = () => {
    const now = performance.now();  // the frame's own timestamp may predate its work
    selectors.forEach((sel, i) => { if (!(i in seen) && visible(sel)) seen[i] = now; });
    if (!("ready" in seen) && document.querySelector("[data-testid=app-ready]")) {
      seen.ready = now;
    }
    if (Object.keys(seen).length <= selectors.length) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""
RESULT = """
(count) => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const seen = window.__hcpFirstView;
  // Laid out in a frame is not yet on screen: nothing is before the first paint.
  const laidOut = Math.max(...Array.from({length: count}, (_, i) => seen[i]));
  const painted = paint ? paint.startTime : 0;
  return {load: nav.loadEventStart, paint: paint ? paint.startTime : NaN,
          content: Math.max(laidOut, painted), live: seen.ready};
}
"""


@dataclass
class Series:
    samples: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in COLUMNS})

    def add(self, timing: dict[str, float]) -> None:
        for name in ("load", "paint", "content", "live"):
            self.samples[name].append(timing[name])
        self.samples["content - load"].append(timing["content"] - timing["load"])

    def figures(self, column: str) -> tuple[float, float]:
        values = self.samples[column]
        if len(values) < 2:
            return values[0], values[0]
        return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[-1]


def measure(browser: Browser, url: str, path: str, viewport: dict[str, int]) -> dict[str, float]:
    """One fresh load: a new context (empty cache and storage), the page, its timings."""
    size = ViewportSize(width=viewport["width"], height=viewport["height"])
    context = browser.new_context(viewport=size)
    try:
        context.add_init_script(PROBE % json.dumps(CONTENT[path]))
        page = context.new_page()
        page.goto(url + path, wait_until="load", timeout=2 * TIMEOUT_MS)
        count = len(CONTENT[path])
        page.wait_for_function(
            f"() => window.__hcpFirstView && Object.keys(window.__hcpFirstView).length > {count}",
            timeout=TIMEOUT_MS,
        )
        return page.evaluate(RESULT, count)
    finally:
        context.close()


def run(urls: list[str], loads: int, warmup: int) -> dict[str, dict[Key, Series]]:
    """Every URL's pages at every size, ``warmup + loads`` rounds, interleaved: each round
    loads each of them once, so the machine's other work weighs on all alike."""
    results = {url: {(path, size): Series() for path in CONTENT for size in SIZES} for url in urls}
    with sync_playwright() as playwright:
        launch: dict[str, Any] = {"headless": True, "args": CHROMIUM_ARGS}
        if CHROMIUM:
            launch["executable_path"] = CHROMIUM
        browser = playwright.chromium.launch(**launch)
        try:
            for round_ in range(warmup + loads):
                for url, series_by_key in results.items():
                    for (path, size), series in series_by_key.items():
                        timing = measure(browser, url, path, SIZES[size])
                        if round_ >= warmup:
                            series.add(timing)
                if sys.stderr.isatty():
                    print(f"\r{round_ + 1}/{warmup + loads} rounds", end="", file=sys.stderr)
        finally:
            browser.close()
    return results


def report(results: dict[str, dict[Key, Series]], loads: int) -> None:
    for url, series_by_key in results.items():
        print(
            f"\nFirst load of the public pages ({url}): {loads} fresh loads each (new browser"
            " context), ms from the start of navigation, median / p95"
        )
        header = f"{'page':<9} {'viewport':<9}" + "".join(f" {c:>15}" for c in COLUMNS)
        print(header)
        print("-" * len(header))
        for (path, size), series in series_by_key.items():
            cells = ""
            for column in COLUMNS:
                median, p95 = series.figures(column)
                cells += f" {f'{median:.0f} / {p95:.0f}':>15}"
            print(f"{path:<9} {size:<9}{cells}")


@contextmanager
def served_app(redis_url: str | None) -> Iterator[str]:
    """The production app over a migrated, seeded throwaway database, on a free port."""
    with tempfile.TemporaryDirectory(prefix="hcp-first-load-") as folder:
        env = {
            **os.environ,
            "REFLEX_DB_URL": f"sqlite:///{Path(folder) / 'app.db'}",
            "HCP_ENV": "test",
            "REFLEX_USE_NPM": "1",
            "REFLEX_TELEMETRY_ENABLED": "false",
            "REFLEX_CHECK_LATEST_VERSION": "0",
        }
        if redis_url:
            env["REFLEX_REDIS_URL"] = redis_url
        migrate_and_seed(env)
        port = _free_port()
        log_path = Path(folder) / "server.log"
        print(f"building and starting the app on port {port} ...", file=sys.stderr)
        started = time.monotonic()
        with open(log_path, "wb") as log:
            server = _start(
                [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--frontend-port", str(port)],
                env,
                log,
            )
            try:
                try:
                    _wait_http(f"http://127.0.0.1:{port}/ping", 600, server)
                    _wait_http(f"http://127.0.0.1:{port}/", 120, server)
                except (RuntimeError, TimeoutError):
                    sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                    raise
                print(f"up in {time.monotonic() - started:.0f} s", file=sys.stderr)
                yield f"http://127.0.0.1:{port}"
            finally:
                _stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=20, help="counted loads per page and size")
    parser.add_argument("--warmup", type=int, default=2, help="uncounted loads first")
    parser.add_argument(
        "--url",
        action="append",
        help="measure this running app instead (e.g. http://127.0.0.1:3000); repeat it to"
        " compare several, their loads interleaved",
    )
    parser.add_argument("--redis", metavar="URL", help="keep the app's state in this Redis")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the app server too
    if args.url:
        report(run([url.rstrip("/") for url in args.url], args.loads, args.warmup), args.loads)
        return
    with served_app(args.redis) as url:
        results = run([url], args.loads, args.warmup)
    report(results, args.loads)


if __name__ == "__main__":
    main()
