#!/usr/bin/env python3
"""The image pipeline on a hub with 200 images, cold and warm.

    python bench/images.py [--images 200] [--runs 3]

Generates a hub (../shared/bench/gen_corpus.py, 200 articles) and gives every article its own
generated JPEG (1600x1000, drawn with Pillow), then builds it cold (no cache, no previous site) and
warm (cache kept, one article edited). Prints the image stage's time and the number of images
encoded: a warm build must encode none. Results go to bench/results/images-<date>.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw
from results_file import save

from themehub.build import BuildOptions, build

BENCH = Path(__file__).resolve().parent
GEN = BENCH.parent.parent / "shared" / "bench" / "gen_corpus.py"


def make_hub(folder: Path, count: int) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    subprocess.run([sys.executable, str(GEN), str(count), str(folder), "--layout", "themehub"], check=True,
                   stdout=subprocess.DEVNULL)
    site = folder / "themehub"
    (site / "static" / "images").mkdir(parents=True)
    for i, article in enumerate(sorted((site / "content" / "articles").glob("*.md"))):
        rng = random.Random(i)
        picture = Image.new("RGB", (1600, 1000), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        draw = ImageDraw.Draw(picture)
        for _ in range(40):
            x, y = rng.randrange(1600), rng.randrange(1000)
            draw.ellipse([x, y, x + rng.randrange(40, 300), y + rng.randrange(40, 300)],
                         fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        picture.save(site / "static" / "images" / f"{article.stem}.jpg", "JPEG", quality=88)
        text = article.read_text(encoding="utf-8")
        front = f'\nimage: /images/{article.stem}.jpg\nimage_alt: "Picture {i}"\n---\n'
        article.write_text(text.replace("\n---\n", front, 1), encoding="utf-8")
    return site


def one_build(site: Path) -> tuple[float, float, int]:
    result = build(BuildOptions(site=site, search=False))
    if not result.ok:
        raise SystemExit("\n".join(f"{d.file}:{d.line}: {d.message}" for d in result.diagnostics if d.is_error))
    return result.timings.get("images", 0.0), result.elapsed, result.images_encoded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = make_hub(BENCH / ".work" / f"images-{args.images}", args.images)
    cold, warm, cold_total, warm_total, warm_encoded, cold_encoded = [], [], [], [], [], []
    for run in range(args.runs):
        shutil.rmtree(site / "site", ignore_errors=True)
        shutil.rmtree(site / ".themehub-cache", ignore_errors=True)
        seconds, total, encoded = one_build(site)
        cold.append(seconds)
        cold_total.append(total)
        cold_encoded.append(encoded)
        article = sorted((site / "content" / "articles").glob("*.md"))[run]
        with article.open("a", encoding="utf-8") as handle:
            handle.write(f"\nEdited {run}.\n")
        seconds, total, encoded = one_build(site)
        warm.append(seconds)
        warm_total.append(total)
        warm_encoded.append(encoded)
    text = (f"| images | cold image stage | cold build | images encoded cold | warm image stage | warm build "
            f"| images encoded warm |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
            f"| {args.images} | {statistics.median(cold):.2f} s | {statistics.median(cold_total):.2f} s "
            f"| {max(cold_encoded)} | {statistics.median(warm):.3f} s | {statistics.median(warm_total):.2f} s "
            f"| {max(warm_encoded)} |")
    print(text)
    save("images", "images.py", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
