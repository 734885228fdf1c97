"""`make loadtest`: gunicorn + wrk against the trivial view and each page, at 1×, 10× and 100× districts.

For each scale: a fresh database (SQLite under a temporary MINSHENG_HOME, or PostgreSQL with --postgres:
one database and one Redis database per scale), `migrate`, `minsheng synth --districts N` (every month whose
deadline has passed), the readers' sessions, and a gunicorn (sync, 5 workers, DEBUG off) on 127.0.0.1; all
scales are served at once. Then wrk (20 connections, bounded duration) against the trivial view and each
page, page by page and for each page scale by scale, so that a page's 1×, 10× and 100× runs are a minute
apart at most (a shared machine's speed drifts over minutes). Prints a Markdown table: requests/s, p50/p95
(ms), share of the trivial view's throughput measured next to it, errors, and the page's SQL queries
(counted in-process); then each page's rate at 10× and 100× against its rate at 1× (in brackets: the same,
corrected by how the trivial view's rate moved between the two runs).

With `--write-seconds`, the month-end write mix follows (`write_mix`) on each scale in turn, twice, each with its own twenty
reporters: they submit through the report form (保存并提交, one request each; one in ten with a phone-sized
photo whose copies the task worker makes, `db_worker` beside gunicorn at a lower CPU priority, as in
production) while leaders and reviewers read. First as people do, each pausing between two items or pages
(`--think`, seconds on average), then as fast as the server answers (the server's write capacity).

Traffic goes to 127.0.0.1 only; every run is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# (name, URL, who reads it: None for a visitor, else a role whose session bench/loadtest_prepare.py makes)
PAGES = [
    ("portal /", "/", None),
    ("portal plan", "/public/plans/{plan}/", None),
    ("portal item", "/public/items/{item}/", None),
    ("dashboard (city leader)", "/dashboard/?plan={plan}", "leader"),
    ("dashboard items", "/dashboard/items/?plan={plan}", "leader"),
    ("API items", "/api/items/?plan={plan}", "leader"),
    ("review queue (reviewer)", "/progress/review/?plan={plan}", "reviewer"),
    ("reporter inbox", "/progress/?plan={plan}", "reporter"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: str, database_url: str | None, redis_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MINSHENG_HOME=home,
        DJANGO_SETTINGS_MODULE="loadtest_settings",
        PYTHONPATH=f"{ROOT / 'bench'}:{ROOT / 'src'}",
        SECRET_KEY="loadtest-only-not-a-secret-0123456789abcdef",
        MINSHENG_MLPS="0",
        MINSHENG_RATE_LIMIT="0",  # wrk is one address sending thousands of requests a second
        TASKS_BACKEND="database",  # as in production: photo copies queue for the worker beside gunicorn
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url  # the shared cache (pages, change stamp) in Redis
    return env


def _prepare(env: dict[str, str], districts: int, writer_sets: int) -> dict[str, Any]:
    """Migrate, synthesise, and return the ids, sessions, query counts and `writer_sets` sets of writers
    with jobs of their own (loadtest_prepare)."""
    run = [str(BIN / "python"), "-m", "django"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*run, "synth", "--districts", str(districts)], env=env, check=True, capture_output=True)
    pages = json.dumps([(url, role) for _, url, role in PAGES])
    out = subprocess.run(
        [str(BIN / "python"), str(ROOT / "bench" / "loadtest_prepare.py"), pages, str(writer_sets)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


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


@dataclass
class Scale:
    """One scale's database, its gunicorn and what loadtest_prepare made for it."""

    districts: int
    home: str
    env: dict[str, str]
    info: dict[str, Any]
    port: int
    server: subprocess.Popen[bytes]
    log: Any

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _scale_urls(args: argparse.Namespace, index: int) -> tuple[str | None, str | None]:
    """Each scale its own PostgreSQL database (`name`, `name_2`, …) and Redis database (the given number,
    then the ones below it): all scales are served at once, and their caches must not mix."""
    database_url = args.database_url
    if database_url and index:
        database_url = f"{database_url}_{index + 1}"
    redis_url = args.redis_url
    if redis_url and index:
        head, _, number = redis_url.rpartition("/")
        redis_url = f"{head}/{int(number or 0) - index}"
    return database_url, redis_url


def start_scale(districts: int, index: int, args: argparse.Namespace, writer_sets: int = 2) -> Scale:
    """A province of `districts` served by its own gunicorn; `writer_sets` sets of writers (one per write
    mix: the paced one and the capacity one)."""
    home = tempfile.mkdtemp(prefix="minsheng-load-")
    database_url, redis_url = _scale_urls(args, index)
    env = _env(home, database_url, redis_url)
    if redis_url:  # a clean cache per scale
        subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=True, capture_output=True)
    if database_url:
        # A fresh PostgreSQL database per scale.
        name = database_url.rsplit("/", 1)[1]
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    info = _prepare(env, districts, writer_sets)
    port = _free_port()
    log = open(Path(home) / "gunicorn.log", "w+")  # noqa: SIM115 (read back after the run)
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
        stderr=log,
    )
    scale = Scale(districts, home, env, info, port, server, log)
    _ready(scale.base + "/_trivial")
    _wrk(scale.base + "/_trivial", 2, args.connections, None)  # warm up the workers
    return scale


def stop_scale(scale: Scale) -> None:
    os.killpg(scale.server.pid, signal.SIGTERM)
    scale.server.wait(timeout=30)
    scale.log.close()
    shutil.rmtree(scale.home, ignore_errors=True)


def measure_pages(scales: list[Scale], args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """Each page at every scale in turn (trivial view, then the page, on that scale's server), so that a
    page's figures at 1×, 10× and 100× are taken within a minute of each other: on a shared machine the
    speed drifts over minutes, and the trivial view beside each run shows by how much. With `--repeat` N
    the round over the scales runs N times and each scale's median run is shown (a single 5-second run of
    a page moves by ±20 % from one minute to the next). Returns the table's rows (by scale, then page) and
    the rows comparing each scale with the first."""
    wanted = [w.strip() for w in args.pages.split(",") if w.strip()]
    rows: dict[int, list[str]] = {scale.districts: [] for scale in scales}
    compared = []
    for number, (name, url, role) in enumerate(PAGES):
        if wanted and not any(w in name for w in wanted):
            continue
        runs: list[list[tuple[tuple[float, float, float, int, int], float]]] = [[] for _ in scales]
        for _ in range(args.repeat):
            for index, scale in enumerate(scales):
                trivial = _wrk(scale.base + "/_trivial", args.seconds, args.connections, None)
                page = _wrk(
                    scale.base + url.format(**scale.info),
                    args.seconds,
                    args.connections,
                    scale.info["cookies"][role] if role else None,
                )
                runs[index].append((page, trivial[0]))
        rates = []
        for scale, taken in zip(scales, runs, strict=True):
            status, queries = scale.info["queries"][number]
            page, trivial_rate = sorted(taken, key=lambda run: run[0][0])[len(taken) // 2]  # the median run
            share = 100 * page[0] / trivial_rate if trivial_rate else 0.0
            rates.append((page[0], trivial_rate))
            row = (
                f"| {scale.districts}× | {name} | {page[0]:,.0f} | {page[1]:.0f} / {page[2]:.0f} | {share:.1f} % | "
                f"{page[3]} of {page[4]} | {queries} | {trivial_rate:,.0f} |"
            )
            rows[scale.districts].append(row + (f" (HTTP {status})" if status != 200 else ""))
        (first, first_trivial), cells = rates[0], []
        for rate, beside in rates[1:]:
            raw = 100 * rate / first if first else 0.0
            steady = raw * first_trivial / beside if beside else 0.0
            cells.append(f"{raw:.0f} % ({steady:.0f} %)")
        compared.append(f"| {name} | " + " | ".join(cells) + " |")
    return [row for scale in scales for row in rows[scale.districts]], compared


def start_photo_worker(scale: Scale, stderr: Any) -> subprocess.Popen[bytes]:
    """The task worker that makes the photos' copies, as in production (one process beside the app
    servers), niced as docs/scaling.md deploys it: the copies wait while people wait for pages."""
    return subprocess.Popen(
        ["nice", "-n", "10", str(BIN / "python"), "-m", "django", "db_worker"],
        env=scale.env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def stop_photo_worker(worker: subprocess.Popen[bytes]) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=30)


def measure_writes(scale: Scale, args: argparse.Namespace) -> None:
    """The month-end mix on this scale's server, paced then as fast as it answers (WRITE_ROWS)."""
    worker = start_photo_worker(scale, scale.log)
    try:
        for writers, think in zip(scale.info["writers"], (args.think, 0.0), strict=True):
            log = scale.log
            log.seek(0, os.SEEK_END)
            before = log.tell()
            mix = write_mix(scale.port, scale.info, args.write_seconds, writers, think)
            log.flush()
            log.seek(before)
            server_log = log.read()
            mix["locked"] = server_log.count("database is locked")
            if mix["errors"]:  # which requests failed, and the server's last words about it
                from collections import Counter

                print(f"{scale.districts}×: {dict(Counter(mix['errors']))}", file=sys.stderr)
                print(server_log[-4000:], file=sys.stderr)
            WRITE_ROWS.append(_write_row(scale.districts, mix))
    finally:
        stop_photo_worker(worker)


# ---------------------------------------------------------------- month-end write mix

WRITE_ROWS: list[str] = []


def _call(
    conn: Any, method: str, url: str, headers: dict[str, str], body: dict[str, Any] | None = None
) -> tuple[int, float, Any]:
    started = time.perf_counter()
    payload = None if body is None else json.dumps(body).encode()
    if payload is not None:
        headers = {**headers, "Content-Type": "application/json"}
    conn.request(method, url, body=payload, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = None
    return response.status, elapsed, parsed


PHOTO_EVERY = 10  # one submission in ten carries a photo, as at month end
READERS_PACED = 10


def _photo() -> bytes:
    """A phone-sized JPEG (4000 × 3000 is what phones take; 2000 × 1500 of noise compresses to ≈ 1 MB)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((2000, 1500), 40).convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _multipart(fields: dict[str, str], photo: bytes | None) -> tuple[bytes, str]:
    boundary = "----minsheng-loadtest-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    if photo is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="camera"; filename="site.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + photo
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def write_mix(
    port: int,
    info: dict[str, Any],
    seconds: int,
    writers: list[dict[str, Any]],
    think: float,
    readers: int | None = None,
) -> dict[str, Any]:
    """20 reporters fill in the report form and press 保存并提交 (one request; one in ten with a photo), one
    item after the other, while leaders read the dashboard and reviewers the review queue, for `seconds`.
    With `think` > 0 each reporter starts at a random moment of the first `think` seconds and pauses
    between two items (exponentially distributed, `think` seconds on average: opening the next item,
    typing its figures), and ten readers pause likewise between two pages; with 0, twenty reporters and
    two readers go as fast as the server answers (`readers` sets another number). Every request loop is
    bounded by the deadline; traffic goes to 127.0.0.1 only."""
    import http.client
    import itertools
    import random
    import re

    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    writes: list[float] = []
    photo_writes: list[float] = []
    reads: list[float] = []
    errors: list[str] = []
    done = [0]
    photos = [0]
    photo = _photo()
    numbers = itertools.count()

    active: list[float] = []  # when the first submission started and the last ended

    def writer(jobs: list[dict[str, Any]], pauses: random.Random) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        csrf = None  # the form's token and its cookie, read once (any session may post with them)
        wait = pauses.uniform(0, think) if think else 0.0
        for job in jobs:
            if time.monotonic() + wait > deadline:
                break
            time.sleep(wait)
            wait = pauses.expovariate(1 / think) if think else 0.0
            url = f"/progress/items/{job['item']}/periods/{job['period']}/"
            session = f"sessionid={job['cookie']}"
            if csrf is None:  # the form once, for its CSRF token and cookie (not timed: reporters open it)
                conn.request("GET", url, headers={"Cookie": session})
                response = conn.getresponse()
                html = response.read().decode()
                found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
                secret = next(
                    (
                        c.split(";")[0]
                        for c in response.msg.get_all("Set-Cookie") or []
                        if c.startswith("csrftoken=")
                    ),
                    None,
                )
                if found is None or secret is None:
                    with lock:
                        errors.append(f"form {response.status}")
                    break
                csrf = (found.group(1), secret)
            fields = {"csrfmiddlewaretoken": csrf[0], "action": "submit", "confirm": "1"}
            fields |= {f"t-{target}": "1" for target in job["targets"]}
            fields["progress"] = "月末填报（负载测试）"
            with_photo = next(numbers) % PHOTO_EVERY == 0
            body, content_type = _multipart(fields, photo if with_photo else None)
            headers = {"Cookie": f"{session}; {csrf[1]}", "Content-Type": content_type}
            started = time.perf_counter()
            conn.request("POST", url, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                active.extend((started, time.perf_counter()))
                (photo_writes if with_photo else writes).append(elapsed)
                if response.status == 302:
                    done[0] += 1
                    photos[0] += with_photo
                else:
                    errors.append(f"submit {response.status}")
        conn.close()

    def reader(url: str, cookie: str, pauses: random.Random) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        wait = pauses.uniform(0, think) if think else 0.0
        while time.monotonic() + wait < deadline:
            time.sleep(wait)
            wait = pauses.expovariate(1 / think) if think else 0.0
            status, ms, _data = _call(conn, "GET", url, {"Cookie": f"sessionid={cookie}"})
            with lock:
                reads.append(ms)
                if status != 200:
                    errors.append(f"read {status}")
        conn.close()

    threads = [
        threading.Thread(target=writer, args=(w["jobs"], random.Random(n))) for n, w in enumerate(writers)
    ]
    # Paced: ten readers who pause like the reporters (leaders on the dashboard, reviewers on the queue);
    # else two who read as fast as the server answers.
    pages = [
        (f"/dashboard/?plan={info['plan']}", info["cookies"]["leader"]),
        (f"/progress/review/?plan={info['plan']}", info["cookies"]["reviewer"]),
    ]
    threads += [
        threading.Thread(target=reader, args=(*pages[n % 2], random.Random(1000 + n)))
        for n in range((READERS_PACED if think else 2) if readers is None else readers)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    # While reporters were submitting (they stop early when their unit has nothing left to report).
    elapsed = max(active) - min(active) if active else time.monotonic() - started
    return {
        "think": think,
        "writers": len(writers),
        "reports": done[0],
        "per_second": done[0] / elapsed if elapsed else 0.0,
        "photos": photos[0],
        "writes": writes,
        "photo_writes": photo_writes,
        "reads": reads,
        "errors": errors,
    }


def _pct(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def p50_p95(values: list[float]) -> str:
    return f"{_pct(values, 0.5):.0f} / {_pct(values, 0.95):.0f}"


def _write_row(districts: int, mix: dict[str, Any]) -> str:
    return (
        f"| {districts}× | {mix['writers']} | "
        + (f"{mix['think']:g} s" if mix["think"] else "none")
        + f" | {mix['reports']} ({mix['photos']} with a photo) | "
        f"{mix['per_second']:.1f} | "
        f"{p50_p95(mix['writes'] + mix['photo_writes'])} | {p50_p95(mix['writes'])} | "
        f"{p50_p95(mix['photo_writes'])} | {p50_p95(mix['reads'])} | "
        f"{len(mix['errors'])} of {len(mix['writes']) + len(mix['photo_writes']) + len(mix['reads'])} | "
        f"{mix['locked']} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="districts per run, comma-separated")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page (and per trivial run)")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds over the scales per page; each scale's median run is shown",
    )
    parser.add_argument(
        "--postgres", dest="database_url", default=None, help="postgres://… of a scratch database"
    )
    parser.add_argument(
        "--redis", dest="redis_url", default=None, help="redis://… of a scratch Redis database for the cache"
    )
    parser.add_argument(
        "--write-seconds", type=int, default=20, help="month-end write mix per scale (0: none)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="the paced write mix: seconds a reporter pauses between two items, on average",
    )
    parser.add_argument(
        "--pages", default="", help="only pages whose name contains one of these (comma-separated)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    sizes = [int(size) for size in args.scales.split(",")]
    scales: list[Scale] = []
    try:
        for index, districts in enumerate(sizes):
            scales.append(start_scale(districts, index, args))
        rows, compared = measure_pages(scales, args)
        print("| scale | page | req/s | p50 / p95 ms | share of trivial | errors | queries | trivial req/s |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in rows:
            print(row, flush=True)
        if len(scales) > 1:
            print()
            print(
                "| page | "
                + " | ".join(
                    f"{s.districts}× / {sizes[0]}× (at the trivial view's speed)" for s in scales[1:]
                )
                + " |"
            )
            print("| --- |" + " --- |" * (len(scales) - 1))
            for row in compared:
                print(row)
        if args.write_seconds:
            for scale in scales:
                measure_writes(scale, args)
    finally:
        for scale in scales:
            stop_scale(scale)
    if WRITE_ROWS:
        print()
        print(
            "| scale | reporters | pause | reports created + submitted | reports/s | all writes p50 / p95 ms | "
            "without a photo p50 / p95 ms | "
            "with a photo p50 / p95 ms | "
            "read p50 / p95 ms | errors | database is locked |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in WRITE_ROWS:
            print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
