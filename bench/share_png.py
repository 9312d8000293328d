#!/usr/bin/env python3
"""Does the hand-written PNG encoder of share cards (render/images/png.py) still pay, against Pillow?

    python bench/share_png.py [--articles 1000] [--runs 3] [--site DIR]

Generates a hub (../shared/bench/gen_corpus.py N OUT --layout themehub; or takes `--site`), plans its
share cards as a cold build does (every theme, article, SME and service without a picture), and
times, in this one process (a render worker's share of the work, without the pool), the share-card
stage three ways over every card:
- paint: drawing the card's pixels only (what both encoders need);
- fast path: paint, then `png.indexed_png`, splicing the backdrop's deflated bands (what builds do);
- Pillow: paint, then `Image.save(..., "PNG")` of the same pixels and palette, at the fast path's
  zlib level and at Pillow's default level.
Prints the medians, the fast path's saving as a share of the Pillow stage, the total bytes, and
whether Pillow's files decode to the same pixels and have the same bytes. Results go to
bench/results/share-png-<date>.md.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from PIL import Image
from results_file import save

from themehub.build import BuildOptions, load_site
from themehub.render.images.pipeline import ImagePipeline
from themehub.render.images.plan import plan_and_share
from themehub.render.images.png import ZLIB_LEVEL, indexed_png
from themehub.render.images.share_cards import ROW_PREFIX, PaintedCard, ShareCard, artist
from themehub.render.images.sizes import image_sizes
from themehub.render.templates import theme_dirs

BENCH = Path(__file__).resolve().parent
GEN = BENCH.parent.parent / "shared" / "bench" / "gen_corpus.py"
Encoder: TypeAlias = Callable[[PaintedCard, ShareCard], bytes]


def make_hub(folder: Path, count: int) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    subprocess.run([sys.executable, str(GEN), str(count), str(folder), "--layout", "themehub"], check=True,
                   stdout=subprocess.DEVNULL)
    return folder / "themehub"


def share_cards(site: Path) -> list[ShareCard]:
    """The cards a cold build of `site` draws, in the order it queues them."""
    loaded = load_site(BuildOptions(site=site))
    if loaded.hub is None or loaded.config is None:
        raise SystemExit(f"{site}: the site does not load")
    config = loaded.config
    with tempfile.TemporaryDirectory(prefix="share-png-") as cache:
        pipeline = ImagePipeline(config, image_sizes(config, [d.parent for d in theme_dirs(config).templates]),
                                 Path(cache), config.image_quality)
        plan_and_share(pipeline, loaded.hub)
        return [job.card for job in pipeline.pending_shares]


def fast(painted: PaintedCard, card: ShareCard) -> bytes:
    canvas = painted.canvas
    return indexed_png(canvas.tobytes(), canvas.width - ROW_PREFIX, canvas.height, painted.palette,
                       artist(card.site).bands)


def pillow(level: int) -> Encoder:
    def encode(painted: PaintedCard, card: ShareCard) -> bytes:
        # A plain Pillow path would draw on a 1200-wide 'P' image: the crop stands in for that.
        canvas = painted.canvas
        image = Image.frombytes("P", (canvas.width - ROW_PREFIX, canvas.height),
                                canvas.crop((ROW_PREFIX, 0, canvas.width, canvas.height)).tobytes())
        image.putpalette(painted.palette)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=level)
        return buffer.getvalue()

    return encode


def stage(cards: list[ShareCard], encode: Encoder | None) -> tuple[float, list[bytes]]:
    """Seconds to paint (and encode, if `encode`) every card; the files."""
    files = []
    start = time.perf_counter()
    for card in cards:
        painted = artist(card.site).paint(card)
        if encode is not None:
            files.append(encode(painted, card))
    return time.perf_counter() - start, files


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB").tobytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="an existing site instead of a generated corpus")
    args = parser.parse_args()
    site = args.site or make_hub(BENCH / ".work" / f"share-png-{args.articles}", args.articles)
    cards = share_cards(site)
    ways: dict[str, Encoder | None] = {
        "paint only": None, "fast path (png.py)": fast, f"Pillow, zlib level {ZLIB_LEVEL}": pillow(ZLIB_LEVEL),
        "Pillow, default level 6": pillow(6)}
    stage(cards[:50], fast)  # fonts, backdrop and bands made once, as in a worker after its first card
    times: dict[str, list[float]] = {name: [] for name in ways}
    files: dict[str, list[bytes]] = {}
    for _ in range(args.runs):
        for name, encode in ways.items():  # interleaved: a busy moment of the machine hits every way
            seconds, made = stage(cards, encode)
            times[name].append(seconds)
            files[name] = made
    medians = {name: statistics.median(values) for name, values in times.items()}
    paint = medians["paint only"]
    fast_stage = medians["fast path (png.py)"]
    reference = files["fast path (png.py)"]
    rows = [f"| way | stage, {len(cards)} cards | per card | encoding per card | bytes | same bytes | same pixels |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
    for name, seconds in medians.items():
        made = files[name]
        same_bytes = "—" if not made else ("yes" if made == reference else "no")
        same_pixels = "—" if not made else (
            "yes" if all(pixels(a) == pixels(b) for a, b in zip(made, reference, strict=True)) else "no")
        rows.append(f"| {name} | {seconds:.2f} s | {1000 * seconds / len(cards):.2f} ms "
                    f"| {1000 * (seconds - paint) / len(cards):.2f} ms | {sum(map(len, made)) if made else 0:,} "
                    f"| {same_bytes} | {same_pixels} |")
    lines = [f"Site: {site} ({len(cards)} share cards), {args.runs} runs, medians, one process."]
    for name in ways:
        if name.startswith("Pillow"):
            saving = (medians[name] - fast_stage) / medians[name]
            lines.append(f"Fast path vs {name}: the share-card stage is {100 * saving:.0f}% shorter.")
    text = "\n".join([*rows, "", *lines])
    print(text)
    save("share-png", "share_png.py", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
