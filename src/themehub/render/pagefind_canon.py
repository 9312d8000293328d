"""Make Pagefind's filter index byte-identical from build to build.

Pagefind (1.5) keeps each filter's values in a hash map and writes them in that map's order, which
changes from run to run (Pagefind issue #638). The filter files are named by a hash of their content,
the metadata file lists those names and is named by its own hash, and pagefind-entry.json names the
metadata file: one reordered value changes all three. themehub promises byte-identical output for
the same input, so after Pagefind writes the index this module rewrites those files in one fixed
order, named the way Pagefind names them. Search results do not change: Pagefind's search code looks
filter values up by name and sorts them itself before showing them.

The values are also HTML-escaped on the way: Pagefind stores a filter's text with its entities decoded
(twice, in 1.5), and its UI puts each value into the filter list as HTML, so a theme titled
"<img src=x onerror=…>" would run on the search page. Escaped, it is listed as those characters. The UI
hands the stored (escaped) value back when a box is ticked, so filtering works the same.

The files, as Pagefind writes them:

- `filter/<lang>_<hash>.pf_filter`: gzip of b"pagefind_dcd" + CBOR `[name, [[value, [page, ...]], ...]]`;
- `pagefind.<lang>_<hash>.pf_meta`: the same framing; its item 3 is `[[filter name, file hash], ...]`;
- `pagefind-entry.json`: `{"languages": {lang: {"hash": <the metadata file's hash>, ...}}, ...}`.

`<hash>` is the SHA-1 of the CBOR (without the framing) with each byte in hex *without* zero
padding, cut to 7 characters for a filter file and 10 for the metadata file (Pagefind's `full_hash`).
Only the subset of CBOR that Pagefind writes is handled: integers, byte and text strings, arrays,
all of definite length.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import struct
import zlib
from pathlib import Path
from typing import TypeAlias

MAGIC = b"pagefind_dcd"
FILTER_HASH_LENGTH = 7
META_HASH_LENGTH = 10
META_FILTERS = 3
"""Where the metadata file lists its filters."""

Cbor: TypeAlias = "int | str | bytes | list[Cbor]"

_UINT, _NEGATIVE, _BYTES, _TEXT, _ARRAY = 0, 1, 2, 3, 4
_SIZES = {24: 1, 25: 2, 26: 4, 27: 8}


class PagefindFormatError(ValueError):
    """The index is not in the format this module knows (a Pagefind release that changed it)."""


# ------------------------------------------------------------------------------------------ CBOR


def _head(data: bytes, i: int) -> tuple[int, int, int]:
    """(major type, argument, index after the head) of the data item starting at `i`."""
    if i >= len(data):
        raise PagefindFormatError("CBOR ends in the middle of an item")
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        return major, info, i
    if info not in _SIZES:  # 28-30 are reserved, 31 is indefinite length: Pagefind writes neither
        raise PagefindFormatError(f"CBOR additional information {info} is not handled")
    size = _SIZES[info]
    if i + size > len(data):
        raise PagefindFormatError("CBOR ends in the middle of an item")
    return major, int.from_bytes(data[i : i + size], "big"), i + size


def _decode(data: bytes, i: int) -> tuple[Cbor, int]:
    major, arg, i = _head(data, i)
    if major == _UINT:
        return arg, i
    if major == _NEGATIVE:  # in word indexes (weights), never in the files this module rewrites
        return -1 - arg, i
    if major in (_BYTES, _TEXT):
        raw = data[i : i + arg]
        if len(raw) != arg:
            raise PagefindFormatError("CBOR string runs past the end")
        return (raw if major == _BYTES else raw.decode("utf-8")), i + arg
    if major == _ARRAY:
        items: list[Cbor] = []
        for _ in range(arg):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    raise PagefindFormatError(f"CBOR major type {major} is not handled")


def cbor_decode(data: bytes) -> Cbor:
    """The one CBOR data item that is the whole of `data`."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise PagefindFormatError(f"{len(data) - end} bytes after the CBOR item")
    return value


def _encode_head(major: int, arg: int) -> bytes:
    # The shortest form, as minicbor (Pagefind's encoder) writes it: re-encoding an unchanged item
    # gives back Pagefind's bytes.
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in _SIZES.items():
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise PagefindFormatError(f"{arg} is too large for CBOR")


def cbor_encode(value: Cbor) -> bytes:
    if isinstance(value, bool):
        raise PagefindFormatError(f"{value!r} is not an integer")
    if isinstance(value, int):
        return _encode_head(_UINT, value) if value >= 0 else _encode_head(_NEGATIVE, -1 - value)
    if isinstance(value, bytes):
        return _encode_head(_BYTES, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _encode_head(_TEXT, len(raw)) + raw
    if isinstance(value, list):
        return _encode_head(_ARRAY, len(value)) + b"".join(cbor_encode(item) for item in value)
    raise PagefindFormatError(f"{type(value).__name__} cannot be written as CBOR here")


# ------------------------------------------------------------------------------- Pagefind's files


def pagefind_hash(cbor: bytes) -> str:
    """Pagefind's content hash: SHA-1, each byte as unpadded hex (so 0x0e reads 'e')."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(cbor, usedforsecurity=False).digest())


def gzip_bytes(data: bytes) -> bytes:
    """gzip with a fixed header (no time stamp, no file name, the bytes Pagefind's own header has), so the
    output depends on the data alone, not on the Python version's gzip module."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = compressor.compress(data) + compressor.flush()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def read_chunk(path: Path) -> Cbor:
    """A gzipped, framed CBOR file of the index."""
    try:
        data = zlib.decompress(path.read_bytes(), 16 + zlib.MAX_WBITS)
    except zlib.error as exc:
        raise PagefindFormatError(f"{path.name} is not gzip: {exc}") from exc
    if not data.startswith(MAGIC):
        raise PagefindFormatError(f"{path.name} does not start with {MAGIC!r}")
    return cbor_decode(data[len(MAGIC) :])


def _short_name(lang: str, digest: str, length: int, taken: set[str]) -> str:
    # Pagefind lengthens a name that collides with one already given; so do we, in a fixed order.
    while f"{lang}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    return f"{lang}_{digest[:length]}"


def _filter_value(entry: Cbor, name: str) -> tuple[str, list[int]]:
    """One `[value, [pages]]` of a filter: the value escaped as HTML text, the pages sorted."""
    if isinstance(entry, list) and len(entry) == 2:
        text, pages = entry
        if isinstance(text, str) and isinstance(pages, list):
            numbers = [page for page in pages if isinstance(page, int)]
            if len(numbers) == len(pages):
                return html.escape(text, quote=False), sorted(numbers)
    raise PagefindFormatError(f"a value of filter {name!r} is not [text, [page numbers]]")


def _canonical_filter(value: Cbor, name: str) -> list[Cbor]:
    """The filter `[name, [[value, [pages]], ...]]`, its values escaped and sorted, and their pages sorted."""
    if not (isinstance(value, list) and len(value) == 2 and value[0] == name and isinstance(value[1], list)):
        raise PagefindFormatError(f"filter {name!r} is not [name, values]")
    entries = sorted(_filter_value(entry, name) for entry in value[1])
    return [name, [[text, list(pages)] for text, pages in entries]]


def _meta_filters(meta: Cbor) -> list[tuple[str, str]]:
    """The (filter name, file hash) pairs the metadata file lists."""
    filters = meta[META_FILTERS] if isinstance(meta, list) and len(meta) > META_FILTERS else None
    if not isinstance(filters, list):
        raise PagefindFormatError("the metadata file has no filter list where Pagefind 1.5 puts it")
    pairs = []
    for item in filters:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise PagefindFormatError("a filter of the metadata file is not [name, hash]")
        pairs.append((str(item[0]), str(item[1])))
    return sorted(pairs)


def _write(path: Path, value: Cbor) -> None:
    # A new file, never written in place: files of the staging folder may be hard links to the live site.
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(gzip_bytes(MAGIC + cbor_encode(value)))
    os.replace(tmp, path)


def _canonicalize_language(bundle: Path, lang: str, meta_hash: str) -> str:
    """Rewrite one language's filter files and metadata file; the metadata file's new hash."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_chunk(meta_path)
    filters = []
    for name, short in _meta_filters(meta):
        path = bundle / "filter" / f"{short}.pf_filter"
        filters.append((name, path, _canonical_filter(read_chunk(path), name)))
    for _, path, _ in filters:  # all read first: a new name may be an old name of another filter
        path.unlink(missing_ok=True)
    taken: set[str] = set()
    listed: list[Cbor] = []
    for name, _, value in filters:
        short = _short_name(lang, pagefind_hash(cbor_encode(value)), FILTER_HASH_LENGTH, taken)
        taken.add(short)
        _write(bundle / "filter" / f"{short}.pf_filter", value)
        listed.append([name, short])
    assert isinstance(meta, list)
    meta[META_FILTERS] = listed
    new_hash = f"{lang}_{pagefind_hash(cbor_encode(meta))[:META_HASH_LENGTH]}"
    meta_path.unlink()
    _write(bundle / f"pagefind.{new_hash}.pf_meta", meta)
    return new_hash


def canonicalize_index(bundle: Path) -> None:
    """Rewrite the Pagefind index in `bundle` (a `pagefind/` folder) so that the same pages always give
    the same bytes: filter values escaped and sorted with their pages, files renamed by their new content
    hashes, and the names updated where the metadata file and pagefind-entry.json refer to them.

    Run it once, on the index as Pagefind wrote it (a second run would escape the values again)."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry.get("languages")
    if not isinstance(languages, dict):
        raise PagefindFormatError("pagefind-entry.json has no languages")
    for lang in sorted(languages):
        languages[lang]["hash"] = _canonicalize_language(bundle, lang, languages[lang]["hash"])
    entry["languages"] = {lang: languages[lang] for lang in sorted(languages)}
    # As Pagefind writes it (serde_json: compact, UTF-8, no final newline).
    tmp = entry_path.with_name(entry_path.name + ".tmp")
    tmp.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, entry_path)
