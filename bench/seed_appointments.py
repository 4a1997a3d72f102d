"""How the bulk appointment generator scales: 10k vs 100k rows on SQLite.

Prints rows per second for each size and the ratio of the per-row cost; a ratio near 1
means the generator stays linear, so 1,000,000 rows take minutes (about 10x the 100k run).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlmodel import Session

from healthcareplus.core.db import dispose_engines, get_engine
from healthcareplus.core.migrations import upgrade
from healthcareplus.seed.demo import seed_appointments, seed_reference_data


def run(count: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        engine = get_engine(url)
        with Session(engine) as session:
            seed_reference_data(session)
        started = time.perf_counter()
        created = seed_appointments(engine, count=count)
        elapsed = time.perf_counter() - started
        dispose_engines()
    print(f"{created:>9,} appointments in {elapsed:6.2f} s  ({created / elapsed:,.0f}/s)")
    return elapsed / created


if __name__ == "__main__":
    small, large = run(10_000), run(100_000)
    print(f"per-row cost 100k / 10k: {large / small:.2f}x")
    print(f"projected 1,000,000: {large * 1_000_000 / 60:.1f} min")
