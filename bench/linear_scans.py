#!/usr/bin/env python3
"""The scans that must stay linear, timed: the inputs whose tests count work instead of timing it.

    python bench/linear_scans.py [--runs 3]

tests/unit/test_svg.py, test_markdown.py and test_markdown_gating.py check these inputs' answers and count
their Python work; the time spent inside regular expressions cannot be counted, so it is measured here. Each
input is timed at n and 2n: a linear scan takes about twice as long at 2n, a quadratic one four times.
Results go to bench/results/scans-<date>.md.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from results_file import save

from themehub.render.markdown import keep_text, optional_extensions
from themehub.sanitize.svg import sanitize_svg

SVG = "http://www.w3.org/2000/svg"


def svg(body: str) -> bytes:
    return f'<svg xmlns="{SVG}">{body}</svg>'.encode()


# name -> (function, input of size n); n is scaled so that 2n stays within the sanitizer's 5 MB bound.
CASES: dict[str, tuple[Callable[[object], object], Callable[[int], object]]] = {
    "svg: <style> with fragment urls": (sanitize_svg, lambda n: svg("<style>" + "rect{fill:red;stroke:url(#a)}" * n
                                                                  + "</style>")),
    "svg: <style> with external urls": (sanitize_svg, lambda n: svg("<style>" + "rect{fill:red;stroke:url(x)}" * n
                                                                  + "</style>")),
    "svg: long style attribute": (sanitize_svg, lambda n: svg('<rect style="' + "fill:url(#a);" * (2 * n) + '"/>')),
    "svg: many elements with handlers": (sanitize_svg, lambda n: svg("<rect onclick='x' fill='url(#a)'/>" * n)),
    "svg: billion laughs (refused)": (sanitize_svg, lambda n: (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "lol">'
        + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 30))
        + f']><svg xmlns="{SVG}">&l29;</svg>').encode()),
    "svg: quadratic blowup (refused)": (sanitize_svg, lambda n: (
        f'<!DOCTYPE svg [<!ENTITY a "{"x" * n}">]><svg xmlns="{SVG}">{"&a;" * n}</svg>').encode()),
    "markdown: definition scan on marker runs": (optional_extensions, lambda n: "x" + "> " * (n // 2) + "\n"
                                                 + "- >" * (n // 4)),
    "markdown: keep_text '<b x=\"'": (keep_text, lambda n: '<b x="' * (n // 5)),
    "markdown: keep_text '<!--'": (keep_text, lambda n: "<!--" * (n // 5)),
    "markdown: keep_text bare attributes": (keep_text, lambda n: "<b " + "x=a " * (n // 2)),
    "markdown: keep_text '<'": (keep_text, lambda n: "<" * n),
    "markdown: keep_text '<a href='": (keep_text, lambda n: "<a href=" * (n // 5)),
    "markdown: keep_text \"<b x='1'\"": (keep_text, lambda n: "<b x='1'" * (n // 5)),
}


def best_of(runs: int, function: Callable[[object], object], data: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=100_000, help="repetitions at size n (2n is timed too)")
    args = parser.parse_args()
    rows = ["| input | n (s) | 2n (s) | 2n / n |", "| --- | ---: | ---: | ---: |"]
    data = {}
    for name, (function, make) in CASES.items():
        small, large = (best_of(args.runs, function, make(n)) for n in (args.n, 2 * args.n))
        ratio = large / small if small else float("nan")
        rows.append(f"| {name} | {small:.4f} | {large:.4f} | {ratio:.2f}{' (not linear?)' if ratio > 3 else ''} |")
        data[name] = {"n": small, "2n": large}
        print(rows[-1], flush=True)
    path = save("scans", "linear_scans.py", "\n".join(rows), data)
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
