/* The current map view as a PNG, drawn in the browser from what the map has loaded
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
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillStyle = "#4a4a4a";
    if (map._kharitaLabels) map._kharitaLabels.eachLayer(function (marker) {
      var p = map.latLngToContainerPoint(marker.getLatLng()), node = marker.options.icon.options.html;
      ctx.fillText(node.textContent || "", p.x, p.y);
    });
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

  /* The export buttons: ``data-export-png`` names the map's window variable. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-export-png]");
    if (!button) return;
    var map = window[button.getAttribute("data-export-png")];
    if (!map) return;
    var canvas = kharita.drawView(map, button.getAttribute("data-title") || "",
                                  button.getAttribute("data-credits") || "");
    canvas.toBlob(function (blob) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = button.getAttribute("data-filename") || "kharita-map.png";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    }, "image/png");
  });
})();
