/* Page behaviour: focus the map on a clicked mention, copy embed code,
 * report the embed's height to the framing page. */
(function () {
  "use strict";

  function pageMap() {
    var holder = document.querySelector("[data-map-name]");
    return holder ? window[holder.getAttribute("data-map-name")] : null;
  }

  function focusMention(node) {
    var map = pageMap();
    if (!map) return;
    var bbox = node.getAttribute("data-bbox");
    if (bbox) {
      var b = bbox.split(",").map(Number);
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { maxZoom: 8, padding: [16, 16] });
    } else {
      map.setView([Number(node.getAttribute("data-lat")), Number(node.getAttribute("data-lon"))], 7);
    }
    document.querySelectorAll(".mention.is-focused").forEach(function (n) {
      n.classList.remove("is-focused");
    });
    node.classList.add("is-focused");
  }

  document.addEventListener("click", function (event) {
    var mention = event.target.closest(".mention[data-lat]");
    if (mention) {
      event.preventDefault();
      focusMention(mention);
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      source.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value);
      } else {
        document.execCommand("copy");
      }
      copy.setAttribute("data-copied", "1");
      if (copy.getAttribute("data-copied-text")) copy.textContent = copy.getAttribute("data-copied-text");
    }
  });

  document.addEventListener("keydown", function (event) {
    var mention = event.target.closest && event.target.closest(".mention[data-lat]");
    if (mention && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      focusMention(mention);
    }
  });

  /* The map page's layer form: keep the hidden "layers" list in step with the checkboxes. */
  var layerForm = document.getElementById("layer-choice");
  if (layerForm) {
    layerForm.addEventListener("submit", function () {
      var ticked = Array.prototype.map.call(
        layerForm.querySelectorAll("input[name=layer]:checked"), function (box) { return box.value; });
      layerForm.querySelector("input[name=layers]").value = ticked.join(",");
      layerForm.querySelectorAll("input[name=layer]").forEach(function (box) { box.disabled = true; });
    });
  }

  /* The embed builder: each choice asks the server for the snippet, and previews it. */
  var builder = document.getElementById("embed-builder");
  if (builder) {
    var update = function () {
      var query = new URLSearchParams();
      var lang = builder.elements.lang.value;
      if (lang) query.set("lang", lang);
      if (!builder.elements.legend.checked) query.set("legend", "0");
      query.set("height", builder.elements.height.value);
      ["at", "from", "to"].forEach(function (name) {  /* the timeline's moment or window */
        var field = builder.elements[name];
        if (field && field.value) query.set(name, field.value);
      });
      var boxes = builder.querySelectorAll("input[name=layer]");
      var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; })
        .map(function (b) { return b.value; });
      if (ticked.length && ticked.length < boxes.length) query.set("layers", ticked.join(","));
      fetch(builder.getAttribute("data-code-url") + "?" + query.toString())
        .then(function (response) { return response.json(); })
        .then(function (body) {
          var status = document.getElementById("embed-status");
          if (!body.ok) { status.textContent = body.error; return; }
          status.textContent = "";
          document.getElementById("embed-code").value = body.code;
          var preview = document.getElementById("embed-preview");
          preview.src = body.src;
          preview.style.height = (Number(builder.elements.height.value) || 480) + "px";
          var copy = document.querySelector("[data-copy=embed-code]");
          if (copy) { copy.removeAttribute("data-copied"); }
        });
    };
    /* The preview loads the whole map again: only once the builder is on screen, so it
     * never competes with the page's own map for the same data. */
    var preview = document.getElementById("embed-preview");
    var showPreview = function () {
      if (!preview.getAttribute("src")) preview.src = preview.getAttribute("data-src");
    };
    if (window.IntersectionObserver) {
      var watch = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          watch.disconnect();
          showPreview();
        }
      });
      watch.observe(builder);
    } else {
      showPreview();
    }
    builder.addEventListener("change", update);
    builder.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  }

  /* A map's list of documents: its page lists the first ones; searching the titles and
   * the next ones come from the JSON API, without reloading the map. */
  var finder = document.getElementById("documents");
  if (finder && window.fetch) {
    var list = document.querySelector("[data-document-list]");
    var count = document.querySelector("[data-document-count]");
    var first = Number(finder.getAttribute("data-offset")) || 0, listed = list.children.length;
    var showDocuments = function (body, append) {
      if (!append) { list.textContent = ""; first = 0; listed = 0; }
      body.documents.forEach(function (d) {
        var item = document.createElement("li"), link = document.createElement("a");
        link.href = d.links.page;
        link.dir = "auto";
        link.textContent = d.title;
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " (" + d.lang + (d.published ? ", " + d.published : "") + ")";
        item.appendChild(link);
        item.appendChild(meta);
        list.appendChild(item);
      });
      listed += body.documents.length;
      count.textContent = body.total ? finder.getAttribute("data-count-text")
        .replace("{first}", listed ? first + 1 : 0).replace("{last}", first + listed)
        .replace("{total}", body.total)
        : finder.getAttribute("data-none-text");
      var more = document.querySelector("[data-document-more]");
      if (more) more.hidden = first + listed >= body.total;
    };
    var loadDocuments = function (append) {
      var query = new URLSearchParams({ limit: finder.getAttribute("data-page"),
                                        offset: append ? first + listed : 0 });
      var search = finder.elements.doc_q.value.trim();
      if (search) query.set("q", search);
      return fetch(finder.getAttribute("data-list-url") + "?" + query.toString())
        .then(function (response) { return response.json(); })
        .then(function (body) { if (body.ok) showDocuments(body, append); });
    };
    finder.addEventListener("submit", function (event) { event.preventDefault(); loadDocuments(false); });
    document.addEventListener("click", function (event) {
      if (!event.target.closest("[data-document-more] a")) return;
      event.preventDefault();
      loadDocuments(true);
    });
  }

  /* "Try an example": fill the paste form with an example report in that language. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-example-text]"), function (button) {
    button.addEventListener("click", function () {
      document.getElementById("title").value = button.getAttribute("data-example-title");
      document.getElementById("text").value = button.getAttribute("data-example-text");
      document.getElementById("lang").value = button.getAttribute("data-example-lang");
      document.getElementById("text").focus();
    });
  });

  var embed = document.querySelector("[data-embed-id]");
  if (embed && window.parent !== window) {
    var report = function () {
      var height = Math.round(Math.max(280, Math.min(800, window.innerWidth * 0.66)));
      window.parent.postMessage(
        { type: "kharita:resize", id: embed.getAttribute("data-embed-id"), height: height }, "*"
      );
    };
    window.addEventListener("resize", report);
    report();
  }
})();
