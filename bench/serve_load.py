#!/usr/bin/env python3
"""Load on `themehub serve`: many clients at once, and half-open connections beside a normal client.

    python bench/serve_load.py                         # 1,000 connections, 1,000 half-open, 10 s
    python bench/serve_load.py --label before          # the figures are kept under this label
    python bench/serve_load.py --connections 300 --half-open 500 --duration 5

It serves a copy of the sample hub (themehub.yaml, content/, static/ of this repository) and measures:

1. burst: N connections opened at once, each sending one GET of the home page (`Connection: close`):
   how many were answered 200 within --timeout, requests per second over the whole burst, and the
   median and max latency (connect to last byte) of the answered ones;
2. half-open: N connections that send part of a request head and then stay silent (reopened whenever
   the server drops one, so N stay open), while one normal client (in a process of its own) GETs the
   home page in a loop for --duration seconds: its requests per second, median and max latency,
   failures; and the server's CPU time over the phase (a server spinning on accept() burns a core).

The server starts with a soft open-file limit of 1,024 (--server-soft-nofile; the hard limit is left
as it is), the default of most Linux desktops.

The results are merged into bench/results/serve-load.json under --label (one entry per label), and
printed as a table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results" / "serve-load.json"
SAMPLE_PARTS = ("themehub.yaml", "content", "static")
BASE_PATH = "/insights/"
AS_OF = "2026-11-23"  # after every date of the sample hub: the pages do not depend on the clock


@dataclass(frozen=True)
class Burst:
    connections: int
    answered: int
    failed: int
    seconds: float
    requests_per_s: float
    median_ms: float
    max_ms: float


@dataclass(frozen=True)
class HalfOpen:
    half_open: int
    opened_in_total: int
    dropped_by_server: int
    normal_requests: int
    normal_failed: int
    requests_per_s: float
    median_ms: float
    max_ms: float
    server_cpu_s: float
    seconds: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def raise_open_files() -> None:
    """The bench itself holds 2,000+ sockets: lift its own soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def soft_nofile(limit: int) -> None:
    """In the server's process, before exec: the soft open-file limit of a typical desktop session."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(limit, hard), hard))


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat (fields 14 and 15, after the command name)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request(port: int) -> bytes:
    return (f"GET {BASE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").encode()


async def fetch(port: int, timeout: float) -> float | None:
    """Seconds from connect to the last byte of a 200 answer; None for anything else."""
    started = time.perf_counter()
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request(port))
            await writer.drain()
            data = await reader.read()
    except (OSError, TimeoutError):
        return None
    finally:
        if writer is not None:
            writer.transport.abort()
    if not data.startswith(b"HTTP/1.") or data[9:12] != b"200" or not data.rstrip().endswith(b"</html>"):
        return None
    return time.perf_counter() - started


def summary(latencies: list[float]) -> tuple[float, float]:
    if not latencies:
        return (0.0, 0.0)
    return (statistics.median(latencies) * 1000, max(latencies) * 1000)


async def burst(port: int, connections: int, timeout: float) -> Burst:
    started = time.perf_counter()
    results = await asyncio.gather(*(fetch(port, timeout) for _ in range(connections)))
    seconds = time.perf_counter() - started
    latencies = [r for r in results if r is not None]
    median_ms, max_ms = summary(latencies)
    return Burst(connections, len(latencies), connections - len(latencies), round(seconds, 2),
                 round(len(latencies) / seconds, 1), round(median_ms, 1), round(max_ms, 1))


@dataclass
class Holder:
    """Keeps `count` half-open connections open, reopening each one the server drops."""

    port: int
    count: int
    opened: int = 0
    dropped: int = 0

    async def hold_one(self, stop: asyncio.Event) -> None:
        partial = f"GET {BASE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nX-Slow: ".encode()
        while not stop.is_set():
            writer: asyncio.StreamWriter | None = None
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.opened += 1
                writer.write(partial)
                await writer.drain()
                read = asyncio.ensure_future(reader.read())
                stopped = asyncio.ensure_future(stop.wait())
                await asyncio.wait({read, stopped}, return_when=asyncio.FIRST_COMPLETED)
                if read.done():
                    self.dropped += 1
                    stopped.cancel()
                else:
                    read.cancel()
            except OSError:
                self.dropped += 1
                await asyncio.sleep(0.1)
            finally:
                if writer is not None:
                    writer.transport.abort()


def normal_client(port: int, duration: float, timeout: float) -> tuple[list[float], int]:
    """GET the home page in a loop for `duration` seconds, with blocking sockets; in its own process,
    so that the bench's half-open connections do not slow the client itself down."""
    latencies: list[float] = []
    failed = 0
    started = time.perf_counter()
    while time.perf_counter() - started < duration:
        t0 = time.perf_counter()
        data = b""
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
                s.sendall(request(port))
                while chunk := s.recv(65536):
                    data += chunk
        except OSError:
            failed += 1
            continue
        if data[9:12] == b"200" and data.rstrip().endswith(b"</html>"):
            latencies.append(time.perf_counter() - t0)
        else:
            failed += 1
    return latencies, failed


async def half_open(port: int, pid: int, count: int, duration: float, timeout: float) -> HalfOpen:
    holder = Holder(port, count)
    stop = asyncio.Event()
    holders = [asyncio.ensure_future(holder.hold_one(stop)) for _ in range(count)]
    # Let the half-open connections pile up before the normal client starts.
    deadline = time.perf_counter() + 10
    while holder.opened < count and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        latencies, failed = await asyncio.get_running_loop().run_in_executor(
            pool, normal_client, port, duration, timeout)
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    stop.set()
    await asyncio.gather(*holders, return_exceptions=True)
    median_ms, max_ms = summary(latencies)
    return HalfOpen(count, holder.opened, holder.dropped, len(latencies), failed,
                    round(len(latencies) / duration, 1), round(median_ms, 1), round(max_ms, 1), round(cpu, 2),
                    round(seconds, 2))


def copy_sample(target: Path) -> Path:
    target.mkdir(parents=True)
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def wait_until_serving(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"themehub serve exited with {proc.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(request(port))
            s.settimeout(5)
            if s.recv(12).endswith(b"200"):
                return
        time.sleep(0.2)
    raise SystemExit("themehub serve did not answer within 120 s")


def run(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="serve-load-") as tmp:
        site = copy_sample(Path(tmp) / "hub")
        log = Path(tmp) / "serve.log"
        port = free_port()
        with log.open("wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "themehub", "serve", "--site", str(site), "--port",
                                     str(port), "--as-of", AS_OF], stdout=out, stderr=subprocess.STDOUT,
                                    preexec_fn=lambda: soft_nofile(args.server_soft_nofile))
        try:
            wait_until_serving(port, proc, log)
            first = asyncio.run(burst(port, args.connections, args.timeout))
            print(f"burst: {first}", flush=True)
            time.sleep(1)  # let the server settle between the phases
            second = asyncio.run(half_open(port, proc.pid, args.half_open, args.duration, args.timeout))
            print(f"half-open: {second}", flush=True)
            alive = proc.poll() is None
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        output = log.read_text(errors="replace")
    return {"burst": asdict(first), "half_open": asdict(second), "server_alive_after": alive,
            "tracebacks_in_server_output": output.count("Traceback"),
            "cpus": os.cpu_count(), "when": time.strftime("%Y-%m-%d %H:%M:%S")}


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| run | burst: answered | req/s | median | max | half-open: normal req/s | median | max "
             "| failed | server CPU |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, r in results.items():
        b, h = r["burst"], r["half_open"]
        lines.append(f"| {label} | {b['answered']}/{b['connections']} | {b['requests_per_s']} | {b['median_ms']} ms "
                     f"| {b['max_ms']} ms | {h['requests_per_s']} | {h['median_ms']} ms | {h['max_ms']} ms "
                     f"| {h['normal_failed']} | {h['server_cpu_s']} s in {h['seconds']} s |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=1000, help="connections of the burst")
    parser.add_argument("--half-open", type=int, default=1000, help="half-open connections held open")
    parser.add_argument("--duration", type=float, default=10, help="seconds of the normal client's loop")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before one request counts as failed")
    parser.add_argument("--server-soft-nofile", type=int, default=1024,
                        help="the server's soft open-file limit at start")
    parser.add_argument("--label", default="current", help="the key these figures are stored under")
    args = parser.parse_args()
    raise_open_files()
    result = run(args)
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs = stored.get("runs", {})
    runs[args.label] = {**result, "args": vars(args)}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"bench": "bench/serve_load.py", "runs": runs}, indent=2) + "\n")
    print("\n" + table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
