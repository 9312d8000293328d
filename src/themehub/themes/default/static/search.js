// Starts Pagefind's UI on the search page and runs the query given in ?q= (from the header box).
// Result URLs in the index are relative to the output folder; baseUrl puts base_url's path in front.
// The query is kept in the address bar, so a search can be shared or reloaded.
// Filters (theme, type, depth) come from the index; Pagefind's UI lists them beside the results.
(function () {
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  var bundle = el.dataset.bundle;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: bundle,
    baseUrl: bundle.replace(/pagefind\/$/, ""),
    showSubResults: true,
    showImages: false
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
  // Pagefind's UI runs its first search while it is still loading the filter lists, and then lists only
  // the filters that had loaded in time: a query from ?q= could show no "Depth" group. So the lists are
  // loaded first, into the Pagefind instance the UI uses too (the same module URL gives the same module;
  // the UI's options still apply when it sets them later), and then the query is run.
  var q = new URLSearchParams(window.location.search).get("q");
  var ready = import(bundle + "pagefind.js")
    .then(function (pagefind) { return pagefind.filters(); })
    .catch(function () {});  // no index (a build with --no-search): the UI says so when it searches
  if (q) ready.then(function () { ui.triggerSearch(q); });
})();
