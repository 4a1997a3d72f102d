"""The load test: patients racing for slots and admins on live dashboards, against 1 and
then 2 app processes behind nginx, on PostgreSQL and Redis.

What it does, once per process count (``--processes 1,2``):

1. a fresh database: ``hcp_load_<random>`` is created, migrated and seeded once (the demo
   reference data: 6 cities, 15 hospitals, 127 doctors; ``--appointments`` generated
   appointments over the past year and the next 30 days; one account per simulated
   patient and admin, ``load.patient<n>@example.in`` / ``load.admin<n>@example.in``,
   hashed at bcrypt cost 4 so that signing in 210 users does not dominate the run), then
   copied for each process count (``CREATE DATABASE … TEMPLATE``) so every run starts
   from the same data. All of them are dropped at the end;
2. the Redis databases for Reflex's state (``REFLEX_REDIS_URL``) and the app's queue and
   API rate limits (``HCP_REDIS_URL``) are flushed;
3. the job worker (``python -m healthcareplus worker``) and N app processes (``reflex run
   --env prod --backend-only``, each with ``GRANIAN_WORKERS=1``: one Python process
   serving requests) start, with ``HCP_ENV=production``, behind nginx configured from
   ``deploy/nginx.conf`` (its upstream servers and listen address replaced; ``nginx -t``
   first, and a websocket upgrade of ``/_event`` through it checked). Without nginx
   (``--no-nginx``, or not installed) the users are shared between the processes' ports;
4. a few warm-up requests to each process, then Locust runs headless (``locustfile.py``:
   ``--users`` patients and ``--admins`` admins, only the REST API): the users are spawned
   at ``--spawn-rate`` (each signs in), ``--settle`` seconds pass, and the statistics of the
   next ``--duration`` seconds are the ones reported (the sign-ins separately);
5. the report: requests/s, p50/p95 per request name, failures, 5xx answers, the CPU
   seconds used during the Locust run by each app process, the worker, nginx, the
   PostgreSQL backends of the run's database, Locust itself and everything else on the
   machine (the biggest of those named), the booking outcomes, and from the database the
   number of slots held by more than one appointment (must be 0).

Rate limits: every simulated user comes from 127.0.0.1, so ``HCP_API_RATE_PER_ADDRESS``
is raised to 1,000,000; the per-token limit (``HCP_API_RATE_PER_TOKEN``, 120 a minute)
stays as configured and is counted in Redis.

    .venv/bin/python bench/load/run.py                  # 200 patients + 10 admins, 60 s, 1 then 2
    .venv/bin/python bench/load/run.py --users 20 --admins 2 --duration 15    # a smoke run
    make bench-load BENCH_ARGS="--users 20 --admins 2 --duration 15"

Every option can also be set in the environment (``HCP_LOAD_USERS``, ``HCP_LOAD_ADMINS``,
``HCP_LOAD_DURATION``, ``HCP_LOAD_PROCESSES``, ...). Needs PostgreSQL
(``HCP_BENCH_POSTGRES_URL``, default postgres@127.0.0.1:5432 with trust auth) and Redis
(``HCP_LOAD_REFLEX_REDIS_URL`` / ``HCP_LOAD_REDIS_URL``, default databases 13 and 14 of
127.0.0.1:6379, flushed). Logs, Locust's CSV files and the report are kept under
``artifacts/bench-load/<time>/``. Exits 1 on a double booking, a 5xx answer or a failed
request. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: bench/load is on the path, the app is not
    sys.path.insert(0, str(ROOT))

import bcrypt  # noqa: E402
import httpx  # noqa: E402
import psutil  # type: ignore[import-untyped]  # noqa: E402
import redis  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
ADMIN_URL = os.environ.get(
    "HCP_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REFLEX_REDIS = os.environ.get("HCP_LOAD_REFLEX_REDIS_URL", "redis://127.0.0.1:6379/13")
HCP_REDIS = os.environ.get("HCP_LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "Load#Test-2026"
NAMES = (
    "sign in",
    "search",
    "open calendar",
    "day slots",
    "book",
    "pay",
    "admin dashboard",
    "admin appointments",
)
CORES = os.cpu_count() or 1


def _env(name: str, default: str) -> str:
    return os.environ.get(f"HCP_LOAD_{name}", default)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=int(_env("USERS", "200")), help="patients")
    parser.add_argument("--admins", type=int, default=int(_env("ADMINS", "10")))
    parser.add_argument("--duration", type=int, default=int(_env("DURATION", "60")), help="s")
    parser.add_argument("--spawn-rate", type=float, default=float(_env("SPAWN_RATE", "50")))
    parser.add_argument(
        "--processes", default=_env("PROCESSES", "1,2"), help="app process counts, e.g. 1,2"
    )
    parser.add_argument(
        "--appointments",
        type=int,
        default=int(_env("APPOINTMENTS", "20000")),
        help="generated appointments seeded before the run",
    )
    parser.add_argument(
        "--hot-doctors",
        type=int,
        default=int(_env("HOT_DOCTORS", "4")),
        help="the doctors every patient tries to book (the fewer, the fiercer the race)",
    )
    parser.add_argument(
        "--wait", default=_env("WAIT", "1,3"), help="a patient's think time per step, min,max s"
    )
    parser.add_argument(
        "--granian-workers",
        type=int,
        default=int(_env("GRANIAN_WORKERS", "1")),
        help="worker processes per app process (GRANIAN_WORKERS)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=float(_env("SETTLE", "10")),
        help="seconds after the last user is spawned before the measured --duration starts",
    )
    parser.add_argument("--no-nginx", action="store_true", help="share users between ports")
    parser.add_argument("--no-worker", action="store_true", help="without the job worker")
    args = parser.parse_args()
    args.process_counts = [int(n) for n in args.processes.split(",") if n.strip()]
    return args


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the database ---------------------------------------------------------------------------


def admin_engine() -> sa.Engine:
    return sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")


def db_url(name: str) -> str:
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@contextmanager
def databases(base: str) -> Iterator[list[str]]:
    """Names of the databases made during the run (appended to by the caller); every one
    of them is dropped at the end, whatever happened."""
    made: list[str] = []
    try:
        yield made
    finally:
        engine = admin_engine()
        with engine.connect() as conn:
            for name in reversed(made):
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
        print(f"dropped {', '.join(made) or 'nothing'}")


def create_database(name: str, made: list[str], template: str | None = None) -> str:
    engine = admin_engine()
    with engine.connect() as conn:
        tail = f' TEMPLATE "{template}"' if template else ""
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{tail}'))
    engine.dispose()
    made.append(name)
    return db_url(name)


def seed(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Reference data, generated history, the load accounts; returns the Locust plan."""
    from sqlmodel import Session, col, func, select

    from healthcareplus.core.db import dispose_engines, get_engine
    from healthcareplus.core.migrations import upgrade
    from healthcareplus.core.models import City, Doctor, DoctorSchedule, Role, User
    from healthcareplus.seed.demo import seed_appointments, seed_reference_data

    started = time.perf_counter()
    upgrade(url)
    engine = get_engine(url)
    with Session(engine) as session:
        seed_reference_data(session)
    seed_appointments(engine, count=args.appointments)
    cheap = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    patients = [f"load.patient{n}@example.in" for n in range(1, args.users + 1)]
    admins = [f"load.admin{n}@example.in" for n in range(1, max(args.admins, 1) + 1)]
    users = [
        User(
            role=role,
            name=f"Load {role.title()} {n}",
            email=email,
            phone="+91 98450 12345",
            password_hash=cheap,
        )
        for role, emails in ((Role.PATIENT, patients), (Role.ADMIN, admins))
        for n, email in enumerate(emails, 1)
    ]
    with Session(engine) as session:
        session.add_all(users)
        session.commit()
        busiest = (
            select(DoctorSchedule.doctor_id)
            .join(Doctor, col(Doctor.id) == col(DoctorSchedule.doctor_id))
            .where(col(Doctor.is_active))
            .group_by(col(DoctorSchedule.doctor_id))
            .order_by(func.count().desc(), col(DoctorSchedule.doctor_id))
            .limit(args.hot_doctors)
        )
        plan = {
            "password": PASSWORD,
            "patients": patients,
            "admins": admins,
            "hot_doctors": list(session.exec(busiest).all()),
            "cities": list(session.exec(select(City.id)).all()),
            "specializations": sorted(set(session.exec(select(Doctor.specialization)).all())),
        }
    dispose_engines()
    vacuum = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with vacuum.connect() as conn:  # a clean start: statistics and visibility maps
        conn.execute(sa.text("VACUUM ANALYZE"))
    vacuum.dispose()  # the template must have no connections
    print(
        f"seeded in {time.perf_counter() - started:.0f} s: {args.appointments:,} appointments, "
        f"{len(patients)} patients, {len(admins)} admins; hot doctors {plan['hot_doctors']}"
    )
    return plan


SLOT_HOLDERS = "('pending_payment', 'confirmed', 'completed', 'no_show')"


def check_database(url: str, since: datetime) -> dict[str, int]:
    """Slots held by more than one appointment (must be none), and what the run booked."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        doubles = conn.execute(
            sa.text(
                f"""SELECT count(*) FROM (SELECT doctor_id, start_at FROM appointments
                WHERE status IN {SLOT_HOLDERS} GROUP BY doctor_id, start_at
                HAVING count(*) > 1) AS doubled"""
            )
        ).scalar_one()
        booked = conn.execute(
            sa.text("SELECT count(*) FROM appointments WHERE booked_at >= :since"),
            {"since": since},
        ).scalar_one()
        confirmed = conn.execute(
            sa.text(
                "SELECT count(*) FROM appointments WHERE booked_at >= :since "
                "AND status = 'confirmed'"
            ),
            {"since": since},
        ).scalar_one()
    engine.dispose()
    return {"double_booked_slots": doubles, "booked": booked, "confirmed": confirmed}


# --- processes ------------------------------------------------------------------------------


@dataclass
class Service:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path


@contextmanager
def service(name: str, command: list[str], env: dict[str, str], log: Path) -> Iterator[Service]:
    """A process in its own process group, its output in ``log``; stopped with SIGTERM
    (then SIGKILL) to its whole group at the end."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield Service(name, proc, log)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(url: str, svc: Service, timeout: float = 120) -> float:
    """Seconds until ``url`` answers 200."""
    started = time.monotonic()
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        if svc.proc.poll() is not None or time.monotonic() - started > timeout:
            raise SystemExit(f"{svc.name} did not start; its log:\n{svc.log.read_text()[-4000:]}")
        time.sleep(0.25)


def proxy_config(app_ports: list[int], listen: int) -> str:
    """``deploy/nginx.conf`` with its upstream servers and listen address made local."""
    text = NGINX_CONF.read_text()
    servers = "".join(f"        server 127.0.0.1:{port};\n" for port in app_ports)
    changes = (
        (r"(upstream app \{\n)(?:[ \t]*server [^;]+;\n)+", r"\g<1>" + servers),
        (
            r"(upstream pages \{\n)(?:[ \t]*server [^;]+;\n)+",
            rf"\g<1>        server 127.0.0.1:{app_ports[0]};\n",
        ),
        (r"\blisten 80;", f"listen 127.0.0.1:{listen};"),
    )
    for pattern, replacement in changes:
        text, found = re.subn(pattern, replacement, text)
        if found != 1:
            raise SystemExit(f"deploy/nginx.conf: expected one match of {pattern!r}")
    return text


def websocket_upgrade(port: int) -> str:
    """The Engine.IO handshake of Reflex's event socket (``/_event``) through the proxy:
    the 101 answer and the first frame (``0{"sid": …}``)."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status:
            raise SystemExit(f"no websocket upgrade through nginx: {status}")
        while len(rest) < 2 or len(rest) < 2 + (rest[1] & 0x7F):
            rest += sock.recv(4096)
        frame = rest[2 : 2 + (rest[1] & 0x7F)].decode(errors="replace")
    if not frame.startswith('0{"sid"'):
        raise SystemExit(f"unexpected first frame through nginx: {frame!r}")
    return f"{status.split(' ', 1)[1]}, then {frame[:40]}…"


# --- measuring ------------------------------------------------------------------------------


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def process_cpu(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each of these processes still alive."""
    out = {}
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            out[pid] = times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return out


def database_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving connections to this database."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        pids = conn.execute(
            sa.text(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalars()
        return list(pids)


def machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of every core since boot, from /proc/stat."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / ticks, sum(fields[:8]) / ticks


def every_process() -> dict[int, tuple[str, float]]:
    """Every process on the machine: a short label of its command line, its CPU seconds."""
    out = {}
    for proc in psutil.process_iter(["name", "cmdline", "cpu_times"]):
        times = proc.info["cpu_times"]
        if times is None:
            continue
        words = [Path(w).name if "/" in w else w for w in (proc.info["cmdline"] or [])[:4]]
        label = " ".join(" ".join(words).split())[:48] or str(proc.info["name"])
        if proc.info["name"] == "postgres":
            label = "postgres (other databases, server)"
        out[proc.pid] = (label, times.user + times.system)
    return out


@dataclass
class Usage:
    apps: list[float] = field(default_factory=list)
    worker: float = 0.0
    nginx: float = 0.0
    postgres: float = 0.0
    locust: float = 0.0
    busy: float = 0.0
    wall: float = 0.0
    others: list[tuple[str, float]] = field(default_factory=list)  # the biggest, by label


def snapshot(apps: list[Service], others: dict[str, Service | None], url: str) -> dict[str, Any]:
    busy, _ = machine_cpu()
    return {
        "apps": [tree_cpu(a.proc.pid) for a in apps],
        **{k: tree_cpu(s.proc.pid) if s else 0.0 for k, s in others.items()},
        "postgres": process_cpu(database_backends(url)),
        "every": every_process(),
        "busy": busy,
        "at": time.monotonic(),
    }


def foreign_usage(
    before: dict[str, Any], after: dict[str, Any], ours: set[int]
) -> list[tuple[str, float]]:
    """CPU seconds of the processes that are not part of the run, summed by label (those
    that ended during the run are missing), the biggest first."""
    by_label: dict[str, float] = {}
    for pid, (label, cpu) in after["every"].items():
        if pid in ours:
            continue
        used = cpu - before["every"].get(pid, (label, 0.0))[1]
        if used > 0.05:
            by_label[label] = by_label.get(label, 0.0) + used
    return sorted(by_label.items(), key=lambda kv: -kv[1])[:4]


def our_pids(services: list[Service], backends: dict[int, float]) -> set[int]:
    pids = {os.getpid(), *backends}
    for svc in services:
        try:
            root = psutil.Process(svc.proc.pid)
            pids |= {root.pid, *(c.pid for c in root.children(recursive=True))}
        except psutil.NoSuchProcess:
            pass
    return pids


# --- one run --------------------------------------------------------------------------------


@dataclass
class RunResult:
    processes: int
    stats: dict[str, dict[str, str]]
    summary: dict[str, Any]
    usage: Usage
    db: dict[str, int]
    checks: list[str]
    logs: list[Path]


def run_once(
    n: int, url: str, plan_path: Path, out: Path, args: argparse.Namespace, use_nginx: bool
) -> RunResult:
    for redis_url in (REFLEX_REDIS, HCP_REDIS):
        redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "REFLEX_DB_URL": url,
        "HCP_DATABASE_URL": url,
        "REFLEX_REDIS_URL": REFLEX_REDIS,
        "HCP_REDIS_URL": HCP_REDIS,
        "REFLEX_STATES_WORKDIR": str(out / "states"),
        "HCP_MOCK_GATEWAY_PATH": str(out / f"gateway-{n}.db"),
        "HCP_TRUSTED_PROXY_HOPS": "1" if use_nginx else "0",
        "GRANIAN_WORKERS": str(args.granian_workers),
    }
    checks: list[str] = []
    with ExitStack() as stack:
        worker = None
        if not args.no_worker:
            command = [str(BIN / "python"), "-m", "healthcareplus", "worker"]
            worker = stack.enter_context(service("worker", command, env, out / f"worker-{n}.log"))
        apps: list[Service] = []
        ports = [free_port() for _ in range(n)]
        for i, port in enumerate(ports, 1):
            command = [str(BIN / "reflex"), "run", "--env", "prod", "--backend-only"]
            command += ["--backend-port", str(port), "--backend-host", "127.0.0.1"]
            log = out / f"app{i}-of-{n}.log"
            apps.append(stack.enter_context(service(f"app{i}", command, env, log)))
        for app, port in zip(apps, ports, strict=True):
            took = wait_for(f"http://127.0.0.1:{port}/ping", app)
            checks.append(f"{app.name} (port {port}) answered /ping after {took:.1f} s")
        proxy = None
        if use_nginx:
            listen = free_port()
            conf = out / f"nginx-{n}.conf"
            conf.write_text(proxy_config(ports, listen))
            nginx = [shutil.which("nginx") or "nginx", "-p", str(out), "-c", str(conf)]
            nginx += ["-g", f"pid {out}/nginx-{n}.pid; daemon off;"]
            tested = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
            if tested.returncode != 0:
                raise SystemExit(f"nginx -t failed:\n{tested.stderr}")
            checks.append("nginx -t: " + tested.stderr.strip().splitlines()[-1])
            proxy = stack.enter_context(service("nginx", nginx, env, out / f"nginx-{n}.log"))
            wait_for(f"http://127.0.0.1:{listen}/ping", proxy, timeout=20)
            checks.append("websocket /_event through nginx: " + websocket_upgrade(listen))
            host, hosts = f"http://127.0.0.1:{listen}", ""
        else:
            host = f"http://127.0.0.1:{ports[0]}"
            hosts = ",".join(f"http://127.0.0.1:{p}" for p in ports)
        for port in ports:  # first requests load code and fill caches: not measured
            warm_up(f"http://127.0.0.1:{port}", json.loads(plan_path.read_text()))
        summary_path = out / f"summary-{n}.json"
        locust_env = {
            **env,
            "HCP_LOAD_PLAN": str(plan_path),
            "HCP_LOAD_SUMMARY": str(summary_path),
            "HCP_LOAD_HOSTS": hosts,
            "HCP_LOAD_WAIT": args.wait,
            "HCP_LOAD_ADMINS": str(args.admins),
            "HCP_LOAD_SETTLE": str(args.settle),
        }
        command = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
        command += ["-u", str(args.users + args.admins), "-r", str(args.spawn_rate)]
        spawning = (args.users + args.admins) / args.spawn_rate
        total = round(spawning + args.settle + args.duration)
        command += ["-t", f"{total}s", "--host", host, "--stop-timeout", "10"]
        command += ["--csv", str(out / f"locust-{n}"), "--loglevel", "WARNING"]
        others = {"worker": worker, "nginx": proxy}
        since = datetime.now().astimezone()
        before = snapshot(apps, others, url)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with (out / f"locust-{n}.log").open("wb") as locust_log:
            subprocess.run(
                command, cwd=ROOT, env=locust_env, stdout=locust_log, stderr=locust_log, check=False
            )
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        after = snapshot(apps, others, url)
        usage = Usage(
            apps=[b - a for a, b in zip(before["apps"], after["apps"], strict=True)],
            worker=after["worker"] - before["worker"],
            nginx=after["nginx"] - before["nginx"],
            postgres=sum(
                t - before["postgres"].get(pid, 0.0) for pid, t in after["postgres"].items()
            ),
            locust=(children_after.ru_utime + children_after.ru_stime)
            - (children_before.ru_utime + children_before.ru_stime),
            busy=after["busy"] - before["busy"],
            wall=after["at"] - before["at"],
            others=foreign_usage(
                before,
                after,
                our_pids([*apps, *(s for s in others.values() if s)], after["postgres"]),
            ),
        )
        logs = [a.log for a in apps]
    stats = read_stats(out / f"locust-{n}_stats.csv")
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    return RunResult(n, stats, summary, usage, check_database(url, since), checks, logs)


def warm_up(base: str, plan: dict[str, Any]) -> None:
    """A few requests of each kind, so that a process's first ones (imports, caches) are
    not part of the measurement."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as http:
        form = {"username": plan["admins"][-1], "password": plan["password"]}
        token = http.post("/auth/token", data=form).json()["access_token"]
        admin = {"Authorization": f"Bearer {token}"}
        for doctor in plan["hot_doctors"]:
            http.get("/doctors", params={"city_id": plan["cities"][0]})
            days = http.get(f"/doctors/{doctor}/availability").json()["days"]
            http.get(f"/doctors/{doctor}/slots", params={"date": days[-1]["date"]})
            http.get("/admin/statistics", headers=admin)
            http.get("/admin/appointments", headers=admin)


def read_stats(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        raise SystemExit(f"Locust wrote no statistics ({path}); see its log beside it")
    with path.open(newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


# --- the report -----------------------------------------------------------------------------


def five_xx(summary: dict[str, Any], name: str | None = None) -> int:
    total = 0
    for key, count in summary.get("status", {}).items():
        label, _, code = key.rpartition(" ")
        if int(code) >= 500 and (name is None or label == name):
            total += count
    return total


def report(results: list[RunResult], args: argparse.Namespace) -> str:
    lines = [
        f"{args.users} patients + {args.admins} admins, {args.duration} s "
        f"(spawn {args.spawn_rate:g}/s, think {args.wait} s), {args.appointments:,} seeded "
        f"appointments, {args.hot_doctors} hot doctors; {CORES} cores shared by everything",
        "",
        f"{'procs':>5}  {'request':<19}{'count':>7}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'fails':>7}{'5xx':>6}",
    ]
    for r in results:
        times = sorted(r.summary.get("sign_in_ms", []))
        if times and args.settle > 0:  # all made while spawning, before the reset
            p50, p95 = times[len(times) // 2], times[min(len(times) - 1, len(times) * 95 // 100)]
            lines.append(
                f"{r.processes:>5}  {'sign in (spawning)':<19}{len(times):>7}{'':>8}"
                f"{p50:>8.0f}{p95:>8.0f}{r.summary.get('failures', {}).get('sign in', 0):>7}"
                f"{five_xx(r.summary, 'sign in'):>6}"
            )
        for name in (*NAMES, "Aggregated"):
            row = r.stats.get(name)
            if row is None or (name == "sign in" and args.settle > 0):
                continue
            label = "all" if name == "Aggregated" else name
            xx = five_xx(r.summary, None if name == "Aggregated" else name)
            lines.append(
                f"{r.processes:>5}  {label:<19}{int(row['Request Count']):>7}"
                f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}"
                f"{int(row['Failure Count']):>7}{xx:>6}"
            )
        lines.append("")
    lines.append(
        f"{'procs':>5}  {'app CPU s (each)':<16}{'cores':>6}{'req/CPU-s':>10}{'worker':>7}"
        f"{'nginx':>6}{'pg':>5}{'locust':>7}{'other':>6}{'busy':>6}  {'booked':>6}{'lost':>5}"
        f"{'double':>7}"
    )
    for r in results:
        u = r.usage
        apps = " + ".join(f"{c:.1f}" for c in u.apps)
        busy = 100 * u.busy / (CORES * u.wall) if u.wall else 0.0
        lost = sum(c for k, c in r.summary.get("outcomes", {}).items() if "lost the race" in k)
        other = u.busy - sum(u.apps) - u.worker - u.nginx - u.postgres - u.locust
        cores = sum(u.apps) / u.wall if u.wall else 0.0
        served = sum(r.summary.get("status", {}).values())  # spawning included, like the CPU
        per_cpu = served / sum(u.apps) if sum(u.apps) else 0.0
        lines.append(
            f"{r.processes:>5}  {apps:<16}{cores:>6.2f}{per_cpu:>10.0f}{u.worker:>7.1f}"
            f"{u.nginx:>6.1f}{u.postgres:>5.1f}{u.locust:>7.1f}{other:>6.0f}{busy:>5.0f}%  "
            f"{r.db['booked']:>6}{lost:>5}{r.db['double_booked_slots']:>7}"
        )
    ramp = (
        f"Latencies and req/s: the last {args.duration} s, from {args.settle:g} s after the "
        "last user was spawned (all signed in by then; their sign-ins are the row 'sign in "
        "(spawning)'). "
        if args.settle > 0
        else ""
    )
    lines += [
        "",
        ramp
        + "CPU: seconds used during the whole Locust run (wall "
        + ", ".join(f"{r.usage.wall:.0f} s" for r in results)
        + "); cores = the app processes' CPU / wall; req/CPU-s = requests served per CPU "
        "second of the app processes; pg = the PostgreSQL backends of the run's database; "
        "other = the rest of the "
        f"machine (other people's work, Redis, the kernel); busy = all of it, of {CORES} "
        "cores x wall.",
        "booked = appointments made (by the run's winners); lost = bookings refused 409 "
        "slot-unavailable; double = slots held by more than one appointment.",
    ]
    for r in results:
        biggest = ", ".join(f"{label} {cpu:.1f} s" for label, cpu in r.usage.others)
        lines.append(f"{r.processes} process(es) other, the biggest: {biggest or 'none'}")
    for r in results:
        outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(r.summary.get("outcomes", {}).items()))
        lines.append(f"{r.processes} process(es) outcomes: {outcomes}")
    return "\n".join(lines)


def server_errors(results: list[RunResult]) -> list[str]:
    out = []
    for r in results:
        for error in r.summary.get("server_errors", [])[:3]:
            out.append(f"[{r.processes} proc] {error['name']} {error['status']}: {error['body']}")
        for log in r.logs:
            text = log.read_text(errors="replace")
            found = text.find("Traceback (most recent call last)")
            if found >= 0:
                out.append(f"[{r.processes} proc] first traceback in {log}:\n{text[found:][:4000]}")
    return out


def main() -> int:
    args = parse_args()
    os.environ.setdefault("HCP_ENV", "production")
    os.environ.setdefault("HCP_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("HCP_ADMIN_CODE", "load-" + secrets.token_urlsafe(16))
    os.environ["HCP_API_RATE_PER_ADDRESS"] = "1000000"
    os.environ.update(
        REFLEX_TELEMETRY_ENABLED="false", REFLEX_CHECK_LATEST_VERSION="0", REFLEX_USE_NPM="1"
    )
    use_nginx = not args.no_nginx and shutil.which("nginx") is not None
    if not args.no_nginx and not use_nginx:
        print("nginx is not installed: the users are shared between the processes' ports")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = ROOT / "artifacts" / "bench-load" / stamp
    (out / "states").mkdir(parents=True)
    os.environ["HCP_INSTANCE_DIR"] = str(out / "instance")
    base = f"hcp_load_{secrets.token_hex(4)}"
    results: list[RunResult] = []
    with databases(base) as made:
        plan = seed(create_database(base, made), args)
        plan_path = out / "plan.json"
        plan_path.write_text(json.dumps(plan))
        for n in args.process_counts:
            url = create_database(f"{base}_p{n}", made, template=base)
            print(f"== {n} app process(es), {args.users} + {args.admins} users, {args.duration} s")
            result = run_once(n, url, plan_path, out, args, use_nginx)
            for line in result.checks:
                print("   " + line)
            results.append(result)
    text = report(results, args)
    errors = server_errors(results)
    (out / "report.txt").write_text(text + "\n\n" + "\n\n".join(errors) + "\n")
    print()
    print(text)
    for error in errors:
        print("\n" + error)
    print(f"\nlogs, Locust CSV and this report: {out.relative_to(ROOT)}")
    failed = any(
        r.db["double_booked_slots"]
        or five_xx(r.summary)
        or sum(r.summary.get("failures", {}).values())
        or int(r.stats["Aggregated"]["Failure Count"])
        for r in results
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
