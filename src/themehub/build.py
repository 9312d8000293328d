"""The build driver: config -> content -> hub graph -> markdown -> pages -> write.

`load_site` (the first three stages) is shared with `check` and `serve`; `render_site` produces every
output file in memory; `build` writes them. Each stage returns values and diagnostics; none raises
for a content problem.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import time
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from themehub import urls
from themehub.config import Config, load_config
from themehub.content.loader import load_content
from themehub.content.model import Content
from themehub.diagnostics import Diagnostic, error, has_errors, sorted_diagnostics, warning
from themehub.hub.graph import Hub, build_hub
from themehub.output.writer import check_output_dir, static_files, write_site
from themehub.render import feeds
from themehub.render.markdown import LinkProblem, MarkdownSettings, RenderedBody, render_many, resolve_links
from themehub.render.pages import PageInputs, PageSpec, all_pages
from themehub.render.search import write_search_index
from themehub.render.templates import asset_version, make_environment, theme_dirs, theme_exists


@dataclass(frozen=True, slots=True)
class BuildOptions:
    site: Path = Path(".")
    out: Path | None = None
    drafts: bool = False
    base_url: str | None = None
    strict: bool = False
    jobs: int = 0
    """Markdown worker processes; 0 means one per core."""
    now: dt.datetime | None = None
    force: bool = False


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class LoadedSite:
    config: Config | None
    content: Content | None
    hub: Hub | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class RenderedSite:
    files: Mapping[str, bytes]
    copies: Mapping[str, Path]
    pages: tuple[PageSpec, ...]
    bodies: Mapping[str, RenderedBody]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    ok: bool
    out: Path | None = None
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    timings: Mapping[str, float] = field(default_factory=dict)


def load_site(options: BuildOptions, timings: Timings | None = None) -> LoadedSite:
    timings = timings or Timings()
    root = options.site.resolve()
    with timings.stage("config"):
        config, diagnostics = load_config(root, base_url=options.base_url, output=options.out)
    if config is None:
        return LoadedSite(None, None, None, tuple(diagnostics))
    if not theme_exists(config):
        diagnostics.append(error("themehub.yaml", 1, 1, "unknown-presentation-theme",
                                 f"presentation theme '{config.theme}' not found",
                                 f"create themes/{config.theme}/ or use `theme: default`"))
    with timings.stage("load"):
        content, problems = load_content(config)
    diagnostics += problems
    now = options.now or dt.datetime.now(dt.UTC)
    with timings.stage("graph"):
        hub, problems = build_hub(content, config, now=now, drafts=options.drafts)
    diagnostics += problems
    return LoadedSite(config, content, hub, tuple(diagnostics))


def _line_of(body: str, body_line: int, needle: str) -> int:
    for offset, text in enumerate(body.split("\n")):
        if needle in text:
            return body_line + offset
    return body_line


def _link_diagnostic(problem: LinkProblem, source: str, body: str, body_line: int) -> Diagnostic:
    name = posixpath.basename(problem.target)
    line = _line_of(body, body_line, name + problem.fragment if problem.kind == "anchor" else name)
    if problem.kind == "missing":
        return error(source, line, 1, "broken-link", f"link to '{problem.target}', which does not exist",
                     "check the file name; links to content are relative to this file, e.g. other-article.md")
    if problem.kind == "unpublished":
        return warning(source, line, 1, "draft-link",
                       f"link to '{problem.target}', which is a draft or dated in the future",
                       "the link will work once that article is published")
    return warning(source, line, 1, "broken-anchor",
                   f"link to '{problem.target}{problem.fragment}': no such heading there",
                   "heading ids are the heading text in lowercase, words joined by '-'")


MarkdownCache = MutableMapping[tuple[MarkdownSettings, str, str], RenderedBody]


def render_site(loaded: LoadedSite, options: BuildOptions, timings: Timings | None = None,
                cache: MarkdownCache | None = None) -> RenderedSite:
    """Every output file, in memory. Only call with a LoadedSite that has a config and a hub.

    `cache` (kept by `serve` between rebuilds) maps (settings, source, body) to rendered markdown,
    so only bodies that changed are converted again.
    """
    timings = timings or Timings()
    config, hub = loaded.config, loaded.hub
    assert config is not None and hub is not None
    diagnostics: list[Diagnostic] = []
    content = hub.content

    # -- markdown --------------------------------------------------------------------------
    items = [*hub.articles, *content.themes, *content.authors, *content.services, *content.pages]
    settings = MarkdownSettings(raw_html=config.raw_html, base_path=config.base_path)
    jobs = options.jobs or os.cpu_count() or 1
    with timings.stage("markdown"):
        cache = cache if cache is not None else {}
        todo = [i for i in items if (settings, i.source, i.body) not in cache]
        for item, body in zip(todo, render_many([(i.body, i.source) for i in todo], settings, jobs), strict=True):
            cache[(settings, item.source, item.body)] = body
    bodies_raw = {item.source: cache[(settings, item.source, item.body)] for item in items}
    url_of = {a.source: urls.article(a.slug) for a in hub.articles}
    url_of.update({t.source: urls.theme(t.slug) for t in content.themes})
    url_of.update({a.source: urls.author(a.slug) for a in content.authors})
    url_of.update({s.source: urls.service(s.slug) for s in content.services})
    url_of.update({p.source: urls.page(p.slug) for p in content.pages})
    unpublished = frozenset(a.source for a in content.articles if a.slug not in hub.article_by_slug)
    anchors = {src: frozenset(h.id for h in body.headings) for src, body in bodies_raw.items()}
    bodies: dict[str, Markup] = {}
    with timings.stage("links"):
        for item in items:
            body = bodies_raw[item.source]
            html, problems = resolve_links(body.html, url_of, anchors, unpublished, config.base_path)
            bodies[item.source] = Markup(html)
            for problem in problems:
                diagnostics.append(_link_diagnostic(problem, item.source, item.body, item.body_line))
            for url in body.removed_urls:
                diagnostics.append(warning(item.source, _line_of(item.body, item.body_line, url), 1, "unsafe-url",
                                           f"removed a link with an active URL scheme: '{url[:60]}'",
                                           "only http(s), mailto:, tel: and relative links are kept"))
            for src in body.images_without_alt:
                diagnostics.append(warning(item.source, _line_of(item.body, item.body_line, src), 1, "missing-alt",
                                           f"image '{src}' has no alt text",
                                           "describe the image: ![what it shows](path)"))

    # -- pages -----------------------------------------------------------------------------
    dirs = theme_dirs(config)
    copies = static_files([(d, "assets/") for d in dirs.static] + [(config.root / "static", "")])
    versions = {rel.removeprefix("assets/"): asset_version(path.read_bytes())
                for rel, path in copies.items() if rel.startswith("assets/") and rel.endswith((".css", ".js"))}
    env = make_environment(config, dirs, versions)
    env.globals["hub"] = hub
    pages = all_pages(PageInputs(hub, bodies))
    files: dict[str, bytes] = {}
    generated = {spec.url for spec in pages}
    for old in hub.aliases:
        if sum(1 for spec in pages if spec.url == old) > 1:
            diagnostics.append(error("themehub.yaml", 1, 1, "path-collision",
                                     f"alias '/{old}' is also the address of a page", "remove the alias"))
    failures: dict[tuple[str, str], list[str]] = {}
    with timings.stage("templates"):
        templates: dict[str, jinja2.Template] = {}
        for spec in pages:
            template = templates.get(spec.template)
            if template is None:
                try:
                    template = templates[spec.template] = env.get_template(spec.template)
                except jinja2.TemplateSyntaxError as exc:
                    diagnostics.append(_template_diagnostic(exc, config))
                    templates[spec.template] = None  # type: ignore[assignment]
                    continue
                except jinja2.TemplateNotFound as exc:
                    diagnostics.append(error("themehub.yaml", 1, 1, "template-error",
                                             f"template '{exc.name}' not found in presentation theme "
                                             f"'{config.theme}'", "add it to your theme's templates/ folder"))
                    templates[spec.template] = None  # type: ignore[assignment]
                    continue
            if template is None:
                continue
            try:
                html = template.render(**spec.context, page_url=spec.url, page_kind=spec.template[:-5])
            except jinja2.TemplateError as exc:
                failures.setdefault((spec.template, str(exc)), []).append(spec.url)
                continue
            files[urls.output_file(spec.url)] = html.encode("utf-8")
    for (template_name, message), failed in failures.items():
        # One diagnostic per distinct failure, not one per page (a broken base template fails them all).
        others = f" and {len(failed) - 1} more pages" if len(failed) > 1 else ""
        diagnostics.append(error(template_name, 1, 1, "template-error",
                                 f"rendering /{failed[0]}{others} failed: {message}",
                                 "fix the template, or the content it shows"))
    with timings.stage("feeds"):
        for path, data in feeds.feeds(hub):
            files[path] = data
        files["sitemap.xml"] = feeds.sitemap(hub, generated)
        files["robots.txt"] = feeds.robots(hub)
        files["hub.json"] = feeds.hub_json(hub)
    for rel in sorted(copies):
        if rel in files:
            diagnostics.append(warning(f"static/{rel}", 1, 1, "static-collision",
                                       f"static file '{rel}' has the same address as a generated page; "
                                       "the page wins", "rename or move the static file"))
    return RenderedSite(files, copies, tuple(pages), bodies_raw, tuple(diagnostics))


def _template_diagnostic(exc: jinja2.TemplateSyntaxError, config: Config) -> Diagnostic:
    filename = exc.filename or exc.name or "template"
    with suppress(ValueError):
        filename = Path(filename).resolve().relative_to(config.root.resolve()).as_posix()
    return error(filename, exc.lineno or 1, 1, "template-error", f"template syntax error: {exc.message}",
                 "fix the template tag on this line")


def build(options: BuildOptions) -> BuildResult:
    timings = Timings()
    loaded = load_site(options, timings)
    diagnostics = list(loaded.diagnostics)
    if loaded.config is None or loaded.hub is None or has_errors(diagnostics):
        return BuildResult(tuple(sorted_diagnostics(diagnostics)), False, timings=timings.stages)
    config = loaded.config
    out = config.output_dir
    problems = check_output_dir(config.root, out, force=options.force)
    if problems:
        return BuildResult(tuple(sorted_diagnostics(diagnostics + problems)), False, timings=timings.stages)
    rendered = render_site(loaded, options, timings)
    diagnostics += rendered.diagnostics
    diagnostics = sorted_diagnostics(diagnostics)
    if has_errors(diagnostics, strict=options.strict):
        return BuildResult(tuple(diagnostics), False, out=out, timings=timings.stages)
    def finish(staging: Path) -> None:
        with timings.stage("search"):
            write_search_index(staging, config.language)

    with timings.stage("write"):
        stats = write_site(out, rendered.files, rendered.copies, finish)
    return BuildResult(
        tuple(diagnostics), True, out=out, pages=len(rendered.pages),
        files=len(rendered.files) + len(rendered.copies), written=stats.written, unchanged=stats.unchanged,
        timings=timings.stages,
    )
