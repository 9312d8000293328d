"""The persistent cache (`.themehub-cache/`): rendered markdown, page fingerprints and the related
content ranking between builds.

CI can keep the folder between runs; it is always safe to delete. Everything in it is checked
before use: a cache written by another themehub version, or one that does not parse, is ignored
with a warning and rebuilt, never trusted. Entries are JSON (never pickle: a cache restored by CI
must not be able to run code).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from themehub import __version__
from themehub.diagnostics import Diagnostic, warning
from themehub.hub.graph import RankedSlugs
from themehub.output.lock import LOCK_FILE
from themehub.render.bodies import Resolved
from themehub.render.links import ExternalUrl, LinkProblem, ResolvedBody, SiteLink
from themehub.render.markdown import Heading, RenderedBody
from themehub.render.reuse import CachedPage, RenderCache
from themehub.source.frontmatter import Document, Note

CACHE_DIR = ".themehub-cache"
FORMAT = f"themehub-cache 3 {__version__}"


class PackedRecords:
    """JSON records in one file, one line each, keyed by a content hash: thousands of entries are one
    sequential read instead of thousands of files. New records are appended; the file is rewritten
    with only the records used when most of it has gone stale. A line that does not parse (a build
    killed while appending) or that is not the record of its key is a miss, never trusted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[str, str] = {}
        """Records not asked for yet, as their lines (a record is handed out once: callers keep it)."""
        self.new: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.corrupt = 0
        text = self._read_text()
        self._torn_end = bool(text) and not text.endswith("\n")
        for line in text.splitlines():
            key = _key_of(line)
            if key:
                self.lines[key] = line
        self.loaded = len(self.lines)

    def _read_text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            return ""

    def get(self, key: str) -> dict[str, Any] | None:
        line = self.lines.pop(key, None)
        if line is None:
            return None
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or record.get("key") != key:
                raise ValueError("not the record of its key")
        except ValueError:
            self.corrupt += 1
            return None
        self.used.add(key)
        return record

    def put(self, key: str, record: dict[str, Any]) -> None:
        self.new[key] = record  # serialized line by line when saved: never the whole file in memory at once
        self.used.add(key)

    def _new_lines(self) -> Iterator[bytes]:
        for key in sorted(self.new):
            yield (json.dumps({"key": key, **self.new[key]}, ensure_ascii=False) + "\n").encode("utf-8")

    def save(self) -> None:
        if not self.new:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.loaded > 2 * len(self.used) + 64:  # mostly stale: rewrite with what this build used
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as out:
                for line in self._read_text().splitlines():
                    key = _key_of(line)
                    if key in self.used and key not in self.new:
                        out.write((line + "\n").encode("utf-8"))
                out.writelines(self._new_lines())
            os.replace(tmp, self.path)
        else:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                if self._torn_end:
                    os.write(fd, b"\n")
                for new_line in self._new_lines():
                    os.write(fd, new_line)  # one write per line: a concurrent build's lines stay whole
            finally:
                os.close(fd)
        self.new.clear()
        self._torn_end = False


def _key_of(line: str) -> str:
    """`save` starts every line with {"key": "<key>": the key is read without parsing the line."""
    return line[9:line.find('"', 9)] if line.startswith('{"key": "') else ""


class DiskMarkdownCache(MutableMapping[str, RenderedBody]):
    """Rendered bodies kept in `markdown.jsonl` (PackedRecords), decoded on demand."""

    def __init__(self, path: Path) -> None:
        self.records = PackedRecords(path)
        self.memory: dict[str, RenderedBody] = {}

    def _read(self, key: str) -> RenderedBody | None:
        raw = self.records.get(key)
        if raw is None:
            return None
        try:
            body = RenderedBody(
                html=str(raw["html"]),
                headings=tuple(Heading(int(h[0]), str(h[1]), str(h[2])) for h in raw["headings"]),
                images_without_alt=tuple(str(x) for x in raw["no_alt"]),
                removed_urls=tuple(str(x) for x in raw["removed"]),
                defused=int(raw["defused"]),
                problem=str(raw["problem"]),
            )
        except (ValueError, KeyError, TypeError, IndexError):
            self.records.corrupt += 1
            return None
        self.memory[key] = body
        return body

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self.memory or self._read(key) is not None)

    def __getitem__(self, key: str) -> RenderedBody:
        body = self.memory.get(key) or self._read(key)
        if body is None:
            raise KeyError(key)
        return body

    def __setitem__(self, key: str, body: RenderedBody) -> None:
        self.memory[key] = body
        self.records.put(key, {"html": body.html, "headings": [[h.level, h.id, h.text] for h in body.headings],
                               "no_alt": list(body.images_without_alt), "removed": list(body.removed_urls),
                               "defused": body.defused, "problem": body.problem})

    def __delitem__(self, key: str) -> None:
        self.memory.pop(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.memory)

    def __len__(self) -> int:
        return len(self.memory)

    def save(self) -> None:
        self.records.save()


class DiskResolved:
    """Bodies with their links resolved (render/bodies.py's ResolvedStore), in `links.jsonl`, keyed by
    the body's markdown key and the link table's digest: resolving every body's links again on each
    build cost a tenth of a rebuild at 1,000 articles."""

    def __init__(self, path: Path) -> None:
        self.records = PackedRecords(path)

    @staticmethod
    def _key(key: str, table: str) -> str:
        return hashlib.blake2b(f"{key}\0{table}".encode(), digest_size=16).hexdigest()

    def find(self, key: str, table: str) -> Resolved | None:
        raw = self.records.get(self._key(key, table))
        if raw is None:
            return None
        try:
            html = Markup(raw["html"])  # one string for both (bodies.py's `resolution`)
            links = ResolvedBody(
                html,
                tuple(LinkProblem(str(t), str(f), str(k), str(w)) for t, f, k, w in raw["problems"]),
                tuple(SiteLink(str(w), str(p), str(f)) for w, p, f in raw["site"]),
                tuple(ExternalUrl(str(url)) for url in raw["external"]),
            )
        except (ValueError, KeyError, TypeError):
            self.records.corrupt += 1
            return None
        return Resolved(key, table, html, links)

    def remember(self, resolved: Resolved) -> None:
        links = resolved.links
        self.records.put(self._key(resolved.key, resolved.table), {
            "html": links.html,
            "problems": [[p.target, p.fragment, p.kind, p.written] for p in links.problems],
            "site": [[s.written, s.path, s.fragment] for s in links.site_links],
            "external": [e.url for e in links.external],
        })

    def save(self) -> None:
        self.records.save()


class FrontMatterCache:
    """Parsed front matter (content/loader.py's DocumentStore) in `front-matter.jsonl`, keyed by the
    YAML's text and themehub's version: an unchanged file's YAML is not parsed again. Dates are kept
    tagged ({"d": ...}, {"t": ...}) and mappings as {"m": ...}, so every value comes back as it was;
    with them the texts as written, the notes (warnings and errors about single values) and the
    values left out, so a Document comes back whole."""

    SHAPE = 2
    """The record's layout: a record of another shape (written before source texts and notes were
    kept) is a miss, parsed again, never read as if it had none."""

    def __init__(self, path: Path) -> None:
        self.records = PackedRecords(path)

    @staticmethod
    def _key(front_matter: str) -> str:
        return hashlib.blake2b(f"{FORMAT}\0{front_matter}".encode(), digest_size=16).hexdigest()

    def get(self, front_matter: str) -> Document | None:
        raw = self.records.get(self._key(front_matter))
        if raw is None or raw.get("shape") != self.SHAPE:
            return None
        try:
            data = _decode_value(raw["data"])
            if not isinstance(data, dict):
                raise TypeError("not a mapping")
            return Document(
                data,
                {_path(path): (int(line), int(col)) for path, line, col in raw["positions"]},
                {str(key): (int(line), int(col)) for key, line, col in raw["keys"]},
                int(raw["offset"]),
                {_path(path): str(text) for path, text in raw["sources"]},
                tuple(_note(*note) for note in raw["notes"]),
                frozenset(_path(path) for path in raw["dropped"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            self.records.corrupt += 1
            return None

    def put(self, front_matter: str, document: Document) -> None:
        self.records.put(self._key(front_matter), {
            "shape": self.SHAPE,
            "data": _encode_value(document.data),
            "positions": [[list(path), line, col] for path, (line, col) in document.positions.items()],
            "keys": [[key, line, col] for key, (line, col) in document.key_positions.items()],
            "offset": document.line_offset,
            "sources": [[list(path), text] for path, text in document.sources.items()],
            "notes": [[n.severity, n.line, n.col, n.code, n.message, n.hint] for n in document.notes],
            "dropped": [list(path) for path in sorted(document.dropped, key=str)],
        })

    def save(self) -> None:
        self.records.save()


def _path(raw: list[Any]) -> tuple[str | int, ...]:
    """A value's path as stored: keys and list indexes only (JSON keeps which is which)."""
    if not all(isinstance(part, str | int) and not isinstance(part, bool) for part in raw):
        raise TypeError("not a path")
    return tuple(raw)


def _note(severity: str, line: int, col: int, code: str, message: str, hint: str) -> Note:
    if severity not in ("error", "warning"):
        raise ValueError(f"no severity {severity!r}")
    return Note("error" if severity == "error" else "warning", int(line), int(col), str(code), str(message),
                str(hint))


def _encode_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {"m": {key: _encode_value(item) for key, item in value.items()}}
    if isinstance(value, list):
        return [_encode_value(item) for item in value]
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode_value(item) for item in value]
    if isinstance(value, dict):
        if "m" in value:
            return {str(key): _decode_value(item) for key, item in value["m"].items()}
        if "t" in value:
            return dt.datetime.fromisoformat(value["t"])
        return dt.date.fromisoformat(value["d"])
    return value


def cache_is_current(folder: Path) -> bool:
    """The cache in `folder` was written by this themehub (anything else is not read)."""
    try:
        return (folder / "FORMAT").read_text(encoding="utf-8").strip() == FORMAT
    except OSError:
        return False


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


OWN_ENTRIES = frozenset({"FORMAT", "markdown.jsonl", "links.jsonl", "front-matter.jsonl", "pages.json",
                         "related.json", "images", "previous-site", "external.json", LOCK_FILE})
"""Everything themehub writes in the cache folder (and temporary files starting with '.')."""


def committed_files(folder: Path) -> list[str]:
    """Files under `folder` that the git repository around it tracks (none outside a repository, or
    without git). A cache holds rendered HTML that is used as it is, unsanitized again: one committed
    to the repository could come from a pull request, and would put its pages into the site."""
    try:
        # safe.directory: a checkout owned by another user (CI containers) must not switch the check
        # off; no fsmonitor: listing files runs nothing from the repository's configuration.
        done = subprocess.run(["git", "-c", "safe.directory=*", "-c", "core.fsmonitor=false", "ls-files", "-z",
                               "--", "."], cwd=folder, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:  # not inside a work tree
        return []
    return sorted(name for name in done.stdout.decode("utf-8", "replace").split("\0") if name)


def committed_cache(folder: Path) -> list[Diagnostic]:
    """A `cache-committed` warning when git tracks files in the cache `folder` (which is then not used)."""
    committed = committed_files(folder) if folder.is_dir() else []
    if not committed:
        return []
    return [warning(f"{CACHE_DIR}/{committed[0]}", 1, 1, "cache-committed",
                    f"{CACHE_DIR}/ is committed to the repository ({len(committed)} file"
                    f"{'s' if len(committed) != 1 else ''}): a cache could come from a pull request with "
                    "pages of its own, so builds use none and leave it as it is",
                    f"remove it from git (git rm -r --cached {CACHE_DIR}) and keep it out with a line "
                    f"'{CACHE_DIR}/' in .gitignore")]


def prepare_cache(folder: Path) -> tuple[bool, list[Diagnostic]]:
    """Make `folder` a cache of this themehub: whole, with its marker. A cache left without its marker
    (a build that failed, `serve` before any build) or written by another version is emptied
    silently and started again. A folder holding files themehub never writes is not ours: it is left
    untouched, with a warning, and the build runs without a cache (False); so is a cache whose files
    the repository tracks (`committed_files`)."""
    folder.mkdir(parents=True, exist_ok=True)
    committed = committed_cache(folder)
    if committed:
        return False, committed
    try:
        found = (folder / "FORMAT").read_text(encoding="utf-8").strip()
    except OSError:
        found = ""
    if found == FORMAT:
        return True, []
    strangers = sorted(entry.name for entry in folder.iterdir()
                       if entry.name not in OWN_ENTRIES and not entry.name.startswith("."))
    if strangers or (found and not found.startswith("themehub-cache ")):
        what = f"files themehub does not write ({', '.join(strangers[:3])})" if strangers else f"'{found[:60]}'"
        return False, [warning(f"{CACHE_DIR}/FORMAT", 1, 1, "cache-ignored",
                               f"{CACHE_DIR}/ holds {what}: it is not a themehub cache, so this build uses none",
                               f"move those files elsewhere, or delete {CACHE_DIR}/ (themehub makes it again)")]
    for entry in folder.iterdir():
        if entry.name == LOCK_FILE:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    _atomic_write(folder / "FORMAT", FORMAT + "\n")
    return True, []


def load_cache(folder: Path, previous_output: Path) -> RenderCache:
    """The cache in `folder` (made current by `prepare_cache`). A damaged page table is a miss: every
    page is rendered again, and the table is written anew at the end of the build."""
    cache = RenderCache(markdown=DiskMarkdownCache(folder / "markdown.jsonl"), previous_output=previous_output,
                        kept_resolved=DiskResolved(folder / "links.jsonl"))
    pages_file = folder / "pages.json"
    if pages_file.exists():
        try:
            raw = json.loads(pages_file.read_text(encoding="utf-8"))
            cache.site_digest = str(raw["site_digest"])
            cache.digests = {str(k): str(v) for k, v in raw["digests"].items()}
            urls = [str(u) for u in raw["urls"]]
            cache.pages = {str(k): CachedPage(str(v[0]), None, str(v[1]),
                                              None if v[3] is None else tuple(urls[i] for i in v[3]), str(v[2]))
                           for k, v in raw["pages"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            cache.pages, cache.digests, cache.site_digest = {}, {}, ""
    return cache


def load_graph_memo(folder: Path) -> dict[str, object]:
    """The related-content ranking of the last build (hub/graph.py reuses it while its key holds).
    Anything foreign or malformed gives an empty memo: the ranking is then computed again."""
    if not cache_is_current(folder):
        return {}
    try:
        raw = json.loads((folder / "related.json").read_text(encoding="utf-8"))
        related = {str(slug): tuple((str(s), float(score), tuple(str(r) for r in reasons))
                                    for s, score, reasons in ranked)
                   for slug, ranked in raw["related"].items()}
        return {"related-key": str(raw["key"]), "related": related, "saved-key": str(raw["key"])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def save_graph_memo(folder: Path, memo: dict[str, object]) -> None:
    key = memo.get("related-key")
    if key is None or key == memo.get("saved-key"):
        return  # unchanged since it was read
    related: RankedSlugs = memo["related"]  # type: ignore[assignment]
    record = {"key": key, "related": {slug: [[s, score, list(reasons)] for s, score, reasons in ranked]
                                      for slug, ranked in sorted(related.items())}}
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write(folder / "related.json", json.dumps(record, ensure_ascii=False))
    memo["saved-key"] = key


def save_cache(folder: Path, cache: RenderCache) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(cache.markdown, DiskMarkdownCache):
        cache.markdown.save()
    if isinstance(cache.kept_resolved, DiskResolved):
        cache.kept_resolved.save()
    # Links as indexes into one table of URLs: pages link to the same few thousand addresses.
    urls = sorted({url for page in cache.pages.values() for url in page.links or ()})
    index = {url: i for i, url in enumerate(urls)}
    record = {
        "site_digest": cache.site_digest,
        "digests": dict(sorted(cache.digests.items())),
        "urls": urls,
        "pages": {path: [page.fingerprint, page.sha, page.stamp,
                         None if page.links is None else [index[u] for u in page.links]]
                  for path, page in sorted(cache.pages.items())},
    }
    _atomic_write(folder / "pages.json", json.dumps(record))
