"""Files published from static/ and beside content are inert: SVGs go out sanitized, with a warning
naming what was taken out; an HTML or XML file that would run script is refused at its line."""

from __future__ import annotations

from pathlib import Path

from tests.hardening.conftest import NOW, build_in_process, make_mini_hub, show, where
from themehub.check import check

HOSTILE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">\n'
               b'<script>alert(2)</script>\n<text x="1" y="5">Revenue grew 12%</text>\n</svg>\n')


def test_svgs_from_static_and_beside_content_are_published_sanitized(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub", {
        "static/images/chart.svg": HOSTILE_SVG,
        "content/articles/growth/chart.svg": HOSTILE_SVG,
        "content/articles/growth/growth.md": "---\ntitle: Growth\ndate: 2026-01-12\nauthors: [ana-quinn]\n"
                                             "themes: [cloud]\n---\n\n![The chart](chart.svg)\n\n"
                                             "![The same chart](/images/chart.svg)\n",
    })
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    site = root / "site"
    published = [site / "images/chart.svg", *(site / "images/_generated").glob("chart-*.svg")]
    assert len(published) == 2
    for path in published:
        data = path.read_bytes()
        assert b"<script" not in data and b"onload" not in data and b"alert" not in data
        assert b"Revenue grew 12%" in data  # the words stay
    html = (site / "articles/growth/index.html").read_text()
    assert f'src="/insights/images/_generated/{published[1].name}"' in html
    assert 'src="/insights/images/chart.svg"' in html
    warned = sorted((d.file, d.code) for d in result.diagnostics if d.code == "svg-sanitized")
    assert warned == [("content/articles/growth/chart.svg", "svg-sanitized"),
                      ("static/images/chart.svg", "svg-sanitized")]
    message = next(d.message for d in result.diagnostics if d.file == "static/images/chart.svg")
    assert "<script> element (line 2)" in message and "onload attribute on <svg> (line 1)" in message


def test_an_svg_that_cannot_be_made_safe_is_not_published(tmp_path: Path) -> None:
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>\n')
    root = make_mini_hub(tmp_path / "hub", {"static/images/bomb.svg": bomb})
    result = build_in_process(root)
    assert not result.ok
    assert [where(d) for d in result.diagnostics if d.is_error] == [("bad-image", "static/images/bomb.svg", 1, 1)]
    assert not (root / "site").exists()


def test_a_static_page_that_would_run_script_is_refused_at_its_lines(tmp_path: Path) -> None:
    root = make_mini_hub(tmp_path / "hub", {
        "static/landing.html": '<!doctype html>\n<title>Landing</title>\n<p>Hello</p>\n'
                               '<script>steal(document.cookie)</script>\n<a href="javascript:go()">go</a>\n',
        "static/google1234.html": "google-site-verification: google1234.html\n",
        "static/feed-style.xml": '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="x.xsl"?>\n<r/>\n',
    })
    result = build_in_process(root)
    assert not result.ok
    errors = [where(d) for d in result.diagnostics if d.is_error]
    assert errors == [("active-content", "static/feed-style.xml", 2, 1),
                      ("active-content", "static/landing.html", 4, 1),
                      ("active-content", "static/landing.html", 5, 4)], show(result.diagnostics)
    checked = [where(d) for d in check(root, now=NOW) if d.is_error]
    assert checked == errors


def test_an_inert_static_page_is_published_as_it_is(tmp_path: Path) -> None:
    page = b"<!doctype html>\n<title>Verify</title>\n<p>google-site-verification: google1234.html</p>\n"
    root = make_mini_hub(tmp_path / "hub", {"static/google1234.html": page})
    result = build_in_process(root)
    assert result.ok, show(result.diagnostics)
    assert (root / "site/google1234.html").read_bytes() == page
