/* Finding things on a Kharita map: filters (layer, actor, status, confidence, document)
 * over the features already loaded, a place search (the features' own names and the
 * basemap's place names, both offline), and a share link: the view and the filters
 * live in the URL's hash, so a copied link opens the same map. Text is set with
 * textContent only. */
(function () {
  "use strict";
  var kharita = (window.kharita = window.kharita || {});
  var FIELDS = ["layer", "actor", "status", "document"];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* Lower case without accents or Arabic short vowels: "Ménaka" finds "menaka". */
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f\u064b-\u0652]/g, "")
      .toLowerCase();
  }

  function valuesOf(feature, field) {
    var p = feature.feature.properties, v = p[field];
    return v === undefined || v === null || v === "" ? [] : [String(v)];
  }

  /* The filters of a map's hash: {layer, actor, status, document, confidence, view}. */
  kharita.readHash = function (hash) {
    var state = {};
    String(hash || "").replace(/^#/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) state[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1));
    });
    return state;
  };

  function writeHash(map, state) {
    var c = map.getCenter();
    var parts = ["map=" + [map.getZoom(), c.lat.toFixed(4), c.lng.toFixed(4)].join("/")];
    FIELDS.concat(["confidence"]).forEach(function (field) {
      if (state[field]) parts.push(field + "=" + encodeURIComponent(state[field]));
    });
    history.replaceState(null, "", "#" + parts.join("&"));
  }

  function option(select, value, text) {
    var node = el("option", null, text);
    node.value = value;
    select.appendChild(node);
  }

  function field(box, labelText, control) {
    var label = el("label", "kh-field");
    label.appendChild(el("span", null, labelText));
    label.appendChild(control);
    box.appendChild(label);
    return control;
  }

  kharita.addFinder = function (map, labels) {
    var features = map._kharitaFeatures || [];
    function t(key) { return labels["finder." + key] || key; }
    function display(kind, value) { return labels[kind + ":" + value] || value; }
    var docTitles = {}, offered = {};
    /* Each filter offers the values of the features loaded so far (the places mentioned
     * add theirs when they are loaded). */
    function addOptions() {
      features = map._kharitaFeatures || [];
      features.forEach(function (f) {
        var p = f.feature.properties;
        if (p.document) docTitles[p.document] = p.document_title || p.document;
      });
      FIELDS.forEach(function (name) {
        var select = selects[name], seen = offered[name] = offered[name] || {}, fresh = {};
        features.forEach(function (f) {
          valuesOf(f, name).forEach(function (v) { if (!seen[v]) fresh[v] = seen[v] = 1; });
        });
        Object.keys(fresh).sort().forEach(function (v) {
          var text = name === "document" ? docTitles[v] : name === "layer" ? display("layer", v)
            : display(name, v);
          option(select, v, text);
        });
      });
    }
    var control = L.control({ position: "topleft" });
    var selects = {}, confidence, count, search, results;
    control.onAdd = function () {
      var box = el("details", "kh-finder leaflet-control");
      box.dir = document.documentElement.dir || "auto";
      box.appendChild(el("summary", null, t("title")));
      var form = el("div", "kh-finder-body");
      search = field(form, t("search"), el("input"));
      search.type = "search";
      search.setAttribute("autocomplete", "off");
      search.setAttribute("aria-controls", "kh-finder-results");
      results = el("ul", "kh-results");
      results.id = "kh-finder-results";
      results.setAttribute("aria-live", "polite");
      form.appendChild(results);
      FIELDS.forEach(function (name) {
        var select = selects[name] = field(form, labels[name] || t(name), el("select"));
        select.name = name;
        option(select, "", t("all"));
        select.addEventListener("change", apply);
      });
      addOptions();
      confidence = field(form, t("confidence"), el("input"));
      confidence.type = "range";
      confidence.min = "0"; confidence.max = "1"; confidence.step = "0.1"; confidence.value = "0";
      confidence.name = "confidence";
      confidence.addEventListener("input", apply);
      count = el("p", "kh-count");
      count.setAttribute("role", "status");
      form.appendChild(count);
      var share = el("button", "kh-share", t("share"));
      share.type = "button";
      share.addEventListener("click", function () {
        writeHash(map, state());
        var done = function () { share.textContent = t("copied"); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(location.href).then(done, done);
        } else {
          done();
        }
        share.setAttribute("data-href", location.href);
      });
      form.appendChild(share);
      box.appendChild(form);
      search.addEventListener("input", find);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };

    function state() {
      var out = {};
      FIELDS.forEach(function (name) { out[name] = selects[name].value; });
      out.confidence = Number(confidence.value) > 0 ? confidence.value : "";
      return out;
    }

    function keeps(layer, wanted) {
      var p = layer.feature.properties;
      for (var i = 0; i < FIELDS.length; i++) {
        var name = FIELDS[i];
        if (wanted[name] && valuesOf(layer, name).indexOf(wanted[name]) < 0) return false;
      }
      return !wanted.confidence || (typeof p.confidence === "number" && p.confidence >= Number(wanted.confidence));
    }

    function apply() {
      var wanted = state();
      features.forEach(function (layer) { kharita.hide(layer, "filter", !keeps(layer, wanted)); });
      recount();
      writeHash(map, wanted);
    }

    /* What is drawn of the layers switched on: the filters and the timeline both count. */
    function recount() {
      var shown = 0, events = 0;
      features.forEach(function (layer) {
        var group = layer._kharitaGroup, parent = group && group._kharitaParent;
        if (!group || layer.feature.properties.layer === "mentions") return;
        if (parent && !map.hasLayer(parent)) return;
        events += 1;
        if (kharita.isShown(layer)) shown += 1;
      });
      count.textContent = (t("count") || "{shown}/{total}").replace("{shown}", shown).replace("{total}", events);
      map.getContainer().setAttribute("data-filtered", String(shown));
    }

    function find() {
      while (results.firstChild) results.removeChild(results.firstChild);
      var q = fold(search.value.trim());
      if (q.length < 2) return;
      /* the places mentioned are searched too: the first search loads them */
      if (map._kharitaLoadMentions) map._kharitaLoadMentions().then(function () {
        if (fold(search.value.trim()) === q) showFound(q);
      });
      showFound(q);
    }

    function showFound(q) {
      while (results.firstChild) results.removeChild(results.firstChild);
      var found = [];
      features.forEach(function (layer) {
        var p = layer.feature.properties, name = display("name", p.name);
        if (!kharita.isShown(layer)) return;
        if (fold(name).indexOf(q) >= 0 || fold(p.name).indexOf(q) >= 0) found.push({ feature: layer, name: name, kind: display("layer", p.layer) });
      });
      (map._kharitaPlaces || []).forEach(function (place) {
        if (fold(place.name).indexOf(q) >= 0 || fold(place.other).indexOf(q) >= 0) found.push({ place: place, name: place.name, kind: t("place") });
      });
      found.slice(0, 8).forEach(function (hit) {
        var item = el("li"), button = el("button", null, hit.name + " · " + hit.kind);
        button.type = "button";
        button.dir = "auto";
        button.addEventListener("click", function () { go(hit); });
        item.appendChild(button);
        results.appendChild(item);
      });
      if (!found.length) results.appendChild(el("li", "kh-none", t("none")));
    }

    function go(hit) {
      if (hit.place) {
        map.setView(hit.place.at, Math.max(map.getZoom(), hit.place.rank === 0 ? 5 : 7));
        return;
      }
      kharita.showFeature(map, hit.feature);
    }

    control.addTo(map);
    var asked = kharita.readHash(location.hash);
    FIELDS.forEach(function (name) {
      var select = selects[name];
      if (asked[name] && [].some.call(select.options, function (o) { return o.value === asked[name]; })) select.value = asked[name];
    });
    if (asked.confidence && !isNaN(Number(asked.confidence))) confidence.value = asked.confidence;
    var view = (asked.map || "").split("/").map(Number);
    if (view.length === 3 && view.every(function (v) { return isFinite(v); })) {
      map.setView([view[1], view[2]], view[0], { animate: false });
    }
    apply();
    map.on("moveend", function () { writeHash(map, state()); });
    map.on("overlayadd overlayremove", apply);
    map.on("kharitatimeline", recount);
    map.on("kharitafeatures", function () { addOptions(); apply(); });
  };

  /* Zoom to one feature and open its popup (the feature list and the search use it). */
  kharita.showFeature = function (map, layer) {
    var at;
    if (layer.getBounds) {
      map.fitBounds(layer.getBounds(), { maxZoom: 8, animate: false });
      at = layer.getBounds().getCenter();
    } else {
      map.setView(layer.getLatLng(), Math.max(map.getZoom(), 7), { animate: false });
      at = layer.getLatLng();
    }
    kharita.openAt(map, [layer], at);
  };
})();
