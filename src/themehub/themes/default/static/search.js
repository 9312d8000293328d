// Starts Pagefind's UI on the search page and runs the query given in ?q= (from the header box).
// Result URLs in the index are relative to the output folder; baseUrl puts base_url's path in front.
// The query is kept in the address bar, so a search can be shared or reloaded.
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
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
