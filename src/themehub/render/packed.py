"""Rendered files kept in memory, compressed: what `serve` holds of a build.

A 10,000-article hub renders some 14,000 pages of 20 KB each; held as they are, they were the largest
part of the preview's memory (about 300 MiB). HTML compresses five to eight times at zlib's fastest
level, which packs a page in a fraction of a millisecond and unpacks it faster still, so the server
keeps every file packed and unpacks one when it is asked for. zlib's output is a function of its input
and level, so two packed files are equal exactly when their bytes are: comparing builds (which pages
changed, which the search index must see again) never unpacks anything.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping

LEVEL = 1
"""zlib's fastest level: pages pack about 5x, at some 100 MB/s on one core."""


def pack(data: bytes) -> bytes:
    return zlib.compress(data, LEVEL)


def unpack(blob: bytes) -> bytes:
    return zlib.decompress(blob)


class PackedFiles(Mapping[str, bytes]):
    """Output path -> bytes, stored packed. Reads unpack; `blob` gives the packed form."""

    __slots__ = ("_blobs",)

    def __init__(self, blobs: dict[str, bytes] | None = None) -> None:
        self._blobs: dict[str, bytes] = blobs if blobs is not None else {}

    @classmethod
    def of(cls, files: Mapping[str, bytes]) -> PackedFiles:
        """`files` packed (a PackedFiles is shared, not unpacked and packed again)."""
        if isinstance(files, PackedFiles):
            return files.copy()
        return cls({path: pack(data) for path, data in files.items()})

    def put(self, path: str, data: bytes) -> bytes:
        """Keep `data` at `path`; returns its packed form."""
        blob = self._blobs[path] = pack(data)
        return blob

    def put_blob(self, path: str, blob: bytes) -> None:
        """Keep a file already packed (a page reused from the last render)."""
        self._blobs[path] = blob

    def blob(self, path: str) -> bytes | None:
        return self._blobs.get(path)

    def copy(self) -> PackedFiles:
        return PackedFiles(dict(self._blobs))

    def only(self, keep: Iterable[str]) -> PackedFiles:
        """The files at the paths of `keep` (those present), still packed."""
        return PackedFiles({path: self._blobs[path] for path in keep if path in self._blobs})

    def differing(self, other: PackedFiles) -> list[str]:
        """The paths, sorted, whose files differ between the two (or are in one only)."""
        return sorted(path for path in self._blobs.keys() | other._blobs.keys()
                      if self._blobs.get(path) != other._blobs.get(path))

    def __getitem__(self, path: str) -> bytes:
        return unpack(self._blobs[path])

    def __contains__(self, path: object) -> bool:
        return path in self._blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedFiles):
            return self._blobs == other._blobs
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dict
