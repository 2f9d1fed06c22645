// A supplementary map of the results (Leaflet from the xstatic package). The list next to it is
// the primary view and has the same results; the map stays hidden without JavaScript.
(function () {
  "use strict";
  var element = document.getElementById("results-map");
  if (!element || typeof window.L === "undefined") return;
  var data = document.getElementById(element.dataset.markersId || "map-markers");
  var markers = data ? JSON.parse(data.textContent) : [];
  if (!markers.length) return;

  element.hidden = false;
  // keyboard: false keeps the map out of the tab order, so focus moves straight past it.
  var map = L.map(element, { keyboard: false, scrollWheelZoom: false });
  L.tileLayer(element.dataset.tileUrl, {
    attribution: element.dataset.attribution,
    maxZoom: 18,
  }).addTo(map);

  var bounds = [];
  markers.forEach(function (item) {
    var marker = L.marker([item.lat, item.lon], { keyboard: false, title: item.name, alt: item.name });
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.name;
    popup.appendChild(link);
    if (item.area) {
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(item.area));
    }
    marker.bindPopup(popup);
    marker.addTo(map);
    bounds.push([item.lat, item.lon]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11 });
})();
