"""serve keeps its build packed (render/packed.py): the pages it holds take a fraction of their size,
a page unpacks to exactly the bytes rendered, and equal blobs mean equal pages, so a rebuild finds what
changed without unpacking anything."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import NOW, copy_sample, replace
from themehub.build import BuildOptions
from themehub.render.packed import PackedFiles, pack
from themehub.serve.preview import Preview

PAGE = b"<!doctype html><html><body>" + b"<p>A paragraph of the hub.</p>" * 400 + b"</body></html>"


def test_a_page_unpacks_to_its_bytes_and_blobs_compare_like_pages() -> None:
    files = PackedFiles()
    blob = files.put("a/index.html", PAGE)
    files.put("b/index.html", PAGE)
    files.put("c/index.html", PAGE + b" ")
    assert files["a/index.html"] == PAGE
    assert len(blob) * 10 < len(PAGE)
    assert files.blob("a/index.html") == files.blob("b/index.html")
    assert files.blob("a/index.html") != files.blob("c/index.html")
    assert dict(files) == {"a/index.html": PAGE, "b/index.html": PAGE, "c/index.html": PAGE + b" "}
    assert PackedFiles.of({"a/index.html": PAGE}) == PackedFiles({"a/index.html": pack(PAGE)})
    assert files.only(["a/index.html", "gone.html"]) == PackedFiles.of({"a/index.html": PAGE})


def test_the_preview_holds_the_sample_hub_packed_and_serves_its_bytes(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "hub")
    preview = Preview(site)
    preview.options = BuildOptions(site=site, now=NOW, jobs=1)
    assert not [d for d in preview.rebuild() if d.is_error]
    files = preview.state.files
    pages = [path for path in files if path.endswith(".html")]
    raw = sum(len(files[path]) for path in pages)
    held = sum(len(files.blob(path) or b"") for path in pages)
    assert len(pages) > 50
    # about a third; Japanese and German pages (the sample's translations) pack a little less than English
    assert held * 2.5 < raw, f"{held} bytes held for {raw} bytes of pages"
    home = files["index.html"]
    assert home.startswith(b"<!doctype html>") and b"</html>" in home

    replace(site / "content/articles/cloud-unit-cost-model.md", "Total cloud spend", "Total cloud outlay")
    before = {path: files.blob(path) for path in files}
    preview.rebuild({str(site / "content/articles/cloud-unit-cost-model.md")})
    after = preview.state.files
    assert preview.state.changed == ["articles/cloud-unit-cost-model/index.html"]
    assert b"Total cloud outlay" in after["articles/cloud-unit-cost-model/index.html"]
    assert [path for path in before if after.blob(path) != before[path]] == preview.state.changed
