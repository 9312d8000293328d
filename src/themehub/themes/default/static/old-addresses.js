// Old addresses of the home page with a query (WordPress's /?p=123, /?page_id=7), from the articles'
// `aliases`: a static site sees the query only here, so the home page sends the reader on to the
// article's page. The map is the JSON just before this script; nothing else is read from the address.
(function () {
  "use strict";
  var map = document.getElementById("old-addresses");
  if (!map || !window.location.search) {
    return;
  }
  var targets = JSON.parse(map.textContent);
  var params = new URLSearchParams(window.location.search);
  var found = null;
  params.forEach(function (value, name) {
    var target = targets[name + "=" + value];
    if (found === null && typeof target === "string" && target.charAt(0) === "/") {
      found = target;
    }
  });
  if (found !== null) {
    window.location.replace(found);
  }
})();
