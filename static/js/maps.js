/* Maps of Archipel (progressive enhancement: every page works without this script).
 * data-map="display": markers of the items listed next to the map (clustered), quartier outlines.
 * data-map="place": one item's place (proposal or project page), drawn when scrolled into view.
 * data-map="picker": a click places the item, fills the hidden latitude/longitude inputs and
 *   selects the quartier under the click (the server decides again on submit).
 * [data-address-search]: suggestions from the local gazetteer or the national address service.
 * Tiles may fail to load (no network): Leaflet then shows an empty grid, nothing breaks. */
(function () {
  "use strict";
  function readJson(id) {
    var node = id && document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }
  function baseMap(element, config, zoom) {
    // The zoom control is added here to give it the page's language (Leaflet's titles are English).
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(config.center, zoom || 13);
    L.control.zoom({ zoomInTitle: config.zoomInTitle || "+", zoomOutTitle: config.zoomOutTitle || "-" }).addTo(map);
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    return map;
  }
  function outlines(map, config) {
    var features = (config.boundaries && config.boundaries.features) || [];
    if (!features.length) { return null; }
    return L.geoJSON(config.boundaries, {
      interactive: false,
      style: { color: "#1f4e79", weight: 1.5, opacity: 0.7, fillOpacity: 0.04 }
    }).addTo(map);
  }

  /* Point in polygon, as apps/core/geo.py: a point on an edge is inside, holes are outside. */
  function ringPosition(x, y, ring) {
    var inside = false, j = ring.length - 1;
    for (var i = 0; i < ring.length; i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      var cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
      if (Math.abs(cross) <= 1e-9 && x >= Math.min(xi, xj) - 1e-9 && x <= Math.max(xi, xj) + 1e-9 &&
          y >= Math.min(yi, yj) - 1e-9 && y <= Math.max(yi, yj) + 1e-9) { return 0; }
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
      j = i;
    }
    return inside ? 1 : -1;
  }
  function contains(geometry, lat, lon) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.some(function (rings) {
      if (ringPosition(lon, lat, rings[0]) < 0) { return false; }
      return rings.slice(1).every(function (hole) { return ringPosition(lon, lat, hole) <= 0; });
    });
  }
  function featureAt(config, lat, lon) {
    var features = (config.boundaries && config.boundaries.features) || [];
    for (var i = 0; i < features.length; i++) {
      if (contains(features[i].geometry, lat, lon)) { return features[i]; }
    }
    return null;
  }

  function display(element) {
    var config = readJson(element.dataset.config);
    var points = readJson(element.dataset.points) || [];
    if (!config) { return; }
    var map = baseMap(element, config);
    var drawn = outlines(map, config);
    var group = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], { title: point.title, alt: point.title });
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      marker.bindPopup(link);
      group.addLayer(marker);
      bounds.push([point.lat, point.lon]);
    });
    group.addTo(map);
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); }
    else if (drawn) { map.fitBounds(drawn.getBounds()); }
  }

  function place(element) {
    var config = readJson(element.dataset.config);
    if (!config) { return; }
    var latlng = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    var map = baseMap(element, config, 15);
    map.setView(latlng, 15);
    L.marker(latlng, { alt: element.dataset.markerLabel || "" }).addTo(map);
  }

  function picker(element) {
    var config = readJson(element.dataset.config);
    var form = element.closest("form");
    if (!config || !form) { return null; }
    var lat = form.elements[element.dataset.lat];
    var lon = form.elements[element.dataset.lon];
    var territory = element.dataset.territory ? form.elements[element.dataset.territory] : null;
    var state = document.getElementById(element.dataset.state);
    element.hidden = false;
    var map = baseMap(element, config);
    var drawn = outlines(map, config);
    var marker = null;
    function say(text) { if (state) { state.textContent = text; } }
    function choose(latlng, label) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.marker(latlng, { alt: element.dataset.markerLabel || "" }).addTo(map);
      }
      var hasOutlines = config.boundaries && config.boundaries.features.length;
      var feature = featureAt(config, latlng.lat, latlng.lng);
      if (hasOutlines && !feature) {
        lat.value = ""; lon.value = "";
        say(element.dataset.outsideLabel || "");
        return;
      }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (feature && territory) { territory.value = String(feature.properties.id); }
      var where = feature ? feature.properties.name : "";
      say((element.dataset.pickedLabel || "") + " " + (label ? label + (where ? " — " + where : "") : where) + ".");
    }
    if (lat.value && lon.value) {
      var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      marker = L.marker(start, { alt: element.dataset.markerLabel || "" }).addTo(map);
      map.setView(start, 15);
    } else if (drawn) { map.fitBounds(drawn.getBounds()); }
    map.on("click", function (event) { choose(event.latlng, ""); });
    return { choose: function (latitude, longitude, label) {
      var latlng = L.latLng(latitude, longitude);
      map.setView(latlng, 16);
      choose(latlng, label);
    } };
  }

  function addressSearch(input, config, target) {
    var list = document.getElementById(input.dataset.addressSearch);
    if (!list || !config.addressSearchUrl) { return; }
    var timer = null, last = "";
    function clear() { list.textContent = ""; }
    function show(features) {
      clear();
      features.slice(0, 6).forEach(function (feature) {
        var label = feature.properties && feature.properties.label;
        var coords = feature.geometry && feature.geometry.coordinates;
        if (!label || !coords) { return; }
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "address-suggestion";
        button.textContent = label;
        button.addEventListener("click", function () {
          input.value = label;
          clear();
          if (target) { target.choose(coords[1], coords[0], label); }
          input.focus();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (query.length < 3 || query === last) { if (query.length < 3) { clear(); } return; }
      timer = setTimeout(function () {
        last = query;
        var url = new URL(config.addressSearchUrl, window.location.href);
        url.searchParams.set("q", query.slice(0, 100));
        url.searchParams.set("limit", "6");
        fetch(url.toString(), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { features: [] }; })
          .then(function (data) { show(data.features || []); })
          .catch(clear);
      }, 250);
    });
    input.addEventListener("keydown", function (event) { if (event.key === "Escape") { clear(); } });
  }

  function lazily(element, start) {
    if (!("IntersectionObserver" in window)) { start(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) { observer.disconnect(); start(); }
    }, { rootMargin: "200px" });
    observer.observe(element);
  }

  function init() {
    var pickers = {};
    // Without Leaflet (blocked, failed), the address suggestions still work.
    document.querySelectorAll(typeof L === "undefined" ? "[data-map-none]" : "[data-map]").forEach(function (element) {
      try {
        if (element.dataset.map === "display") { display(element); }
        if (element.dataset.map === "place") { lazily(element, function () { place(element); }); }
        if (element.dataset.map === "picker") { pickers[element.id] = picker(element); }
      } catch (e) { /* the page stays usable: list and address field */ }
    });
    document.querySelectorAll("[data-address-search]").forEach(function (input) {
      // A form without a map names the search URL on the field itself.
      var config = readJson(input.dataset.config) || (input.dataset.searchUrl ? { addressSearchUrl: input.dataset.searchUrl } : null);
      if (config) { addressSearch(input, config, pickers[input.dataset.picker] || null); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
