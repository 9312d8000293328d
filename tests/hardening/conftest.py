"""Fixtures of the hardening suite: a small hub written from scratch, builds in-process and on the
command line, snapshots of an output folder, free ports and a `themehub serve` subprocess.

Self-contained on purpose: nothing here depends on the other test folders' helpers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from themehub.build import BuildOptions, BuildResult, build
from themehub.diagnostics import Diagnostic

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BASE_PATH = "/insights/"

# After every date of the mini hub and of the sample hub: builds never depend on the clock.
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
AS_OF = "2026-11-23"

# ------------------------------------------------------------------------------------ the mini hub

MINI_HUB: dict[str, str] = {
    "themehub.yaml": """\
        title: Hardening Hub
        base_url: https://example.com/insights/
        description: A small hub for the hardening tests.
        """,
    "content/themes/cloud.md": """\
        ---
        title: Cloud
        tagline: Spend wisely
        color: "#0f766e"
        services: [cost-review]
        ---

        Cloud is where the money goes.
        """,
    "content/themes/finops.md": """\
        ---
        title: FinOps
        tagline: Make every team cost-aware
        parent: cloud
        ---

        FinOps brings finance and engineering together.
        """,
    "content/themes/data.md": """\
        ---
        title: Data
        tagline: Data you can trust
        ---

        Data trust.
        """,
    "content/authors/ana-quinn.md": """\
        ---
        name: Ana Quinn
        role: Partner
        company: Example Advisory
        expertise: [cloud]
        links:
          website: https://example.com/ana
          email: ana@example.com
        ---

        Ana leads the cloud practice.
        """,
    "content/authors/ben-okoro.md": """\
        ---
        name: Ben Okoro
        role: Data lead
        expertise: [data]
        ---

        Ben works on data.
        """,
    "content/services/cost-review.md": """\
        ---
        title: Cost Review
        summary: A review of your cloud spend.
        cta:
          label: Book a review
          url: https://example.com/contact
        ---

        We review your cloud bill.
        """,
    "content/services/data-audit.md": """\
        ---
        title: Data Audit
        summary: An audit of your data.
        ---

        We audit your data.
        """,
    "content/articles/cloud-basics.md": """\
        ---
        title: Cloud Basics
        date: 2026-01-10
        authors: [ana-quinn]
        themes: [cloud]
        summary: The basics of cloud spend.
        tags: [Cloud Costs]
        ---

        Cloud bills are metered. See [the deep dive](finops-deep.md).

        ## Where the money goes

        Mostly compute.
        """,
    "content/articles/finops-deep.md": """\
        ---
        title: FinOps in Depth
        date: 2026-03-01
        authors: [ana-quinn, ben-okoro]
        themes: [finops, cloud]
        type: white-paper
        summary: A deep dive into FinOps.
        services: [cost-review]
        ---

        A long white paper.
        """,
    "content/articles/data-intro.md": """\
        ---
        title: Data Trust Case Study
        date: 2026-01-20
        authors: [ben-okoro]
        themes: [data]
        type: case-study
        services: [data-audit]
        ---

        A client story about data.
        """,
    "content/pages/about.md": """\
        ---
        title: About
        summary: Who we are.
        ---

        We are a small advisory.
        """,
    "content/tracks/cloud-in-two-steps.md": """\
        ---
        title: Cloud in two steps
        summary: From basics to depth.
        theme: cloud
        steps: [cloud-basics, finops-deep]
        ---

        Two pieces.
        """,
    "static/images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n',
}


def write_files(root: Path, files: Mapping[str, str | bytes | None], *, dedent: bool = True) -> None:
    """Write `files` (path relative to root -> text or bytes) below root; None deletes the file."""
    for rel, data in files.items():
        path = root / rel
        if data is None:
            if path.is_symlink() or path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_bytes((textwrap.dedent(data) if dedent else data).encode("utf-8"))


def make_mini_hub(root: Path, files: Mapping[str, str | bytes | None] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, MINI_HUB)
    write_files(root, files or {})
    return root


# ------------------------------------------------------------------------------------ building


def build_in_process(root: Path, **kwargs: object) -> BuildResult:
    kwargs.setdefault("jobs", 1)
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("search", False)
    return build(BuildOptions(site=root, **kwargs))  # type: ignore[arg-type]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONHASHSEED", None)
    env.update(extra)
    return env


def run_cli(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m themehub ARGS` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "themehub", *args], cwd=cwd, env=dict(env or cli_env()),
                          capture_output=True, text=True, timeout=timeout, check=False)


def errors_of(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]


def where(d: Diagnostic) -> tuple[str, str, int, int]:
    return (d.code, d.file, d.line, d.col)


def show(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> str:
    return "\n".join(f"  {d.file}:{d.line}:{d.col}: {d.severity}: {d.message} [{d.code}]" for d in diagnostics)


# ------------------------------------------------------------------------------------ snapshots


@dataclass(frozen=True)
class Entry:
    kind: str  # "file", "dir" or "link"
    data: bytes = b""
    mtime_ns: int = 0


def snapshot(root: Path, *, mtimes: bool = False) -> dict[str, Entry]:
    """Every file, folder and link below root (not following links), with the bytes of each file."""
    result: dict[str, Entry] = {}
    if not root.exists():
        return result
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for name in sorted(dirnames):
            path = base / name
            rel = path.relative_to(root).as_posix()
            result[rel] = Entry("link", os.readlink(path).encode()) if path.is_symlink() else Entry("dir")
        for name in sorted(filenames):
            path = base / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                result[rel] = Entry("link", os.readlink(path).encode())
            else:
                st = path.stat()
                result[rel] = Entry("file", path.read_bytes(), st.st_mtime_ns if mtimes else 0)
    return result


def diff_snapshots(before: Mapping[str, Entry], after: Mapping[str, Entry], limit: int = 10) -> list[str]:
    problems = [f"missing: {rel}" for rel in sorted(before.keys() - after.keys())]
    problems += [f"added: {rel}" for rel in sorted(after.keys() - before.keys())]
    problems += [f"changed: {rel}" for rel in sorted(before.keys() & after.keys()) if before[rel] != after[rel]]
    return problems[:limit]


def staging_leftovers(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


# ------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini hub built once (site/ and .themehub-cache/); tests copy it, never change it."""
    root = make_mini_hub(tmp_path_factory.mktemp("built-mini") / "hub")
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    return root


@pytest.fixture
def mini_copy(built_mini: Path, tmp_path: Path) -> Callable[..., Path]:
    """A fresh copy of the built mini hub (mtimes kept), optionally with files written over it."""
    counter = iter(range(1000))

    def factory(files: Mapping[str, str | bytes | None] | None = None, *, dedent: bool = True) -> Path:
        root = tmp_path / f"hub{next(counter)}"
        shutil.copytree(built_mini, root, symlinks=True)
        write_files(root, files or {}, dedent=dedent)
        return root

    return factory


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    site: Path
    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}{BASE_PATH}"

    def get(self, path: str, *, host: str | None = None, timeout: float = 10) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host or f"127.0.0.1:{self.port}")
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextlib.contextmanager
def serving(site: Path, log: Path, *extra: str, startup: float = 60,
            command: Sequence[str] = ("-m", "themehub")) -> Iterator[Served]:
    """`python -m themehub serve --site SITE --port FREE` until the home page answers; stopped after.
    `command`: what follows `python` instead of `-m themehub` (`-c SCRIPT`: tests/helpers.py's
    INTERRUPTIBLE_CLI, for a server the test stops with Ctrl-C)."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, *command, "serve", "--site", str(site), "--port", str(port), *extra],
            stdout=out, stderr=subprocess.STDOUT, env=cli_env(), start_new_session=True,
        )
    served = Served(site, port, proc, log)
    try:
        deadline = time.monotonic() + startup
        while True:
            assert proc.poll() is None, f"serve exited with {proc.returncode}:\n{served.output()}"
            try:
                status, _ = served.get(BASE_PATH, timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"serve did not answer in {startup} s:\n{served.output()}"
            time.sleep(0.1)
        yield served
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@contextlib.contextmanager
def serving_with_open_files(site: Path, log: Path, *extra: str, soft: int, hard: int,
                            startup: float = 60) -> Iterator[Served]:
    """Like `serving`, with the server started under an open-file limit of (soft, hard), as a shell
    with `ulimit -Sn SOFT -Hn HARD` would start it."""
    import resource

    def limit() -> None:  # in the child, before exec
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "themehub", "serve", "--site", str(site), "--port", str(port), *extra],
            stdout=out, stderr=subprocess.STDOUT, env=cli_env(), start_new_session=True, preexec_fn=limit,
        )
    served = Served(site, port, proc, log)
    try:
        deadline = time.monotonic() + startup
        while True:
            assert proc.poll() is None, f"serve exited with {proc.returncode}:\n{served.output()}"
            with contextlib.suppress(OSError):
                if served.get(BASE_PATH, timeout=2)[0] == 200:
                    break
            assert time.monotonic() < deadline, f"serve did not answer in {startup} s:\n{served.output()}"
            time.sleep(0.1)
        yield served
    finally:
        if proc.poll() is None:
            proc.kill()  # SIGKILL: a server spinning at 100 % CPU may not stop in time on SIGTERM
            proc.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def lan_address() -> str | None:
    """This machine's IPv4 address on its default route, found without sending a packet."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 9))
            address = str(s.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith(("127.", "0.")) else address
