"""What `themehub serve` answers for search (routes.py): `pagefind/` from the newest finished index, the
index's status for the search page, and the favicon at the host root. Answered in-process, request by
request, from a preview whose build is set by hand."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import NOW, copy_sample, run_isolated
from themehub.build import BuildOptions
from themehub.serve.events import RebuildSignal
from themehub.serve.messages import Request, Response, Stream
from themehub.serve.preview import Preview
from themehub.serve.routes import PreviewSite
from themehub.serve.search_index import BackgroundIndex

HOSTS = frozenset({"127.0.0.1", "localhost"})
PAGE = b"<!doctype html><html><body><h1>x</h1></body></html>"


def write_bundle(folder: Path, language: str, **_: object) -> None:
    (folder / "pagefind").mkdir()
    (folder / "pagefind" / "pagefind.js").write_text("export const ok = 1;")
    (folder / "pagefind" / "pagefind-entry.json").write_text('{"languages": {}}')


@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    preview = Preview(tmp_path / "hub")
    preview.state.files = {"index.html": PAGE, "articles/a/index.html": PAGE}
    preview.state.base_path = "/insights/"
    return preview


def ask(preview: Preview, index: BackgroundIndex, target: str, host: str = "127.0.0.1:8000") -> Response:
    async def run() -> Response | Stream:
        site = PreviewSite(preview, HOSTS, RebuildSignal(asyncio.get_running_loop()), index)
        return await site.respond(Request("GET", target, (1, 1), (("host", host),)))

    answer = run_isolated(run)
    assert isinstance(answer, Response)
    return answer


def status(preview: Preview, index: BackgroundIndex) -> str:
    answer = ask(preview, index, "/insights/__themehub/search-status")
    assert answer.status == 200 and answer.content_type.startswith("application/json")
    return str(json.loads(answer.body)["state"])


def gated() -> tuple[Callable[[Path, str], None], Callable[[], None]]:
    """An indexer that waits until released, and its release."""
    gate = threading.Event()

    def indexer(folder: Path, language: str, **_: object) -> None:
        assert gate.wait(20)
        write_bundle(folder, language)

    return indexer, gate.set


def test_the_index_is_served_once_finished_and_the_status_says_so(tmp_path: Path, preview: Preview) -> None:
    indexer, release = gated()
    index = BackgroundIndex(tmp_path / "scratch", indexer=indexer)
    assert status(preview, index) == "building"
    index.submit(preview.state.files, "en")
    assert status(preview, index) == "building"
    answer = ask(preview, index, "/insights/pagefind/pagefind.js")
    assert answer.status == 404 and b"<html" not in answer.body, "a missing index file is a plain 404"
    release()
    assert index.wait_idle(20)
    assert status(preview, index) == "ready"
    answer = ask(preview, index, "/insights/pagefind/pagefind.js")
    assert answer.status == 200 and answer.body == b"export const ok = 1;"
    assert answer.content_type == "text/javascript; charset=utf-8"  # a module script needs it (nosniff)
    assert ask(preview, index, "/insights/pagefind/pagefind-entry.json").content_type.startswith("application/json")
    assert ask(preview, index, "/insights/pagefind/nothing.js").status == 404
    assert ask(preview, index, "/insights/pagefind/../themehub.yaml").status == 404


def test_a_foreign_host_gets_neither_the_index_nor_its_status(tmp_path: Path, preview: Preview) -> None:
    index = BackgroundIndex(tmp_path / "scratch", indexer=write_bundle)
    index.submit(preview.state.files, "en")
    assert index.wait_idle(20)
    for target in ("/insights/__themehub/search-status", "/insights/pagefind/pagefind.js", "/favicon.ico"):
        assert ask(preview, index, target, host="evil.example").status == 403


def test_the_favicon_is_answered_at_the_host_root(tmp_path: Path, preview: Preview) -> None:
    index = BackgroundIndex(tmp_path / "scratch", indexer=write_bundle)
    answer = ask(preview, index, "/favicon.ico")
    assert answer.status == 404 and b"<html" not in answer.body, "no favicon yet: a plain 404"
    preview.state.files = {**preview.state.files, "favicon.ico": b"\x00\x00\x01\x00icon"}
    answer = ask(preview, index, "/favicon.ico")
    assert answer.status == 200 and answer.body == b"\x00\x00\x01\x00icon"
    assert answer.content_type.startswith("image/")
    assert ask(preview, index, "/insights/favicon.ico").body == answer.body


def test_a_favicon_among_the_static_files_is_answered_too(tmp_path: Path, preview: Preview) -> None:
    icon = tmp_path / "hub" / "static" / "favicon.ico"
    icon.parent.mkdir(parents=True)
    icon.write_bytes(b"\x00\x00\x01\x00static")
    preview.state.copies = {"favicon.ico": icon}
    index = BackgroundIndex(tmp_path / "scratch", indexer=write_bundle)
    assert ask(preview, index, "/favicon.ico").body == b"\x00\x00\x01\x00static"
    preview.state.copies = {"favicon.ico": tmp_path / "outside.ico"}  # outside the site: never read
    (tmp_path / "outside.ico").write_bytes(b"secret")
    assert ask(preview, index, "/favicon.ico").status == 404


def test_each_language_of_a_multilingual_preview_has_its_own_index(tmp_path: Path) -> None:
    """`serve` of the (multilingual) sample: Pagefind runs for the root and for each language's folder,
    and `/insights/de/pagefind/` serves the German index, made from the German pages only."""
    site = copy_sample(tmp_path / "hub")
    preview = Preview(site)
    preview.options = BuildOptions(site=site, now=NOW, jobs=1)
    assert not [d for d in preview.rebuild() if d.is_error]
    config = preview.config
    assert config is not None
    index = BackgroundIndex(tmp_path / "scratch")
    index.submit(preview.state.files, config.language, [(lang.path, lang.code) for lang in config.languages[1:]])
    assert index.wait_idle(120) and status(preview, index) == "ready"
    for folder, language in (("", "en"), ("de/", "de"), ("ja/", "ja")):
        answer = ask(preview, index, f"/insights/{folder}pagefind/pagefind-entry.json")
        assert answer.status == 200, folder
        entry = json.loads(answer.body)
        assert list(entry["languages"]) == [language], entry
        if folder:  # its translated pieces, themes, SMEs and services: the kinds search holds
            translated = [path for kind in ("articles", "themes", "authors", "services")
                          for path in (site / "content" / kind).rglob(f"*.{language}.md")]
            assert entry["languages"][language]["page_count"] == len(translated) > 5
    assert ask(preview, index, "/insights/fr/pagefind/pagefind-entry.json").status == 404
