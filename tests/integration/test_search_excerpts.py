"""What the search index holds of an article's header: its title and the rest, never the text of the type
and depth badges above the title ("Start here" made excerpts start with "here.")."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from tests.conftest import Built
from tests.sample_content import SampleContent
from themehub.render.pagefind_canon import MAGIC

DEPTH_LABELS = {"entry": "Start here", "deeper": "Go deeper", "deepest": "Deep dives"}


def fragments(bundle: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    """URL -> the page's fragment (gzip of the magic bytes + JSON)."""
    found = {}
    for path in (bundle / "fragment").iterdir():
        fragment = json.loads(zlib.decompress(path.read_bytes(), 16 + zlib.MAX_WBITS).removeprefix(MAGIC))
        found[fragment["url"]] = fragment
    return found


def test_article_text_starts_with_its_title_not_its_badges(sample_built: Built) -> None:
    sample = SampleContent.read(sample_built.root)
    articles = {url: f for url, f in fragments(sample_built.out / "pagefind").items() if url.startswith("/articles/")}
    assert {url.split("/")[2] for url in articles} == sample.published
    for url, fragment in articles.items():
        slug = url.split("/")[2]
        badges = f'{str(sample.articles[slug].get("type", "article")).replace("-", " ")} {DEPTH_LABELS[sample.depth_of(slug)]}'
        content = fragment["content"]
        assert not content.startswith(badges), (url, content[:80])
        assert content.startswith(fragment["meta"]["title"]), (url, content[:80])
