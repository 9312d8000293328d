"""A command loads only what it needs: a rebuild loads neither the networking stack nor anything of
`import`, `cms` or `serve`, and, for a hub without pictures (nothing to draw, no picture's size to read),
none of Pillow's imaging modules. Each of these cost start-up time on every rebuild (measured with
`python -X importtime`: xml.sax's escaping brought urllib.request, http.client and ssl, 13 ms; Pillow's
Image, 15 ms; with search, the `pagefind` package's asyncio, 15 ms, and the installed packages' metadata
read for Pagefind's version and by Python-Markdown to look up extensions by name, 18 ms; Babel and an
English locale's data, only to learn that English is written left to right, 40 ms; multiprocessing for a
pool that a rebuild of a few pages never starts, 16 ms; `platform`, imported by Pagefind's binary package
to find the binary, 7 ms;
Python-Markdown, nh3 and themehub's converter in a rebuild that converts no body, 22 ms for `markdown`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import article, copy_sample, in_one_language, make_site

NOT_FOR_A_REBUILD = ("xml.sax.saxutils", "urllib.request", "http.client", "ssl", "themehub.importing",
                     "themehub.cms", "themehub.serve", "watchdog", "multiprocessing")
NOT_FOR_ENGLISH = ("babel",)
NOT_WITHOUT_A_BODY_EDIT = ("markdown", "nh3", "themehub.render.markdown")
"""The converter: a rebuild that converts no body does not load it (22 ms for Python-Markdown alone)."""
IMAGING = ("PIL.Image", "PIL.ImageDraw", "PIL.ImageFont")
# Pagefind's binary package imports `platform` to find the binary; orjson (the cache's JSON) imports it too,
# through `uuid`, so the package itself is the witness.
NOT_FOR_SEARCH = ("asyncio", "importlib.metadata", "pagefind.service", "email.parser", "pagefind_bin")

LOADED_BY_A_BUILD = """
import json, sys
from themehub.cli import main
code = main(["build", "--site", sys.argv[1], *sys.argv[2:]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _modules_of_a_build(site: Path, *options: str) -> tuple[int, set[str]]:
    done = subprocess.run([sys.executable, "-c", LOADED_BY_A_BUILD, str(site), *(options or ("--no-search",))],
                          capture_output=True, text=True, check=True, timeout=300)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def _rebuild(site: Path) -> set[str]:
    code, first = _modules_of_a_build(site)  # draws the share cards and icons: Pillow is loaded for that
    assert code == 0
    assert "PIL.ImageDraw" in first
    code, loaded = _modules_of_a_build(site)
    assert code == 0
    assert "themehub.build" in loaded and "jinja2" in loaded  # it did build
    return loaded


def test_a_rebuild_of_the_sample_loads_no_network_and_no_other_command(tmp_path: Path) -> None:
    loaded = _rebuild(in_one_language(copy_sample(tmp_path)))
    assert sorted(name for name in (*NOT_FOR_A_REBUILD, *NOT_FOR_ENGLISH, *NOT_WITHOUT_A_BODY_EDIT)
                  if name in loaded) == []


def test_a_rebuild_of_a_hub_without_pictures_loads_no_imaging(tmp_path: Path) -> None:
    loaded = _rebuild(make_site(tmp_path / "site"))
    assert sorted(name for name in (*IMAGING, *NOT_FOR_A_REBUILD, *NOT_WITHOUT_A_BODY_EDIT) if name in loaded) == []


def test_a_rebuild_with_search_after_a_body_edit_reads_no_package_metadata(tmp_path: Path) -> None:
    """The edited body goes through Python-Markdown, and one shard through Pagefind: neither looks through
    the installed packages (each read every package's metadata) nor loads the `pagefind` package's asyncio."""
    site = make_site(tmp_path / "site", {"content/articles/edited.md": article("Edited", body="First words.")})
    code, first = _modules_of_a_build(site, "--jobs", "1")
    assert code == 0 and "markdown" in first and "themehub.render.search" in first
    (site / "content/articles/edited.md").write_text(article("Edited", body="Other words, *and* a [link](/)."))
    code, loaded = _modules_of_a_build(site, "--jobs", "1")
    assert code == 0
    assert "markdown.extensions.toc" in loaded and "themehub.render.search" in loaded  # it rendered and indexed
    assert sorted(name for name in (*NOT_FOR_SEARCH, *NOT_FOR_A_REBUILD) if name in loaded) == []


def test_a_rebuild_after_a_title_edit_converts_no_markdown(tmp_path: Path) -> None:
    """A front-matter edit leaves the body as it was: its HTML comes from the cache, and neither
    Python-Markdown (22 ms to import) nor its extensions (with Pygments, for code) nor themehub's
    converter is loaded."""
    site = make_site(tmp_path / "site", {"content/articles/edited.md": article("Before", body="Same *words*.")})
    code, first = _modules_of_a_build(site, "--jobs", "1")
    converting = ("markdown", "themehub.render.markdown", "markdown.extensions.toc", "markdown.extensions.codehilite",
                  "pygments")
    assert code == 0 and set(converting) <= first
    (site / "content/articles/edited.md").write_text(article("After", body="Same *words*."))
    code, loaded = _modules_of_a_build(site, "--jobs", "1")
    assert code == 0
    page = (site / "site" / "articles" / "edited" / "index.html").read_text()
    assert "After" in page and "<em>words</em>" in page  # the new title, the body as before
    assert sorted(name for name in converting if name in loaded) == []
