"""Prove in Chromium that opening a URL runs no JavaScript from the document.

Three independent witnesses, so that a payload that avoids one is still seen:

- the DevTools debugger reports every script compiled in the page's main world: inline and external
  scripts, event-handler attributes (compiled when their event fires), `javascript:` URLs, srcdoc frames.
  The page is driven through CDP and raw mouse input only, because playwright's own helpers compile
  scripts in the main world too; the trap and the probe below carry a sourceURL, so they can be told apart;
- every alert/confirm/prompt dialog (the payloads of the test data call `alert(1)`);
- a trap installed before any document script: it records calls to alert, confirm, prompt and print,
  and the probe reads it back with `document.title` (payloads set it to 'pwned') and `window.__pwned`.

After loading, the helper clicks the middle of the root element and of each link (event attributes and
`javascript:` links run only then), and waits a little for animations' onbegin/onend. Requests that leave
the page's origin get an empty 204: nothing is fetched from the network, and a link cannot navigate away.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import CDPSession, Dialog, Page, Route
from playwright.sync_api import Error as PlaywrightError

TRAP_URL = "__inert_trap__.js"
PROBE_URL = "__inert_probe__.js"
_TRAP = """
(() => {
  const calls = [];
  Object.defineProperty(window, "__inertCalls", { value: calls });
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const original = window[name];
    window[name] = function (...args) { calls.push(name); return original.apply(this, args); };
  }
})();
//# sourceURL=""" + TRAP_URL
_PROBE = """JSON.stringify({calls: window.__inertCalls || [], title: String(document.title),
                pwned: typeof window.__pwned === "undefined" ? null : String(window.__pwned)})
//# sourceURL=""" + PROBE_URL
MAX_CLICKS = 12
_BROWSER_PAGES = ("chrome-error:", "chrome:", "devtools:")  # chromium's own pages run their own scripts


def scripts_that_ran(page: Page, url: str, *, wait_ms: int = 300, click: bool = True) -> list[str]:
    """Open `url` in `page` and return the evidence of every JavaScript that ran from the document
    (an empty list when none did)."""
    evidence: list[str] = []
    parsed: list[dict[str, Any]] = []
    cdp = page.context.new_cdp_session(page)

    def on_parsed(script: dict[str, Any]) -> None:  # playwright needs a function it can tag, not a bound builtin
        parsed.append(script)

    cdp.on("Debugger.scriptParsed", on_parsed)
    cdp.send("Debugger.enable")
    cdp.send("Debugger.setSkipAllPauses", {"skip": True})  # a `debugger;` payload must not hang the test

    def on_dialog(dialog: Dialog) -> None:
        evidence.append(f"a {dialog.type} dialog: {dialog.message!r}")
        dialog.dismiss()

    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(url))

    def same_origin_only(route: Route) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:  # 204: an image fails, a followed link leaves the page where it is (no error page of chromium's)
            route.fulfill(status=204)

    page.on("dialog", on_dialog)
    page.add_init_script(_TRAP)
    page.route("**/*", same_origin_only)
    try:
        page.goto(url, wait_until="load")
        opened = page.url
        page.wait_for_timeout(wait_ms)
        if click:
            for x, y in _click_points(cdp)[:MAX_CLICKS]:
                page.mouse.click(x, y)
                page.wait_for_timeout(50)
                if page.url != opened:  # a link was followed: the next points belong to the old page
                    break
            page.wait_for_timeout(wait_ms // 2)
        probe = cdp.send("Runtime.evaluate", {"expression": _PROBE, "returnByValue": True})
        state = json.loads(probe["result"].get("value") or "{}")
        evidence += [f"{name}() was called" for name in state.get("calls", [])]
        if state.get("title") == "pwned":
            evidence.append("document.title was set to 'pwned'")
        if state.get("pwned") is not None:
            evidence.append(f"window.__pwned was set to {state['pwned']!r}")
        for script in parsed:
            ours = script["url"] in (TRAP_URL, PROBE_URL) or script["url"].startswith(_BROWSER_PAGES)
            if script.get("executionContextAuxData", {}).get("isDefault") and not ours:
                try:
                    source = cdp.send("Debugger.getScriptSource", {"scriptId": script["scriptId"]})["scriptSource"]
                except PlaywrightError:  # a script of a page a clicked link left: it ran all the same
                    source = "(its page is gone)"
                where = script["url"] or "a javascript: URL or eval"
                evidence.append(f"script compiled from {where}: {source[:80]!r}")
    finally:
        page.remove_listener("dialog", on_dialog)
        page.unroute("**/*", same_origin_only)
        cdp.detach()
    return evidence


def assert_no_script_runs(page: Page, url: str, *, wait_ms: int = 300, click: bool = True) -> None:
    """Fail if opening `url` (and clicking it) runs any JavaScript from the document."""
    evidence = scripts_that_ran(page, url, wait_ms=wait_ms, click=click)
    assert not evidence, f"{url} ran script:\n  " + "\n  ".join(evidence)


def _click_points(cdp: CDPSession) -> list[tuple[float, float]]:
    """The middle of the root element, then of each link, read through CDP (no script in the page)."""
    document = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    root = cdp.send("DOM.querySelector", {"nodeId": document, "selector": ":root"})["nodeId"]
    links = cdp.send("DOM.querySelectorAll", {"nodeId": document, "selector": "a"})["nodeIds"]
    points: list[tuple[float, float]] = []
    for node in [root, *links]:
        try:
            quad = cdp.send("DOM.getBoxModel", {"nodeId": node})["model"]["border"]
        except PlaywrightError:  # no box: not rendered (display:none, an unknown element)
            continue
        points.append(((quad[0] + quad[4]) / 2, (quad[1] + quad[5]) / 2))
    return points
