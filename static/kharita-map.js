/* Kharita map helpers called from the folium widgets in webapp/maps.py.
 * Feature text is only ever set with textContent: nothing from a report is
 * parsed as HTML here. */
(function () {
  "use strict";
  var kharita = (window.kharita = window.kharita || {});

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  kharita.mark = function (name) {
    if (window.performance && performance.mark && !performance.getEntriesByName(name).length) {
      performance.mark(name);
    }
  };

  /* First paint: the map is ready and its layers (when it has any) are drawn. */
  kharita.markPaint = function (map) {
    var loaded = map._kharitaLayers || Promise.resolve();
    map.whenReady(function () { loaded.then(paint, paint); });
    function paint() {
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { kharita.mark("kharita:first-map-paint"); });
      });
    }
  };

  function loadJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }

  kharita.addBasemap = function (map, countriesUrl, admin1Url, credits) {
    if (credits && map.attributionControl) map.attributionControl.addAttribution(credits);
    map.createPane("basemap");
    map.getPane("basemap").style.zIndex = 150;
    var renderer = L.canvas({ pane: "basemap" });
    var countries = map._kharitaBasemap = L.geoJSON(null, {
      pane: "basemap", renderer: renderer, interactive: false,
      style: { color: "#9a958c", weight: 0.8, fillColor: "#f3f0e8", fillOpacity: 1 }
    }).addTo(map);
    loadJSON(countriesUrl).then(function (data) {
      countries.addData(data);
      kharita.mark("kharita:basemap-painted");
    }).catch(function (error) { console.warn("basemap:", error.message); });
    if (!admin1Url) return;
    var admin1 = null;
    function maybeLoad() {
      if (admin1 || map.getZoom() < 5) return;
      admin1 = L.geoJSON(null, {
        pane: "basemap", renderer: renderer, interactive: false,
        style: { color: "#b9b3a8", weight: 0.6, dashArray: "3 3", fill: false }
      }).addTo(map);
      loadJSON(admin1Url).then(function (data) { admin1.addData(data); })
        .catch(function (error) { console.warn("admin1:", error.message); });
    }
    map.on("zoomend", maybeLoad);
    map.whenReady(maybeLoad);
  };

  /* Greedy label placement: ``candidates`` ({box: [left, top, right, bottom], ...}) in
   * order of importance; each is kept at the first of its positions (on its point, else
   * just above, else just below) where its box meets no kept one and no ``reserved``
   * box, else left out. Returns the kept candidates with ``shift`` (px down) and ``box``.
   * The screen and the PNG/SVG export both use it, each with its own text metrics. */
  var LABEL_GAP = 2;  // px of clear space around every name
  function meets(a, b) {
    return a[0] < b[2] + LABEL_GAP && b[0] < a[2] + LABEL_GAP &&
      a[1] < b[3] + LABEL_GAP && b[1] < a[3] + LABEL_GAP;
  }
  kharita.placeLabels = function (candidates, reserved) {
    var taken = (reserved || []).slice(), kept = [];
    candidates.forEach(function (c) {
      var b = c.box, step = (b[3] - b[1]) / 2 + 12;  // clears a point symbol on the place
      [0, -step, step].some(function (shift) {
        var box = [b[0], b[1] + shift, b[2], b[3] + shift];
        if (taken.some(function (other) { return meets(box, other); })) return false;
        taken.push(box);
        c.shift = shift;
        c.box = box;
        kept.push(c);
        return true;
      });
    });
    return kept;
  };

  /* Boxes of the features drawn as points: the map's own data wins over the basemap's
   * names, so no place name covers an event (the name moves above or below it). */
  kharita.featureBoxes = function (map) {
    return (map._kharitaFeatures || []).filter(function (layer) {
      return layer instanceof L.CircleMarker && map.hasLayer(layer);
    }).map(function (layer) {
      var p = map.latLngToContainerPoint(layer.getLatLng()), r = layer.getRadius() + 1;
      return [p.x - r, p.y - r, p.x + r, p.y + r];
    });
  };

  /* Place names on the offline basemap: countries always, then capitals and towns by
   * population as the map zooms in (``rank`` 0 to 4). Names never overlap: the most
   * important (lowest rank, then most people) are placed first; a name whose box meets
   * a placed one, or a point of the map's features, moves above or below its place, or
   * is left out, again at every move and zoom. Names are text nodes. */
  var LABEL_ZOOM = [2, 4, 5, 6, 7];
  kharita.addLabels = function (map, url, lang) {
    if (!url) return;
    map.createPane("labels");
    map.getPane("labels").style.zIndex = 350;
    map.getPane("labels").style.pointerEvents = "none";
    var markers = [];
    var places = map._kharitaPlaces = [];
    var shown = map._kharitaLabels = L.layerGroup().addTo(map);
    function candidates() {
      var zoom = map.getZoom(), bounds = map.getBounds().pad(0.2);
      return markers.filter(function (m) {
        return zoom >= LABEL_ZOOM[Math.min(m._kharitaRank, 4)] && bounds.contains(m.getLatLng());
      });
    }
    function measure(list) {
      /* A name's box around its point does not change with the zoom: measured once (as
       * drawn, whatever the stylesheet does), all in one layout. */
      var fresh = list.filter(function (m) { return !m._kharitaBox; });
      fresh.forEach(function (m) { shown.addLayer(m); });
      fresh.forEach(function (m) {
        var at = m.getElement().getBoundingClientRect();
        var r = m.options.icon.options.html.getBoundingClientRect();
        m._kharitaBox = [r.left - at.left, r.top - at.top, r.right - at.left, r.bottom - at.top];
      });
    }
    function refresh() {
      var list = candidates();
      measure(list);
      var kept = kharita.placeLabels(list.map(function (m) {
        var p = map.latLngToContainerPoint(m.getLatLng()), b = m._kharitaBox;
        return { marker: m, box: [p.x + b[0], p.y + b[1], p.x + b[2], p.y + b[3]] };
      }), kharita.featureBoxes(map));
      shown.clearLayers();
      kept.forEach(function (c) {
        c.marker.options.icon.options.html.style.top = c.shift ? c.shift + "px" : "";
        shown.addLayer(c.marker);
      });
    }
    map._kharitaRefreshLabels = refresh;
    loadJSON(url).then(function (data) {
      (data.features || []).forEach(function (f) {
        var p = f.properties || {}, c = f.geometry.coordinates;
        var text = el("span", "kh-label kh-rank-" + p.rank, p[lang] || p.en || "");
        text.dir = "auto";
        var marker = L.marker([c[1], c[0]], {
          pane: "labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "kh-label-icon", html: text, iconSize: null })
        });
        marker._kharitaRank = typeof p.rank === "number" ? p.rank : 4;
        marker._kharitaPop = p.pop || 0;
        markers.push(marker);
        places.push({ name: p[lang] || p.en || "", other: p.en || "", at: marker.getLatLng(), rank: p.rank });
      });
      markers.sort(function (a, b) {
        return a._kharitaRank - b._kharitaRank || b._kharitaPop - a._kharitaPop;
      });
      refresh();
      map.on("moveend overlayadd overlayremove", refresh);
      kharita.mark("kharita:labels-placed");
    }).catch(function (error) { console.warn("labels:", error.message); });
  };

  function row(table, label, value) {
    if (Array.isArray(value)) value = value.join(", ");
    if (value === undefined || value === null || value === "") return;
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    var td = el("td", null, value);
    td.dir = "auto";
    tr.appendChild(td);
    table.appendChild(tr);
  }

  function evidenceText(evidence) {
    if (!Array.isArray(evidence)) return "";
    return evidence.map(function (ev) { return ev && ev.text ? ev.text : ""; })
      .filter(Boolean).join(" … ");
  }

  function bindFeatureInfo(geojson, labels) {
    geojson.bindTooltip(function (layer) {
      var p = (layer.feature && layer.feature.properties) || {};
      var box = el("div", "kh-tip");
      box.dir = "auto";
      box.appendChild(el("strong", null, featureName(p, labels)));
      box.appendChild(el("span", "kh-tip-layer", layerName(p, labels)));
      return box;
    }, { sticky: true });
    geojson.on("click", function (event) {
      var map = geojson._kharitaMap;
      kharita.openAt(map, stackAt(map, event), event.latlng);
    });
    geojson.eachLayer(function (layer) { register(geojson._kharitaMap, layer, labels); });
  }

  /* A feature is drawn only while nothing hides it. The timeline and the finder each
   * hold their own reason ("timeline", "filter"), so neither brings back what the
   * other hides; the feature's arrowheads and its entry in the feature list follow it.
   * (The layer switcher hides whole groups, arrowheads included, above this.) */
  kharita.isShown = function (layer) {
    var reasons = layer._kharitaHiddenBy;
    for (var reason in reasons) if (reasons[reason]) return false;
    return true;
  };

  kharita.hide = function (layer, reason, hidden) {
    layer._kharitaHiddenBy[reason] = hidden;
    var shown = kharita.isShown(layer), group = layer._kharitaGroup;
    if (group && group.hasLayer(layer) !== shown) {
      if (shown) group.addLayer(layer); else group.removeLayer(layer);
    }
    (layer._kharitaArrows || []).forEach(function (arrow) {
      var holder = arrow._kharitaHolder;
      if (holder.hasLayer(arrow) !== shown) {
        if (shown) holder.addLayer(arrow); else holder.removeLayer(arrow);
      }
    });
    if (layer._kharitaListItem) layer._kharitaListItem.hidden = !shown;
  };

  /* Every feature layer of a map, so a click can find what lies under the pointer
   * and the feature list can open any of them. */
  function register(map, layer, labels) {
    layer._kharitaLabels = labels;
    layer._kharitaHiddenBy = {};  /* nothing hides it yet (see kharita.hide) */
    (map._kharitaFeatures = map._kharitaFeatures || []).push(layer);
    function tag() { var node = layer.getElement && layer.getElement(); if (node) node._kharitaFeature = layer; }
    layer.on("add", tag);
    tag();
  }

  /* The drawn features under the pointer, topmost first: an area under another area
   * (or under a point) is still reachable by clicking where it is. SVG shapes are
   * elements the browser finds at the pointer; shapes on a canvas (large maps) are
   * tested by their own geometry, the last drawn first. */
  function stackAt(map, event) {
    var found = [event.layer || event.propagatedFrom];
    var pointer = event.originalEvent;
    if (pointer && typeof pointer.clientX === "number" && document.elementsFromPoint) {
      document.elementsFromPoint(pointer.clientX, pointer.clientY).forEach(function (node) {
        var layer = node._kharitaFeature;
        if (layer && found.indexOf(layer) < 0) found.push(layer);
      });
    }
    if (map._kharitaRenderer && event.latlng) {
      var point = map.latLngToLayerPoint(event.latlng), features = map._kharitaFeatures;
      for (var i = features.length - 1; i >= 0; i--) {
        var layer = features[i];
        if (found.indexOf(layer) < 0 && map.hasLayer(layer) && layer._containsPoint(point)) found.push(layer);
      }
    }
    return found.filter(Boolean);
  }

  function featureName(p, labels) { return labels["name:" + p.name] || p.name || ""; }
  function layerName(p, labels) { return labels["layer:" + p.layer] || p.layer || ""; }

  /* One feature's popup, or a short list to choose from when several lie there. */
  kharita.openAt = function (map, layers, latlng) {
    var popup = map._kharitaPopup = map._kharitaPopup || L.popup({ maxWidth: 360 });
    popup.options.maxHeight = Math.max(160, Math.round(map.getSize().y * 0.7));
    if (layers.length === 1) {
      var layer = popup._kharitaLayer = layers[0];
      popup.setContent(popupContent(layer)).setLatLng(latlng).openOn(map);
      withDetails(map, layer).then(function (added) {
        if (added && popup._kharitaLayer === layer && popup.isOpen()) popup.setContent(popupContent(layer));
      });
      return;
    }
    popup._kharitaLayer = null;
    var labels = layers[0]._kharitaLabels || {};
    var box = el("div", "kh-popup kh-choice");
    box.dir = "auto";
    box.appendChild(el("h3", null, (labels.here || "{n}").replace("{n}", layers.length)));
    var list = el("ul");
    layers.forEach(function (layer) {
      var p = layer.feature.properties, item = el("li");
      var button = el("button", null, layerName(p, labels) + ": " + featureName(p, labels));
      button.type = "button";
      button.setAttribute("data-layer", p.layer);
      button.addEventListener("click", function (event) {
        L.DomEvent.stop(event);  // the button leaves the page: its click must not close the popup
        kharita.openAt(map, [layer], latlng);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
    popup.setContent(box).setLatLng(latlng).openOn(map);
  };

  /* A map's display data leaves out what only a popup reads (its sources, evidence:
   * webapp.downloads.DETAIL_PROPERTIES) and links where each feature's are; they are
   * asked for once, when its popup first opens, and join its properties. Resolves
   * whether they did (false: nothing to ask, or the request failed). */
  function withDetails(map, layer) {
    var url = map._kharitaDetailsUrl, id = layer.feature && layer.feature.id;
    if (!url || id === undefined || id === null) return Promise.resolve(false);
    if (!layer._kharitaDetails) {
      layer._kharitaDetails = loadJSON(url + "?feature=" + encodeURIComponent(id)).then(function (body) {
        L.extend(layer.feature.properties, body.properties);
        return true;
      }).catch(function (error) {
        layer._kharitaDetails = null;  /* asked again at the next opening */
        console.warn("details:", error.message);
        return false;
      });
    }
    return layer._kharitaDetails;
  }

  /* A map's data lists the shapes several features share once (webapp.downloads.
   * share_geometries): each such feature gets its shape back before it is drawn. */
  function loadFeatures(url) {
    return loadJSON(url).then(function (data) {
      var shared = data.geometries || [];
      (data.features || []).forEach(function (feature) {
        if (typeof feature.geometry_ref === "number") feature.geometry = shared[feature.geometry_ref];
      });
      return data;
    });
  }

  /* Where the map's data says each feature's details are (its ``details`` link). */
  function detailsLink(data) {
    var link = (data.links || []).filter(function (l) { return l.rel === "details"; })[0];
    return link ? link.href : null;
  }

  /* Short first (what, who, when, where from), the rest on demand; never taller
   * than most of the map. */
  function popupContent(layer) {
    var p = (layer.feature && layer.feature.properties) || {};
    var labels = layer._kharitaLabels || {};
    function label(key) { return labels[key] || key; }
    function term(kind, value) {
      if (Array.isArray(value)) return value.map(function (v) { return term(kind, v); });
      return (value !== undefined && value !== null && labels[kind + ":" + value]) || value;
    }
    var box = el("div", "kh-popup");
    box.dir = "auto";
    box.setAttribute("data-layer", p.layer || "");
    box.appendChild(el("h3", null, featureName(p, labels)));
    var table = el("table");
    row(table, label("layer"), layerName(p, labels));
    row(table, label("actor"), term("actor", p.actor));
    row(table, label("target"), term("actor", p.target));
    row(table, label("toll"), p.toll);
    row(table, label("origin"), term("name", p.origin));
    row(table, label("status"), term("status", p.status));
    row(table, label("date"), p.date);
    row(table, label("valid_from"), p.valid_from);
    row(table, label("valid_to"), p.valid_to);
    row(table, label("reported"), p.reported);
    row(table, label("reports"), p.reports);  /* a place several reports mentioned that day */
    row(table, label("strength"), p.strength);
    row(table, label("members"), term("member", p.members));
    row(table, label("inferred"), term("inferred", p.inferred));
    row(table, label("review"), p.review ? label("review:" + p.review) : null);
    row(table, label("note"), p.note);
    box.appendChild(table);
    var sources = kharita.sourceList ? kharita.sourceList(p, label) : null;
    var source = sources ? null : sourceLink(p);
    if (sources) box.appendChild(sources);
    if (source) box.appendChild(source);
    var more = el("details", "kh-more");
    more.appendChild(el("summary", null, label("details")));
    var detail = el("table");
    row(detail, label("evidence"), evidenceText(p.evidence));
    row(detail, label("trigger"), p.trigger);
    row(detail, label("confidence"), typeof p.confidence === "number" ? p.confidence.toFixed(2) : p.confidence);
    row(detail, label("precision"), p.precision);
    more.appendChild(detail);
    box.appendChild(more);
    return box;
  }

  /* A link to the report a feature comes from (http(s) addresses only). */
  function sourceLink(p) {
    var url = p.source_url, title = p.document_title;
    if (!url && !title) return null;
    var line = el("p", "kh-source");
    if (url && /^https?:\/\//i.test(url)) {
      var link = el("a", null, title || url);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer nofollow";
      line.appendChild(link);
    } else {
      line.textContent = title;
    }
    return line;
  }

  /* The default map's rule (geo.layers.on_default_map): inferred features and
   * background, denied or conditional events are not drawn as current events. */
  function onDefaultMap(p, hiddenStatuses) {
    var inferred = p.inferred;
    if (inferred !== undefined && inferred !== null && inferred !== "" && inferred !== false) return false;
    return hiddenStatuses.indexOf(p.status) < 0;
  }

  /* An arrowhead at the end of each line: flows run from origin to destination. */
  function arrowheads(feature, style, renderer) {
    var g = feature.geometry || {};
    var lines = g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : [];
    return lines.filter(function (c) { return c.length >= 2; }).map(function (c) {
      var end = c[c.length - 1], before = c[c.length - 2];
      var dx = end[0] - before[0], dy = end[1] - before[1];
      var total = 0;
      for (var i = 1; i < c.length; i++) total += Math.hypot(c[i][0] - c[i - 1][0], c[i][1] - c[i - 1][1]);
      var size = Math.max(0.05, Math.min(0.6, total * 0.12)), angle = Math.atan2(dy, dx);
      function wing(turn) {
        return [end[1] - size * Math.sin(angle + turn), end[0] - size * Math.cos(angle + turn)];
      }
      return L.polyline([wing(0.45), [end[1], end[0]], wing(-0.45)],
        { color: (style.path || {}).color, weight: (style.path || {}).weight || 3, opacity: 0.95,
          interactive: false, renderer: renderer });
    });
  }

  /* Points of different layers at the same place (a meeting in a town the text also
   * mentions) sit side by side around it, so none hides another; the gap is in
   * screen pixels, so it is recomputed at every zoom. */
  function spreadPoints(map) {
    var stacks = {};
    (map._kharitaFeatures || []).forEach(function (layer) {
      if (!(layer instanceof L.CircleMarker)) return;
      var at = layer._kharitaAt = layer._kharitaAt || layer.getLatLng();
      var key = at.lat.toFixed(4) + "," + at.lng.toFixed(4);
      (stacks[key] = stacks[key] || []).push(layer);
    });
    var shared = Object.keys(stacks).map(function (key) { return stacks[key]; })
      .filter(function (stack) { return stack.length > 1; });
    if (map._kharitaSpread) map.off("zoomend", map._kharitaSpread);
    if (!shared.length) return;
    function place() {
      shared.forEach(function (stack) {
        stack.forEach(function (layer, i) {
          var angle = 2 * Math.PI * i / stack.length - Math.PI / 2;
          var gap = layer.getRadius() + 3;
          var centre = map.latLngToLayerPoint(layer._kharitaAt);
          layer.setLatLng(map.layerPointToLatLng(centre.add([gap * Math.cos(angle), gap * Math.sin(angle)])));
        });
      });
    }
    place();
    map._kharitaSpread = place;
    map.on("zoomend", place);
  }

  /* Keyboard users meet the zoom, layer and filter controls before anything drawn:
   * Leaflet puts its controls after the panes, so they move to the front; the map
   * takes the name of the region around it. */
  function controlsFirst(map) {
    var container = map.getContainer();
    container.insertBefore(map._controlContainer, container.firstChild);
    var region = container.closest("[aria-label]");
    if (region && region !== container) container.setAttribute("aria-label", region.getAttribute("aria-label"));
  }

  /* The map as a list: one button per feature, by layer, that zooms to it and opens its
   * popup (for keyboards, screen readers and anyone who prefers reading). Pages ask for
   * it with an empty element ``[data-feature-list]``; the places mentioned, loaded when
   * they are shown, join it then (``only``: the layers to add). */
  function featureList(map, labels, only) {
    var holder = document.querySelector("[data-feature-list]");
    if (!holder) return;
    var box = holder.querySelector(".kh-feature-list");
    if (!box) {
      if (holder.childNodes.length) return;
      box = el("details", "kh-feature-list");
      box.appendChild(el("summary", null, labels["finder.list"] || "Features"));
      holder.appendChild(box);
    }
    var byLayer = {};
    (map._kharitaFeatures || []).forEach(function (layer) {
      var id = layer.feature.properties.layer;
      if (only && only.indexOf(id) < 0) return;
      (byLayer[id] = byLayer[id] || []).push(layer);
    });
    Object.keys(byLayer).forEach(function (id) {
      box.appendChild(el("h3", null, layerName({ layer: id }, labels)));
      var list = el("ul");
      byLayer[id].forEach(function (layer) {
        var item = el("li"), button = el("button", "kh-list-item", featureName(layer.feature.properties, labels));
        button.type = "button";
        button.dir = "auto";
        button.setAttribute("data-layer", id);
        layer._kharitaListItem = item;
        item.hidden = !kharita.isShown(layer);
        button.addEventListener("click", function () {
          var group = layer._kharitaGroup && layer._kharitaGroup._kharitaParent;
          if (group && !map.hasLayer(group)) map.addLayer(group);
          map.getContainer().scrollIntoView({ block: "nearest" });
          kharita.showFeature(map, layer);
        });
        item.appendChild(button);
        list.appendChild(item);
      });
      box.appendChild(list);
    });
  }

  /* Whether the page's hash sets a filter of the finder (which may pick out places
   * mentioned: they are loaded with the rest). */
  function hashFilters() {
    var asked = kharita.readHash ? kharita.readHash(location.hash) : {};
    return ["layer", "actor", "status", "document", "confidence"].some(function (k) { return asked[k]; });
  }

  /* Maps of more than CANVAS_AT features draw them on one canvas: adding or taking
   * away a shape is then no change of the page (an SVG element each), so the first
   * paint and the timeline's steps stay fast (a click tests the shapes' geometry: see
   * stackAt). Smaller maps keep SVG, one element per shape, which the browser itself
   * finds under the pointer. Null for SVG. */
  var CANVAS_AT = 1000;
  function chooseRenderer(data) {
    return (data.features || []).length > CANVAS_AT ? L.canvas({ tolerance: 3 }) : null;
  }

  /* Fill each layer's FeatureGroup from GeoJSON documents of this server.
   * ``groups`` maps layer ids to folium FeatureGroups, ``styles`` layer ids to
   * {path, point, arrow} Leaflet options; features the default map does not draw
   * go to ``hidden`` (a group that is off by default). With ``mentionsUrl``, ``url``
   * answers every layer but the places mentioned, which start hidden: they are fetched
   * from ``mentionsUrl`` when first shown (the layer switcher, the finder's search, a
   * filter in the hash), and ``map._kharitaMentions`` says when they are drawn. */
  kharita.loadLayers = function (map, url, groups, styles, labels, hidden, hiddenStatuses, mentionsUrl) {
    hiddenStatuses = hiddenStatuses || [];
    controlsFirst(map);
    Object.keys(groups).forEach(function (layer) { groups[layer]._kharitaLayer = layer; });
    (kharita.maps = kharita.maps || []).push(map);  /* the correction editor draws on it */
    var container = map.getContainer(), counts = {};
    function draw(features, layer, group) {
      var style = styles[layer] || {}, renderer = map._kharitaRenderer || undefined;
      var geojson = L.geoJSON(features, {
        renderer: renderer,
        style: function () { return style.path || {}; },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, L.extend({ renderer: renderer }, style.point));
        }
      });
      geojson._kharitaMap = map;
      (map._kharitaGeoJSON = map._kharitaGeoJSON || []).push(geojson);  /* the timeline */
      bindFeatureInfo(geojson, labels);
      geojson._kharitaParent = group;
      geojson.addTo(group);
      geojson.eachLayer(function (layer) {
        layer._kharitaGroup = geojson;
        layer._kharitaArrows = style.arrow ? arrowheads(layer.feature, style, renderer) : [];
        layer._kharitaArrows.forEach(function (a) { a._kharitaHolder = group; a.addTo(group); });
      });
    }
    /* Draws ``data``'s features of the layers ``only`` (all when null). */
    function fill(data, only) {
      var byLayer = {}, background = {};
      if (map._kharitaRenderer === undefined) map._kharitaRenderer = chooseRenderer(data);
      (data.features || []).forEach(function (feature) {
        var p = feature.properties || {};
        var layer = p.layer;
        if (!groups[layer] || (only && only.indexOf(layer) < 0)) return;
        var shown = !hidden || layer === "mentions" || onDefaultMap(p, hiddenStatuses);
        var into = shown ? byLayer : background;
        (into[layer] = into[layer] || []).push(feature);
      });
      (only || Object.keys(groups)).forEach(function (layer) {
        draw(byLayer[layer] || [], layer, groups[layer]);
        if (hidden && background[layer]) draw(background[layer], layer, hidden);
        counts[layer] = (byLayer[layer] || []).length + (background[layer] || []).length;
      });
      spreadPoints(map);
      if (map._kharitaRefreshLabels) map._kharitaRefreshLabels();
      container.setAttribute("data-layer-counts", JSON.stringify(counts));
    }
    var lazy = Boolean(mentionsUrl && groups.mentions);
    var mentions = null;
    function loadMentions() {
      if (!mentions) {
        container.setAttribute("data-mentions", "loading");
        mentions = map._kharitaMentions = Promise.all([map._kharitaLayers, loadFeatures(mentionsUrl)])
          .then(function (both) {
            fill(both[1], ["mentions"]);
            featureList(map, labels, ["mentions"]);
            container.setAttribute("data-mentions", "loaded");
            map.fire("kharitafeatures", { layers: ["mentions"] });
          }).catch(function (error) {
            container.setAttribute("data-layers-error", error.message);
            console.warn("mentions:", error.message);
          });
      }
      return mentions;
    }
    var atOnce = lazy && (map.hasLayer(groups.mentions) || hashFilters());
    var first = atOnce
      ? Promise.all([loadFeatures(url), loadFeatures(mentionsUrl)]).then(function (both) {
          return { features: both[0].features.concat(both[1].features), links: both[0].links };
        })
      : loadFeatures(url);
    map._kharitaLayers = first.then(function (data) {
      map._kharitaDetailsUrl = detailsLink(data);
      fill(data, lazy && !atOnce ? Object.keys(groups).filter(function (l) { return l !== "mentions"; }) : null);
      if (labels["finder.title"]) kharita.addFinder(map, labels);
      featureList(map, labels);
      if (lazy) {
        if (atOnce) {
          mentions = map._kharitaMentions = Promise.resolve();
          container.setAttribute("data-mentions", "loaded");
        } else {
          container.setAttribute("data-mentions", "later");
          map._kharitaLoadMentions = loadMentions;
          map.on("overlayadd", function (event) { if (event.layer === groups.mentions) loadMentions(); });
        }
      }
      container.setAttribute("data-layers-loaded", "1");
      kharita.mark("kharita:layers-loaded");
    }).catch(function (error) {
      container.setAttribute("data-layers-error", error.message);
      console.warn("layers:", error.message);
    });
  };

  /* The legend follows the layer switcher: a layer turned off there is marked off
   * here. It folds away, and starts folded on narrow screens. */
  kharita.addLegend = function (map, entries, title) {
    map._kharitaLegend = entries;
    var legend = L.control({ position: "bottomright" });
    var items = {};
    legend.onAdd = function () {
      var box = el("details", "kh-legend leaflet-control");
      box.dir = document.documentElement.dir || "auto";
      box.open = window.innerWidth >= 600 && window.innerHeight >= 420;  // folded on small screens
      box.appendChild(el("summary", null, title));
      var list = el("ul");
      entries.forEach(function (entry) {
        var item = el("li");
        item.setAttribute("data-layer", entry.id);
        if (entry.shown === false) item.classList.add("is-off");
        var swatch = el("span", "kh-swatch");
        swatch.style.backgroundColor = entry.color;
        if (entry.stroke) swatch.style.borderColor = entry.stroke;
        item.appendChild(swatch);
        item.appendChild(el("span", null, entry.label));
        list.appendChild(item);
        items[entry.id] = item;
      });
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    function follow(on) {
      return function (event) {
        var item = items[event.layer && event.layer._kharitaLayer];
        if (item) item.classList.toggle("is-off", !on);
      };
    }
    map.on("overlayadd", follow(true));
    map.on("overlayremove", follow(false));
    legend.addTo(map);
  };
})();
