/* Search results on a map: an enhancement of the list, which stays the content (and the map's text equivalent).
   Markers come from the result cards' data attributes and carry the cards' numbers. Hovering or focusing a
   card lights up its marker (or the cluster holding it), and hovering or focusing a marker lights up its card.
   When a page holds many clinics, Leaflet.markercluster groups the markers that would overlap.
   If Leaflet or the tiles cannot load, the map stays hidden (no Leaflet) or shows markers on a blank
   background (no tiles), and the list works as before. */
(function () {
  "use strict";

  var CLUSTER_FROM = 10; // markers on a page from which overlapping ones are grouped
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

  function pinIcon(label) {
    // The label is the card's number (digits only), so building the icon's HTML from it is safe.
    return L.divIcon({
      className: "map-pin",
      html: "<span class=\"map-pin-label\">" + String(label).replace(/[^0-9]/g, "") + "</span>",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      popupAnchor: [0, -14]
    });
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 50 ? "medium" : "large";
    // count is a number, so building the icon's HTML from it is safe.
    return L.divIcon({
      className: "marker-cluster marker-cluster-" + size,
      html: "<div><span>" + count + "</span><span class=\"visually-hidden\"> clinics here; press Enter to zoom in</span></div>",
      iconSize: [40, 40]
    });
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

  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-result]"));
  var clustered = cards.length >= CLUSTER_FROM && typeof L.markerClusterGroup === "function";
  var layer = clustered
    ? L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 40,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: clusterIcon
    })
    : L.layerGroup();
  var pairs = [];

  function elementOf(marker) {
    // A marker hidden inside a cluster lights up the cluster's icon instead.
    var shown = clustered ? layer.getVisibleParent(marker) : marker;
    return shown && shown.getElement ? shown.getElement() : null;
  }

  function light(pair, on) {
    pair.card.classList.toggle("is-active", on);
    var element = elementOf(pair.marker);
    if (element) {
      element.classList.toggle("is-active", on);
    }
    pair.marker.setZIndexOffset(on ? 1000 : 0);
  }

  cards.forEach(function (card, index) {
    var lat = number(card.dataset.lat);
    var lon = number(card.dataset.lon);
    if (lat === null || lon === null) {
      return;
    }
    var name = card.dataset.name || "Clinic";
    var label = card.dataset.number || String(index + 1);
    var marker = L.marker([lat, lon], { icon: pinIcon(label), title: label + ". " + name, alt: name, keyboard: true })
      .bindPopup(popupFor(name, card.dataset.url));
    var pair = { card: card, marker: marker };
    pairs.push(pair);
    layer.addLayer(marker);
    points.push([lat, lon]);

    card.addEventListener("mouseenter", function () { light(pair, true); });
    card.addEventListener("mouseleave", function () { light(pair, false); });
    card.addEventListener("focusin", function () { light(pair, true); });
    card.addEventListener("focusout", function (event) {
      if (!card.contains(event.relatedTarget)) {
        light(pair, false);
      }
    });
    marker.on("mouseover", function () { light(pair, true); });
    marker.on("mouseout", function () { light(pair, false); });
    marker.on("add", function () {
      var element = marker.getElement();
      if (element && !element.dataset.bound) {
        element.dataset.bound = "1";
        element.setAttribute("aria-label", label + ". " + name);
        element.addEventListener("focus", function () { light(pair, true); });
        element.addEventListener("blur", function () { light(pair, false); });
      }
    });
  });
  layer.addTo(map);
  if (clustered) {
    // After zooming, a lit card's marker may have moved into or out of a cluster.
    map.on("zoomend", function () {
      pairs.forEach(function (pair) {
        if (pair.card.classList.contains("is-active")) {
          light(pair, true);
        }
      });
    });
  }
  container.dataset.markers = String(pairs.length);
  container.dataset.clustered = clustered ? "yes" : "no";

  if (points.length === 1) {
    map.setView(points[0], 12);
  } else if (points.length > 1) {
    map.fitBounds(points, { padding: [28, 28], maxZoom: 14 });
  }
})();
