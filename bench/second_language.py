#!/usr/bin/env python3
"""What a second language costs a build: the same synthetic hub in one language, then with every
article, theme, SME and service translated into German, built side by side.

    python bench/second_language.py                  # 1,000 articles, 1 run
    python bench/second_language.py --size 1000 --runs 3

The corpus comes from ../shared/bench/gen_corpus.py (--layout themehub). The translations are made
here: each sets a title and summary of its own and a body of the same length whose words run in
another order (so no rendered markdown is shared with its original, as with a real translation).
Measured per variant: a cold build (no output, no cache) and a rebuild after one original's body
edit, both with search. Writes bench/results/second-language-<date>.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENERATOR = REPO.parent / "shared" / "bench" / "gen_corpus.py"
TRANSLATED = ("articles", "themes", "authors", "services")


def corpus(size: int, work: Path) -> Path:
    out = work / f"corpus-{size}"
    if not (out / "themehub" / "themehub.yaml").is_file():
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, str(GENERATOR), str(size), str(out), "--layout", "themehub"], check=True)
    return out / "themehub"


def translated(source: Path, target: Path) -> Path:
    """A copy of the hub at `source` with `languages:` (en, de) and a German file beside every item."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".themehub-cache"))
    config = target / "themehub.yaml"
    text = "\n".join(line for line in config.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("language:"))
    config.write_text(text + "\ndefault_language: en\nlanguages:\n  en: {name: English}\n  de: {name: Deutsch}\n",
                      encoding="utf-8")
    for kind in TRANSLATED:
        for path in sorted((target / "content" / kind).rglob("*.md")):
            front, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
            title_key = "name" if kind == "authors" else "title"
            title = next((line.split(":", 1)[1].strip() for line in front.splitlines()
                          if line.startswith(f"{title_key}:")), path.stem)
            lines = [f"{title_key}: {json.dumps('DE ' + title.strip(chr(34)), ensure_ascii=False)}"]
            if kind in ("articles", "services"):
                lines.append('summary: "Eine Zusammenfassung auf Deutsch."')
            elif kind == "themes":
                lines.append('tagline: "Ein Leitsatz auf Deutsch"')
            german = "\n".join(" ".join(reversed(line.split(" "))) if line and line[0].isalpha() else line
                               for line in body.splitlines())
            path.with_name(f"{path.stem}.de.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + german + "\n",
                                                            encoding="utf-8")
    return target


def timed(site: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(site)], capture_output=True,
                          text=True, env=env, check=False)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"build of {site} failed:\n{proc.stderr[-3000:]}")
    return took


def measure(site: Path, runs: int) -> dict[str, float]:
    cold, edit = [], []
    article = sorted((site / "content" / "articles").rglob("*.md"))[0]
    article = article if "." not in article.stem else article.with_name(article.stem.split(".")[0] + ".md")
    for run in range(runs):
        shutil.rmtree(site / "site", ignore_errors=True)
        shutil.rmtree(site / ".themehub-cache", ignore_errors=True)
        cold.append(timed(site))
        with article.open("a", encoding="utf-8") as handle:
            handle.write(f"\nOne more sentence, edit {run}.\n")
        edit.append(timed(site))
    return {"cold": statistics.median(cold), "edit": statistics.median(edit)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--work", type=Path, default=REPO / "bench" / ".work")
    args = parser.parse_args()
    one = corpus(args.size, args.work)
    two = translated(one, args.work / f"two-languages-{args.size}")
    pages = {name: len(list((site / "content").rglob("*.md"))) for name, site in (("one", one), ("two", two))}
    results = {"one language": measure(one, args.runs), "two languages": measure(two, args.runs)}
    base = results["one language"]
    lines = [f"# A second language, {args.size} articles ({args.runs} run(s), search on)", "",
             f"Command: `python bench/second_language.py --size {args.size} --runs {args.runs}`; content files: "
             f"{pages['one']} in one language, {pages['two']} with the German translations.", "",
             "| variant | cold build | rebuild after one body edit |", "| --- | ---: | ---: |"]
    for name, times in results.items():
        lines.append(f"| {name} | {times['cold']:.2f} s ({times['cold'] / base['cold']:.2f}×) "
                     f"| {times['edit']:.2f} s ({times['edit'] / base['edit']:.2f}×) |")
    text = "\n".join(lines) + "\n"
    out = REPO / "bench" / "results" / f"second-language-{dt.datetime.now():%Y%m%d-%H%M}.md"
    out.write_text(text, encoding="utf-8")
    print(text + f"\nwritten to {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
