"""The checking service as the tests and the benchmark meet it: ``selfeval serve``
started in its own process on 127.0.0.1 (a free port), with its temporary files in a
folder of the caller's, stopped afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ADDIN_ORIGIN = "http://127.0.0.1:9"
"""A page origin the tests' service allows (``--allow-origin``), standing for the WPS add-in."""


@dataclass
class Running:
    url: str
    temp: Path  # the service's TMPDIR: its private folders are made in here
    log: Path  # what the service wrote to stdout and stderr
    pid: int

    def leftovers(self) -> list[Path]:
        """Files the service left in its temporary folder (its own empty folders aside)."""
        return [p for p in self.temp.rglob("*") if not p.is_dir()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_service(folder: Path, *options: str, **env: str) -> Iterator[Running]:
    """``selfeval serve --no-browser`` with ``options``; ``env`` sets SELFEVAL_SERVE_*."""
    temp, log = folder / "tmp", folder / "service.log"
    temp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [sys.executable, "-m", "selfeval", "serve", "--no-browser", "--port", str(port)]
    environment = {**os.environ, "TMPDIR": str(temp), **env}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, *options], stdout=out, stderr=subprocess.STDOUT, env=environment
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, process, log)
        yield Running(url, temp, log, process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"selfeval serve stopped: {log.read_text('utf-8', 'replace')}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError("selfeval serve did not answer within 15 s")
