"""`make loadtest`: gunicorn + wrk against the trivial view and each page, at 1×, 10× and 100× districts.

For each scale: a fresh database (SQLite under a temporary MINSHENG_HOME, or PostgreSQL with --postgres),
`migrate`, `minsheng synth --districts N` (every month whose deadline has passed), a city leader's session; then gunicorn (sync, 5
workers, DEBUG off) on 127.0.0.1 and wrk (20 connections, bounded duration) against the trivial view and
each page in turn, interleaved. Prints a Markdown table: requests/s, p50/p95 (ms), share of the trivial
view's throughput measured next to it, errors, and the page's SQL queries (counted in-process).

Traffic goes to 127.0.0.1 only; every run is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PAGES = [
    ("portal /", "/", False),
    ("portal plan", "/public/plans/{plan}/", False),
    ("portal item", "/public/items/{item}/", False),
    ("dashboard (city leader)", "/dashboard/?plan={plan}", True),
    ("dashboard items", "/dashboard/items/?plan={plan}", True),
    ("API items", "/api/items/?plan={plan}", True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: str, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MINSHENG_HOME=home,
        DJANGO_SETTINGS_MODULE="loadtest_settings",
        PYTHONPATH=f"{ROOT / 'bench'}:{ROOT / 'src'}",
        SECRET_KEY="loadtest-only-not-a-secret-0123456789abcdef",
        MINSHENG_MLPS="0",
        MINSHENG_RATE_LIMIT="0",  # wrk is one address sending thousands of requests a second
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _prepare(env: dict[str, str], districts: int) -> dict[str, str]:
    """Migrate, synthesise, and return the ids and session cookie the pages need."""
    run = [str(BIN / "python"), "-m", "django"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*run, "synth", "--districts", str(districts)], env=env, check=True, capture_output=True)
    script = (
        "import django,json;django.setup()\n"
        "from django.test import Client\n"
        "from django.db import connection\n"
        "from django.test.utils import CaptureQueriesContext\n"
        "from minsheng.accounts.services import user_upsert\n"
        "from minsheng.orgs.models import Region\n"
        "from minsheng.plans.models import Plan, Item\n"
        "city=Region.objects.get(code='synth-9901')\n"
        "leader=user_upsert(acting_user=None,username='loadleader',role='leader',region=city,password='Load-test-2024!')\n"
        "plan=Plan.objects.filter(region__parent=city).order_by('pk').first()\n"
        "item=Item.objects.filter(project__plan=plan).order_by('pk').first()\n"
        "c=Client();c.force_login(leader)\n"
        "ids={'plan':plan.pk,'item':item.pk}\n"
        f"pages={[(url, auth) for _, url, auth in PAGES]!r}\n"
        "queries=[]\n"
        "for url,auth in pages:\n"
        "    client=c if auth else Client()\n"
        "    client.get(url.format(**ids))\n"
        "    with CaptureQueriesContext(connection) as ctx:\n"
        "        status=client.get(url.format(**ids)).status_code\n"
        "    queries.append((status,len(ctx.captured_queries)))\n"
        "print(json.dumps({'plan':plan.pk,'item':item.pk,'cookie':c.cookies['sessionid'].value,'queries':queries}))\n"
    )
    out = subprocess.run(
        [str(BIN / "python"), "-c", script], env=env, check=True, capture_output=True, text=True
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def _ready(url: str) -> None:
    """Wait (at most a minute) until every worker is up and the trivial view answers."""
    import urllib.request

    for _ in range(120):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    time.sleep(2)  # the other workers finish booting
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def _wrk(
    url: str, seconds: int, connections: int, cookie: str | None
) -> tuple[float, float, float, int, int]:
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "p95.lua"),
    ]
    if cookie:
        cmd += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run([*cmd, url], check=True, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    rps, p50, p95, bad, total = line.split()[1:]
    return float(rps), float(p50), float(p95), int(bad), int(total)


def run_scale(districts: int, args: argparse.Namespace) -> list[str]:
    home = tempfile.mkdtemp(prefix="minsheng-load-")
    env = _env(home, args.database_url)
    if args.database_url:
        # A fresh PostgreSQL database per scale.
        name = args.database_url.rsplit("/", 1)[1]
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    info = _prepare(env, districts)
    port = _free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "minsheng.wsgi",
            "-w",
            "5",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        _ready(base + "/_trivial")
        _wrk(base + "/_trivial", 2, args.connections, None)  # warm up the workers
        for (name, url, auth), (status, queries) in zip(PAGES, info["queries"], strict=True):
            trivial = _wrk(base + "/_trivial", args.seconds, args.connections, None)
            page = _wrk(
                base + url.format(**info), args.seconds, args.connections, info["cookie"] if auth else None
            )
            share = 100 * page[0] / trivial[0] if trivial[0] else 0.0
            rows.append(
                f"| {districts}× | {name} | {page[0]:,.0f} | {page[1]:.0f} / {page[2]:.0f} | {share:.1f} % | "
                f"{page[3]} of {page[4]} | {queries} | {trivial[0]:,.0f} |"
            )
            if status != 200:
                rows[-1] += f" (HTTP {status})"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="districts per run, comma-separated")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page (and per trivial run)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument(
        "--postgres", dest="database_url", default=None, help="postgres://… of a scratch database"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    print("| scale | page | req/s | p50 / p95 ms | share of trivial | errors | queries | trivial req/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for scale in [int(s) for s in args.scales.split(",")]:
        for row in run_scale(scale, args):
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
