"""Front matter of another generator's markdown file (Hugo, Jekyll): YAML between `---` lines, TOML
between `+++` lines, or a JSON object at the very start.

`split` never raises: a file whose front matter cannot be parsed keeps its whole text as the body, with
a "verbatim" Note naming the problem and its line, so no word of it is lost.

YAML is read as written, like themehub's own front matter: only `true`/`false`, `null`/`~` and ISO
dates convert; `title: 3.10` stays "3.10", `yes`/`no` stay text, `0777` is not octal. (TOML and JSON
have real types, so their numbers are numbers: read fields through `text`, `texts`, `flag`, `moment`.)
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from typing import Literal

import yaml

from themehub.importing.model import Note

Form = Literal["yaml", "toml", "json"]

_FENCES: dict[str, Form] = {"---": "yaml", "+++": "toml"}


class _AsWritten(yaml.SafeLoader):
    """SafeLoader converting only booleans, nulls and timestamps: a text field is what was typed."""


_AsWritten.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag.endswith((":null", ":timestamp"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_AsWritten.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))


class FrontMatterError(ValueError):
    """Data that cannot be parsed: what is wrong and on which line of the text given (1-based, 0 unknown)."""

    def __init__(self, problem: str, line: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def normalize(text: str) -> str:
    """Without a byte-order mark, with '\\n' line ends (CRLF and lone CR files are common on Windows)."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def has_front_matter(text: str) -> bool:
    """Whether the text opens a front matter block at all (Jekyll copies a file without one as is)."""
    text = normalize(text)
    first = text.split("\n", 1)[0].rstrip()
    return first in _FENCES or _opens_json(text)


def split(text: str, source: str) -> tuple[dict[str, object], str, tuple[Note, ...]]:
    """(front matter, body, notes) of a markdown file's text. `source` names the file in notes.

    No front matter: ({}, the text, ()). Front matter that cannot be parsed, is not a mapping or is never
    closed: ({}, the whole text, (a "verbatim" Note with the problem and its line,)). The body and the
    whole text are normalized (no BOM, '\\n' line ends)."""
    text = normalize(text)
    first = text.split("\n", 1)[0].rstrip()
    try:
        if first in _FENCES:
            return _fenced(text, first)
        if _opens_json(text):
            return _json_block(text)
    except FrontMatterError as problem:
        where = f" at line {problem.line}" if problem.line else ""
        return {}, text, (Note("verbatim", f"{source}: front matter could not be read{where} ({problem.problem}): "
                                           "the whole file is kept as the body"),)
    return {}, text, ()


def parse(text: str, form: Form) -> dict[str, object]:
    """A YAML, TOML or JSON document that must be a mapping (a config or data file), or FrontMatterError."""
    try:
        if form == "toml":
            data: object = tomllib.loads(text)
        elif form == "json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_AsWritten)
    except tomllib.TOMLDecodeError as exc:
        raise FrontMatterError(f"TOML: {exc}", _toml_line(str(exc))) from None
    except json.JSONDecodeError as exc:
        raise FrontMatterError(f"JSON: {exc.msg}", exc.lineno) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise FrontMatterError(f"YAML: {exc.problem or exc.context}", mark.line + 1 if mark else 0) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # a bad date, a control character
        raise FrontMatterError(f"{form.upper()}: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(f"{form.upper()} is a {type(data).__name__}, not a mapping of keys", 1)
    return {str(key): value for key, value in data.items()}


def _opens_json(text: str) -> bool:
    """Hugo's JSON front matter is an object at the very start: `{` then a key or `}` (a `{{<` shortcode or
    a Liquid `{%` tag opening a body is not JSON)."""
    return re.match(r'\{\s*["}]', text) is not None


def _fenced(text: str, fence: str) -> tuple[dict[str, object], str, tuple[Note, ...]]:
    closing = re.compile(rf"^{re.escape(fence)}[ \t]*$" + (r"|^\.\.\.[ \t]*$" if fence == "---" else ""), re.M)
    start = len(text.split("\n", 1)[0]) + 1
    end = closing.search(text, start)
    if end is None:
        raise FrontMatterError(f"the opening {fence} is never closed", 1)
    try:
        data = parse(text[start : end.start()], _FENCES[fence])
    except FrontMatterError as problem:  # lines counted in the file: the block starts on line 2
        raise FrontMatterError(problem.problem, problem.line + 1 if problem.line else 0) from None
    return data, text[end.end() :].lstrip("\n"), ()


def _json_block(text: str) -> tuple[dict[str, object], str, tuple[Note, ...]]:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise FrontMatterError(f"JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(data, dict):  # raw_decode of "{" only ever gives a dict; kept for the type checker
        raise FrontMatterError("JSON front matter is not an object", 1)
    return {str(key): value for key, value in data.items()}, text[end:].lstrip("\n"), ()


def _toml_line(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 0


# ----------------------------------------------------------------------------- reading fields


def text(value: object) -> str:
    """A field as text: a string as is, a number as written in TOML/JSON, a list's first item."""
    if value is None or isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return text(value[0]) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def texts(value: object) -> tuple[str, ...]:
    """A list field (tags, authors, aliases): a list, or one string as a list of one; empties dropped."""
    items = value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(t for t in (text(item) for item in items) if t))


def flag(value: object) -> bool:
    """A boolean field: true, or the text "true"/"yes"/"1" (a quoted `draft: "true"` is common)."""
    if isinstance(value, bool):
        return value
    return text(value).lower() in ("true", "yes", "on", "1")


def moment(value: object, zone: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """A date field as a timezone-aware date-time: a date is midnight, a date-time without an offset is
    in `zone` (the site's time zone). None when it is missing or not a date (the caller notes it)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    raw = text(value)
    if not raw:
        return None
    normalized = re.sub(r"^(\d{4}-\d\d-\d\d)[ t](\d)", r"\1T\2", raw)
    normalized = re.sub(r"\s*[zZ]$", "+00:00", normalized)
    normalized = re.sub(r"\s+(?:UTC)?([+-]\d\d):?(\d\d)$", r"\1:\2", normalized)
    normalized = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", normalized)
    try:
        parsed = dt.datetime.fromisoformat(normalized)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
