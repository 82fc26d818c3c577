/* The current map view as a PNG or an SVG, drawn in the browser from what the map has loaded
 * (basemap, place names, the features shown, their palette) with a title, a legend and
 * the credits: no network, no screenshot of the page. */
(function () {
  "use strict";
  var kharita = (window.kharita = window.kharita || {});
  var SCALE = 2;  // print-friendly: twice the screen's pixels
  var SEA = "#dde8ef";

  function rings(latlngs) {
    /* Leaflet nests rings one level (polygon) or two (multipolygon) deep. */
    if (!latlngs.length) return [];
    if (latlngs[0] instanceof L.LatLng) return [latlngs];
    return latlngs.reduce(function (all, part) { return all.concat(rings(part)); }, []);
  }

  function tracePath(ctx, map, layer, closed) {
    ctx.beginPath();
    rings(layer.getLatLngs()).forEach(function (ring) {
      ring.forEach(function (latlng, i) {
        var p = map.latLngToContainerPoint(latlng);
        if (i) ctx.lineTo(p.x, p.y); else ctx.moveTo(p.x, p.y);
      });
      if (closed) ctx.closePath();
    });
  }

  function paint(ctx, map, layer) {
    var o = layer.options;
    ctx.setLineDash(o.dashArray ? String(o.dashArray).split(/[ ,]+/).map(Number) : []);
    ctx.lineWidth = o.weight || 1;
    ctx.strokeStyle = o.color || "#555";
    if (layer instanceof L.CircleMarker) {
      var c = map.latLngToContainerPoint(layer.getLatLng());
      ctx.beginPath();
      ctx.arc(c.x, c.y, layer.getRadius(), 0, 2 * Math.PI);
    } else {
      tracePath(ctx, map, layer, layer instanceof L.Polygon);
    }
    var closed = layer instanceof L.Polygon || layer instanceof L.CircleMarker;
    if (closed && o.fill !== false) {
      ctx.globalAlpha = o.fillOpacity === undefined ? 0.2 : o.fillOpacity;
      ctx.fillStyle = o.fillColor || o.color || "#555";
      ctx.fill("evenodd");
    }
    ctx.globalAlpha = o.opacity === undefined ? 1 : o.opacity;
    if (o.stroke !== false) ctx.stroke();
    ctx.globalAlpha = 1;
  }

  function legend(ctx, entries, width, height, rtl) {
    if (!entries.length) return;
    ctx.font = "12px system-ui, sans-serif";
    var rowH = 18, boxW = 12 + Math.max.apply(null, entries.map(function (e) { return ctx.measureText(e.label).width; })) + 30;
    var boxH = rowH * entries.length + 10, x = rtl ? 10 : width - boxW - 10, y = height - boxH - 26;
    ctx.fillStyle = "rgba(255,255,255,0.92)";
    ctx.fillRect(x, y, boxW, boxH);
    entries.forEach(function (e, i) {
      var top = y + 6 + i * rowH, sx = rtl ? x + boxW - 24 : x + 8;
      ctx.fillStyle = e.color;
      ctx.fillRect(sx, top + 3, 16, 10);
      ctx.strokeStyle = e.stroke || "#555";
      ctx.lineWidth = 2;
      ctx.setLineDash([]);
      ctx.strokeRect(sx, top + 3, 16, 10);
      ctx.fillStyle = "#1d232a";
      ctx.textAlign = rtl ? "right" : "left";
      ctx.fillText(e.label, rtl ? sx - 6 : sx + 22, top + 12);
    });
  }

  /* The place names the export draws: those shown on screen, placed again with the
   * export's own fonts (kharita.placeLabels), so no two overlap in the image either. */
  var LABEL_FONTS = ["600 12px system-ui, sans-serif", "600 11px system-ui, sans-serif",
                     "11px system-ui, sans-serif"];
  function exportLabels(map) {
    if (!map._kharitaLabels) return [];
    var markers = map._kharitaLabels.getLayers().sort(function (a, b) {
      return a._kharitaRank - b._kharitaRank || b._kharitaPop - a._kharitaPop;
    });
    var candidates = markers.map(function (marker) {
      var rank = marker._kharitaRank, font = LABEL_FONTS[Math.min(rank, 2)];
      var text = marker.options.icon.options.html.textContent || "";
      if (rank === 0) text = text.toUpperCase();  // as the screen shows country names
      var p = map.latLngToContainerPoint(marker.getLatLng());
      var w = textWidth(text, font) / 2, h = (rank === 0 ? 12 : 11) * 0.6;
      return { text: text, font: font, x: p.x, y: p.y, rank: rank, box: [p.x - w, p.y - h, p.x + w, p.y + h] };
    });
    return kharita.placeLabels(candidates, kharita.featureBoxes(map)).map(function (label) {
      label.y += label.shift;
      return label;
    });
  }

  /* Draw the map's current view on a new canvas and return it. */
  kharita.drawView = function (map, title, credits) {
    var size = map.getSize(), rtl = document.documentElement.dir === "rtl";
    var canvas = document.createElement("canvas");
    canvas.width = size.x * SCALE;
    canvas.height = size.y * SCALE;
    var ctx = canvas.getContext("2d");
    ctx.scale(SCALE, SCALE);
    ctx.direction = rtl ? "rtl" : "ltr";
    ctx.fillStyle = SEA;
    ctx.fillRect(0, 0, size.x, size.y);
    if (map._kharitaBasemap) map._kharitaBasemap.eachLayer(function (l) { paint(ctx, map, l); });
    var shown = {};
    (map._kharitaFeatures || []).forEach(function (layer) {
      if (!map.hasLayer(layer)) return;
      paint(ctx, map, layer);
      (layer._kharitaArrows || []).forEach(function (a) { if (map.hasLayer(a)) paint(ctx, map, a); });
      shown[layer.feature.properties.layer] = true;
    });
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillStyle = "#4a4a4a";
    exportLabels(map).forEach(function (label) {
      ctx.font = label.font;
      ctx.fillText(label.text, label.x, label.y);
    });
    ctx.textBaseline = "alphabetic";
    ctx.textAlign = rtl ? "right" : "left";
    ctx.fillStyle = "rgba(255,255,255,0.9)";
    ctx.fillRect(0, 0, size.x, 30);
    ctx.fillStyle = "#1d232a";
    ctx.font = "bold 16px system-ui, sans-serif";
    ctx.fillText(title, rtl ? size.x - 10 : 10, 21);
    legend(ctx, (map._kharitaLegend || []).filter(function (e) { return shown[e.id]; }), size.x, size.y, rtl);
    ctx.fillStyle = "rgba(255,255,255,0.9)";
    ctx.fillRect(0, size.y - 20, size.x, 20);
    ctx.fillStyle = "#3b4148";
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillText("Kharita · Leaflet · " + credits, rtl ? size.x - 8 : 8, size.y - 6);
    return canvas;
  };

  var SVG_NS = "http://www.w3.org/2000/svg";

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== undefined && attrs[name] !== null) node.setAttribute(name, String(attrs[name]));
    });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function pathData(map, layer, closed) {
    return rings(layer.getLatLngs()).map(function (ring) {
      return ring.map(function (latlng, i) {
        var p = map.latLngToContainerPoint(latlng);
        return (i ? "L" : "M") + p.x.toFixed(1) + " " + p.y.toFixed(1);
      }).join("") + (closed ? "Z" : "");
    }).join("");
  }

  /* One Leaflet vector layer as an SVG shape with the same palette as on screen. */
  function shape(map, layer) {
    var o = layer.options, node, closed = layer instanceof L.Polygon || layer instanceof L.CircleMarker;
    if (layer instanceof L.CircleMarker) {
      var c = map.latLngToContainerPoint(layer.getLatLng());
      node = svgEl("circle", { cx: c.x.toFixed(1), cy: c.y.toFixed(1), r: layer.getRadius() });
    } else {
      node = svgEl("path", { d: pathData(map, layer, closed), "fill-rule": "evenodd" });
    }
    var filled = closed && o.fill !== false;
    node.setAttribute("fill", filled ? o.fillColor || o.color || "#555" : "none");
    if (filled) node.setAttribute("fill-opacity", o.fillOpacity === undefined ? 0.2 : o.fillOpacity);
    node.setAttribute("stroke", o.stroke === false ? "none" : o.color || "#555");
    node.setAttribute("stroke-width", o.weight || 1);
    node.setAttribute("stroke-opacity", o.opacity === undefined ? 1 : o.opacity);
    if (o.dashArray) node.setAttribute("stroke-dasharray", o.dashArray);
    return node;
  }

  function textWidth(text, font) {
    var ctx = (textWidth.ctx = textWidth.ctx || document.createElement("canvas").getContext("2d"));
    ctx.font = font;
    return ctx.measureText(text).width;
  }

  function svgLegend(root, entries, width, height, rtl) {
    if (!entries.length) return;
    var font = "12px system-ui, sans-serif", rowH = 18;
    var boxW = 42 + Math.max.apply(null, entries.map(function (e) { return textWidth(e.label, font); }));
    var boxH = rowH * entries.length + 10, x = rtl ? 10 : width - boxW - 10, y = height - boxH - 26;
    var box = root.appendChild(svgEl("g", { "class": "kh-svg-legend", "font-family": "system-ui, sans-serif", "font-size": 12 }));
    box.appendChild(svgEl("rect", { x: x, y: y, width: boxW, height: boxH, fill: "#ffffff", "fill-opacity": 0.92 }));
    entries.forEach(function (e, i) {
      var top = y + 6 + i * rowH, sx = rtl ? x + boxW - 24 : x + 8;
      box.appendChild(svgEl("rect", { x: sx, y: top + 3, width: 16, height: 10, fill: e.color,
                                      stroke: e.stroke || "#555", "stroke-width": 2 }));
      box.appendChild(svgEl("text", { x: rtl ? sx - 6 : sx + 22, y: top + 12, fill: "#1d232a",
                                      "text-anchor": rtl ? "end" : "start" }, e.label));
    });
  }

  function band(root, y, height, text, attrs, rtl, width) {
    root.appendChild(svgEl("rect", { x: 0, y: y, width: width, height: height, fill: "#ffffff", "fill-opacity": 0.9 }));
    attrs.x = rtl ? width - 10 : 10;
    attrs["text-anchor"] = rtl ? "end" : "start";
    attrs["font-family"] = "system-ui, sans-serif";
    root.appendChild(svgEl("text", attrs, text));
  }

  /* The map's current view as an SVG document (text): the same layers, title, legend and
   * credits as the PNG, but as vectors a designer can restyle. Basemap shapes outside the
   * view are left out to keep the file small. */
  kharita.drawSvg = function (map, title, credits) {
    var size = map.getSize(), rtl = document.documentElement.dir === "rtl", view = map.getBounds();
    var root = svgEl("svg", { width: size.x, height: size.y, viewBox: "0 0 " + size.x + " " + size.y,
                              direction: rtl ? "rtl" : "ltr" });
    root.appendChild(svgEl("title", {}, title));
    root.appendChild(svgEl("rect", { width: size.x, height: size.y, fill: SEA }));
    var basemap = root.appendChild(svgEl("g", { "class": "kh-svg-basemap" }));
    if (map._kharitaBasemap) map._kharitaBasemap.eachLayer(function (l) {
      var bounds = l.getBounds();
      if (bounds.isValid() && view.intersects(bounds)) basemap.appendChild(shape(map, l));
    });
    var features = root.appendChild(svgEl("g", { "class": "kh-svg-features" })), shown = {};
    (map._kharitaFeatures || []).forEach(function (layer) {
      if (!map.hasLayer(layer)) return;
      var p = layer.feature.properties, node = shape(map, layer);
      node.setAttribute("data-layer", p.layer);
      node.appendChild(svgEl("title", {}, p.name || ""));
      features.appendChild(node);
      (layer._kharitaArrows || []).forEach(function (a) { if (map.hasLayer(a)) features.appendChild(shape(map, a)); });
      shown[p.layer] = true;
    });
    var labels = root.appendChild(svgEl("g", { "class": "kh-svg-labels", "font-family": "system-ui, sans-serif",
                                               "font-size": 11, fill: "#4a4a4a", "text-anchor": "middle" }));
    exportLabels(map).forEach(function (label) {
      labels.appendChild(svgEl("text", { x: label.x.toFixed(1), y: label.y.toFixed(1), "dominant-baseline": "central",
                                         "font-size": label.rank === 0 ? 12 : 11,
                                         "font-weight": label.rank < 2 ? 600 : null }, label.text));
    });
    band(root, 0, 30, title, { y: 21, "font-size": 16, "font-weight": "bold", fill: "#1d232a", "class": "kh-svg-title" }, rtl, size.x);
    svgLegend(root, (map._kharitaLegend || []).filter(function (e) { return shown[e.id]; }), size.x, size.y, rtl);
    band(root, size.y - 20, 20, "Kharita · Leaflet · " + credits,
         { y: size.y - 6, "font-size": 11, fill: "#3b4148", "class": "kh-svg-credits" }, rtl, size.x);
    return new XMLSerializer().serializeToString(root);
  };

  function save(blob, filename) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  /* The export buttons: ``data-export-png`` or ``data-export-svg`` names the map's window
   * variable. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-export-png], [data-export-svg]");
    if (!button) return;
    var svg = button.hasAttribute("data-export-svg");
    var map = window[button.getAttribute(svg ? "data-export-svg" : "data-export-png")];
    if (!map) return;
    var title = button.getAttribute("data-title") || "", credits = button.getAttribute("data-credits") || "";
    var filename = button.getAttribute("data-filename") || (svg ? "kharita-map.svg" : "kharita-map.png");
    if (svg) {
      save(new Blob([kharita.drawSvg(map, title, credits)], { type: "image/svg+xml" }), filename);
      return;
    }
    kharita.drawView(map, title, credits).toBlob(function (blob) { save(blob, filename); }, "image/png");
  });
})();
