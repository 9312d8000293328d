"""Where rendered files go. The render stage defines what it needs of a destination (`Sink`); the
build's staging writer (output/writer.py) is one, `Discard` (check) another, and with none the files
stay in memory (`serve`). Render never imports the output stage: they are siblings, and the driver
wires them."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

from themehub import urls
from themehub.hub.languages import Localization
from themehub.render.packed import PackedFiles, unpack


class Sink(Protocol):
    """A destination for a build's files, written once each, in any order."""

    @property
    def previous(self) -> Path | None:
        """The output folder the build replaces, where unchanged files can be kept from (None: none)."""

    def put(self, rel: str, data: bytes) -> None:
        """Write a file."""

    def put_unchanged(self, rel: str, seen: os.stat_result | None = None) -> None:
        """Keep the file of the previous output at `rel`, which is known to be unchanged; `seen`: its
        stat, when the caller has just taken it (the writer then takes none)."""


_HREF = re.compile(rb'href="([^"#?]*)')


class Output:
    """Where rendered files go: kept in memory, packed (`serve`, render/packed.py), or streamed to a
    sink (`build`'s staging folder, so a 10,000-article hub is never held in memory; nowhere, for
    `check`). Either way, every output's
    path and each page's links to other site pages are kept, for the link and reachability checks."""

    def __init__(self, base_path: str, writer: Sink | None = None) -> None:
        self.base = base_path.encode()
        self.writer = writer
        self.files = PackedFiles()
        self.links: dict[str, tuple[str, ...]] = {}
        self.paths: set[str] = set()
        self.refused: list[str] = []
        """Paths that name no file inside the site (a bug upstream): never placed, reported."""

    @property
    def streaming(self) -> bool:
        return self.writer is not None

    def put(self, path: str, data: bytes, *, unchanged: bool = False, packed: bool = False,
            links: tuple[str, ...] | None = None, seen: os.stat_result | None = None) -> tuple[str, ...] | None:
        """Place one file; returns the page's links (given, or found in `data`). `packed`: `data` is a
        file of the last in-memory render as it was kept (PackedFiles.blob)."""
        if packed and (self.writer is not None or (links is None and path.endswith(".html"))):
            return self.put(path, unpack(data), unchanged=unchanged, links=links, seen=seen)
        if not urls.is_safe_output_path(path):
            self.refused.append(path)
            return None
        self.paths.add(path)
        if links is not None:
            self.links[path] = links
        elif path.endswith(".html"):
            base, n = self.base, len(self.base)
            self.links[path] = tuple(dict.fromkeys(
                sys.intern(_site_path(href[n:])) for href in _HREF.findall(data)
                if href.startswith(base) and (href.endswith(b"/") or len(href) == n)
            ))
        if self.writer is None:
            if packed:
                self.files.put_blob(path, data)
            else:
                self.files.put(path, data)
            return self.links.get(path)
        if unchanged and self.writer.previous is not None:
            self.writer.put_unchanged(path, seen)
        else:
            self.writer.put(path, data)
        return self.links.get(path)


class InFolder:
    """A sink for the pages of a language below the root (hub/languages.py): each file goes to that
    language's folder, under its translated address."""

    def __init__(self, sink: Sink, language: Localization) -> None:
        self.sink = sink
        self.language = language

    @property
    def previous(self) -> Path | None:
        return self.sink.previous

    def put(self, rel: str, data: bytes) -> None:
        self.sink.put(self.language.output(rel), data)

    def put_unchanged(self, rel: str, seen: os.stat_result | None = None) -> None:
        self.sink.put_unchanged(self.language.output(rel), seen)


def _site_path(href: bytes) -> str:
    """A link's site path as the output names it: percent-escapes (a tag in any script) decoded."""
    text = href.decode("utf-8", "replace")
    return unquote(text) if "%" in text else text


class Discard:
    """A sink that keeps nothing. `check` renders every page to find what only rendering finds (template
    errors, links to pages and anchors), for which it needs each page's address and links, never its bytes:
    a 10,000-piece hub is checked without holding its pages in memory."""

    previous: Path | None = None

    def put(self, rel: str, data: bytes) -> None:
        pass

    def put_unchanged(self, rel: str, seen: os.stat_result | None = None) -> None:
        pass
