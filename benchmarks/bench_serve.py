"""The checking service under a bounded load, against the CLI on the same files.

One run on loopback: ``selfeval serve --workers N`` on 127.0.0.1, then a client in this
process (asyncio, httpx) sends every file of a folder (the seed workbooks copied
round-robin, one in ten broken: text named .xlsx, an empty file, a cut-off workbook)
as its own ``POST /api/validate``, 16 at a time, the whole folder ``--rounds`` times.
Compared with ``selfeval validate FOLDER --format json --jobs N`` (the same number of
processes), timed from outside, start-up included, run in turns with the service's
rounds so both meet the same load.

Printed: uploads per second and the ratio to the CLI's files per second, p50 and p95
latency, every answer's status (all must be 200: a broken file is a result whose
READ_ERROR says why, not an error), the forms found against the CLI's, the service's
memory (resident set of all its processes) before the load and after each round, and
the CPU per file of the CLI, of the service and of the client.

The client runs on the same machine, so it takes CPU from the service: the goal
(issue 20) is ≥ 0.5 × the CLI with the client on the same 2-core machine, and memory
flat (after within 64 MiB of before).

Usage: python benchmarks/bench_serve.py [--files 300] [--clients 16] [--workers 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.seed_workbooks import write_seed_workbooks  # noqa: E402
from tests.service_harness import running_service  # noqa: E402

BROKEN = {
    "text": "这不是表格，只是改了扩展名".encode(),
    "empty": b"",
}


def build_folder(folder: Path, n: int) -> int:
    """``n`` files, one in ten broken; returns how many are broken."""
    seeds = sorted(write_seed_workbooks(folder / "_seeds"))
    broken = 0
    for i in range(n):
        target = folder / f"{i:04d}.xlsx"
        if i % 10 == 9:
            kind = ("text", "empty", "cut")[broken % 3]
            data = seeds[0].read_bytes()[:2000] if kind == "cut" else BROKEN[kind]
            target.write_bytes(data)
            broken += 1
        else:
            shutil.copy(seeds[i % len(seeds)], target)
    shutil.rmtree(folder / "_seeds")
    return broken


def cli_run(folder: Path, workers: int) -> tuple[float, int]:
    """Wall seconds of ``selfeval validate --format json --jobs N`` and the forms it found
    (its CPU is in this process's ``RUSAGE_CHILDREN``)."""
    out = folder.parent / "cli.json"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "selfeval", "validate", str(folder), "--format", "json"]
        + ["--jobs", str(workers), "-o", str(out)],
        check=False,
        capture_output=True,
    )
    seconds = time.perf_counter() - start
    return seconds, len(json.loads(out.read_text("utf-8")))


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        found.append(p)
    return found


def service_rss(pid: int) -> int:
    """Resident bytes of the process ``pid`` and all its descendants."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def service_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and all its descendants."""
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def load(
    url: str, files: list[Path], clients: int
) -> tuple[float, float, list[float], dict, int]:
    """Every file uploaded once, ``clients`` at a time: wall seconds, the client's CPU
    seconds (this process) in that time, latencies, statuses, forms found."""
    queue: asyncio.Queue[Path] = asyncio.Queue()
    for f in files:
        queue.put_nowait(f)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    forms = 0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal forms
        async with http:
            while not queue.empty():
                path = queue.get_nowait()
                body = path.read_bytes()
                start = time.perf_counter()
                answer = await http.post(f"{url}/api/validate", files={"file": (path.name, body)})
                latencies.append(time.perf_counter() - start)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
                if answer.status_code == 200:
                    forms += len(answer.json())

    # Made before the clock starts: an httpx client loads the CA bundle into a TLS context
    # (about 35 ms of CPU each, 0.6 s for 16, none of it the service's work on http://),
    # and its first connection is still opened, and timed, by its first upload.
    https = [httpx.AsyncClient(timeout=120) for _ in range(clients)]
    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(client(http) for http in https))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return seconds, cpu, latencies, statuses, forms


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    mib = 2**20
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = Path(tmp) / "forms"
        folder.mkdir()
        broken = build_folder(folder, args.files)
        files = sorted(folder.iterdir())
        cli_run(folder, args.workers)  # warm: bytecode and file cache
        print(
            f"{args.files} files ({broken} broken), {args.clients} clients, {args.workers} workers"
        )
        ratios, everything = [], []
        with running_service(Path(tmp) / "service", "--workers", str(args.workers)) as service:
            asyncio.run(load(service.url, files[:40], args.clients))  # warm every worker
            before = service_rss(service.pid)
            print(f"service memory before: {before / mib:.1f} MiB (all processes)")
            for n in range(1, args.rounds + 1):
                # Turns: the CLI, then the service, so a change in the machine's load
                # falls on both figures of a round alike.
                cli_cpu = _children_cpu()
                cli_seconds, cli_forms = cli_run(folder, args.workers)
                cli_cpu = _children_cpu() - cli_cpu
                served = service_cpu(service.pid)
                seconds, client, latencies, statuses, forms = asyncio.run(
                    load(service.url, files, args.clients)
                )
                served = service_cpu(service.pid) - served
                after = service_rss(service.pid)
                cli_rate, rate = args.files / cli_seconds, len(files) / seconds
                ratios.append(rate / cli_rate)
                everything += latencies
                q = statistics.quantiles(latencies, n=20)
                print(
                    f"round {n}: CLI --jobs {args.workers} {cli_rate:.1f} files/s; service "
                    f"{rate:.1f} uploads/s = {rate / cli_rate:.2f} × CLI; "
                    f"p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms; "
                    f"statuses {statuses}; forms {forms} (CLI {cli_forms}); "
                    f"memory after {after / mib:.1f} MiB ({(after - before) / mib:+.1f})"
                )
                print(
                    f"  CPU per file: CLI {cli_cpu * 1000 / args.files:.2f} ms (all its "
                    f"processes, start-up included); service {served * 1000 / len(files):.2f} ms, "
                    f"the client (this process) {client * 1000 / len(files):.2f} ms"
                )
            leftovers = service.leftovers()
        q = statistics.quantiles(everything, n=20)
        print(
            f"median {statistics.median(ratios):.2f} × CLI (rounds {min(ratios):.2f}–{max(ratios):.2f}); "
            f"p50 {statistics.median(everything) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms over "
            f"{len(everything)} uploads; temporary files left by the service: {len(leftovers)}"
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
