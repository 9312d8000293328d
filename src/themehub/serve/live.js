// themehub serve: live reload and error overlay (never part of `themehub build` output).
(function () {
  var base = __BASE_PATH__;
  var script = document.currentScript;
  var current = script && script.dataset.epoch ? Number(script.dataset.epoch) : null;
  var first = true;
  var here = location.pathname.slice(base.length);
  if (here === "" || here.endsWith("/")) here += "index.html";
  function overlay(errors) {
    var old = document.getElementById("themehub-errors");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "themehub-errors";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,28,.94);" +
      "color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem";
    var h = document.createElement("h2");
    h.textContent = "themehub: " + errors.length + " error" + (errors.length > 1 ? "s" : "") +
      " (showing the last good build underneath; fix and save to continue)";
    h.style.cssText = "color:#ff8080;font-size:1.1rem;margin:0 0 1rem";
    box.appendChild(h);
    errors.forEach(function (e) {
      var p = document.createElement("pre");
      p.style.cssText = "white-space:pre-wrap;margin:0 0 .8rem";
      p.textContent = e.file + ":" + e.line + ":" + e.col + ": " + e.severity + ": " + e.message +
        " [" + e.code + "]" + (e.hint ? "\n  " + e.hint : "");
      box.appendChild(p);
    });
    document.body.appendChild(box);
  }
  function connect() {
    // `since`: the server says what changed after this page's build, so a page that is already the
    // newest (an edit's first look, served just before the full rebuild) is not reloaded again.
    var source = new EventSource(base + "__themehub/events" + (current !== null ? "?since=" + current : ""));
    source.onmessage = function (msg) {
      var data = JSON.parse(msg.data);
      overlay(data.errors);
      if (first && current !== null && data.epoch !== current && !data.errors.length && !data.complete) {
        location.reload();  // rebuilt since this page was served, and what changed is not known
        return;
      }
      first = false;
      if (current !== null && data.epoch !== current && !data.errors.length) {
        var changed = data.changed;
        var onlyCss = changed.length && changed.every(function (c) { return c.endsWith(".css"); });
        if (onlyCss) {
          document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
            var u = new URL(l.href); u.searchParams.set("themehub", data.epoch); l.href = u.toString();
          });
        } else if (changed.indexOf(here) !== -1 || document.body.dataset.themehubMissing) {
          location.reload();
        }
      }
      current = data.epoch;
    };
    source.onerror = function () { source.close(); setTimeout(connect, 1000); };
  }
  connect();
})();
