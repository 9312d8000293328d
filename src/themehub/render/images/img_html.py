"""`<img>` tags in rendered bodies rewritten to show the resized variants: size, srcset, a WebP source."""

from __future__ import annotations

import re
from html import unescape

from themehub.diagnostics import line_in_body
from themehub.render.images.pipeline import ImagePipeline
from themehub.render.images.records import ImageRef

_IMG = re.compile(r'<img\b[^>]*>')
_ATTR = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')
"""Bodies are serialized by nh3 (html5ever), which double-quotes every attribute value."""


def responsive_body_images(html: str, owner: str, pipeline: ImagePipeline, body: str = "", body_line: int = 1) -> str:
    """Give markdown and raw-HTML images their size, srcset and a WebP source (`content` size). Each
    `src` is resolved by the one rule of source/paths.py; an image it cannot use is reported."""
    base = pipeline.config.shared_base_path

    def replace(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match.group(0)))
        src = unescape(attrs.get("src", ""))
        if not src or "srcset" in attrs:
            return match.group(0)
        written = src.removeprefix(base) if src.startswith(base) and base != "/" else src.lstrip("/")
        line = line_in_body(body, body_line, written)
        variant = pipeline.reference(ImageRef(src, owner, line, 1), "content")
        if variant is None:
            return match.group(0)
        attrs.update({"src": base + variant.src, "width": str(variant.width), "height": str(variant.height),
                      "loading": "lazy", "decoding": "async"})
        if variant.srcset:
            attrs["srcset"] = variant.srcset
            attrs["sizes"] = f"(max-width: {variant.width}px) 100vw, {variant.width}px"
        img = "<img" + "".join(f' {k}="{v}"' for k, v in attrs.items()) + ">"
        if not variant.webp_srcset:
            return img
        sizes = attrs.get("sizes", "100vw")
        return f'<picture><source type="image/webp" srcset="{variant.webp_srcset}" sizes="{sizes}">{img}</picture>'

    return _IMG.sub(replace, html) if "<img" in html else html  # most bodies have no image
