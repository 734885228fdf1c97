"""Write capacity, PostgreSQL + Redis against SQLite, with the CPU each kind of process spent per report.

    .venv/bin/python bench/write_capacity.py [--districts 100] [--rounds 2] [--seconds 15] [--readers 2]

Builds one province per database as `bench/loadtest.py` does (the scratch PostgreSQL database
`write_capacity`, Redis database 12), serves each with its own gunicorn and runs the month-end capacity
mix (twenty writers pressing 保存并提交 as fast as the server answers, one in ten with a photo, the photo
worker beside them) on each in turn, `--rounds` times, each round with jobs of its own. For each run it
prints the reports per second, the readers' and writers' latencies, and the CPU time gunicorn, PostgreSQL,
Redis, the photo worker and the load generator spent per report (from /proc, over the run): where a
database's writes go when the two cores are full. Needs an idle machine and wrk (`make loadtest`'s).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import loadtest  # bench/, beside this script

TICK = os.sysconf("SC_CLK_TCK")
KINDS = (("db_worker", "photo worker"), ("gunicorn", "gunicorn"), ("redis", "Redis"))


def cpu_seconds_by_kind() -> dict[str, float]:
    """CPU seconds (user + system) of every running process, summed by kind."""
    spent: dict[str, float] = defaultdict(float)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()
        kind = next((name for marker, name in KINDS if marker in command), "other")
        if command.startswith("postgres"):
            kind = "PostgreSQL"
        elif "write_capacity" in command:
            kind = "load generator"
        spent[kind] += (int(fields[11]) + int(fields[12])) / TICK
    return spent


def measure(scale: loadtest.Scale, writers: list[dict[str, Any]], args: argparse.Namespace) -> str:
    worker = loadtest.start_photo_worker(scale, subprocess.DEVNULL)
    try:
        time.sleep(2)  # the worker is up
        before, started = cpu_seconds_by_kind(), time.monotonic()
        mix = loadtest.write_mix(scale.port, scale.info, args.seconds, writers, 0.0, readers=args.readers)
        wall = time.monotonic() - started
        after = cpu_seconds_by_kind()
    finally:
        loadtest.stop_photo_worker(worker)
    reports = max(mix["reports"], 1)
    spent = {kind: after[kind] - before.get(kind, 0.0) for kind in after}
    per_report = ", ".join(
        f"{kind} {seconds / reports * 1000:.1f}" for kind, seconds in sorted(spent.items()) if seconds > 0.05
    )
    return (
        f"{mix['per_second']:.1f} | {mix['reports']} | {loadtest.p50_p95(mix['writes'] + mix['photo_writes'])} | "
        f"{len(mix['reads'])}: {loadtest.p50_p95(mix['reads'])} | {len(mix['errors'])} | {per_report} | "
        f"{sum(spent.values()) / wall:.2f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--districts", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=15, help="per capacity mix")
    parser.add_argument(
        "--readers", type=int, default=2, help="readers beside the writers (as make loadtest)"
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/write_capacity")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    databases = {
        "PostgreSQL + Redis": argparse.Namespace(
            database_url=args.postgres, redis_url=args.redis, connections=20
        ),
        "SQLite": argparse.Namespace(database_url=None, redis_url=None, connections=20),
    }
    scales: dict[str, loadtest.Scale] = {}
    rows = []
    try:
        for name, urls in databases.items():
            scales[name] = loadtest.start_scale(args.districts, 0, urls, writer_sets=args.rounds)
        for round_ in range(args.rounds):
            for name, scale in scales.items():
                row = f"| {round_ + 1} | {name} | " + measure(scale, scale.info["writers"][round_], args)
                print(row, flush=True)
                rows.append(row)
    finally:
        for scale in scales.values():
            loadtest.stop_scale(scale)
    print()
    print(
        "| round | database | reports/s | reports | writes p50 / p95 ms | reads: p50 / p95 ms | errors | "
        "CPU ms per report | cores busy |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
