/* Kharita timeline: a slider, a play button and a window of days over the map's features.
 *
 * Events (``date``, else ``reported``) are shown when they fall in the window; states
 * (``valid_from``/``valid_to``: control zones) when they held on its last day. Features with
 * no time at all always stay. The window comes from the page's address (``?at=YYYY-MM-DD``:
 * the 30 days up to that day; ``?from=&to=``: those days) and is written back there as the
 * slider moves, so a link or an embed opens on the same moment. Without either the map shows
 * every date until the slider is touched.
 *
 * The slider is noUiSlider (npm, served from static/vendor/ by scripts/vendor-js.sh): a handle
 * that drags, takes the arrow and page keys, and reads left to right on Arabic pages too (time
 * runs that way in the dates it shows). Without it the browser's own range input stands in.
 *
 * Filtering touches only the features whose visibility changes (through ``kharita.hide``,
 * so the finder's filters still apply), and its time is kept in
 * ``kharita.timelineStats`` (performance.now around each step). Text is set with textContent. */
(function () {
  "use strict";
  var kharita = (window.kharita = window.kharita || {});
  var DAY = 86400000, WINDOW = 30, PLAY_STEPS = 60, PLAY_MS = 400;
  var ISO = /^\d{4}-\d{2}-\d{2}$/;

  function dayOf(value) {
    if (typeof value !== "string" || value.length < 7) return null;
    var text = value.length === 7 ? value + "-01" : value.slice(0, 10);
    if (!ISO.test(text)) return null;
    var t = Date.parse(text + "T00:00:00Z");
    return isNaN(t) ? null : Math.floor(t / DAY);
  }

  function lastDayOf(value) {
    var first = dayOf(value);
    if (first === null || value.length !== 7) return first;
    var d = new Date(first * DAY);
    return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY) - 1;
  }

  function iso(day) { return new Date(day * DAY).toISOString().slice(0, 10); }

  /* [start, end, isState] in days since 1970, or null for a feature without time
   * (the rule of geo.timeline.span). */
  kharita.featureSpan = function (p) {
    if (p.valid_from) {
      var from = dayOf(String(p.valid_from));
      var until = p.valid_to ? dayOf(String(p.valid_to)) : null;
      return from === null ? null : [from, until === null ? null : Math.max(from, until - 1), true];
    }
    var when = p.date || p.reported;
    if (!when) return null;
    var start = dayOf(String(when));
    return start === null ? null : [start, lastDayOf(String(when)), false];
  };

  function visible(span, first, last) {
    if (!span) return true;
    if (span[2]) return span[0] <= last && (span[1] === null || last <= span[1]);
    return span[0] <= last && first <= span[1];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* The sources of a feature merged across reports (geo.merge): each report's title
   * (a link for http(s) addresses) and date, how many are independent, and whether they
   * disagree. Null for a feature from one report. */
  kharita.sourceList = function (p, label) {
    if (!Array.isArray(p.sources) || !p.sources.length) return null;
    var box = el("div", "kh-merged");
    if (p.contested) box.appendChild(el("p", "kh-contested", label("contested")));
    box.appendChild(el("p", null, label("corroboration") + ": " + (p.corroboration || 1) +
      " · " + label("first_reported") + " " + (p.first_reported || "") +
      " · " + label("last_reported") + " " + (p.last_reported || "")));
    box.appendChild(el("p", "kh-why", label("why_confidence") + " (" +
      (typeof p.confidence === "number" ? p.confidence.toFixed(2) : p.confidence) + ")"));
    var list = el("ul", "kh-sources");
    p.sources.forEach(function (s) {
      var item = el("li");
      item.dir = "auto";
      var url = s && s.url, title = (s && (s.title || s.url)) || "";
      if (url && /^https?:\/\//i.test(url)) {
        var link = el("a", null, title);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer nofollow";
        item.appendChild(link);
      } else {
        item.appendChild(el("span", null, title));
      }
      if (s && s.date) item.appendChild(el("span", "kh-source-date", " (" + s.date + ")"));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  };

  /* Every feature layer of the map, with its span (the finder may already hide some). */
  function collect(map) {
    return (map._kharitaFeatures || []).map(function (layer) {
      var p = (layer.feature && layer.feature.properties) || {};
      return { layer: layer, span: kharita.featureSpan(p), shown: true };
    });
  }

  function readQuery() {
    var q = new URLSearchParams(window.location.search);
    var at = dayOf(q.get("at") || ""), from = dayOf(q.get("from") || ""), to = dayOf(q.get("to") || "");
    if (from !== null && to !== null && from <= to) return { end: to, length: to - from + 1 };
    if (at !== null) return { end: at, length: WINDOW };
    return null;
  }

  function writeQuery(state) {
    if (!window.history || !history.replaceState) return;
    var url = new URL(window.location.href);
    ["at", "from", "to"].forEach(function (k) { url.searchParams.delete(k); });
    if (state) {
      if (state.length === WINDOW) url.searchParams.set("at", iso(state.end));
      else {
        url.searchParams.set("from", iso(state.end - state.length + 1));
        url.searchParams.set("to", iso(state.end));
      }
    }
    history.replaceState(history.state, "", url.toString());
  }

  kharita.addTimeline = function (map, labels) {
    labels = labels || {};
    var loaded = map._kharitaLayers || Promise.resolve();
    loaded.then(function () {
      var built = build(map, labels);
      /* the places mentioned, loaded when shown, follow the window (or start it) */
      map.on("kharitafeatures", function () { built = built ? built.more() : build(map, labels); });
    });
  };

  /* The slider over days ``min``..``max``: ``node`` to place, ``show(day)`` to move the handle
   * without telling ``moved``, which hears the reader's moves (drags, keys, set()). */
  function makeSlider(min, max, label, moved) {
    var node, showing = false;
    if (window.noUiSlider) {
      node = el("div", "kh-timeline-slider");
      window.noUiSlider.create(node, {
        start: [max], step: 1, connect: "lower", direction: "ltr", keyboardSupport: true,
        range: { min: min, max: Math.max(max, min + 1) },  /* one day: a range of two */
        handleAttributes: [{ "aria-label": label }]
      });
      var heard = function (values) { if (!showing) moved(Math.round(Number(values[0]))); };
      node.noUiSlider.on("slide", heard);
      node.noUiSlider.on("set", heard);
      return { node: node, show: function (day) {
        showing = true;
        node.noUiSlider.set(day);
        showing = false;
      } };
    }
    node = el("input", "kh-timeline-slider");
    node.type = "range";
    node.min = String(min);
    node.max = String(max);
    node.step = "1";
    node.setAttribute("aria-label", label);
    node.addEventListener("input", function () { moved(Number(node.value)); });
    return { node: node, show: function (day) { node.value = String(day); } };
  }

  function build(map, labels) {
    var items = collect(map);
    items.forEach(function (it) { it.layer._kharitaTimed = true; });
    var days = [];
    items.forEach(function (it) {
      if (!it.span) return;
      days.push(it.span[0]);
      if (it.span[1] !== null) days.push(it.span[1]);
    });
    if (!days.length) return null;
    var min = Math.min.apply(null, days), max = Math.max.apply(null, days);
    var stats = (kharita.timelineStats = { steps: 0, lastMs: 0, maxMs: 0, totalMs: 0,
                                           features: items.length });
    var container = map.getContainer();
    var control = L.control({ position: "bottomleft" });
    var box, slider, label, play, all, timer = null, state = readQuery();

    function apply() {
      var t0 = performance.now();
      var first = state ? state.end - state.length + 1 : -Infinity;
      var last = state ? state.end : Infinity;
      var count = 0;
      for (var i = 0; i < items.length; i++) {
        var it = items[i], show = !state || visible(it.span, first, last);
        if (show !== it.shown) {
          kharita.hide(it.layer, "timeline", !show);
          it.shown = show;
        }
        if (show) count++;
      }
      var ms = performance.now() - t0;
      stats.steps++; stats.lastMs = ms; stats.totalMs += ms; stats.maxMs = Math.max(stats.maxMs, ms);
      map.fire("kharitatimeline");  // the finder's count follows
      container.setAttribute("data-timeline-shown", String(count));
      container.setAttribute("data-timeline-window", state ? iso(first) + "/" + iso(last) : "");
      label.textContent = state
        ? (state.length === WINDOW ? (labels.as_of || "As of") + " " + iso(last)
                                   : iso(first) + " – " + iso(last))
        : (labels.all_dates || "All dates");
      slider.show(state ? Math.min(Math.max(state.end, min), max) : max);
    }

    function moveTo(end, keepUrl) {
      state = { end: end, length: state ? state.length : WINDOW };
      apply();
      if (!keepUrl) writeQuery(state);
    }

    function stop() {
      if (timer !== null) { clearInterval(timer); timer = null; }
      play.textContent = labels.play || "Play";
      play.setAttribute("aria-pressed", "false");
    }

    control.onAdd = function () {
      box = el("div", "kh-timeline leaflet-control");
      box.dir = "ltr";
      play = el("button", "kh-timeline-play", labels.play || "Play");
      play.type = "button";
      play.setAttribute("aria-pressed", "false");
      slider = makeSlider(min, max, labels.timeline || "Timeline", function (day) {
        if (state && state.end === day) return;
        stop();
        moveTo(day);
      });
      label = el("output", "kh-timeline-label");
      all = el("button", "kh-timeline-all", labels.all_dates || "All dates");
      all.type = "button";
      box.appendChild(play);
      box.appendChild(slider.node);
      box.appendChild(label);
      box.appendChild(all);
      all.addEventListener("click", function () { stop(); state = null; apply(); writeQuery(null); });
      play.addEventListener("click", function () {
        if (timer !== null) { stop(); return; }
        var step = Math.max(1, Math.round((max - min) / PLAY_STEPS));
        if (!state || state.end >= max) moveTo(min);
        play.textContent = labels.pause || "Pause";
        play.setAttribute("aria-pressed", "true");
        timer = setInterval(function () {
          if (state.end >= max) { stop(); return; }
          moveTo(Math.min(max, state.end + step));
        }, PLAY_MS);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    apply();
    container.setAttribute("data-timeline", iso(min) + "/" + iso(max));
    kharita.timeline = { moveTo: moveTo, items: items, range: [min, max], slider: slider.node };
    return {
      more: function () {
        collect(map).forEach(function (it) {
          if (!it.layer._kharitaTimed) { it.layer._kharitaTimed = true; items.push(it); }
        });
        stats.features = items.length;
        apply();
        return this;
      }
    };
  }
})();
