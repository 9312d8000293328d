"""Browser fixtures: Debian's chromium driven by playwright, and served copies of the sample hub."""

from __future__ import annotations

import functools
import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from tests.helpers import copy_sample

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]




def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


class ServeProcess:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "themehub", "serve", "--site", str(site), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.base = f"http://127.0.0.1:{self.port}/insights/"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError as exc:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stdout.read() if self.proc.stdout else "serve exited") from exc
                time.sleep(0.1)
        raise RuntimeError("themehub serve did not start")

    def stop(self) -> str:
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=10)
        return out


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServeProcess]:
    server = ServeProcess(copy_sample(tmp_path / "hub"))
    yield server
    server.stop()


@pytest.fixture
def built_site(tmp_path: Path) -> Iterator[str]:
    """The sample hub built with `themehub build`, served by a plain static file server at /insights/."""
    site = copy_sample(tmp_path / "hub")
    subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(site)], check=True,
                   capture_output=True)
    root = tmp_path / "www"
    root.mkdir()
    (root / "insights").symlink_to(site / "site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/insights/"
    server.shutdown()
    server.server_close()
