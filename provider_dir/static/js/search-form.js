/* The address holds every filter (the form is a GET form); this keeps the form agreeing with it.
   On back and forward the browser may restore what was chosen in the form before it was sent, or show the
   page from its cache as it was left: the fields would then disagree with the address and the results. The
   page was rendered from its address, so resetting the form to its rendered values puts them back in step. */
(function () {
  "use strict";

  var form = document.querySelector("form.search-panel");
  if (!form) {
    return;
  }
  window.addEventListener("pageshow", function (event) {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    var historyMove = event.persisted || (entries.length && entries[0].type === "back_forward");
    if (historyMove) {
      form.reset();
    }
  });

  // Wider screens show the filters open; phones keep them folded behind "Filters (N)" so results come first.
  var filters = form.querySelector("details[data-filters]");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 700px)").matches) {
    filters.open = true;
  }
  // The map is one tap away on phones once search-map.js has shown it.
  var mapJump = document.querySelector("[data-map-jump]");
  var map = document.getElementById("results-map");
  if (mapJump && map) {
    var showJump = function () { mapJump.hidden = map.hidden; };
    new MutationObserver(showJump).observe(map, {attributes: true, attributeFilter: ["hidden"]});
    showJump();
  }
})();
