"""Diagnostics are values: every stage returns them, only the CLI prints them."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located in a file of the site (path relative to the site root)."""

    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)


def error(file: str, line: int, col: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, col, "error", code, message, hint)


def warning(file: str, line: int, col: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(file, line, col, "warning", code, message, hint)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the nearest candidate, or listing a few when none is close."""
    pool = sorted(set(candidates))
    if not pool:
        return ""
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    shown = ", ".join(f"'{c}'" for c in pool[:8])
    more = f" and {len(pool) - 8} more" if len(pool) > 8 else ""
    return f"known values: {shown}{more}"


def line_in_body(body: str, body_line: int, needle: str) -> int:
    """The file line of the first body line containing `needle` (the body's first line if none)."""
    for offset, text in enumerate(body.split("\n")):
        if needle in text:
            return body_line + offset
    return body_line


def has_errors(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    return any(d.is_error or strict for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


# ----------------------------------------------------------------------------- formatters


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    lines: list[str] = []
    for d in diagnostics:
        where = f"{d.file}:{d.line}:{d.col}" if d.line > 0 else d.file  # line 0: not in a file (a CLI option)
        lines.append(f"{where}: {d.severity}: {d.message} [{d.code}]")
        if d.hint:
            lines.append(f"  {d.hint}")
    return "\n".join(lines)


def _github_escape(value: str, *, prop: bool) -> str:
    # The workflow-command escaping rules: %, CR and LF always; ':' and ',' in properties.
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        props = ",".join(
            [
                f"file={_github_escape(d.file, prop=True)}",
                f"line={d.line}",
                f"col={d.col}",
                f"title={_github_escape(d.code, prop=True)}",
            ]
        )
        lines.append(f"::{d.severity} {props}::{_github_escape(message, prop=False)}")
    return "\n".join(lines)


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False)


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def format_sarif(diagnostics: Sequence[Diagnostic], tool_version: str, descriptions: dict[str, str]) -> str:
    """SARIF 2.1.0, the format code hosts import for inline annotations (e.g. GitHub code scanning)."""
    codes = sorted({d.code for d in diagnostics})
    rules = [
        {"id": code, "shortDescription": {"text": descriptions.get(code, code)},
         "helpUri": "https://github.com/themehub/themehub#diagnostics"}
        for code in codes
    ]
    results = []
    for d in diagnostics:
        location: dict[str, object] = {"artifactLocation": {"uri": d.file}}
        if d.line > 0:
            location["region"] = {"startLine": d.line, "startColumn": max(1, d.col)}
        results.append({
            "ruleId": d.code,
            "ruleIndex": codes.index(d.code),
            "level": "error" if d.is_error else "warning",
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [{"physicalLocation": location}],
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "themehub", "version": tool_version,
                                "informationUri": "https://github.com/themehub/themehub", "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)
