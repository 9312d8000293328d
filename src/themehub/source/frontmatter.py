"""Front matter: split a content file and load its YAML safely, keeping line numbers.

The YAML is composed into nodes (with libyaml when present) and converted here, by hand, so that:
- every value keeps its position (for diagnostics that point at the exact line and column);
- values are read as written: the text of every plain scalar that converts (`3.10`, `1_000`, `true`,
  `~`, `2024-01-05`) is kept beside its value, and text fields read that text (fields.py);
- duplicate keys, aliases, custom tags and complex keys are errors at the value, which is left out
  (of two duplicate keys the first is kept), while the rest of the document is still read: one
  mistake is one diagnostic, not a lost item and an error at everything that names it;
- a value YAML drops without a word is a warning: `color: #0f766e` is a comment, so an empty value;
- YAML 1.1 surprises are not applied: `yes`/`no`/`on`/`off` stay strings, `12:30` is not 750,
  `0777` is not octal. Only `true`/`false`, plain decimal numbers, `null` and ISO dates convert.
Only what cannot give a document at all (a syntax error, absurd size or depth, not a mapping) is
reported instead of one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from themehub.diagnostics import Diagnostic, Severity, error

try:  # libyaml is ~9x faster; the pure-Python loader gives the same nodes.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]
"""Where a value sits in the document: ('themes', 1) is the second item of `themes`."""

MAX_DEPTH = 32
MAX_FRONT_MATTER = 256 * 1024

_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)\Z")
_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]+([eE][-+]?[0-9]+)?\Z")
_BOOL = {"true": True, "false": False}
_NULL = {"", "~", "null"}
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_IMPLICIT_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as the end of a line (marks count lines by it, not only by '\\n')."""

_DROP: Any = object()
"""What a value left out of the document (with an error) converts to."""


@dataclass(frozen=True, slots=True)
class Note:
    """A problem with one value of the YAML, without a file name: a cached Document is keyed by its
    text alone, so two files with the same front matter share one."""

    severity: Severity
    line: int
    col: int
    code: str
    message: str
    hint: str = ""

    def at(self, file: str) -> Diagnostic:
        return Diagnostic(file, self.line, self.col, self.severity, self.code, self.message, self.hint)


_QUOTED_VALUE = re.compile(r"""^(\s*[^\s:#'"-][^:#]*:\s+)(["'])""")


def _text_after_quote_hint(line: str) -> str:
    """For `title: "Churn" in practice`, the commonest YAML mistake in a title: a value that starts with a
    quoted phrase ends at its closing quote, and YAML cannot read the words after it."""
    found = _QUOTED_VALUE.match(line)
    if found is None:
        return ""
    key, quote = found.group(1), found.group(2)
    escape = "''" if quote == "'" else "\\"  # a quote inside single quotes is doubled; \" inside double ones
    i = found.end()
    while (i < len(line) and line[i] != quote) or line.startswith(escape, i):
        i += 2 if line.startswith(escape, i) else 1
    rest = line[i + 1:].strip()
    if i >= len(line) or not rest or rest.startswith("#"):
        return ""
    if quote == "'":
        return "words follow the closing quote: put the whole value in double quotes"
    value = line[len(key):].rstrip().replace("'", "''")
    return f"words follow the closing quote: put the whole value in single quotes, {key.strip()} '{value}'"


def _error(line: int, col: int, code: str, message: str, hint: str = "") -> Note:
    return Note("error", line, col, code, message, hint)


def _warning(line: int, col: int, code: str, message: str, hint: str = "") -> Note:
    return Note("warning", line, col, code, message, hint)


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML mapping with the position of every key and value."""

    data: dict[str, Any]
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0
    sources: dict[Path_, str] = field(default_factory=dict)
    """The text as written of every plain scalar YAML converted: `title: 3.10` is 3.1 in `data` and
    '3.10' here (also `true`, `~`, `2024-01-05`). Text fields read this; numbers and booleans `data`."""
    notes: tuple[Note, ...] = ()
    """What load_yaml found wrong with single values (errors and warnings), in document order."""
    dropped: frozenset[Path_] = frozenset()
    """Mapping values left out of `data` because of an error in `notes` (a field reader does not call
    them missing: that would be a second diagnostic for one mistake)."""

    def pos(self, *path: str | int) -> tuple[int, int]:
        """(line, col) in the file of the value at `path`, falling back to its parents."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (1 + self.line_offset, 1)

    def source(self, *path: str | int) -> str | None:
        """The text as written of a converted plain scalar at `path` (None for text, lists, mappings)."""
        return self.sources.get(path)

    def diagnostics(self, file: str) -> list[Diagnostic]:
        return [note.at(file) for note in self.notes]


class _YAMLProblemError(Exception):
    def __init__(self, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.col, self.code, self.message, self.hint = line, col, code, message, hint


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """Where nesting passes `limit` (flow brackets, or indentation counted in 2 spaces), if it does.
    libyaml's composer recurses natively; absurd nesting is refused before handing it over."""
    # Ordinary front matter has neither `limit` brackets nor a line indented that far: no scan needed.
    few_brackets = text.count("[") + text.count("{") <= limit
    if few_brackets and re.search(f"^ {{{2 * (limit + 1)}}}", text, re.M) is None:
        return None
    depth = 0
    for index, ch in enumerate(text if not few_brackets else ""):
        if ch in "[{":
            depth += 1
            if depth > limit:
                return _line_col(text, index)
        elif ch in "]}":
            depth = max(0, depth - 1)
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if indent // 2 > limit:
            return number, indent + 1
    return None


def load_yaml(text: str, file: str, line_offset: int = 0) -> tuple[Document | None, list[Diagnostic]]:
    """Parse `text` (a YAML mapping) found at `line_offset` lines into `file`. The diagnostics are the
    Document's notes (its problems with single values) or, with no Document, why there is none."""
    if len(text) > MAX_FRONT_MATTER:
        return None, [error(file, 1 + line_offset, 1, "yaml-too-large",
                            f"front matter is {len(text)} bytes; the limit is {MAX_FRONT_MATTER}",
                            "move long text into the body")]
    deep = _too_deep(text, MAX_DEPTH)
    if deep is not None:
        return None, [error(file, deep[0] + line_offset, deep[1], "yaml-too-deep",
                            f"YAML is nested more than {MAX_DEPTH} levels deep",
                            "front matter needs at most two levels")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a control character: position given as an index
        line, col = _line_col(text, exc.position)
        return None, [error(file, line + line_offset, col, "yaml-syntax",
                            f"invalid character {exc.character!r} in the YAML",
                            "remove it: control characters cannot appear in front matter")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_end = mark is not None and mark.index >= len(text.rstrip())
        if exc.context_mark is not None and ("end of stream" in (exc.problem or "") or at_end):
            mark = exc.context_mark  # an unclosed quote or bracket: point where it was opened
        line = (mark.line + 1 if mark else 1) + line_offset
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        hint = "indent with spaces, not tabs" if "\\t" in problem or "tab" in problem else (
            _text_after_quote_hint(lines[mark.line] if mark and mark.line < len(lines) else "")
            or "check quotes, colons and indentation on this line or the one before; "
               "quote values that contain ': ' or start with a special character")
        return None, [error(file, line, col, "yaml-syntax", f"invalid YAML: {problem}", hint)]
    except yaml.YAMLError as exc:
        return None, [error(file, 1 + line_offset, 1, "yaml-syntax", f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [error(file, 1 + line_offset, 1, "yaml-too-deep", "YAML is nested too deeply")]
    if node is None:
        return Document({}, {}, {}, line_offset), []
    line, col = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
    if not isinstance(node, yaml.MappingNode):
        return None, [error(file, line, col, "yaml-not-mapping",
                            "front matter must be a mapping of `key: value` lines",
                            "write one `key: value` per line, e.g. `title: My article`")]
    if node.tag != _MAP:  # the whole front matter tagged: there is no untagged mapping to read
        return None, [error(file, line, col, "yaml-tag", f"YAML tags like '{node.tag}' are not allowed",
                            "remove the !tag")]
    reader = _Converter(text, line_offset)
    reader.seen.add(id(node))
    reader.positions[()] = (line, col)
    try:
        data = reader.mapping(node, (), 0)
    except _YAMLProblemError as problem:
        return None, [error(file, problem.line, problem.col, problem.code, problem.message, problem.hint)]
    doc = Document(data, reader.positions, reader.key_positions, line_offset, reader.sources,
                   tuple(reader.notes), frozenset(reader.dropped))
    return doc, doc.diagnostics(file)


class _Converter:
    """Composed nodes -> plain values, in document order, noting positions, source texts and problems.

    Composition turns every `*alias` into the very node its anchor names, so a node met twice is an
    alias. The alias's own position is not in the node: the aliases are found in the event stream
    (only when there is one), and matched in order, which is why a value left out is still walked."""

    __slots__ = ("alias_marks", "aliases", "dropped", "has_hash", "key_positions", "lines", "notes", "offset",
                 "positions", "seen", "sources", "text")

    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.offset = offset
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[str, tuple[int, int]] = {}
        self.sources: dict[Path_, str] = {}
        self.notes: list[Note] = []
        self.dropped: set[Path_] = set()
        self.seen: set[int] = set()
        self.alias_marks: list[tuple[int, int]] | None = None
        self.aliases = 0
        """How many aliases have been met, in document order."""
        self.lines: list[str] | None = None
        self.has_hash = "#" in text  # without a '#' no comment can have taken a value's place

    def value(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        """The value of a node not met before (callers check for aliases)."""
        line, col = node.start_mark.line + 1 + self.offset, node.start_mark.column + 1
        self.seen.add(id(node))
        self.positions[path] = (line, col)
        if depth > MAX_DEPTH:
            raise _YAMLProblemError(line, col, "yaml-too-deep", f"YAML is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path, line, col)
        if isinstance(node, yaml.SequenceNode):
            return self.sequence(node, path, depth) if node.tag == _SEQ else self.tagged(node, path, line, col)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth) if node.tag == _MAP else self.tagged(node, path, line, col)
        raise _YAMLProblemError(line, col, "yaml-syntax", "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode, path: Path_, line: int, col: int) -> Any:
        value: str = node.value
        tag = node.tag
        if tag == _STR:
            return value
        if node.style or tag not in _IMPLICIT_TAGS:  # quoted or block, yet not text: tagged by hand
            return self.tagged(node, path, line, col)
        lowered = value.lower()
        if lowered in _NULL:
            if value:
                self.sources[path] = value
            return None
        if lowered in _BOOL:
            self.sources[path] = value
            return _BOOL[lowered]
        if _INT.match(value) and len(value) <= 30:  # a longer "number" is text (and int() refuses 4300+ digits)
            self.sources[path] = value
            return int(value.replace("_", ""))
        if _FLOAT.match(value):
            self.sources[path] = value
            return float(value.replace("_", ""))
        if tag == _TIMESTAMP:
            stamp = _timestamp(value)
            if stamp is not None:
                self.sources[path] = value
                return stamp
            # Not a real date (2026-02-30): text, as written. A date field says so, a title prints it.
        # yes/no/on/off, 12:30, 0x1F, .inf ... stay exactly as written.
        return value

    def tagged(self, node: yaml.Node, path: Path_, line: int, col: int) -> Any:
        self.notes.append(_error(line, col, "yaml-tag", f"YAML tags like '{node.tag}' are not allowed",
                                 "remove the !tag"))
        if not isinstance(node, yaml.ScalarNode):
            self.skip(_children(node))
        del self.positions[path]
        return _DROP

    def sequence(self, node: yaml.SequenceNode, path: Path_, depth: int) -> list[Any]:
        items: list[Any] = []
        seen = self.seen
        first_alias: tuple[int, int] | None = None
        note_index = alias_count = 0
        for item in node.value:
            if id(item) in seen:
                where = self.next_alias(item)
                if first_alias is None:  # its note keeps this place: notes stay in document order
                    first_alias, note_index = where, len(self.notes)
                    self.notes.append(_alias_note(*where))
                alias_count += 1
                continue
            value = self.value(item, (*path, len(items)), depth + 1)
            if value is not _DROP:
                items.append(value)
        if first_alias is not None and alias_count > 1:  # one list, one mistake: one diagnostic
            self.notes[note_index] = _alias_note(*first_alias, f" ({alias_count} aliases in this list, all left out)")
        return items

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        seen, positions, offset = self.seen, self.positions, self.offset
        for key_node, value_node in node.value:
            kline, kcol = key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1
            if id(key_node) in seen:  # `*name: value`
                self.notes.append(_alias_note(*self.next_alias(key_node)))
                self.skip([value_node])
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                self.notes.append(_error(kline, kcol, "yaml-bad-key", "keys must be plain words",
                                         "merge keys (<<) and complex keys are not supported"))
                self.skip([key_node, value_node])
                continue
            seen.add(id(key_node))
            if key_node.tag not in _IMPLICIT_TAGS:
                self.notes.append(_error(kline, kcol, "yaml-tag", f"YAML tags like '{key_node.tag}' are not allowed",
                                         "remove the !tag"))
                self.skip([value_node])
                continue
            key = str(key_node.value)
            if key in first_lines:
                self.notes.append(_error(kline, kcol, "duplicate-key", f"key '{key}' is given twice",
                                         f"the first '{key}' (line {first_lines[key]}) is used; remove one of them"))
                self.skip([value_node])
                continue
            first_lines[key] = kline
            if not path:
                self.key_positions[key] = (kline, kcol)
            child = (*path, key)
            if id(value_node) in seen:
                self.notes.append(_alias_note(*self.next_alias(value_node)))
                self.dropped.add(child)
            else:
                value = self.value(value_node, child, depth + 1)
                if value is _DROP:
                    self.dropped.add(child)
                else:
                    result[key] = value
                    if value is None and self.has_hash:
                        self.comment_value(key, key_node, value_node)
            positions.setdefault(child, (kline, kcol))
        return result

    def comment_value(self, key: str, key_node: yaml.Node, value_node: yaml.Node) -> None:
        """Warn when a key is empty because what follows its colon, on its line, is a `# comment`:
        `color: #0f766e` is the key `color` with nothing, silently."""
        if not isinstance(value_node, yaml.ScalarNode) or value_node.value or value_node.style:
            return
        mark = value_node.start_mark  # an empty value is marked just after its colon
        if mark.line != key_node.end_mark.line:
            return
        if self.lines is None:
            self.lines = _LINE_BREAK.split(self.text)
        if mark.line >= len(self.lines):
            return
        rest = self.lines[mark.line][mark.column:]
        comment = rest.lstrip(" \t")
        if not comment.startswith("#") or len(comment) == len(rest):
            return
        col = mark.column + len(rest) - len(comment) + 1
        # `color: #0f766e  # brand`: the value meant is the part before the author's own comment.
        comment = re.split(r"[ \t]+#", comment.rstrip(), maxsplit=1)[0]
        quoted = '"' + comment.replace("\\", "\\\\").replace('"', '\\"') + '"'
        self.notes.append(_warning(mark.line + 1 + self.offset, col, "yaml-comment-value",
                                   f"`{comment}` after '{key}:' is read as a YAML comment, so '{key}' is empty",
                                   f"quote it: `{key}: {quoted}`"))

    def next_alias(self, node: yaml.Node) -> tuple[int, int]:
        """Where the next alias in document order is written (its anchor's place if it cannot be found)."""
        if self.alias_marks is None:
            self.alias_marks = _alias_marks(self.text)
        index = self.aliases
        self.aliases += 1
        if index < len(self.alias_marks):
            line, col = self.alias_marks[index]
            return line + self.offset, col
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def skip(self, nodes: list[yaml.Node]) -> None:
        """Walk values left out, in document order: their anchors are known after them, and their
        aliases are counted, so later aliases are still matched with their own positions."""
        stack = nodes[::-1]
        seen = self.seen
        while stack:
            node = stack.pop()
            if id(node) in seen:
                self.aliases += 1
                continue
            seen.add(id(node))
            stack.extend(reversed(_children(node)))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _alias_marks(text: str) -> list[tuple[int, int]]:
    """(line, col) of every `*alias`, in document order."""
    marks: list[tuple[int, int]] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:  # the parser always marks
                marks.append((event.start_mark.line + 1, event.start_mark.column + 1))
    except yaml.YAMLError:  # pragma: no cover - the text was composed already
        pass
    return marks


def _alias_note(line: int, col: int, more: str = "") -> Note:
    return _error(line, col, "yaml-alias", "YAML aliases (*name) are not allowed",
                  "repeat the value instead of referring to an anchor" + more)


def _timestamp(value: str) -> dt.date | dt.datetime | None:
    """An ISO date or date-time as YAML writes it, or None when it is not a real one."""
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        normalized = re.sub(r"\s+", "T", text, count=1) if "T" not in text and "t" not in text else text
        normalized = re.sub(r"\s*(Z|z)$", "+00:00", normalized)
        normalized = re.sub(r"\s+([+-]\d)", r"\1", normalized)
        return dt.datetime.fromisoformat(normalized)
    except ValueError:
        return None


# ----------------------------------------------------------------------------- splitting


@dataclass(frozen=True, slots=True)
class SplitFile:
    front_matter: str
    body: str
    body_line: int
    """1-based line of the file where the body starts."""


def split_front_matter(text: str, file: str) -> tuple[SplitFile | None, list[Diagnostic]]:
    """Separate the `---` block from the body. `text` is already decoded and LF-normalised."""
    if not text.strip():
        return None, [error(file, 1, 1, "empty-file", "the file is empty",
                            "start it with a front matter block: ---, `title: ...`, ---")]
    if not text.startswith("---") or text[3:4] not in ("\n", "", " ", "\t"):
        return None, [error(file, 1, 1, "no-front-matter", "the file does not start with a front matter block",
                            "put a line `---` first, the YAML keys, then another `---` line")]
    first_nl = text.find("\n")
    if first_nl == -1 or text[3:first_nl].strip():
        return None, [error(file, 1, 1, "no-front-matter", "the first line must be exactly `---`",
                            "put a line `---` first, the YAML keys, then another `---` line")]
    match = re.compile(r"^(---|\.\.\.)[ \t]*$", re.M).search(text, first_nl + 1)
    if match is None:
        return None, [error(file, 1, 1, "unclosed-front-matter", "the front matter block is never closed",
                            "add a line `---` after the last YAML key")]
    front = text[first_nl + 1 : match.start()]
    end = text.find("\n", match.end())
    body = "" if end == -1 else text[end + 1 :]
    body_line = front.count("\n") + 3
    return SplitFile(front, body, body_line), []
