"""The Pagefind index canonicalizer: the CBOR subset, Pagefind's naming, and the property that matters
(the same filters in any order give the same bytes).

The bundles here are written by hand in Pagefind's format (gzip of b"pagefind_dcd" + CBOR), with
arbitrary file names, so the tests do not depend on the order Pagefind happens to use in a run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from pathlib import Path

import pytest

from themehub.render.pagefind_canon import (
    MAGIC,
    PagefindFormatError,
    canonicalize_index,
    cbor_decode,
    cbor_encode,
    gzip_bytes,
    pagefind_hash,
    read_chunk,
)

# ------------------------------------------------------------------------------------------- CBOR

# Examples from RFC 8949, appendix A (the subset Pagefind writes).
RFC_EXAMPLES = [
    (0, "00"), (23, "17"), (24, "1818"), (100, "1864"), (1000, "1903e8"), (1000000, "1a000f4240"),
    (1000000000000, "1b000000e8d4a51000"), (-1, "20"), (-100, "3863"), (-1000, "3903e7"),
    (b"", "40"), (b"\x01\x02\x03\x04", "4401020304"), ("", "60"), ("a", "6161"), ("IETF", "6449455446"),
    ("\u00fc", "62c3bc"), ("\u6c34", "63e6b0b4"), ([], "80"), ([1, 2, 3], "83010203"),
    ([1, [2, 3], [4, 5]], "8301820203820405"), (list(range(1, 26)), "98190102030405060708090a0b0c0d0e0f101112131415"
                                                                  "161718181819"),
]


@pytest.mark.parametrize(("value", "encoded"), RFC_EXAMPLES)
def test_cbor_matches_the_rfc_examples(value: object, encoded: str) -> None:
    assert cbor_encode(value).hex() == encoded  # type: ignore[arg-type]
    assert cbor_decode(bytes.fromhex(encoded)) == value


@pytest.mark.parametrize("encoded", [
    "a1616101",      # a map: Pagefind writes none here
    "f93c00",        # a float
    "9f01ff",        # an indefinite-length array
    "c11a514b67b0",  # a tag
    "0001",          # a byte after the item
    "8301",          # an array that stops early
    "6461",          # a string that runs past the end
    "19",            # a head that stops early
])
def test_cbor_outside_the_subset_is_refused(encoded: str) -> None:
    with pytest.raises(PagefindFormatError):
        cbor_decode(bytes.fromhex(encoded))


@pytest.mark.parametrize("value", [1.5, True, {"a": 1}, None])
def test_values_outside_the_subset_are_not_encoded(value: object) -> None:
    with pytest.raises(PagefindFormatError):
        cbor_encode(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- Pagefind's names


def test_pagefind_hash_is_sha1_hex_without_zero_padding() -> None:
    # SHA-1 of nothing is da39a3ee5e6b4b0d3255bfef95601890afd80709; Pagefind writes byte 0x0d as "d",
    # 0x07 as "7" and 0x09 as "9".
    assert pagefind_hash(b"") == "da39a3ee5e6b4bd3255bfef95601890afd879"


def test_gzip_is_fixed_bytes_and_readable() -> None:
    data = MAGIC + b"\x82\x61x\x80"
    packed = gzip_bytes(data)
    assert packed[:10] == bytes.fromhex("1f8b0800000000000" + "2ff")  # no time stamp, no file name
    assert gzip.decompress(packed) == data
    assert gzip_bytes(data) == packed


# ------------------------------------------------------------------------------------ whole bundles

Filters = dict[str, list[tuple[str, list[int]]]]

FILTERS: Filters = {
    "theme": [("Cloud Economics", [0, 2, 3]), ("AI at Scale", [1, 3]), ("FinOps", [0, 2])],
    "type": [("Theme", [4]), ("Article", [0, 1]), ("Case study", [2, 3])],
    "depth": [("Start here", [0]), ("Deep dives", [2, 3]), ("Go deeper", [1])],
}


def _chunk(value: object, mtime: int) -> bytes:
    # Pagefind's framing, with a time stamp in the gzip header that canonicalization must not keep.
    return gzip.compress(MAGIC + cbor_encode(value), mtime=mtime)  # type: ignore[arg-type]


def write_bundle(root: Path, filters: Filters, names: list[str], mtime: int = 0) -> Path:
    """A Pagefind bundle holding `filters` (in the order given), the filter files named `names`."""
    bundle = root / "pagefind"
    (bundle / "filter").mkdir(parents=True)
    listed = []
    for (name, values), short in zip(filters.items(), names, strict=True):
        (bundle / "filter" / f"{short}.pf_filter").write_bytes(_chunk([name, [[v, p] for v, p in values]], mtime))
        listed.append([name, short])
    pages = [[f"en_{i:07x}", 100 + i] for i in range(5)]
    meta = ["1.5.2", pages, [["a", "z", "en_abcdef0"]], listed, [], ["image", "title"]]
    (bundle / "pagefind.en_0123456789.pf_meta").write_bytes(_chunk(meta, mtime))
    entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_0123456789", "wasm": "en", "page_count": 5}},
             "include_characters": ["_", "\u203f"]}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    return bundle


def files_of(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def shuffled(filters: Filters) -> Filters:
    """The same filters, values and pages in other orders."""
    return {name: [(v, p[::-1]) for v, p in reversed(values)] for name, values in reversed(filters.items())}


def test_the_same_filters_in_other_orders_give_identical_bytes(tmp_path: Path) -> None:
    a = write_bundle(tmp_path / "a", FILTERS, ["en_1111111", "en_2222222", "en_3333333"])
    b = write_bundle(tmp_path / "b", shuffled(FILTERS), ["en_aaaaaaa", "en_bbbbbbb", "en_ccccccc"], mtime=1_700_000_000)
    assert files_of(a) != files_of(b)
    canonicalize_index(a)
    canonicalize_index(b)
    assert files_of(a) == files_of(b)


def test_canonical_files_are_named_and_linked_the_way_pagefind_does(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path, shuffled(FILTERS), ["en_1111111", "en_2222222", "en_3333333"])
    canonicalize_index(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_name = entry["languages"]["en"]["hash"]
    meta_path = bundle / f"pagefind.{meta_name}.pf_meta"
    assert sorted(p.name for p in bundle.glob("*.pf_meta")) == [meta_path.name]
    meta_cbor = zlib.decompress(meta_path.read_bytes(), 31).removeprefix(MAGIC)
    assert meta_name == "en_" + _unpadded_sha1(meta_cbor)[:10]
    meta = cbor_decode(meta_cbor)
    assert isinstance(meta, list)
    assert [name for name, _ in meta[3]] == ["depth", "theme", "type"]  # type: ignore[misc]
    listed = {name: short for name, short in meta[3]}  # type: ignore[misc]
    assert sorted(p.stem for p in (bundle / "filter").iterdir()) == sorted(listed.values())
    for name, short in listed.items():
        cbor = zlib.decompress((bundle / "filter" / f"{short}.pf_filter").read_bytes(), 31).removeprefix(MAGIC)
        assert short == "en_" + _unpadded_sha1(cbor)[:7]
        value = cbor_decode(cbor)
        expected = sorted((v, sorted(p)) for v, p in FILTERS[str(name)])
        assert value == [name, [[v, p] for v, p in expected]]
    # everything else in the metadata file is kept as it was
    assert meta[:3] == ["1.5.2", [[f"en_{i:07x}", 100 + i] for i in range(5)], [["a", "z", "en_abcdef0"]]]
    assert meta[4:] == [[], ["image", "title"]]
    assert entry["include_characters"] == ["_", "\u203f"] and entry["languages"]["en"]["page_count"] == 5


def _unpadded_sha1(data: bytes) -> str:
    """Pagefind's naming, spelled out independently of the module: Rust's `{:x}` of each byte."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def test_canonical_order_is_a_fixed_point(tmp_path: Path) -> None:
    """Values with nothing to escape: a second pass finds the order it would write, and keeps every byte."""
    bundle = write_bundle(tmp_path, shuffled(FILTERS), ["en_1111111", "en_2222222", "en_3333333"])
    canonicalize_index(bundle)
    once = files_of(bundle)
    canonicalize_index(bundle)
    assert files_of(bundle) == once


def test_filter_values_become_html_text_for_pagefinds_ui(tmp_path: Path) -> None:
    """Pagefind's UI writes filter values into the page as HTML: markup in a theme title must arrive as text."""
    hostile: Filters = {"theme": [("<img src=x onerror=alert(1)>", [0]), ("R&D", [1]), ("Plain", [2])]}
    bundle = write_bundle(tmp_path, hostile, ["en_1234567"])
    canonicalize_index(bundle)
    (path,) = (bundle / "filter").iterdir()
    assert read_chunk(path) == ["theme", [["&lt;img src=x onerror=alert(1)&gt;", [0]], ["Plain", [2]],
                                          ["R&amp;D", [1]]]]


def test_a_bundle_without_filters_keeps_pagefinds_own_bytes_for_its_metadata(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path, {}, [])
    meta = read_chunk(bundle / "pagefind.en_0123456789.pf_meta")
    canonicalize_index(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert read_chunk(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta") == meta


def test_the_filter_files_are_where_the_metadata_says(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path, FILTERS, ["en_1111111", "en_2222222", "en_3333333"])
    (bundle / "filter" / "en_2222222.pf_filter").rename(bundle / "filter" / "en_9999999.pf_filter")
    with pytest.raises(FileNotFoundError):
        canonicalize_index(bundle)


@pytest.mark.parametrize("meta", [
    ["1.5.2", [], []],                          # no filter list
    ["1.5.2", [], [], [["theme"]], [], []],     # a filter entry that is not [name, hash]
    {"not": "a list"},
])
def test_an_unknown_metadata_layout_is_an_error_not_a_silent_pass(tmp_path: Path, meta: object) -> None:
    bundle = write_bundle(tmp_path, {}, [])
    if isinstance(meta, dict):
        (bundle / "pagefind.en_0123456789.pf_meta").write_bytes(gzip.compress(MAGIC + bytes.fromhex("a1616101")))
    else:
        (bundle / "pagefind.en_0123456789.pf_meta").write_bytes(_chunk(meta, 0))
    with pytest.raises(PagefindFormatError):
        canonicalize_index(bundle)


def test_a_filter_file_in_another_shape_is_an_error(tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path, {"theme": [("A", [0])]}, ["en_1234567"])
    (bundle / "filter" / "en_1234567.pf_filter").write_bytes(_chunk(["theme", [["A", ["not a page"]]]], 0))
    with pytest.raises(PagefindFormatError):
        canonicalize_index(bundle)
