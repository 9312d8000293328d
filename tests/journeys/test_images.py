"""The image pipeline as a reader and a deploy see it: sizes, formats, srcset, dimensions, cache."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from PIL import Image

from tests.helpers import copy_sample
from themehub.build import BuildOptions, build

from .conftest import NOW, Built


def test_share_images_exist_for_items_without_an_image(sample: Built) -> None:
    for kind, slug in [("articles", "cloud-unit-cost-model"), ("themes", "finops"), ("authors", "maya-okafor"),
                       ("services", "ai-delivery")]:
        with Image.open(sample.out / "share" / kind / f"{slug}.png") as image:
            assert image.size == (1200, 630) and image.format == "PNG"
    # The case study has a picture of its own: no generated share image for it.
    assert not (sample.out / "share/articles/retailer-cloud-reset-case-study.png").exists()


def test_front_matter_image_is_resized_for_card_and_hero_in_webp_and_jpeg(sample: Built) -> None:
    generated = sorted((sample.out / "images/_generated").glob("retail-aisles-*"))
    sizes = {}
    for path in generated:
        with Image.open(path) as image:
            sizes.setdefault(image.format, set()).add(image.size)
    # card 480x270 at 1x and 2x, hero 1200x600 at 1x (the source is 1600 wide: no 2x)
    assert sizes["JPEG"] == {(480, 270), (960, 540), (1200, 600)}
    assert sizes["WEBP"] == sizes["JPEG"]


def test_avatar_is_resized_and_kept_square(sample: Built) -> None:
    sizes = set()
    for path in (sample.out / "images/_generated").glob("sam-whitfield-*"):
        with Image.open(path) as image:
            sizes.add(image.size)
    assert sizes == {(160, 160), (320, 320)}


def test_markdown_images_get_dimensions_srcset_and_a_webp_source(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "hub")
    picture = Image.new("RGB", (2000, 1000), (30, 120, 200))
    picture.save(root / "static/images/chart.png")
    article = root / "content/articles/cloud-unit-cost-model.md"
    article.write_text(article.read_text() + "\n![Unit cost by month](/images/chart.png)\n")
    assert build(BuildOptions(site=root, now=NOW, search=False)).ok
    html = (root / "site/articles/cloud-unit-cost-model/index.html").read_text()
    tag = re.search(r'<picture><source type="image/webp" srcset="([^"]+)"[^>]*><img ([^>]+)></picture>', html)
    assert tag is not None
    webp, img = tag.group(1), tag.group(2)
    assert 'alt="Unit cost by month"' in img and 'width="800"' in img and 'height="400"' in img
    assert 'loading="lazy"' in img
    assert re.search(r'srcset="/insights/images/_generated/chart-\w+\.png 800w, /insights/images/_generated/chart-\w+\.png 1600w"',
                     img)
    for url in re.findall(r"(/insights/\S+\.webp)", webp):
        assert (root / "site" / url.removeprefix("/insights/")).is_file()


def test_second_build_does_no_image_work_and_bytes_are_stable(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "hub")
    first = build(BuildOptions(site=root, now=NOW, search=False))
    assert first.ok and first.images_encoded > 0
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*.png")}
    again = build(BuildOptions(site=root, now=NOW, search=False))
    assert again.ok and again.images_encoded == 0
    # A fresh cache gives the very same bytes (deterministic encoding).
    shutil.rmtree(root / ".themehub-cache")
    third = build(BuildOptions(site=root, now=NOW, search=False))
    assert third.images_encoded == first.images_encoded
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*.png")}
    assert after == before


def test_a_share_card_gone_from_the_cache_is_drawn_again_and_only_it(tmp_path: Path) -> None:
    """The cache's share cards are known from one listing of its folder, not a stat each: a card missing
    there must still be drawn again, and the others not."""
    root = copy_sample(tmp_path / "hub")
    assert build(BuildOptions(site=root, now=NOW, search=False)).ok
    cards = sorted((root / ".themehub-cache/images").glob("share-*.png"))
    assert len(cards) > 3
    lost = cards[1].read_bytes()
    cards[1].unlink()
    again = build(BuildOptions(site=root, now=NOW, search=False))
    assert again.ok and again.images_encoded == 1
    assert cards[1].read_bytes() == lost


def test_missing_and_broken_images_are_diagnostics_at_the_reference(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "hub")
    theme = root / "content/themes/finops.md"
    theme.write_text(re.sub(r"^image: .*$", "image: /images/nope.png", theme.read_text(), count=1, flags=re.M))
    (root / "static/images/broken.jpg").write_bytes(b"not a jpeg at all")
    article = root / "content/articles/finops-first-90-days.md"
    article.write_text(article.read_text().replace("\n---\n", "\nimage: /images/broken.jpg\nimage_alt: x\n---\n", 1))
    result = build(BuildOptions(site=root, now=NOW, search=False))
    codes = {(d.file, d.code) for d in result.diagnostics if d.is_error}
    assert ("content/articles/finops-first-90-days.md", "bad-image") in codes
    broken = next(d for d in result.diagnostics if d.code == "bad-image")
    text = article.read_text().split("\n")
    assert text[broken.line - 1].startswith("image: /images/broken.jpg")
    missing = next(d for d in result.diagnostics if d.code == "missing-image")
    assert missing.file == "content/themes/finops.md"
    assert theme.read_text().split("\n")[missing.line - 1] == "image: /images/nope.png"


def test_share_image_wraps_long_and_non_latin_titles() -> None:
    from themehub.render.images.share_cards import draw_share_image
    from themehub.render.images.text import font as load_font
    from themehub.render.images.text import wrap

    font = load_font(True, 64)
    lines = wrap("A very long title " * 12, font, 866, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 866 for line in lines)
    cjk = wrap("雲のコストを事業の成果に結びつけるための実践的なガイドと十のヒント", font, 400, 3)
    assert len(cjk) >= 2 and all(font.getlength(line) <= 400 for line in cjk)
    data = draw_share_image(title="Привет, мир: облачные затраты", subtitle="", color="#0f766e", footer="",
                            site="Hub", avatar=b"")
    assert data == draw_share_image(title="Привет, мир: облачные затраты", subtitle="", color="#0f766e", footer="",
                                    site="Hub", avatar=b"")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)
