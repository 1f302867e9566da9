/* pilotkg's query editor: the library as examples, a SPARQL text, a result table. Every value is
   shown with textContent; IRIs link to the server's own entity pages. No request leaves the server. */
(function () {
  "use strict";
  var select = document.getElementById("library");
  var text = document.getElementById("sparql");
  var description = document.getElementById("description");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var library = {};

  fetch("/api/queries", { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (queries) {
      queries.forEach(function (q) {
        library[q.name] = q;
        var option = document.createElement("option");
        option.value = q.name;
        option.textContent = q.name + ": " + q.title;
        select.appendChild(option);
      });
    });

  var params = document.getElementById("params");
  var chosen = null;

  /* a library query runs through /api/queries with its parameters bound (as RDF terms, never as
     text); once the text is edited, it runs as written at /sparql */
  select.addEventListener("change", function () {
    var q = library[select.value];
    params.replaceChildren();
    chosen = q || null;
    if (!q) { return; }
    description.textContent = q.description;
    text.value = q.sparql;
    q.params.forEach(function (p) {
      var label = document.createElement("label");
      label.textContent = p.name + (p.required ? " (required) " : " ");
      var input = document.createElement("input");
      input.name = p.name;
      input.value = p.default || "";
      input.placeholder = p.type;
      input.title = p.doc || p.type;
      label.appendChild(input);
      params.appendChild(label);
    });
  });
  text.addEventListener("input", function () { if (chosen && text.value !== chosen.sparql) { chosen = null; params.replaceChildren(); } });

  function cell(term) {
    var td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = document.createElement("a");
      a.href = "/resource?iri=" + encodeURIComponent(term.value);
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
    }
    return td;
  }

  function table(data) {
    results.replaceChildren();
    if (data.boolean !== undefined) {
      results.textContent = data.boolean ? "true" : "false";
      return;
    }
    var t = document.createElement("table");
    var head = document.createElement("tr");
    data.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    t.appendChild(head);
    data.results.bindings.forEach(function (row) {
      var tr = document.createElement("tr");
      data.head.vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
      t.appendChild(tr);
    });
    results.appendChild(t);
  }

  document.getElementById("run").addEventListener("click", function () {
    status.className = "";
    status.textContent = "running…";
    var started = performance.now();
    var request;
    var accept = { Accept: "application/sparql-results+json, text/turtle;q=0.5" };
    if (chosen) {
      var search = new URLSearchParams();
      params.querySelectorAll("input").forEach(function (input) { if (input.value) { search.set(input.name, input.value); } });
      request = fetch("/api/queries/" + encodeURIComponent(chosen.name) + "?" + search.toString(), { headers: accept });
    } else {
      var body = new URLSearchParams();
      body.set("query", text.value);
      request = fetch("/sparql", { method: "POST", body: body, headers: accept });
    }
    request
      .then(function (r) {
        var type = r.headers.get("content-type") || "";
        if (!r.ok) { return r.text().then(function (m) { throw new Error(r.status + ": " + m); }); }
        if (type.indexOf("json") >= 0) { return r.json().then(function (d) { return { json: d }; }); }
        return r.text().then(function (t) { return { text: t }; });
      })
      .then(function (answer) {
        if (answer.json) {
          table(answer.json);
          var n = answer.json.results ? answer.json.results.bindings.length : 1;
          status.textContent = n + (n === 1 ? " row" : " rows") + " in " + Math.round(performance.now() - started) + " ms";
        } else {
          results.replaceChildren();
          var pre = document.createElement("pre");
          pre.textContent = answer.text;
          results.appendChild(pre);
          status.textContent = "done";
        }
      })
      .catch(function (error) { status.className = "error"; status.textContent = String(error.message || error); });
  });
})();
