/* Proposals maps (progressive enhancement: every page works without this script).
 * data-map="display": markers of the proposals listed below the map.
 * data-map="picker": a click places the proposal and fills the hidden latitude/longitude inputs.
 * Tiles may fail to load (no network): Leaflet then shows an empty grid, nothing breaks. */
(function () {
  "use strict";
  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }
  function baseMap(element, config) {
    // The zoom control is added here to give it the page's language (Leaflet's titles are English).
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(config.center, 13);
    L.control.zoom({ zoomInTitle: config.zoomInTitle || "+", zoomOutTitle: config.zoomOutTitle || "-" }).addTo(map);
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    return map;
  }
  function display(element) {
    var config = readJson(element.dataset.config);
    var points = readJson(element.dataset.points) || [];
    if (!config) { return; }
    var map = baseMap(element, config);
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], { title: point.title, alt: point.title });
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      marker.bindPopup(link).addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); }
  }
  function picker(element) {
    var config = readJson(element.dataset.config);
    var form = element.closest("form");
    if (!config || !form) { return; }
    var lat = form.elements[element.dataset.lat];
    var lon = form.elements[element.dataset.lon];
    var state = document.getElementById("carte-choix-etat");
    element.hidden = false;
    var map = baseMap(element, config);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.marker(latlng, { alt: element.dataset.markerLabel || "" }).addTo(map);
      }
    }
    if (lat.value && lon.value) {
      place([parseFloat(lat.value), parseFloat(lon.value)]);
      map.setView([parseFloat(lat.value), parseFloat(lon.value)], 15);
    }
    map.on("click", function (event) {
      place(event.latlng);
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (state) { state.textContent = (element.dataset.pickedLabel || "") + " " + lat.value + ", " + lon.value + "."; }
    });
  }
  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map]").forEach(function (element) {
      try {
        if (element.dataset.map === "display") { display(element); }
        if (element.dataset.map === "picker") { picker(element); }
      } catch (e) { /* the page stays usable: list and address field */ }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
