// Starts Pagefind's UI on the search page and runs the query given in ?q= (from the header box).
// Result URLs in the index are relative to the output folder; baseUrl puts base_url's path in front.
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
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
