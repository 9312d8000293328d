"""The records of the persistent cache (incremental/store.py): rendered markdown, resolved links and
parsed front matter, each kept as JSON lines in one file (PackedRecords), keyed by a hash of what made
them, and checked field by field when read back (a record that does not fit is a miss, never trusted).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from themehub import __version__
from themehub.incremental import json_codec
from themehub.render.bodies import Resolved
from themehub.render.links import ExternalUrl, LinkProblem, ResolvedBody, SiteLink
from themehub.render.rendered_body import Heading, RenderedBody
from themehub.source.frontmatter import Document, Note

K = TypeVar("K")
V = TypeVar("V")

FORMAT = f"themehub-cache 7 {__version__}"
"""The cache's format and themehub's version: a cache with another marker is started again."""


class PackedRecords:
    """JSON records in one file, one line each, keyed by a content hash: thousands of entries are one
    sequential read instead of thousands of files. New records are appended; the file is rewritten
    with only the records used when over a third of it has gone stale. A line that does not parse (a build
    killed while appending) or that is not the record of its key is a miss, never trusted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: dict[str, bytes] = {}
        """Records not asked for yet, as their lines (a record is handed out once: callers keep it).
        Kept as bytes and split on newlines only: decoding a 170 MB file to text and splitting it on
        every Unicode line break cost a second of a rebuild at 10,000 articles, and json.dumps writes a
        U+2028 in a body as it is, which the text's splitlines() cut in two."""
        self.new: dict[str, tuple[dict[str, Any], str | None]] = {}
        self.used: set[str] = set()
        self.corrupt = 0
        data = self._read_bytes()
        self._torn_end = bool(data) and not data.endswith(b"\n")
        for line in data.split(b"\n"):
            key = _key_of(line)
            if key:
                self.lines[key] = line
        self.loaded = len(self.lines)

    def _read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError:
            return b""

    def get(self, key: str, *, tail_as_bytes: bool = False) -> dict[str, Any] | None:
        """The record of `key`, checked (None: none, or one that does not read whole). Its tail comes
        back as text, or as its UTF-8 bytes (`tail_as_bytes`: a caller that decodes it only when used)."""
        line = self.lines.pop(key, None)
        if line is None:
            return None
        self.used.add(key)
        try:
            cut = line.find(_TAIL)
            record = json_codec.loads(line if cut < 0 else line[:cut])
            if not isinstance(record, dict) or record.get("key") != key:
                raise ValueError("not the record of its key")
            tail = record.pop(_TAIL_FIELD, None)
            if (tail is None) != (cut < 0):
                raise ValueError("a tail without its size, or a size without its tail")
            if tail is not None:
                name, size = tail
                raw = line[cut + 1:]
                if len(raw) != size or name in record:  # a line cut short by a killed build
                    raise ValueError("the tail is not the size it was written")
                text = raw.replace(b"\xff", b"\n")
                record[name] = text if tail_as_bytes else text.decode("utf-8", "surrogatepass")
        except (ValueError, TypeError):
            self.corrupt += 1
            self.used.discard(key)
            return None
        return record

    def put(self, key: str, record: dict[str, Any], tail: str | None = None) -> None:
        """Keep `record`; `tail` names its one long text field, if it has one, which is then stored as
        the line's tail (see _TAIL)."""
        self.new[key] = (record, tail)  # serialized line by line when saved: never the whole file at once
        self.used.add(key)

    def _new_lines(self) -> Iterator[bytes]:
        for key in sorted(self.new):
            record, tail = self.new[key]
            if tail is None:
                yield (json.dumps({"key": key, **record}, ensure_ascii=False) + "\n").encode("utf-8")
                continue
            raw = record[tail].encode("utf-8", "surrogatepass").replace(b"\n", b"\xff")
            head = {"key": key, **{name: value for name, value in record.items() if name != tail},
                    _TAIL_FIELD: [tail, len(raw)]}
            yield json.dumps(head, ensure_ascii=False).encode("utf-8") + _TAIL + raw + b"\n"

    def save(self) -> None:
        if not self.new:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        used = len(self.used)
        # Over a third stale: rewrite with what this build used. Not "mostly stale": a change of every key
        # (a markdown setting) leaves the file exactly half stale, and its stale half was read into
        # memory on every build after (170 MB at 10,000 articles).
        if self.loaded > used + used // 2 + 64:
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with tmp.open("wb") as out:
                for line in self._read_bytes().split(b"\n"):
                    key = _key_of(line)
                    if key in self.used and key not in self.new:
                        out.write(line + b"\n")
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


_TAIL = b"\xfe"
"""Where a record's tail starts: its one long text (a body, a page's HTML), stored as UTF-8 with every
newline written as the byte 0xFF. Neither byte ever occurs in UTF-8, so the JSON before it cannot hold
one and the text is read back with two C calls; decoding it as a JSON string cost 0.5 s of a
10,000-article rebuild for the bodies alone. Its size is in the JSON (_TAIL_FIELD): a line that a
killed build cut short is a miss."""

_TAIL_FIELD = "@tail"


def _key_of(line: bytes) -> str:
    """`save` starts every line with {"key": "<key>": the key is read without parsing the line."""
    return line[9:line.find(b'"', 9)].decode("utf-8", "replace") if line.startswith(b'{"key": "') else ""


class RecordMapping(MutableMapping[K, V]):
    """A mapping over PackedRecords: values decoded on demand and kept in memory once read, written
    back as records. Subclasses say how a key names its record and how a value is (de)coded; a
    record that does not decode is a miss, never trusted."""

    tail: str | None = None
    """The encoded record's one long text field, if it has one (PackedRecords.put)."""
    tail_as_bytes = False
    """Whether `decode` is given that field as its UTF-8 bytes, to decode when it is used."""

    def __init__(self, path: Path) -> None:
        self.records = PackedRecords(path)
        self.memory: dict[K, V] = {}

    def record_key(self, key: K) -> str:
        raise NotImplementedError

    def decode(self, key: K, raw: dict[str, Any]) -> V:
        """The value of a record; raises ValueError, KeyError, TypeError, IndexError or AttributeError
        when it does not fit."""
        raise NotImplementedError

    def encode(self, value: V) -> dict[str, Any]:
        raise NotImplementedError

    def _read(self, key: K) -> V | None:
        raw = self.records.get(self.record_key(key), tail_as_bytes=self.tail_as_bytes)
        if raw is None:
            return None
        try:
            value = self.decode(key, raw)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            self.records.corrupt += 1
            return None
        self.memory[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        return key in self.memory or self._read(key) is not None  # type: ignore[arg-type]

    def __getitem__(self, key: K) -> V:
        value = self.memory.get(key)
        if value is None:
            value = self._read(key)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self.memory[key] = value
        self.records.put(self.record_key(key), self.encode(value), self.tail)

    def __delitem__(self, key: K) -> None:
        self.memory.pop(key, None)

    def __iter__(self) -> Iterator[K]:
        return iter(self.memory)

    def __len__(self) -> int:
        return len(self.memory)

    def save(self) -> None:
        self.records.save()


class DiskMarkdownCache(RecordMapping[str, RenderedBody]):
    """Rendered bodies kept in `markdown.jsonl`, keyed by their markdown key. A record's HTML is its
    tail, left as UTF-8 bytes until it is read (RenderedBody.html): a rebuild reads every body's ids
    but the HTML of few."""

    tail = "html"
    tail_as_bytes = True

    def record_key(self, key: str) -> str:
        return key

    def decode(self, key: str, raw: dict[str, Any]) -> RenderedBody:
        html = raw["html"]
        return RenderedBody(
            html if isinstance(html, bytes) else str(html),
            headings=tuple(Heading(int(h[0]), str(h[1]), str(h[2])) for h in raw["headings"]),
            images_without_alt=tuple(str(x) for x in raw["no_alt"]),
            removed_urls=tuple(str(x) for x in raw["removed"]),
            defused=int(raw["defused"]),
            problem=str(raw["problem"]),
            ids=frozenset(str(x) for x in raw["ids"]),
        )

    def encode(self, body: RenderedBody) -> dict[str, Any]:
        return {"headings": [[h.level, h.id, h.text] for h in body.headings],
                "no_alt": list(body.images_without_alt), "removed": list(body.removed_urls),
                "defused": body.defused, "problem": body.problem, "ids": sorted(body.ids), "html": body.html}


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
        }, tail="html")

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
