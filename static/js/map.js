// A supplementary map of the results (Leaflet from the xstatic package). The list next to it is
// the primary view and has the same results. Map tiles come from a tile server that would learn
// the visitor's address, so nothing is loaded (not even Leaflet itself) until the person presses
// "Vis kart". Without JavaScript the map and its button stay hidden.
(function () {
  "use strict";
  var box = document.querySelector("[data-map]");
  if (!box) return;
  var element = document.getElementById("results-map");
  var button = box.querySelector("button");
  var data = document.getElementById(element.dataset.markersId || "map-markers");
  var markers = data ? JSON.parse(data.textContent) : [];
  if (!element || !button || !markers.length) return;

  function readJson(id) {
    var node = id ? document.getElementById(id) : null;
    return node ? JSON.parse(node.textContent) : null;
  }

  function loadLeaflet(done) {
    if (typeof window.L !== "undefined") return done();
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.leafletCss;
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = box.dataset.leafletJs;
    script.onload = done;
    document.head.appendChild(script);
  }

  function showMap() {
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

    var origin = readJson(element.dataset.originId);
    if (origin) {
      L.circleMarker([origin.lat, origin.lon], {
        radius: 9,
        color: "#1d3557",
        weight: 3,
        fillColor: "#ffffff",
        fillOpacity: 1,
        keyboard: false,
        className: "map-origin",
      })
        .bindTooltip(origin.label)
        .addTo(map);
      bounds.push([origin.lat, origin.lon]);
    }
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    button.setAttribute("aria-expanded", "true");
    loadLeaflet(function () {
      button.hidden = true;
      showMap();
    });
  });
  box.hidden = false;
})();
