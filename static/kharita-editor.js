/* Kharita correction forms: fill a new mention's offsets from the text selection,
 * and autocomplete gazetteer names (GET /gazetteer/search). Everything user-written
 * reaches the page through textContent / value, never as HTML. */
(function () {
  "use strict";
  var editor = document.getElementById("corrections");
  if (!editor) return;

  /* Offsets of the selection in the document text (code points as Python str indices). */
  function selectionOffsets() {
    var text = document.querySelector("[data-doc-text]") || document.querySelector(".doc-text");
    var sel = window.getSelection();
    if (!text || !sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer)) return null;
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = Array.from(before.toString()).length;
    return { start: start, end: start + Array.from(range.toString()).length, text: range.toString() };
  }

  var form = document.getElementById("add-mention-form");
  var query = document.getElementById("gazetteer-q");
  var list = document.getElementById("gazetteer-results");
  var placeId = document.getElementById("gazetteer-id");
  var featureForm = document.getElementById("add-feature-form");
  document.addEventListener("mouseup", function () {
    var found = selectionOffsets();
    if (!found) return;
    [form, featureForm].forEach(function (f) {
      if (!f) return;
      f.elements.start.value = found.start;
      f.elements.end.value = found.end;
    });
    if (query && !query.value) { query.value = found.text.trim(); search(); }
  });

  var timer = null, byLabel = {};
  function search() {
    var q = query.value.trim();
    if (!q) return;
    /* Names in the document's language, or Arabic ones for Arabic script, or any. */
    var docLang = editor.dataset.lang || "";
    var lang = /[\u0600-\u06FF]/.test(q) ? "ar" : (docLang === "ar" ? "" : docLang);
    var url = editor.dataset.searchUrl + "?q=" + encodeURIComponent(q) + "&lang=" +
      encodeURIComponent(lang);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        list.textContent = "";
        byLabel = {};
        (data.places || []).forEach(function (p) {
          var label = [p.matched || p.name, p.type, p.country, p.population].filter(Boolean).join(" · ");
          byLabel[label] = p.id;
          var option = document.createElement("option");
          option.value = label;
          list.appendChild(option);
        });
      }).catch(function (error) { console.warn("gazetteer:", error.message); });
  }
  if (query) {
    query.addEventListener("input", function () {
      if (byLabel[query.value]) { placeId.value = byLabel[query.value]; return; }
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
  }
})();

/* Reshape or draw a feature's geometry on the document's map with Leaflet.draw (served from
 * static/vendor by scripts/vendor-js.sh); the result goes into the form's GeoJSON field, which
 * the server checks like any pasted shape. Without Leaflet.draw the buttons stay hidden. */
(function () {
  "use strict";
  if (!window.L || !L.Draw || !window.kharita) return;
  var editing = null;

  function finish() {
    if (!editing) return;
    editing.group.eachLayer(function (layer) { if (layer.editing) layer.editing.disable(); });
    editing.map.removeLayer(editing.group);
    editing = null;
  }

  function write(field, layer) {
    field.value = JSON.stringify(layer.toGeoJSON().geometry);
    field.dispatchEvent(new Event("change"));
  }

  /* The feature's stored geometry, from this revision's GeoJSON (one request, then cached). */
  var stored = null;
  function geometryOf(id) {
    if (!id) return Promise.resolve(null);  /* a new feature: draw it */
    var editor = document.getElementById("corrections");
    stored = stored || fetch(editor.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); });
    return stored.then(function (data) {
      var found = (data.features || []).filter(function (f) { return f.id === id; })[0];
      return found ? found.geometry : null;
    });
  }

  function start(button) {
    var map = (window.kharita.maps || [])[0];
    if (!map) return;
    finish();
    geometryOf(button.dataset.feature).then(function (geometry) { edit(map, button, geometry); });
  }

  function edit(map, button, geometry) {
    var field = button.form.elements.geometry;
    var group = L.featureGroup().addTo(map);
    editing = { map: map, group: group };
    if (geometry && geometry.type !== "Point" && geometry.type !== "MultiPoint") {
      L.geoJSON(geometry, { style: { color: "#d4006a", weight: 3 } }).eachLayer(function (layer) {
        group.addLayer(layer);
        layer.editing.enable();
        layer.on("edit", function () { write(field, layer); });
        write(field, layer);
      });
      map.fitBounds(group.getBounds(), { maxZoom: 9 });
    } else {
      var draw = geometry && geometry.type === "Point" ? new L.Draw.Marker(map)
        : new L.Draw.Polygon(map, { shapeOptions: { color: "#d4006a" } });
      map.once(L.Draw.Event.CREATED, function (event) {
        group.addLayer(event.layer);
        write(field, event.layer);
      });
      draw.enable();
    }
    map.getContainer().scrollIntoView({ block: "center" });
  }

  document.querySelectorAll(".draw-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { start(button); });
  });
  document.querySelectorAll("form.feature-edit").forEach(function (form) {
    form.addEventListener("submit", finish);
  });
})();
