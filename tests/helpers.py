"""Helpers shared by the test suite: fixture sites, building, and reading built HTML like a reader would."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import http.server
import shutil
import subprocess
import sys
import textwrap
import threading
import warnings
from collections.abc import Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from themehub.build import BuildOptions, BuildResult, build

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
MINI_HUB = FIXTURES / "mini_hub"
REPO = TESTS.parent
SAMPLE_PARTS = ("themehub.yaml", "content", "static")

INTERRUPTIBLE = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
"""The first line of a `python -c` script that is to be stopped with Ctrl-C (SIGINT). A command started
in the background by a shell without job control (`make test &`, a CI runner's `cmd &`) starts with
SIGINT ignored, and so does every process it starts: Python then leaves SIGINT ignored, and the signal
a test sends would never arrive. Test processes take it back."""
INTERRUPTIBLE_CLI = INTERRUPTIBLE + "import sys\nfrom themehub.cli import main\nsys.exit(main(sys.argv[1:]))\n"
"""`python -c INTERRUPTIBLE_CLI ARGS...`: `python -m themehub ARGS...`, Ctrl-C working as in a terminal."""


def warn_if_the_stop_watchdog_acted(output: str) -> None:
    """Ctrl-C ended a server only through its watchdog (serve/stopping.py): the user saw it stop, so the
    test passes, but what held the exit up is shown in pytest's warnings summary, to be fixed."""
    if "stopping took longer than" in output:
        warnings.warn(f"serve needed its stop watchdog; where it waited: {output[-4000:]}", stacklevel=2)

BASE_PATH = "/insights/"
BASE_URL = "https://example.com/insights/"

# A fixed "now" after every dated item of the fixtures and the sample hub, so builds do not depend on the clock.
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
MINI_NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------- sites


def write_files(root: Path, files: Mapping[str, str | bytes | None]) -> None:
    """Write `files` (path relative to root -> text) below root; None deletes the file."""
    for rel, data in files.items():
        path = root / rel
        if data is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")


def make_site(root: Path, files: Mapping[str, str | bytes | None] | None = None, *, base: str | None = "mini_hub",
              ) -> Path:
    """A site in `root`: a copy of tests/fixtures/<base> (or nothing) with `files` written over it."""
    root.mkdir(parents=True, exist_ok=True)
    if base is not None:
        shutil.copytree(FIXTURES / base, root, dirs_exist_ok=True)
    write_files(root, files or {})
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def replace(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file, which must hold it."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


SAMPLE_LANGUAGES = {"de": "Northwind Einblicke", "ja": "Northwind インサイト"}
"""The sample's languages besides English (its themehub.yaml): folder -> the site's title there."""


def in_one_language(site: Path, language: str = "en") -> Path:
    """A copy of the sample made a hub in one language, `language`: its `languages:` (the last keys of
    its themehub.yaml) and its translation files (`x.de.md`) gone."""
    config = site / "themehub.yaml"
    head, found, _ = config.read_text().partition("default_language:")
    assert found, "the sample's themehub.yaml ends with default_language: and languages:"
    config.write_text(head + f"language: {language}\n")
    for path in (site / "content").rglob("*.*.md"):
        path.unlink()
    return site


def copy_sample(root: Path) -> Path:
    """A copy of the real sample hub (themehub.yaml, content/, static/) in `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for part in SAMPLE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        elif src.exists():
            shutil.copy2(src, root / part)
    return root


def article(slug_title: str, *, date: str = "2026-01-05", authors: str = "[ana-quinn]", themes: str = "[cloud]",
            extra: str = "", body: str = "Body text.") -> str:
    """The text of an article file; `extra` is more front-matter lines."""
    lines = ["---", f"title: {slug_title}", f"date: {date}", f"authors: {authors}", f"themes: {themes}"]
    lines += [line for line in textwrap.dedent(extra).strip("\n").split("\n") if line]
    lines += ["---", "", body.strip("\n"), ""]
    return "\n".join(lines)


def run_build(site: Path, **kwargs: object) -> BuildResult:
    """build() in-process, one markdown worker, a fixed clock. The Pagefind index (a third of a small
    build's time) is only made when asked: the sample-hub, fixture-hub and CLI builds include it."""
    kwargs.setdefault("jobs", 1)
    kwargs.setdefault("now", MINI_NOW)
    kwargs.setdefault("search", False)
    return build(BuildOptions(site=site, **kwargs))  # type: ignore[arg-type]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server's handler that logs nothing (test output stays readable)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler,
                  ) -> Iterator[str]:
    """A plain static file server of `root` on a free port of 127.0.0.1, as a static host serves a
    site; yields its URL ('http://127.0.0.1:PORT/')."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def build_and_serve(site: Path) -> Iterator[str]:
    """`themehub build` of `site` in a subprocess (as a user runs it), the output served by a plain static
    file server at /insights/; yields the URL of the home page."""
    subprocess.run([sys.executable, "-m", "themehub", "build", "--site", str(site)], check=True, capture_output=True)
    root = site.parent / "www"
    root.mkdir()
    (root / "insights").symlink_to(site / "site")
    with static_server(root) as url:
        yield url + "insights/"


def errors(result_or_list: BuildResult | list) -> list:  # type: ignore[type-arg]
    diagnostics = getattr(result_or_list, "diagnostics", result_or_list)
    return [d for d in diagnostics if d.severity == "error"]


def codes(diagnostics: object) -> list[str]:
    return [d.code for d in getattr(diagnostics, "diagnostics", diagnostics)]  # type: ignore[attr-defined]


EDITOR_PAGE = "admin/index.html"
"""The web editor's page (`themehub cms`, copied from static/ as it is): not one of the hub's pages."""


def hub_pages(out: Path) -> list[Path]:
    """Every HTML page themehub rendered into `out`: neither Pagefind's files nor the editor's page."""
    return sorted(p for p in out.rglob("*.html")
                  if "pagefind" not in p.relative_to(out).parts and p.relative_to(out).as_posix() != EDITOR_PAGE)


def all_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


# ----------------------------------------------------------------------------------------- HTML

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def find_all(self, tag: str | None = None, *, class_: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if node is self:
                continue
            if tag is not None and node.tag != tag:
                continue
            if class_ is not None and class_ not in node.classes():
                continue
            if any(node.attrs.get(k.rstrip("_").replace("_", "-")) != v for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, *, class_: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, class_=class_, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, *, class_: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, class_=class_, **attrs)
        assert len(found) == 1, f"expected one <{tag} class={class_} {attrs}>, found {len(found)}"
        return found[0]

    @property
    def text(self) -> str:
        """The text a sighted reader sees."""
        return self._text(spoken=False)

    @property
    def spoken(self) -> str:
        """The text a screen reader announces: without aria-hidden parts."""
        return self._text(spoken=True)

    def _text(self, *, spoken: bool) -> str:
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag in ("script", "style"):
                    continue
                elif not (spoken and child.attrs.get("aria-hidden") == "true"):
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def hrefs(self) -> list[str]:
        return [a.attrs["href"] or "" for a in self.find_all("a") if "href" in a.attrs]

    def links(self) -> list[tuple[str, str]]:
        """(href, text) of every link inside this node, in document order."""
        return [(a.attrs.get("href") or "", a.text) for a in self.find_all("a") if "href" in a.attrs]

    def section(self, heading_text: str) -> Node:
        """The closest <section> (or other container) whose heading reads `heading_text`."""
        for node in self.iter():
            if node.tag in ("h1", "h2", "h3") and node.text == heading_text:
                container = node.parent
                while container is not None and container.tag not in ("section", "article", "aside", "nav"):
                    container = container.parent
                assert container is not None, f"heading {heading_text!r} is not inside a section"
                return container
        raise AssertionError(f"no heading {heading_text!r} on the page")


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs), parent=self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def url_file(out: Path, url: str, base_path: str = BASE_PATH) -> Path:
    """The file that serves `url` (e.g. '/insights/themes/x/' -> out/themes/x/index.html)."""
    path = unquote(urlsplit(url).path)
    assert path.startswith(base_path), f"{url!r} is not below {base_path}"
    rel = path[len(base_path):]
    target = out / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target


def page(out: Path, url: str, base_path: str = BASE_PATH) -> Node:
    """The parsed page that a reader gets for `url`."""
    path = url_file(out, url, base_path)
    assert path.is_file(), f"{url} was not built ({path} does not exist)"
    return parse_html(path.read_text(encoding="utf-8"))


def main_of(doc: Node) -> Node:
    return doc.one("main")


def internal_link_problems(out: Path, base_path: str = BASE_PATH, *, check_anchors: bool = True) -> list[str]:
    """Every href/src below base_path in every HTML file whose target file (or #anchor) is missing.

    Links into pagefind/ are only followed when the build produced a pagefind/ folder.
    """
    include_pagefind = (out / "pagefind").is_dir()
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            doc = parse_html(path.read_text(encoding="utf-8"))
            ids[path] = {n.attrs["id"] or "" for n in doc.iter() if "id" in n.attrs}
        return ids[path]

    problems: list[str] = []
    for html_file in sorted(out.rglob("*.html")):
        doc = parse_html(html_file.read_text(encoding="utf-8"))
        for node in doc.iter():
            for attr in ("href", "src"):
                value = node.attrs.get(attr)
                if not value or not value.startswith(base_path):
                    continue
                # a language's own index is at <language>/pagefind/ (SAMPLE_LANGUAGES' folders)
                if not include_pagefind and any(value.startswith(base_path + folder + "pagefind/")
                                                for folder in ("", *(f"{lang}/" for lang in SAMPLE_LANGUAGES))):
                    continue
                target = url_file(out, value, base_path)
                where = f"{html_file.relative_to(out)}: <{node.tag} {attr}={value!r}>"
                if not target.is_file():
                    problems.append(f"{where}: {target.relative_to(out)} does not exist")
                    continue
                fragment = urlsplit(value).fragment
                if check_anchors and fragment and target.suffix == ".html" and unquote(fragment) not in ids_of(target):
                    problems.append(f"{where}: no element with id {fragment!r} there")
    return problems


def card_links(node: Node) -> list[str]:
    """The article each card (or guided-path step) in `node` links to, in page order."""
    return [a.attrs.get("href") or "" for a in node.find_all("a")
            if "/articles/" in (a.attrs.get("href") or "")
            and ("path-title" in a.classes() or (a.parent is not None and "card-title" in a.parent.classes()))]


def depth_groups(section: Node) -> list[tuple[str, list[str]]]:
    """(label, article links) under each depth heading of a listing, in page order."""
    groups: list[tuple[str, list[str]]] = []
    for node in section.iter():
        if "depth-heading" in node.classes():
            groups.append((node.text, []))
        elif node.tag == "a" and groups and node.parent is not None and "card-title" in node.parent.classes():
            groups[-1][1].append(node.attrs.get("href") or "")
    return groups


T = TypeVar("T")


def run_isolated(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """`asyncio.run(make())` on a thread of its own: the browser tests' playwright keeps an event loop
    running on the main thread for the whole session, and asyncio.run() refuses to nest in it."""
    results: list[T] = []
    failures: list[BaseException] = []

    def main() -> None:
        try:
            results.append(asyncio.run(make()))
        except BaseException as exc:  # raised again in the test's thread
            failures.append(exc)

    worker = threading.Thread(target=main)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]
    return results[0]


# --------------------------------------------------------------------------------- hangs and work, not speed


def finishes(call: Callable[[], T], *, hang_after: float = 300.0, what: str = "the call") -> T:
    """`call()` on a daemon thread, its result returned (or its exception raised again). A hang guard, not a
    speed bound: if it has not returned after `hang_after` seconds, far above any normal run, the test fails
    as hung instead of hanging the whole suite."""
    results: list[T] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(call())
        except BaseException as exc:  # raised again in the test's thread
            failures.append(exc)

    worker = threading.Thread(target=run, daemon=True, name="hang-guard")
    worker.start()
    worker.join(hang_after)
    if worker.is_alive():
        raise AssertionError(f"hung: {what} had not returned after {hang_after:g} s")
    if failures:
        raise failures[0]
    return results[0]


def lines_run(call: Callable[[], T], *modules: object) -> tuple[T, int]:
    """`call()`'s result and the number of Python lines executed in the given modules' source files while
    it ran: a count of work that does not depend on the machine or its load. (Work done inside C, such as
    one regular-expression match, counts as the one line that started it.)"""
    files = {module.__file__ for module in modules}  # type: ignore[attr-defined]
    count = 0

    def in_frame(frame: Any, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return in_frame

    def on_call(frame: Any, event: str, arg: object) -> Any:
        return in_frame if frame.f_code.co_filename in files else None

    previous = sys.gettrace()
    sys.settrace(on_call)
    try:
        result = call()
    finally:
        sys.settrace(previous)
    return result, count
