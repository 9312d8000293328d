"""The image pipeline: content images resized for the places the theme shows them, and share cards.

- Raster images (JPEG, PNG, GIF, WebP) referenced by content (`image` of themes and articles,
  `avatar` of authors, images in markdown) are cropped around their focal point and resized to the
  named sizes the presentation theme asks for (tile, card, hero, avatar, content), at 1x and 2x,
  in WebP and in the original format, for `srcset` and `width`/`height` attributes.
- SVG images pass through sanitized (they scale by themselves); their size comes from the viewBox.
- Share cards (1200x630 PNG, OpenGraph/Twitter) are drawn for every theme, article, SME and
  service without an image of its own, in the theme's colour, with fonts shipped in the theme.
Every result is cached by the hash of its inputs in `.themehub-cache/images/`, so a warm build does
no image work. Output bytes are deterministic: no timestamps, no metadata.

One job per module:

| module | job |
| --- | --- |
| `pipeline.py` | `ImagePipeline`: one render's images, planned up front, made in the background |
| `plan.py` | `plan_and_share`: which sizes and share cards the hub's items need |
| `img_html.py` | `responsive_body_images`: `<img>` in bodies rewritten with size, srcset, WebP |
| `sizes.py` | the named sizes: built in, a theme's `theme.yaml`, `images.sizes` |
| `sources.py` | references resolved, located and read once per build |
| `svg.py` | SVGs sanitized and published, sized by their viewBox |
| `resize.py` | raster variants: cache names, and the worker that makes them |
| `share_cards.py` | drawing share cards, with what recurs kept per process and site (`CardArtist`) |
| `text.py` | fonts and line wrapping for share cards |
| `png.py` | the indexed PNG encoder that splices a backdrop's deflated bands |
| `records.py` | the records and naming rules the modules share |

The names the render stage uses are importable from the package itself.
"""

from themehub.render.images.img_html import responsive_body_images
from themehub.render.images.pipeline import ImagePipeline
from themehub.render.images.plan import plan_and_share
from themehub.render.images.records import ImageRef, Variant
from themehub.render.images.share_cards import draw_share_image
from themehub.render.images.sizes import ImageSize, image_sizes

__all__ = ["ImagePipeline", "ImageRef", "ImageSize", "Variant", "draw_share_image", "image_sizes", "plan_and_share",
           "responsive_body_images"]
