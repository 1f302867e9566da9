/* pilotkg's interactive view: draws the inlined Cytoscape.js elements and wires the legend,
   class filter, label language, search and the details panel. Every text from the data is put
   into the page with textContent, never as markup. */
(function () {
  "use strict";
  var doc = JSON.parse(document.getElementById("pk-data").textContent);
  var directed = !!doc.data.directed;
  var lang = "en";
  var manyEdges = doc.elements.edges.length > 150;

  function display(data) {
    return lang === "zh" && data.label_zh ? data.label_zh : data.label;
  }
  doc.elements.nodes.forEach(function (n) { n.data.display = display(n.data); });

  var cy = cytoscape({
    container: document.getElementById("pk-graph"),
    elements: doc.elements,
    layout: { name: "preset", fit: true, padding: 40 },
    wheelSensitivity: 0.3,
    minZoom: 0.02,
    maxZoom: 6,
    style: [
      { selector: "node", style: {
        "background-color": "data(color)", "shape": "data(shape)", "width": "data(size)", "height": "data(size)",
        "label": "data(display)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
        "text-outline-color": "#fff", "text-outline-width": 2, "border-width": 1, "border-color": "#333",
        "min-zoomed-font-size": 7 } },
      { selector: "edge", style: {
        "width": "mapData(weight, 1, 20, 1.2, 8)", "line-color": "#8a8a8a", "curve-style": "bezier",
        "target-arrow-shape": directed ? "triangle" : "none", "target-arrow-color": "#8a8a8a", "arrow-scale": 0.9,
        "label": manyEdges ? "" : "data(label)", "font-size": 8, "color": "#555", "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
      { selector: "node.match", style: { "border-width": 4, "border-color": "#d00" } },
      { selector: ".faded", style: { "opacity": 0.25 } },
      { selector: ".filtered", style: { "display": "none" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#0050a0" } }
    ]
  });
  window.pkGraph = cy;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  /* legend and class filter */
  var filter = document.getElementById("pk-filter");
  doc.legend.forEach(function (item) {
    var label = el("label");
    label.title = item.family;
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-class", item["class"]);
    box.addEventListener("change", function () {
      var nodes = cy.nodes().filter(function (n) { return n.data("class") === item["class"]; });
      if (box.checked) { nodes.removeClass("filtered"); } else { nodes.addClass("filtered"); }
    });
    var swatch = el("span", null, "pk-swatch " + item.shape);
    swatch.style.background = item.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(item["class"] + " (" + item.count + ")"));
    filter.appendChild(label);
  });

  /* label language */
  var langButton = document.getElementById("pk-lang");
  langButton.addEventListener("click", function () {
    lang = lang === "en" ? "zh" : "en";
    langButton.textContent = lang === "en" ? "中文标签" : "English labels";
    langButton.setAttribute("aria-pressed", lang === "zh" ? "true" : "false");
    document.documentElement.lang = lang === "zh" ? "zh" : "en";
    cy.batch(function () {
      cy.nodes().forEach(function (n) { n.data("display", display(n.data())); });
    });
  });

  /* details panel */
  var details = document.getElementById("pk-details");
  var matches = document.getElementById("pk-matches");

  function show(node) {
    var d = node.data();
    details.replaceChildren();
    details.appendChild(el("h2", d.label));
    if (d.label_zh) { details.appendChild(el("p", d.label_zh)); }
    var dl = el("dl");
    function row(term, value) { dl.appendChild(el("dt", term)); dl.appendChild(el("dd", value)); }
    row("class", d["class"]);
    if (d.iri) { row("IRI", d.iri); }
    if (d.members) {
      row("members", d.members);
      Object.keys(d.member_classes || {}).forEach(function (c) { row("  " + c, d.member_classes[c]); });
    }
    Object.keys(d.properties || {}).forEach(function (p) { row(p, d.properties[p].join("; ")); });
    details.appendChild(dl);
    var links = node.connectedEdges();
    if (links.length) {
      details.appendChild(el("h3", "Links (" + links.length + ")"));
      var ul = el("ul");
      links.forEach(function (edge) {
        var out = edge.source().id() === node.id();
        var other = out ? edge.target() : edge.source();
        var li = el("li", (out ? "\u2192 " : "\u2190 ") + display(other.data()) + ": " + edge.data("label"));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }
    details.appendChild(el("h3", "Quotes (" + (d.quotes || []).length + ")"));
    if (!(d.quotes || []).length) {
      details.appendChild(el("p", "No quote in the sources names this node.", "pk-muted"));
    }
    (d.quotes || []).forEach(function (q) { details.appendChild(el("blockquote", q)); });
    details.appendChild(matches);
  }
  window.pkShow = show;

  cy.on("tap", "node", function (event) { show(event.target); });

  /* search */
  var search = document.getElementById("pk-search");
  var count = document.getElementById("pk-count");
  function find(text) {
    var q = text.trim().toLowerCase();
    cy.elements().removeClass("match faded");
    matches.replaceChildren();
    if (!q) { count.textContent = ""; return cy.collection(); }
    var found = cy.nodes().filter(function (n) {
      var d = n.data();
      return [d.label, d.label_zh, d.iri].some(function (v) { return v && String(v).toLowerCase().indexOf(q) >= 0; });
    });
    found.addClass("match");
    cy.elements().not(found).not(found.connectedEdges()).addClass("faded");
    count.textContent = found.length + (found.length === 1 ? " match" : " matches");
    found.slice(0, 30).forEach(function (n) {
      var li = el("li");
      var button = el("button", display(n.data()));
      button.type = "button";
      button.addEventListener("click", function () { cy.animate({ center: { eles: n }, zoom: 1.5 }); show(n); });
      li.appendChild(button);
      matches.appendChild(li);
    });
    return found;
  }
  search.addEventListener("input", function () { find(search.value); });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = find(search.value);
      if (found.length) { cy.fit(found, 80); show(found[0]); }
    }
  });
})();
