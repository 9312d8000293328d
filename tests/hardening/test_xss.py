"""XSS: hostile text in every string field, under the default `raw_html: sanitize`.

One hub holds every payload in every field (article title, summary, tags, body raw HTML, markdown
link and image URLs, autolinks; author name, role and links; theme title and tagline; service title,
summary and CTA URL; track title and summary). It is built once, with search, and EVERY output file
is parsed: no live script, event handler or active URL from content may appear anywhere.
Front-matter URL fields holding a javascript:-style URL are refused with `unsafe-url` (separately).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.hardening.conftest import BASE_PATH, build_in_process, errors_of, make_mini_hub, show, write_files
from themehub.build import BuildResult
from themehub.render.pagefind_canon import cbor_decode

# ---------------------------------------------------------------------------------------------- payloads

PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(3)</scr</script>ipt>",
    "<img src=//x.example/x onerror=alert(4)>",
    '"><img src=//x.example/x onerror=alert(5)>',
    "'><svg onload=alert(6)>",
    "<svg/onload=alert(7)><svg><script>alert(7)</script></svg>",
    '<iframe srcdoc="<script>alert(8)</script>"></iframe>',
    '<a href="javascript:alert(9)">click</a>',
    '<a href="JaVaScRiPt:alert(10)">click</a>',
    '<a href="java&#x09;script:alert(11)">click</a>',
    '<a href="data:text/html,<script>alert(12)</script>">click</a>',
    '<a href="vbscript:msgbox(13)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(14)">click</a>',
    '<a href="javascript&colon;alert(15)">click</a>',
    '<a href=" &#14;javascript:alert(16)">click</a>',
    '<img src="jav&#x0A;ascript:alert(17)">',
    '<div style="background:url(javascript:alert(18))">styled</div>',
    '<div style="width: expression(alert(19))">styled</div>',
    "<style>@import 'javascript:alert(20)'; body{background:red}</style>",
    "<body onload=alert(21)>",
    "<input autofocus onfocus=alert(22)>",
    '<form action="javascript:alert(23)"><button formaction="javascript:alert(23)">go</button></form>',
    '<object data="javascript:alert(24)"></object><embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<details open ontoggle=alert(25)>x</details>",
    "<math><mtext><table><mglyph><style><img src=//x.example/x onerror=alert(26)>",
    '<noscript><p title="</noscript><img src=//x.example/x onerror=alert(27)>"></noscript>',
    "<!--<script>alert(28)</script>--><!--><img src=//x.example/x onerror=alert(28)>-->",
    "<![CDATA[<script>alert(29)</script>]]>",
    "&lt;script&gt;alert(30)&lt;/script&gt; &#60;script&#62;alert(30)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(31)\\u003c/script\\u003e \uff1cscript\uff1ealert(31)\uff1c/script\uff1e",
    '</title><script>alert(32)</script>',
    "</textarea></style></noscript><script>alert(33)</script>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(34)">',
    '<base href="javascript:alert(35)//"><link rel=stylesheet href="javascript:alert(35)">',
    "]]></summary><script>alert(36)</script>",
    '{"x": "</script><script>alert(37)</script>"}',
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{{ x }}{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }} ${7*7} #{7*7}",
    '<a href="#" onclick="alert(41)">x</a><a onmouseover=alert(41)>y</a>',
    "<video><source onerror=alert(42)></video><audio src=//x.example/x onerror=alert(42)>",
)

# URLs for markdown links and images (the markdown engine must drop every active one).
MARKDOWN_URLS: tuple[str, ...] = (
    "javascript:alert(101)",
    "JaVaScRiPt:alert(102)",
    "java&#x09;script:alert(103)",
    "data:text/html,<script>alert(104)</script>",
    "vbscript:msgbox(105)",
    "&#x6a;avascript:alert(106)",
    "&#106;avascript:alert(107)",
    " javascript:alert(108)",
    "<javascript:alert(109)>",
    "jav&#x0A;ascript:alert(110)",
    "file:///etc/passwd",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
)

# Safe-scheme URLs that try to break out of the attribute they are written into.
BREAKOUT_URLS: tuple[str, ...] = (
    'https://example.com/"><script>alert(201)</script>',
    "https://example.com/?q=<img src=//x.example/x onerror=alert(202)>",
    "https://example.com/' onmouseover='alert(203)",
    'https://example.com/" onfocus="alert(204)" autofocus="',
)

assert len(PAYLOADS) >= 30

ACTIVE_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.I)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcdoc", "data", "poster", "xlink:href", "background",
                  "cite", "ping", "codebase", "dynsrc", "lowsrc", "srcset", "manifest"}
# Elements the theme never writes: from content they can only be an attack (the theme's search <form> is allowed,
# its `action` is checked like every URL attribute; so are the theme's own footer icons, an <svg class="icon"
# aria-hidden="true"> of lines and shapes: content can write no <svg> at all, the sanitizer shows it as text).
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "svg", "math", "button"}
OWN_SCRIPT_PREFIXES = (f"{BASE_PATH}assets/", f"{BASE_PATH}pagefind/")


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML): the payload arrives byte for byte."""
    return json.dumps(value, ensure_ascii=False)


def q_escaped(value: str) -> str:
    """The same, with every non-ASCII character written as a YAML \\u escape."""
    return json.dumps(value, ensure_ascii=True)


def active(url: str) -> bool:
    """Whether a URL (already entity-decoded) has an active scheme once browsers strip whitespace."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url))
    return bool(ACTIVE_SCHEME.match(cleaned))


def xss_files() -> dict[str, str]:
    """Every payload in every field: article, author, theme, service and track number i."""
    files: dict[str, str] = {}
    for i, payload in enumerate(PAYLOADS):
        qq = q if i % 2 == 0 else q_escaped
        url = BREAKOUT_URLS[i % len(BREAKOUT_URLS)]
        md_url = MARKDOWN_URLS[i % len(MARKDOWN_URLS)]
        body = "\n".join([
            f"Intro {i}: {payload}",
            "",
            payload,
            "",
            f"[a markdown link]({md_url}) and ![an image]({md_url}) and <{md_url.strip()}>",
            "",
            f"[reference link][r{i}] and [safe breakout]({url.replace(' ', '%20')})",
            "",
            f"[r{i}]: {md_url.strip()}",
            "",
            f"## Heading {payload}",
            "",
        ])
        files[f"content/articles/xss-{i}.md"] = "\n".join([
            "---",
            f"title: {qq(payload)}",
            "date: 2026-01-05",
            f"authors: [xss-author-{i}]",
            f"themes: [xss-theme-{i}]",
            f"summary: {qq(payload)}",
            f"tags: [{qq(payload)}, {qq('tag ' + payload)}]",
            f"services: [xss-service-{i}]",
            f"image_alt: {qq(payload)}",
            f"image: {qq(url)}",
            "---",
            "",
            body,
        ])
        files[f"content/authors/xss-author-{i}.md"] = "\n".join([
            "---",
            f"name: {qq(payload)}",
            f"role: {qq(payload)}",
            f"company: {qq(payload)}",
            f"avatar: {qq(url)}",
            "links:",
            f"  website: {qq(url)}",
            f"  linkedin: {qq(BREAKOUT_URLS[(i + 1) % len(BREAKOUT_URLS)])}",
            f"  email: {qq('a' + str(i) + '@example.com')}",
            "---",
            "",
            body,
        ])
        files[f"content/themes/xss-theme-{i}.md"] = "\n".join([
            "---",
            f"title: {qq(payload)}",
            f"tagline: {qq(payload)}",
            f"image: {qq(url)}",
            f"image_alt: {qq(payload)}",
            "cta:",
            f"  label: {qq(payload)}",
            f"  url: {qq(url)}",
            "---",
            "",
            body,
        ])
        files[f"content/services/xss-service-{i}.md"] = "\n".join([
            "---",
            f"title: {qq(payload)}",
            f"summary: {qq(payload)}",
            "cta:",
            f"  label: {qq(payload)}",
            f"  url: {qq(url)}",
            "---",
            "",
            body,
        ])
        files[f"content/tracks/xss-track-{i}.md"] = "\n".join([
            "---",
            f"title: {qq(payload)}",
            f"summary: {qq(payload)}",
            f"theme: xss-theme-{i}",
            f"steps: [xss-{i}]",
            "cta:",
            f"  label: {qq(payload)}",
            f"  url: {qq(url)}",
            "---",
            "",
            body,
        ])
    files["content/pages/xss-page.md"] = "\n".join(
        ["---", f"title: {q(PAYLOADS[0])}", f"summary: {q(PAYLOADS[4])}", "---", "", *PAYLOADS, ""])
    return files


XSS_CONFIG = """\
title: "Hub </title><script>alert('config')</script>"
base_url: https://example.com/insights/
description: "<img src=//x.example/x onerror=alert('description')> {{ 7*7 }}"
"""


# ---------------------------------------------------------------------------------------------- checks


class _Scanner(HTMLParser):
    """Collects every live-script problem of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag == "script":
            self._script = {k: v or "" for k, v in attrs}
            self._script_text = []
        elif tag == "style":
            self._style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag == "script":
            self._script = {k: v or "" for k, v in attrs}
            self._script_text = []
            self._end_script()

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self._end_script()
        elif tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        elif self._style and re.search(r"expression\s*\(|javascript:|@import|behavior\s*:", data, re.I):
            self.problems.append(f"active CSS in <style>: {data[:80]!r}")

    def _end_script(self) -> None:
        attrs, text = self._script or {}, "".join(self._script_text)
        self._script = None
        src = attrs.get("src", "")
        if src:
            if not src.startswith(OWN_SCRIPT_PREFIXES) or text.strip():
                self.problems.append(f"<script src={src!r}> that is not the theme's own")
            return
        if attrs.get("type", "").lower() == "application/ld+json":
            try:
                json.loads(text)
            except ValueError:
                self.problems.append(f"<script type=application/ld+json> that is not JSON: {text[:80]!r}")
            return
        self.problems.append(f"inline <script>: {text[:80]!r}")

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        theme_icon = tag == "svg" and ("class", "icon") in attrs and ("aria-hidden", "true") in attrs
        if tag in FORBIDDEN_ELEMENTS and not theme_icon:
            self.problems.append(f"<{tag}> element from content")
        if tag == "meta" and any(k == "http-equiv" for k, _ in attrs):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler <{tag} {name}={value[:60]!r}>")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
            if name in URL_ATTRIBUTES and any(active(part) for part in re.split(r",\s+", value)):
                self.problems.append(f"active URL <{tag} {name}={value[:60]!r}>")
            if name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(|behavior\s*:", value, re.I):
                self.problems.append(f"active CSS <{tag} style={value[:60]!r}>")


def html_problems(text: str) -> list[str]:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.problems


def xml_problems(data: bytes) -> list[str]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return [f"does not parse as XML: {exc}"]
    problems = []
    for el in root.iter():
        for name, value in el.attrib.items():
            if name in ("href", "src", "uri") and active(value):
                problems.append(f"active URL in <{el.tag} {name}>")
        local = el.tag.rsplit("}", 1)[-1]
        if local in ("id", "uri", "loc", "icon", "logo") and el.text and active(el.text.strip()):
            problems.append(f"active URL in <{local}>")
    return problems


def _json_urls(value: object, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_urls(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _json_urls(v, key)
    elif isinstance(value, str) and ("url" in key.lower() or key in ("href", "src", "image", "avatar")):
        yield key, value


def json_problems(data: bytes) -> list[str]:
    try:
        value = json.loads(data)
    except ValueError as exc:
        return [f"does not parse as JSON: {exc}"]
    return [f"active URL in JSON field '{k}': {v[:60]!r}" for k, v in _json_urls(value) if active(v)]


def pagefind_fragment(data: bytes) -> object | None:
    """A Pagefind fragment as JSON, or None when this Pagefind's format cannot be read (then the
    fragment is skipped: its text is the pages' text, already checked as HTML)."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError):
        raw = data
    raw = raw.removeprefix(b"pagefind_dcd")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def output_problems(out: Path) -> tuple[list[str], dict[str, int]]:
    problems: list[str] = []
    counts = {"html": 0, "xml": 0, "json": 0, "fragments": 0, "fragments_skipped": 0}
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        if rel.endswith(".html"):
            counts["html"] += 1
            problems += [f"{rel}: {p}" for p in html_problems(data.decode("utf-8"))]
        elif rel.endswith(".xml"):
            counts["xml"] += 1
            problems += [f"{rel}: {p}" for p in xml_problems(data)]
        elif rel.endswith(".json"):
            counts["json"] += 1
            problems += [f"{rel}: {p}" for p in json_problems(data)]
        elif rel.startswith("pagefind/fragment/"):
            fragment = pagefind_fragment(data)
            if fragment is None:
                counts["fragments_skipped"] += 1  # an unreadable (future) format: nothing to check here
                continue
            counts["fragments"] += 1
            problems += [f"{rel}: {p}" for p in json_problems(json.dumps(fragment).encode())]
    return problems, counts


# ---------------------------------------------------------------------------------------------- the build


@pytest.fixture(scope="module")
def xss_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = make_mini_hub(tmp_path_factory.mktemp("xss") / "hub")
    write_files(root, {"themehub.yaml": XSS_CONFIG})
    write_files(root, xss_files(), dedent=False)
    result = build_in_process(root, search=True)
    assert result.ok, show(errors_of(result.diagnostics))
    return root, result


@pytest.fixture(scope="module")
def xss_site(xss_build: tuple[Path, BuildResult]) -> Path:
    return xss_build[0]


def test_checker_catches_what_it_must() -> None:
    """The scanner itself: each of these is a live script it must flag."""
    live = [
        "<script>alert(1)</script>", '<img src=//x.example/x onerror="alert(1)">', '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>', '<iframe srcdoc="x"></iframe>', '<a href="data:text/html,x">x</a>',
        '<script src="/insights/assets/x.js">alert(1)</script>', '<script type="application/ld+json">{x</script>',
        '<div style="width: expression(alert(1))">', "<svg onload=alert(1)>",
    ]
    for doc in live:
        assert html_problems(doc), doc
    assert not html_problems('<script src="/insights/assets/search.js?v=1"></script><p>&lt;script&gt;</p>')
    assert not html_problems('<script type="application/ld+json">{"a": "b"}</script>')
    assert xml_problems(b'<feed><link href="javascript:alert(1)"/></feed>')
    assert xml_problems(b"<feed><title>]]></script></title>")
    assert json_problems(b'{"url": " javascript:alert(1)"}')


def test_no_live_script_in_any_output_file(xss_site: Path) -> None:
    problems, counts = output_problems(xss_site / "site")
    print(counts)
    assert counts["html"] > 5 * len(PAYLOADS), counts
    assert counts["xml"] > 2 * len(PAYLOADS), counts
    assert counts["json"] >= 1, counts
    assert not problems, f"{len(problems)} live-script problems, e.g.:\n" + "\n".join(problems[:40])


def test_search_index_holds_no_active_url(xss_site: Path) -> None:
    out = xss_site / "site" / "pagefind"
    assert out.is_dir(), "the build with search made no pagefind/ folder"
    fragments = sorted((out / "fragment").glob("*"))
    assert fragments, "no pagefind fragments"
    for path in fragments:
        fragment = pagefind_fragment(path.read_bytes())
        if fragment is None:
            continue  # Pagefind's binary format changed: the HTML it was made from is checked above
        assert not json_problems(json.dumps(fragment).encode()), path.name


def test_search_filter_values_are_escaped_text(xss_site: Path) -> None:
    """Pagefind's UI puts filter values (theme titles among them) into the search page as HTML: every value
    in the index must be text with its markup escaped, and each hostile theme title must be there."""
    filters = sorted((xss_site / "site" / "pagefind" / "filter").glob("*.pf_filter"))
    assert filters, "no pagefind filter files"
    values: dict[str, list[str]] = {}
    for path in filters:
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        name, entries = cbor_decode(data)  # type: ignore[misc]
        values[name] = [value for value, _ in entries]
    for name, texts in values.items():
        assert not [t for t in texts if "<" in t or ">" in t], f"markup in the values of filter {name!r}"
    assert len(values["theme"]) > len(PAYLOADS) // 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in values["theme"]


def test_every_payload_field_shows_the_text_literally(xss_site: Path) -> None:
    """Escaping, not deleting: a title reads exactly as written, template syntax included."""
    out = xss_site / "site"
    for i, payload in enumerate(PAYLOADS):
        for rel in (f"articles/xss-{i}/index.html", f"themes/xss-theme-{i}/index.html",
                    f"authors/xss-author-{i}/index.html", f"services/xss-service-{i}/index.html",
                    f"tracks/xss-track-{i}/index.html"):
            assert h1_text((out / rel).read_text(encoding="utf-8")) == payload.strip(), rel


def h1_text(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert match, "no <h1>"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_template_syntax_renders_literally(xss_site: Path) -> None:
    out = xss_site / "site"
    i = PAYLOADS.index("{{ 7*7 }}")
    for rel in (f"articles/xss-{i}/index.html", f"authors/xss-author-{i}/index.html",
                f"services/xss-service-{i}/index.html", f"tracks/xss-track-{i}/index.html", "index.html"):
        text = html.unescape((out / rel).read_text(encoding="utf-8"))
        assert "{{ 7*7 }}" in text, rel
    j = PAYLOADS.index("{% for x in range(3) %}loop{{ x }}{% endfor %}")
    text = html.unescape((out / f"articles/xss-{j}/index.html").read_text(encoding="utf-8"))
    assert "{% for x in range(3) %}loop{{ x }}{% endfor %}" in text
    assert "loop0loop1loop2" not in text
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in html.unescape(feed)


def test_atom_and_hub_json_keep_the_text(xss_site: Path) -> None:
    out = xss_site / "site"
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    ns = "{http://www.w3.org/2005/Atom}"
    titles = {e.findtext(f"{ns}title") for e in feed.iter(f"{ns}entry")}
    assert PAYLOADS[0] in titles
    hub = json.loads((out / "hub.json").read_bytes())
    assert {c["title"] for c in hub["content"]} >= {PAYLOADS[0], PAYLOADS[4]}


def test_markdown_active_urls_are_reported(xss_build: tuple[Path, BuildResult]) -> None:
    result = xss_build[1]
    unsafe = [d for d in result.diagnostics if d.code == "unsafe-url"]
    assert len({d.file for d in unsafe}) >= len(PAYLOADS), show(unsafe[:5])


# ---------------------------------------------------------------------------------------------- refused URLs

ACTIVE_URLS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "jAvAsCrIpT:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "file:///etc/passwd",
)

# (id, file, front matter with {url} where the URL goes, line of the URL, column of the URL)
URL_FIELDS = (
    ("article-image", "content/articles/cloud-basics.md",
     "---\ntitle: T\ndate: 2026-01-10\nauthors: [ana-quinn]\nthemes: [cloud]\nimage: {url}\n---\nx\n", 6, 8),
    ("author-avatar", "content/authors/ana-quinn.md", "---\nname: Ana Quinn\navatar: {url}\n---\nx\n", 3, 9),
    ("author-link", "content/authors/ana-quinn.md", "---\nname: Ana Quinn\nlinks:\n  website: {url}\n---\nx\n", 4, 12),
    ("service-cta", "content/services/cost-review.md", "---\ntitle: S\ncta:\n  label: Go\n  url: {url}\n---\nx\n", 5, 8),
    ("theme-image", "content/themes/data.md", "---\ntitle: Data\nimage: {url}\n---\nx\n", 3, 8),
    ("theme-cta", "content/themes/data.md", "---\ntitle: Data\ncta: {{label: Go, url: {url}}}\n---\nx\n", 3, 23),
    ("track-cta", "content/tracks/cloud-in-two-steps.md",
     "---\ntitle: T\nsteps: [cloud-basics]\ncta:\n  label: Go\n  url: {url}\n---\nx\n", 6, 8),
)


@pytest.mark.parametrize(("file", "template", "line", "col"), [f[1:] for f in URL_FIELDS],
                         ids=[f[0] for f in URL_FIELDS])
def test_front_matter_active_url_is_an_unsafe_url_error(mini_copy: Callable[..., Path], file: str, template: str,
                                                       line: int, col: int) -> None:
    for url in ACTIVE_URLS:
        root = mini_copy({file: template.format(url=q(url))}, dedent=False)
        result = build_in_process(root)
        assert not result.ok, f"{url!r} in {file} was accepted"
        found = [(d.code, d.file, d.line, d.col) for d in errors_of(result.diagnostics)]
        assert ("unsafe-url", file, line, col) in found, f"{url!r}:\n{show(result.diagnostics)}"
