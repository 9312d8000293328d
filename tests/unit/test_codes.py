"""Every diagnostic code the engine emits is listed in codes.py and explained in the README."""

from __future__ import annotations

import re
from pathlib import Path

from themehub.codes import CODES

REPO = Path(__file__).resolve().parents[2]
# error(file, line, col, "code", ...) / warning(...) / problem(path, "code", ...)
_EMITTED = re.compile(r'(?:error|warning)\([^()]*?,\s*"([a-z]+(?:-[a-z]+)+)"|problem\([^"]*?"([a-z]+(?:-[a-z]+)+)"')


def emitted_codes() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "src" / "themehub").rglob("*.py"):
        for match in _EMITTED.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_emitted_code_is_listed() -> None:
    emitted = emitted_codes()
    assert len(emitted) > 40, emitted  # the pattern really finds the codes
    assert sorted(emitted - set(CODES)) == []


def test_every_code_is_explained_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    in_table = {code for code in CODES if f"| `{code}`" in readme or f", `{code}`" in readme}
    assert sorted(set(CODES) - in_table) == []
