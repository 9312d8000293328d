"""Child process for `render_with_deadline`: read one body as JSON on stdin, write the result on stdout.

The parent kills this process when it runs past the deadline; the deadline cannot be enforced from
inside, since pure-Python rendering does not yield to timers outside the main thread.
"""

from __future__ import annotations

import json
import sys

from themehub.render.markdown import MarkdownRenderer
from themehub.render.rendered_body import MarkdownSettings


def main() -> None:
    request = json.loads(sys.stdin.read())
    renderer = MarkdownRenderer(MarkdownSettings(request["raw_html"], request["base_path"]), guarded=True)
    body = renderer.render(request["body"], request["source"])
    json.dump({"html": body.html, "headings": [[h.level, h.id, h.text] for h in body.headings],
               "no_alt": list(body.images_without_alt), "removed": list(body.removed_urls),
               "problem": body.problem}, sys.stdout)


if __name__ == "__main__":
    main()
