/* A small map of one clinic on its page: an enhancement only. The address and a link to OpenStreetMap are always
   there; the map appears only when Leaflet has loaded, and never takes the keyboard or the scroll wheel. */
(function () {
  "use strict";

  var container = document.getElementById("clinic-map");
  if (!container || typeof window.L === "undefined") {
    return;
  }
  var lat = parseFloat(container.dataset.lat);
  var lon = parseFloat(container.dataset.lon);
  if (!isFinite(lat) || !isFinite(lon)) {
    return;
  }
  var L = window.L;
  container.hidden = false;
  var map = L.map(container, {
    scrollWheelZoom: false,
    dragging: false,
    keyboard: false,
    zoomControl: false,
    attributionControl: true
  }).setView([lat, lon], 15);
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, {
      maxZoom: 18,
      attribution: container.dataset.attribution || ""
    }).addTo(map);
  }
  L.marker([lat, lon], { title: container.dataset.name || "Clinic", alt: container.dataset.name || "Clinic",
    keyboard: false }).addTo(map);
})();
