"""Front matter: split a content file and load its YAML safely, keeping line numbers.

The YAML is composed into nodes (with libyaml when present) and converted here, by hand, so that:
- every value keeps its position (for diagnostics that point at the exact line and column);
- duplicate keys, aliases and custom tags are reported instead of silently accepted;
- YAML 1.1 surprises are not applied: `yes`/`no`/`on`/`off` stay strings, `12:30` is not 750,
  `0777` is not octal. Only `true`/`false`, plain decimal numbers, `null` and ISO dates convert.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from themehub.diagnostics import Diagnostic, error

try:  # libyaml is ~9x faster; the pure-Python loader gives the same nodes.
    _Loader: type = yaml.CSafeLoader  # type: ignore[attr-defined]
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
_IMPLICIT_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed YAML mapping with the position of every key and value."""

    data: dict[str, Any]
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def pos(self, *path: str | int) -> tuple[int, int]:
        """(line, col) in the file of the value at `path`, falling back to its parents."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (1 + self.line_offset, 1)


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
    """Parse `text` (a YAML mapping) found at `line_offset` lines into `file`."""
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
        hint = "indent with spaces, not tabs" if "\\t" in problem or "tab" in problem else (
            "check quotes, colons and indentation on this line or the one before; "
            "quote values that contain ': ' or start with a special character")
        return None, [error(file, line, col, "yaml-syntax", f"invalid YAML: {problem}", hint)]
    except yaml.YAMLError as exc:
        return None, [error(file, 1 + line_offset, 1, "yaml-syntax", f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [error(file, 1 + line_offset, 1, "yaml-too-deep", "YAML is nested too deeply")]
    if node is None:
        return Document({}, {}, {}, line_offset), []
    positions: dict[Path_, tuple[int, int]] = {}
    key_positions: dict[str, tuple[int, int]] = {}
    diagnostics: list[Diagnostic] = []
    if not isinstance(node, yaml.MappingNode):
        line, col = node.start_mark.line + 1 + line_offset, node.start_mark.column + 1
        return None, [error(file, line, col, "yaml-not-mapping",
                            "front matter must be a mapping of `key: value` lines",
                            "write one `key: value` per line, e.g. `title: My article`")]
    seen: set[int] = set()
    try:
        data = _convert(node, (), positions, key_positions, seen, line_offset, 0)
    except _YAMLProblemError as problem:
        line, col = problem.line, problem.col
        if problem.code == "yaml-alias":
            found = _first_alias(text)
            if found is not None:
                line, col = found[0] + line_offset, found[1]
        diagnostics.append(error(file, line, col, problem.code, problem.message, problem.hint))
        return None, diagnostics
    return Document(data, positions, key_positions, line_offset), diagnostics


def _convert(
    node: yaml.Node,
    path: Path_,
    positions: dict[Path_, tuple[int, int]],
    key_positions: dict[str, tuple[int, int]],
    seen: set[int],
    offset: int,
    depth: int,
) -> Any:
    line, col = node.start_mark.line + 1 + offset, node.start_mark.column + 1
    positions[path] = (line, col)
    if id(node) in seen:
        raise _alias_problem(line, col)
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _YAMLProblemError(line, col, "yaml-too-deep", f"YAML is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, line, col)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, "tag:yaml.org,2002:seq", line, col)
        items = []
        for i, item in enumerate(node.value):
            if id(item) in seen:
                raise _alias_problem(line, col)
            items.append(_convert(item, (*path, i), positions, key_positions, seen, offset, depth + 1))
        return items
    if isinstance(node, yaml.MappingNode):
        _check_tag(node, "tag:yaml.org,2002:map", line, col)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kline, kcol = key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise _YAMLProblemError(kline, kcol, "yaml-bad-key", "keys must be plain words",
                                   "merge keys (<<) and complex keys are not supported")
            key = str(key_node.value)
            if key in result:
                first = positions.get((*path, key), (kline, kcol))
                raise _YAMLProblemError(kline, kcol, "duplicate-key", f"key '{key}' is given twice",
                                   f"the first '{key}' is on line {first[0]}; keep one of them")
            if not path:
                key_positions[key] = (kline, kcol)
            if id(value_node) in seen:
                raise _alias_problem(kline, kcol)
            result[key] = _convert(value_node, (*path, key), positions, key_positions, seen, offset, depth + 1)
            if not path or (*path, key) not in positions:
                positions.setdefault((*path, key), (kline, kcol))
        return result
    raise _YAMLProblemError(line, col, "yaml-syntax", "unsupported YAML node")  # pragma: no cover


def _first_alias(text: str) -> tuple[int, int] | None:
    """Where the first `*alias` is written (composition only keeps the anchor's position)."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1, event.start_mark.column + 1
    except yaml.YAMLError:
        return None
    return None


def _alias_problem(line: int, col: int) -> _YAMLProblemError:
    return _YAMLProblemError(line, col, "yaml-alias", "YAML aliases (*name) are not allowed",
                             "repeat the value instead of referring to an anchor")


def _check_tag(node: yaml.Node, expected: str, line: int, col: int) -> None:
    if node.tag != expected:
        raise _YAMLProblemError(line, col, "yaml-tag", f"YAML tags like '{node.tag}' are not allowed",
                           "remove the !tag")


def _scalar(node: yaml.ScalarNode, line: int, col: int) -> Any:
    value = str(node.value)
    tag = node.tag
    if node.style in ("'", '"', "|", ">"):
        if tag != "tag:yaml.org,2002:str":
            raise _YAMLProblemError(line, col, "yaml-tag", f"YAML tags like '{tag}' are not allowed", "remove the !tag")
        return value
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag not in _IMPLICIT_TAGS:
        raise _YAMLProblemError(line, col, "yaml-tag", f"YAML tags like '{tag}' are not allowed", "remove the !tag")
    lowered = value.lower()
    if lowered in _NULL:
        return None
    if lowered in _BOOL:
        return _BOOL[lowered]
    if _INT.match(value) and len(value) <= 30:  # a longer "number" is text (and int() refuses 4300+ digits)
        return int(value.replace("_", ""))
    if _FLOAT.match(value):
        return float(value.replace("_", ""))
    if tag == "tag:yaml.org,2002:timestamp":
        return _timestamp(value, line, col)
    # yes/no/on/off, 12:30, 0x1F, .inf ... stay exactly as written.
    return value


def _timestamp(value: str, line: int, col: int) -> dt.date | dt.datetime:
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        normalized = re.sub(r"\s+", "T", text, count=1) if "T" not in text and "t" not in text else text
        normalized = re.sub(r"\s*(Z|z)$", "+00:00", normalized)
        normalized = re.sub(r"\s+([+-]\d)", r"\1", normalized)
        return dt.datetime.fromisoformat(normalized)
    except ValueError:
        raise _YAMLProblemError(line, col, "invalid-date", f"'{value}' is not a real date",
                           "write dates as YYYY-MM-DD, e.g. 2026-03-14") from None


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
