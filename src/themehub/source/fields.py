"""Typed readers for front-matter and config fields: one method per kind of value.

Every reader records a Diagnostic (with the value's own line and column) instead of raising, and
returns a usable default so that one run reports every problem of a file. Text is read as written:
`title: 3.10` is '3.10' and `title: true` is 'true' (the Document keeps the source text of every
plain scalar YAML converted); number and boolean fields read the converted values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from themehub.diagnostics import Diagnostic, did_you_mean, error, warning
from themehub.source.frontmatter import Document, Path_
from themehub.source.slugs import bad_slug_hint, slug_problem


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to another item by slug, with where it was written (for diagnostics)."""

    slug: str
    line: int
    col: int


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"'{value}'"


class FieldReader:
    """Reads the fields of one Document, collecting diagnostics for `file`."""

    def __init__(self, doc: Document, file: str) -> None:
        self.doc = doc
        self.file = file
        self.diagnostics: list[Diagnostic] = []

    # -- bookkeeping -----------------------------------------------------------------------

    def problem(self, path: tuple[str | int, ...], code: str, message: str, hint: str = "") -> None:
        line, col = self.doc.pos(*path)
        self.diagnostics.append(error(self.file, line, col, code, message, hint))

    def check_keys(self, allowed: Iterable[str], kind: str) -> None:
        allowed = list(allowed)
        for key in self.doc.data:
            if key not in allowed:
                line, col = self.doc.key_positions.get(key, self.doc.pos(key))
                self.diagnostics.append(
                    error(self.file, line, col, "unknown-key", f"unknown key '{key}' for {kind}",
                          did_you_mean(key, allowed))
                )

    def has(self, key: str) -> bool:
        return self.doc.data.get(key) is not None

    def missing(self, key: str, kind: str, example: str) -> None:
        if (key,) in self.doc.dropped:
            return  # its value had a YAML error (an alias, a tag): that error is the one diagnostic
        self.diagnostics.append(
            error(self.file, 1, 1, "missing-field",
                  f"{kind} needs a '{key}'", f"add a line like `{key}: {example}` to the front matter")
        )

    def written(self, path: Path_, value: Any) -> str:
        """A scalar as text, as the author wrote it: `3.10`, `1_000`, `true`, `2024-01-05`."""
        source = self.doc.sources.get(path)
        if source is not None:
            return source
        if isinstance(value, dt.date):  # a Document made without its sources
            return value.isoformat()
        if isinstance(value, bool):
            return str(value).lower()
        return str(value).strip()

    # -- readers ---------------------------------------------------------------------------

    def text(self, key: str, *, required: bool = False, kind: str = "", example: str = "...",
             default: str = "") -> str:
        value = self.doc.data.get(key)
        if value is None:
            if required:
                self.missing(key, kind, example)
            return default
        if isinstance(value, list | dict):
            self.problem((key,), "wrong-type", f"'{key}' must be text, not {describe(value)}",
                         f"write `{key}: {example}`")
            return default
        # Any scalar is text here, as typed: `title: true` is a title "true", not a type error.
        result = self.written((key,), value)
        if required and not result:
            self.missing(key, kind, example)
        return result

    def text_at(self, *path: str | int) -> str:
        """A nested text (`cta: {label: ...}`) as written; '' when it is absent or not a scalar."""
        value: Any = self.doc.data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None or isinstance(value, list | dict):
            return ""
        return self.written(path, value)

    def integer(self, key: str, default: int, minimum: int | None = None) -> int:
        value = self.doc.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem((key,), "wrong-type", f"'{key}' must be a whole number, not {describe(value)}",
                         f"write e.g. `{key}: {default}`")
            return default
        if minimum is not None and value < minimum:
            self.problem((key,), "out-of-range", f"'{key}' must be at least {minimum}, not {value}")
            return default
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.doc.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem((key,), "wrong-type", f"'{key}' must be true or false, not {describe(value)}",
                         f"write `{key}: true` or `{key}: false`")
            return default
        return value

    def date(self, key: str, *, required: bool = False, kind: str = "") -> dt.datetime | None:
        value = self.doc.data.get(key)
        if value is None:
            if required:
                self.missing(key, kind, dt.date.today().isoformat())
            return None
        parsed: dt.datetime | None = None
        if isinstance(value, dt.datetime):
            parsed = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        elif isinstance(value, dt.date):
            parsed = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        elif isinstance(value, str):
            parsed = parse_date_text(value)
        if parsed is not None:
            try:
                parsed.astimezone(dt.UTC)  # 0001-01-01T00:00+01:00 has no UTC time
                return parsed
            except OverflowError:
                self.problem((key,), "invalid-date", f"'{key}' is outside the years 1 to 9999 in UTC",
                             "write a real date, e.g. 2026-03-14")
                return None
        # `2026-02-30` comes here as text: YAML leaves a date that does not exist as written.
        looks_like_a_date = isinstance(value, str) and re.match(r"\s*\d{1,4}-\d{1,2}-\d{1,2}", value)
        self.problem((key,), "invalid-date",
                     f"'{key}': '{value.strip()}' is not a real date" if looks_like_a_date
                     else f"'{key}' must be a date, not {describe(value)}",
                     "write dates as YYYY-MM-DD (e.g. 2026-03-14) or YYYY-MM-DDTHH:MM:SS+01:00")
        return None

    def strings(self, key: str, *, accept_single: bool = True,
                warn_commas: bool = True) -> tuple[tuple[str, tuple[int, int]], ...]:
        """A list of texts as written, each with its position. A single text is a list of one; one
        holding ', ' is kept whole, with a warning (`tags: FinOps, Cloud Costs` is one tag)."""
        value = self.doc.data.get(key)
        if value is None:
            return ()
        items: list[tuple[str, tuple[int, int]]] = []
        if accept_single and not isinstance(value, list | dict):
            text = self.written((key,), value)
            if warn_commas and ", " in text:
                line, col = self.doc.pos(key)
                parts = ", ".join(_flow_item(part.strip()) for part in text.split(",") if part.strip())
                self.diagnostics.append(warning(self.file, line, col, "comma-list",
                                                f"'{key}' is one text with commas; did you mean a list?",
                                                f"write it as a list: `{key}: [{parts}]`"))
            return ((text, self.doc.pos(key)),)
        if not isinstance(value, list):
            self.problem((key,), "wrong-type", f"'{key}' must be a list, not {describe(value)}",
                         f"write `{key}: [first, second]`")
            return ()
        for i, item in enumerate(value):
            if isinstance(item, list | dict) or item is None:
                self.problem((key, i), "wrong-type", f"item {i + 1} of '{key}' must be text, not {describe(item)}")
                continue
            items.append((self.written((key, i), item), self.doc.pos(key, i)))
        return tuple(items)

    def refs(self, key: str) -> tuple[Ref, ...]:
        """A list of slugs referring to other items; checked for existence later, by the hub graph."""
        result: list[Ref] = []
        seen: set[str] = set()
        # No comma warning: 'a, b' is not a slug, and the bad-slug error's hint already says "a list".
        for slug, (line, col) in self.strings(key, warn_commas=False):
            problem = slug_problem(slug)
            if problem is not None:
                self.diagnostics.append(error(self.file, line, col, "bad-slug",
                                              f"'{slug}' in '{key}' is not a slug: it {problem[0]}",
                                              bad_slug_hint(slug)))
                continue
            if slug in seen:
                continue
            seen.add(slug)
            result.append(Ref(slug, line, col))
        return tuple(result)

    def ref(self, key: str) -> Ref | None:
        value = self.doc.data.get(key)
        if value is None:
            return None
        if isinstance(value, list | dict):
            self.problem((key,), "wrong-type", f"'{key}' must be one slug, not {describe(value)}")
            return None
        refs = self.refs(key)
        return refs[0] if refs else None

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.doc.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem((key,), "wrong-type", f"'{key}' must be a mapping of `name: value` lines, "
                         f"not {describe(value)}")
            return {}
        return value

    def choice(self, key: str, choices: Iterable[str], default: str) -> str:
        value = self.doc.data.get(key)
        if value is None:
            return default
        options = list(choices)
        text = None if isinstance(value, list | dict) else self.written((key,), value)
        if text is None or text not in options:
            shown = text if text is not None else describe(value)
            self.problem((key,), f"unknown-{key.replace('_', '-')}", f"unknown {key} '{shown}'",
                         did_you_mean(str(text if text is not None else value), options))
            return default
        return text


_FLOW_QUOTE = re.compile(r"""\A[-?:,\[\]{}#&*!|>'"%@`]|[\[\]{},]|: | #|:\Z""")
"""What a plain item of a flow list (`[a, b]`) cannot start with or hold."""


def _flow_item(text: str) -> str:
    """One item of a `[a, b]` list, quoted only when YAML needs it."""
    if _FLOW_QUOTE.search(text) is None:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_date_text(value: str) -> dt.datetime | None:
    text = value.strip()
    try:
        if len(text) == 10:
            d = dt.date.fromisoformat(text)
            return dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


FOCUS = {"center": (0.5, 0.5), "top": (0.5, 0.0), "bottom": (0.5, 1.0), "left": (0.0, 0.5), "right": (1.0, 0.5),
         "top-left": (0.0, 0.0), "top-right": (1.0, 0.0), "bottom-left": (0.0, 1.0), "bottom-right": (1.0, 1.0)}


def parse_focus(text: str) -> tuple[float, float] | None:
    """An image focal point: a named position or 'x,y' fractions of the width and height."""
    if text in FOCUS:
        return FOCUS[text]
    match = re.fullmatch(r"\s*(0?\.\d+|[01](?:\.0*)?)\s*,\s*(0?\.\d+|[01](?:\.0*)?)\s*", text)
    return (float(match.group(1)), float(match.group(2))) if match else None
