"""The search index of the built sample hub, read file by file: Pagefind's format and names after
themehub rewrote it, and each article filed under the filter values its front matter gives.

(The browser suite searches it through Pagefind's UI; tests/hardening/test_determinism.py builds it twice.)
"""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path

import pytest

from tests.conftest import Built
from tests.sample_content import SampleContent
from themehub.render.pagefind_canon import MAGIC, cbor_decode, cbor_encode

DEPTH_LABELS = {"entry": "Start here", "deeper": "Go deeper", "deepest": "Deep dives"}


@pytest.fixture(scope="module")
def bundle(sample_built: Built) -> Path:
    return sample_built.out / "pagefind"


@pytest.fixture(scope="module")
def sample(sample_built: Built) -> SampleContent:
    return SampleContent.read(sample_built.root)


def _cbor(path: Path) -> bytes:
    data = zlib.decompress(path.read_bytes(), 16 + zlib.MAX_WBITS)
    assert data.startswith(MAGIC), path.name
    return data[len(MAGIC):]


def _pagefind_name(lang: str, cbor: bytes, length: int) -> str:
    """Pagefind's name for a file: SHA-1 of its CBOR, each byte in hex without zero padding."""
    return f"{lang}_" + "".join(format(b, "x") for b in hashlib.sha1(cbor).digest())[:length]


def _meta(bundle: Path) -> list:  # type: ignore[type-arg]
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["en"]
    name = entry["languages"]["en"]["hash"]
    assert [p.name for p in bundle.glob("*.pf_meta")] == [f"pagefind.{name}.pf_meta"]
    meta = cbor_decode(_cbor(bundle / f"pagefind.{name}.pf_meta"))
    assert isinstance(meta, list)
    return meta


def test_every_index_file_has_the_name_pagefind_would_give_it(bundle: Path) -> None:
    """Also the word-index files, which themehub does not rewrite: the naming rule is Pagefind's own."""
    files = [*bundle.glob("*.pf_meta"), *bundle.glob("filter/*.pf_filter"), *bundle.glob("index/*.pf_index")]
    assert len(list(bundle.glob("filter/*"))) == 3 and list(bundle.glob("index/*"))
    for path in files:
        cbor = _cbor(path)
        short = path.name.split(".")[-2]
        length = 10 if path.suffix == ".pf_meta" else max(7, len(short) - len("en_"))  # longer after a collision
        assert short == _pagefind_name("en", cbor, length), path.name
        assert cbor_encode(cbor_decode(cbor)) == cbor, f"{path.name}: the CBOR codec does not give back Pagefind's bytes"


def test_the_metadata_lists_exactly_the_filter_files(bundle: Path) -> None:
    listed = dict(_meta(bundle)[3])
    assert sorted(listed) == ["depth", "theme", "type"]
    assert sorted(listed.values()) == sorted(p.stem for p in (bundle / "filter").iterdir())


def test_filter_values_and_their_pages_are_sorted(bundle: Path) -> None:
    for path in (bundle / "filter").iterdir():
        name, values = cbor_decode(_cbor(path))  # type: ignore[misc]
        assert [v for v, _ in values] == sorted(v for v, _ in values), name
        assert all(pages == sorted(pages) for _, pages in values), name


def _filed_under(bundle: Path) -> dict[str, dict[str, set[str]]]:
    """URL -> filter name -> the values the index files the page under."""
    pages = [hash_ for hash_, _ in _meta(bundle)[1]]
    urls = [json.loads(_cbor_free(bundle / "fragment" / f"{h}.pf_fragment"))["url"] for h in pages]
    found: dict[str, dict[str, set[str]]] = {url: {"theme": set(), "type": set(), "depth": set()} for url in urls}
    for path in (bundle / "filter").iterdir():
        name, values = cbor_decode(_cbor(path))  # type: ignore[misc]
        for value, numbers in values:
            for number in numbers:
                found[urls[number]][name].add(value)
    return found


def _cbor_free(path: Path) -> str:
    """A fragment: gzip of the magic bytes + JSON."""
    return zlib.decompress(path.read_bytes(), 16 + zlib.MAX_WBITS).removeprefix(MAGIC).decode("utf-8")


def test_each_article_is_filed_under_its_themes_with_parents_its_type_and_depth(bundle: Path,
                                                                                sample: SampleContent) -> None:
    found = _filed_under(bundle)
    articles = {url.split("/")[-2]: values for url, values in found.items() if url.startswith("/articles/")}
    assert set(articles) == sample.published
    for slug, values in articles.items():
        themes = {t for own in sample.themes_of(slug) for t in [*sample.ancestors(own), own]}
        fm_type = str(sample.articles[slug].get("type", "article"))
        assert values == {
            "theme": {str(sample.themes[t]["title"]) for t in themes},
            "type": {fm_type.replace("-", " ").capitalize()},
            "depth": {DEPTH_LABELS[sample.depth_of(slug)]},
        }, slug


def test_theme_hubs_and_smes_are_filed_under_their_themes(bundle: Path, sample: SampleContent) -> None:
    found = _filed_under(bundle)
    for slug in sample.themes:
        family = [*sample.ancestors(slug), slug]
        assert found[f"/themes/{slug}/"] == {"theme": {str(sample.themes[t]["title"]) for t in family},
                                              "type": {"Theme"}, "depth": set()}, slug
    for slug, fm in sample.authors.items():
        theme_titles = {str(sample.themes[t]["title"]) for t in fm.get("expertise", [])}
        assert found[f"/authors/{slug}/"]["theme"] == theme_titles, slug
