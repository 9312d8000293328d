// Starts Pagefind's UI on the search page and runs the query given in ?q= (from the header box).
// Result URLs in the index are relative to the output folder; baseUrl puts base_url's path in front.
// The query is kept in the address bar, so a search can be shared or reloaded.
// Filters (theme, type, depth) come from the index; Pagefind's UI lists them beside the results, open on
// wide screens. Each result shows its type and depth as the site's badges.
// Under `themehub serve` the index is made in the background: until it is there, the page says so.
(function () {
  var el = document.getElementById("search");
  if (!el) return;
  var bundle = el.dataset.bundle;
  var base = bundle.replace(/pagefind\/$/, "");
  var status = document.getElementById("search-status");
  var wide = window.matchMedia("(min-width: 48rem)");
  var levels = depthLevels();
  var names = filterNamesOfPage();

  if (typeof PagefindUI !== "undefined") withShards(start); else waitForIndex();

  // A large site's index is made in shards: pagefind/themehub-shards.json lists them, the first being the
  // bundle itself. The others are merged into the Pagefind instance the UI uses (the same module URL gives
  // the same module) before the UI exists, so that no search ever runs on part of the index.
  function withShards(then) {
    fetch(bundle + "themehub-shards.json")
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; })
      .then(function (manifest) {
        var others = ((manifest && manifest.shards) || []).slice(1);
        // Pagefind's UI runs its first search while it is still loading the filter lists, and then lists
        // only the filters that had loaded in time: a query from ?q= could show no "Depth" group. So the
        // lists are loaded first too (the UI's options still apply when it sets them later).
        return import(bundle + "pagefind.js").then(function (pagefind) {
          return Promise.all(others.map(function (shard) {
            return pagefind.mergeIndex(base + shard.bundle, { baseUrl: base });
          })).then(function () { return pagefind.filters(); });
        });
      })
      .catch(function () {})  // no index (a build with --no-search): the UI says so when it searches
      .then(then);
  }

  function start() {
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: bundle,
      baseUrl: base,
      showSubResults: true,
      showImages: false,
      // The groups themehub's templates file pages under; on a phone, open groups would push the results
      // below the fold, so there they start closed.
      openFilters: wide.matches ? ["theme", "type", "depth"] : [],
      processResult: withBadges
    });
    var input = el.querySelector("input");
    if (input) {
      input.setAttribute("aria-label", el.dataset.label || "Search");
      input.addEventListener("input", function () {
        var url = new URL(window.location.href);
        if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
      });
    }
    keepFiltersOpenWhenWide();
    new MutationObserver(function () { badges(); filterNames(); })
      .observe(el, { childList: true, subtree: true, characterData: true });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }

  // The index is missing. A built site has none only when built with --no-search: its server does not know
  // the status address, and nothing changes. `themehub serve` answers while it makes the index.
  function waitForIndex() {
    fetch(base + "__themehub/search-status", { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        if (answer.state === "ready") return load();
        // The page's own words (search.html), in the site's language; English if a theme leaves them out.
        say(answer.state === "failed"
          ? el.dataset.failed || "The search index could not be built; the terminal running themehub serve says why."
          : el.dataset.building || "The search index is being built…");
        setTimeout(waitForIndex, answer.state === "failed" ? 3000 : 500);
      })
      .catch(function () { setTimeout(waitForIndex, 3000); });  // the preview is restarting
  }

  function load() {
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = bundle + "pagefind-ui.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = function () { say(""); withShards(start); };
    document.body.appendChild(script);
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  // Depth label -> depth key (for the site's colours: depth-entry, depth-deeper, ...), from themehub.yaml.
  function depthLevels() {
    var found = {};
    try {
      JSON.parse(el.dataset.depths || "[]").forEach(function (pair) { found[pair[1]] = pair[0]; });
    } catch (e) { /* no colours, same badges */ }
    return found;
  }

  // Pagefind's UI shows a result's metadata under it; its type and depth are filter values of the index
  // (every kind of page has a type, articles a depth), so they become metadata here. Filter values are
  // held as HTML-escaped text (the UI writes filter names as HTML): shown as text, they are unescaped first.
  function withBadges(result) {
    var filters = result.filters || {};
    var meta = result.meta || (result.meta = {});
    ["type", "depth"].forEach(function (key) {
      if (filters[key] && filters[key].length) meta[key] = unescapeHtml(filters[key][0]);
    });
    return result;
  }

  function unescapeHtml(text) {
    var box = document.createElement("textarea");  // its content is text: nothing in it is parsed as markup
    box.innerHTML = text;
    return box.value;
  }

  // The UI writes each metadata item as "Type: Case study". The name is kept for screen readers, and the
  // item gets the classes of the site's badges. Run on every change: the UI reuses result items.
  function badges() {
    el.querySelectorAll(".pagefind-ui__result-tag").forEach(function (tag) {
      var key = tag.getAttribute("data-pagefind-ui-meta");
      if (key !== "type" && key !== "depth") return;
      var name = tag.firstChild;
      if (name && name.nodeType === Node.TEXT_NODE && name.nextSibling && name.nextSibling.nodeType === Node.TEXT_NODE) {
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        tag.insertBefore(hidden, name);
        hidden.appendChild(name);
        hidden.appendChild(hidden.nextSibling);  // ": "
      }
      var value = "";
      for (var node = tag.firstChild; node; node = node.nextSibling) {
        if (node.nodeType === Node.TEXT_NODE) value += node.data;
      }
      var wanted = ["badge", key];
      var level = key === "depth" ? levels[value.trim()] : null;
      if (level && /^[\w-]+$/.test(level)) wanted.push("depth-" + level);
      Array.prototype.slice.call(tag.classList).forEach(function (name) {
        if (/^depth-/.test(name) && wanted.indexOf(name) < 0) tag.classList.remove(name);
      });
      wanted.forEach(function (name) { if (!tag.classList.contains(name)) tag.classList.add(name); });
      tag.classList.toggle(key === "type" ? "depth" : "type", false);
    });
  }

  // The index names each filter by its key (theme, type, depth), which Pagefind's UI shows, capitalised,
  // as the group's heading and before each badge (for screen readers): the page gives each key its name in
  // the site's language (search.html).
  function filterNamesOfPage() {
    try { return JSON.parse(el.dataset.filterNames || "{}"); } catch (error) { return {}; }
  }

  function filterNames() {
    el.querySelectorAll(".pagefind-ui__filter-name").forEach(function (summary) {
      var key = summary.getAttribute("data-filter-key") || summary.textContent.trim().toLowerCase();
      if (!Object.prototype.hasOwnProperty.call(names, key)) return;
      summary.setAttribute("data-filter-key", key);
      if (summary.textContent !== names[key]) summary.textContent = names[key];
    });
    el.querySelectorAll(".pagefind-ui__result-tag .visually-hidden").forEach(function (hidden) {
      var key = hidden.parentNode.getAttribute("data-pagefind-ui-meta");
      var said = names[key] + ": ";
      if (Object.prototype.hasOwnProperty.call(names, key) && hidden.textContent !== said) hidden.textContent = said;
    });
  }

  // On wide screens the groups stay open beside the results, like a sidebar; on a phone they fold away.
  function keepFiltersOpenWhenWide() {
    el.addEventListener("click", function (event) {
      var summary = event.target.closest && event.target.closest("summary.pagefind-ui__filter-name");
      if (summary && wide.matches) event.preventDefault();
    });
    wide.addEventListener("change", function () {
      el.querySelectorAll("details.pagefind-ui__filter-block").forEach(function (group) { group.open = wide.matches; });
    });
  }
})();
