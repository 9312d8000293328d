"""Active content in published HTML and XML files: what is found, and where (1-based line and column)."""

from __future__ import annotations

import textwrap

import pytest

from themehub.sanitize.active import ACTIVE_SUFFIXES, ActiveContent, find_active_content, script_url


def found(text: str | bytes, suffix: str = ".html") -> list[tuple[int, int, str]]:
    data = text if isinstance(text, bytes) else textwrap.dedent(text).lstrip("\n").encode("utf-8")
    return [(f.line, f.col, f.what) for f in find_active_content(data, suffix)]


# ---------------------------------------------------------------------------------------------- HTML

HOSTILE_HTML = [
    ("<script>alert(1)</script>", [(1, 1, "a <script> element")]),
    ("<p>x</p><SCRIPT SRC=//evil.example/x.js></SCRIPT>", [(1, 9, "a <script> element")]),
    ("<script/src=data:,alert(1)></script>", [(1, 1, "a <script> element")]),
    ("<svg><script>alert(1)</script></svg>", [(1, 6, "a <script> element")]),
    ("<img src=x onerror=alert(1)>", [(1, 12, "an onerror attribute")]),
    ("<body ONLOAD='alert(1)'>", [(1, 7, "an onload attribute")]),
    ("<svg/onload=alert(1)>", [(1, 6, "an onload attribute")]),
    ('<div title="onclick=no" onclick="x">', [(1, 25, "an onclick attribute")]),
    ("<details open ontoggle=alert(1)>", [(1, 15, "an ontoggle attribute")]),
    ('<a href="javascript:alert(1)">x</a>', [(1, 4, "a javascript: URL")]),
    ('<a href="  JaVaScRiPt:alert(1)">x</a>', [(1, 4, "a javascript: URL")]),
    ('<a href="java&#x09;script:alert(1)">x</a>', [(1, 4, "a javascript: URL")]),
    ('<a href="java&Tab;script&colon;alert(1)">x</a>', [(1, 4, "a javascript: URL")]),
    ('<a href="&#106;avascript:alert(1)">x</a>', [(1, 4, "a javascript: URL")]),
    ("<a href='java\nscript:alert(1)'>x</a>", [(1, 4, "a javascript: URL")]),
    ('<a href="vbscript:msgbox(1)">x</a>', [(1, 4, "a vbscript: URL")]),
    ('<iframe src="data:text/html;base64,PHNjcmlwdD4="></iframe>', [(1, 9, "a data:text/html URL")]),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', [(1, 9, "an <iframe srcdoc> attribute")]),
    ('<object data="x.swf"></object>', [(1, 1, "an <object> element")]),
    ('<embed src="x.svg">', [(1, 1, "an <embed> element")]),
    ('<applet code="X.class"></applet>', [(1, 1, "an <applet> element")]),
    ('<base href="https://evil.example/">', [(1, 1, "a <base href> element")]),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
     [(1, 28, 'a <meta http-equiv="refresh"> to a javascript: URL')]),
    ("<meta http-equiv=Refresh content=\"5; URL='JavaScript:alert(1)'\">",
     [(1, 26, 'a <meta http-equiv="refresh"> to a javascript: URL')]),
    ('<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">go</button></form>',
     [(1, 7, "a javascript: URL"), (1, 44, "a javascript: URL")]),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', [(1, 9, "a javascript: URL")]),
    ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', [(1, 32, "a javascript: URL")]),
    ('<svg><animate attributeName="href" values="#a;javascript:alert(1)"/></svg>', [(1, 36, "a javascript: URL")]),
    ('<math href="javascript:alert(1)">x</math>', [(1, 7, "a javascript: URL")]),
]


@pytest.mark.parametrize(("html", "expected"), HOSTILE_HTML)
def test_hostile_html(html: str, expected: list[tuple[int, int, str]]) -> None:
    assert found(html.encode()) == expected


def test_positions_across_lines() -> None:
    html = """
        <!doctype html>
        <html lang="en">
        <head><title>Offer</title>
          <script>
            alert(1)
          </script>
        </head>
        <body>
          <a class="cta"
             title="x onclick=y"
             href="javascript:alert(1)" onclick="alert(2)"
          >Buy</a>
          <img src="a.png"
            onerror="alert(3)">
        </body>
    """
    assert found(html) == [
        (4, 3, "a <script> element"),
        (11, 6, "a javascript: URL"),
        (11, 33, "an onclick attribute"),
        (14, 5, "an onerror attribute"),
    ]


def test_one_finding_per_attribute_and_element() -> None:
    html = '<body onload="a()" onunload="b()"><script></script><script src="x.js"></script></body>'
    assert [what for _, _, what in found(html.encode())] == [
        "an onload attribute", "an onunload attribute", "a <script> element", "a <script> element"]


BENIGN_HTML = {
    "google site verification": "google-site-verification: google1234567890abcdef.html\n",
    "plain page": """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta http-equiv="refresh" content="30; url=https://example.com/next/">
          <title>Javascript: the good parts — a review</title>
          <link rel="stylesheet" href="style.css">
          <style>body { font: 16px/1.5 sans-serif } a[href^="javascript"] { color: red }</style>
        </head>
        <body>
          <!-- <script>alert(1)</script> is a comment -->
          <h1>Why online onboarding works</h1>
          <p>Read <a href="https://example.com/report">the report</a>, <a href="/insights/">the hub</a>,
             <a href="#top">top</a>, <a href="mailto:hi@example.com">mail us</a> or the
             <a href="javascript-basics.html">javascript basics</a>.</p>
          <img src="chart.png" alt="A chart" width="640" height="360" srcset="chart-2x.png 2x">
          <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E" alt="">
          <form action="https://example.com/subscribe" method="post"><input name="email" type="email"></form>
          <iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>
          <pre><code>&lt;script&gt;alert(1)&lt;/script&gt; onclick="x"</code></pre>
        </body>
        </html>
    """,
    "xhtml page": """
        <?xml version="1.0" encoding="UTF-8"?>
        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body><p>ok</p></body></html>
    """,
}


@pytest.mark.parametrize("name", sorted(BENIGN_HTML))
@pytest.mark.parametrize("suffix", [".html", ".htm", ".xhtml"])
def test_benign_html_has_no_findings(name: str, suffix: str) -> None:
    assert found(BENIGN_HTML[name], suffix) == []


def test_xml_stylesheet_counts_in_xhtml_only() -> None:
    page = '<?xml-stylesheet type="text/xsl" href="t.xsl"?>\n<html xmlns="http://www.w3.org/1999/xhtml"/>'
    assert found(page, ".xhtml") == [(1, 1, "an <?xml-stylesheet?> instruction")]
    assert found(page, ".html") == []


def test_xhtml_read_as_xml() -> None:
    prefixed = '<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:body>\n<h:script>alert(1)</h:script></h:body></h:html>'
    assert found(prefixed, ".xhtml") == [(2, 1, "a <script> element")]
    entity = '<!DOCTYPE html [<!ENTITY x "&#60;script>alert(1)&#60;/script>">]>\n<html xmlns="http://www.w3.org/1999/xhtml">&x;</html>'
    assert found(entity, ".xhtml") == [(1, 28, "an entity declaration (<!ENTITY x>)")]


def test_encodings() -> None:
    page = "<p>Grüße</p><img src=x onerror=alert(1)>"
    expected = [(1, 24, "an onerror attribute")]
    assert found(page.encode("utf-16"), ".html") == expected
    assert found(page.encode("utf-8-sig"), ".html") == expected
    assert found(page.encode("utf-8") + b"\xff\xfe<script>", ".html") == [*expected, (1, 43, "a <script> element")]


# ----------------------------------------------------------------------------------------------- XML

HOSTILE_XML = [
    ('<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="evil.xsl"?>\n<doc/>',
     [(2, 1, "an <?xml-stylesheet?> instruction")]),
    ('<doc><script>alert(1)</script></doc>', [(1, 6, "a <script> element")]),
    ('<doc xmlns:x="urn:x"><x:Script/></doc>', [(1, 22, "a <script> element")]),
    ('<doc>\n  <html:p xmlns:html="http://www.w3.org/1999/xhtml">hi <html:b>x</html:b></html:p>\n</doc>',
     [(2, 3, "an element in the XHTML namespace (<p>)")]),
    ('<html xmlns="http://www.w3.org/1999/xhtml"><body onload="alert(1)"><script>alert(2)</script></body></html>',
     [(1, 1, "an element in the XHTML namespace (<html>)"), (1, 44, "an onload attribute"),
      (1, 68, "a <script> element")]),
    ('<feed>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><a href="javascript:alert(2)"/></svg>\n</feed>',
     [(2, 1, "an onload attribute"), (2, 59, "a javascript: URL")]),
    ('<item link=" JAVASCRIPT:alert(1)"/>', [(1, 1, "a javascript: URL")]),
    ('<!DOCTYPE d [<!ENTITY a "<script>alert(1)</script>">]><d>&a;</d>', [(1, 25, "an entity declaration (<!ENTITY a>)")]),
    ("<doc><b></doc>", [(1, 1, "not well-formed XML (mismatched tag at line 1, column 11)")]),
    ('<?xml version="1.0"?>\n<doc>\n<script/>\n<oops>\n</doc>',
     [(1, 1, "not well-formed XML (mismatched tag at line 5, column 3)"), (3, 1, "a <script> element")]),
    (b"\xff\xfe<\x00d\x00>\x00", [(1, 1, "not well-formed XML (no element found at line 1, column 5)")]),
    ('<?xml version="1.0" encoding="Shift_JIS"?><d/>',
     [(1, 1, "not well-formed XML (unreadable encoding: multi-byte encodings are not supported)")]),
]


@pytest.mark.parametrize(("xml", "expected"), HOSTILE_XML)
def test_hostile_xml(xml: str | bytes, expected: list[tuple[int, int, str]]) -> None:
    assert found(xml if isinstance(xml, bytes) else xml.encode(), ".xml") == expected


def test_xsl_literal_script_is_found() -> None:
    xsl = """
        <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
          <xsl:template match="/"><html><body><script>alert(1)</script></body></html></xsl:template>
        </xsl:stylesheet>
    """
    assert found(xsl, ".xsl") == [(2, 39, "a <script> element")]
    assert found(xsl, ".XSLT") == [(2, 39, "a <script> element")]


BENIGN_XML = {
    "sitemap": """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <url><loc>https://example.com/insights/</loc><lastmod>2026-01-05</lastmod></url>
        </urlset>
    """,
    "atom feed": """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>Northwind &amp; friends</title>
          <link href="https://example.com/insights/" rel="alternate"/>
          <entry><title>One</title><content type="html">&lt;script&gt;alert(1)&lt;/script&gt;</content></entry>
        </feed>
    """,
    "data with on- words": '<settings online="yes" one="1"><only>x</only></settings>',
    "plain DOCTYPE": '<!DOCTYPE note SYSTEM "note.dtd"><note><to>x</to></note>',
}


@pytest.mark.parametrize("name", sorted(BENIGN_XML))
def test_benign_xml_has_no_findings(name: str) -> None:
    assert found(BENIGN_XML[name], ".xml") == []


def test_billion_laughs_stops_at_the_first_declaration() -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 30))
    data = f'<!DOCTYPE d [<!ENTITY l0 "lol">{entities}]><d>&l29;</d>'.encode()
    assert found(data, ".xml") == [(1, 26, "an entity declaration (<!ENTITY l0>)")]  # expat: at the value


# -------------------------------------------------------------------------------------------- suffixes


def test_suffixes() -> None:
    assert frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt"}) == ACTIVE_SUFFIXES
    script = b"<script>alert(1)</script>"
    for suffix in ("html", ".HTML", ".Htm", ".shtml", ".xht"):
        assert find_active_content(script, suffix) == [ActiveContent(1, 1, "a <script> element")]
    for suffix in (".svg", ".txt", ".css", ".js", ".json", ".md", ""):
        assert find_active_content(script, suffix) == []


@pytest.mark.parametrize(("value", "label"), [
    ("javascript:x", "a javascript: URL"), ("\x01 java\tscript:x", "a javascript: URL"),
    ("VBScript:x", "a vbscript: URL"), ("data:text/html,x", "a data:text/html URL"),
    ("DATA:TEXT/HTML;base64,x", "a data:text/html URL"), ("data:application/xhtml+xml,x", "a data:application/xhtml+xml URL"),
    ("#a;javascript:x", "a javascript: URL"), ("https://example.com/", ""), ("javascript-basics.html", ""),
    ("data:image/png;base64,x", ""), ("Learn javascript: basics", ""), ("", ""),
])
def test_script_url(value: str, label: str) -> None:
    assert script_url(value) == label
