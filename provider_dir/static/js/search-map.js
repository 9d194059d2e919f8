/* Search results on a map: an enhancement of the list, which stays the content.
   Markers come from the result cards' data attributes; if Leaflet or the tiles cannot load, the map stays
   hidden (no Leaflet) or shows markers on a blank background (no tiles), and the list works as before. */
(function () {
  "use strict";

  var container = document.getElementById("results-map");
  if (!container || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;

  function number(value) {
    var parsed = parseFloat(value);
    return isFinite(parsed) ? parsed : null;
  }

  function popupFor(name, url) {
    // Built from DOM nodes, never from HTML strings: clinic names are user-supplied text.
    var link = document.createElement("a");
    link.href = url;
    link.textContent = name;
    return link;
  }

  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false });
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, {
      maxZoom: 18,
      attribution: container.dataset.attribution || ""
    }).addTo(map);
  }

  var points = [];
  var originLat = number(container.dataset.originLat);
  var originLon = number(container.dataset.originLon);
  if (originLat !== null && originLon !== null) {
    L.circleMarker([originLat, originLon], { radius: 7, className: "map-origin" })
      .bindTooltip(container.dataset.originLabel || "Search origin")
      .addTo(map);
    points.push([originLat, originLon]);
  }

  var cards = document.querySelectorAll("[data-result]");
  Array.prototype.forEach.call(cards, function (card) {
    var lat = number(card.dataset.lat);
    var lon = number(card.dataset.lon);
    if (lat === null || lon === null) {
      return;
    }
    var name = card.dataset.name || "Clinic";
    L.marker([lat, lon], { title: name, alt: name, keyboard: true })
      .bindPopup(popupFor(name, card.dataset.url))
      .addTo(map);
    points.push([lat, lon]);
  });

  if (points.length === 1) {
    map.setView(points[0], 12);
  } else if (points.length > 1) {
    map.fitBounds(points, { padding: [28, 28], maxZoom: 14 });
  }
})();
