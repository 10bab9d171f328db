// Wires the bundled YASGUI to /sparql, the example gallery (permalinks /query?example=NAME), shareable
// query URLs (/query?sparql=… runs the query; not ?query=, which YASGUI reads itself) and a bar/line chart of the results (no inline script: the CSP
// allows 'self' only).
(function () {
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: el.dataset.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    yasqe: { autocompleters: [] }
  });
  function labelControls() {  // YASGUI's own inputs have no accessible name
    el.querySelectorAll(".CodeMirror textarea").forEach(function (t) { t.setAttribute("aria-label", "SPARQL query"); });
    el.querySelectorAll("input.autocomplete").forEach(function (t) { t.setAttribute("aria-label", "SPARQL endpoint"); });
    el.querySelectorAll("input:not([aria-label]):not([id])").forEach(function (t) { t.setAttribute("aria-label", t.placeholder || t.type); });
  }
  labelControls();
  setTimeout(labelControls, 500);
  var form = document.getElementById("plain-query");
  if (form) { form.style.display = "none"; }
  var params = new URLSearchParams(location.search);
  function tab() { return yasgui.getTab(); }
  function compact() {  // typed cells as values ("2024", not "2024"^^xsd:gYear): the table's simple view
    var y = tab().getYasr();
    if (y && y.plugins && y.plugins.table && y.plugins.table.persistentConfig) {
      y.plugins.table.persistentConfig.compact = true;
    }
  }
  function run(text) { var t = tab(); compact(); t.setQuery(text); t.query(); }
  function load(name) {
    var pre = document.querySelector('pre.example-query[data-name="' + name + '"]');
    if (!pre) { return; }
    run(pre.textContent);
  }
  function share(text) {
    var url = location.pathname + "?sparql=" + encodeURIComponent(text);
    if (url.length < 8000) { history.replaceState(null, "", url); }
    var a = document.getElementById("share-link");
    if (a) { a.href = url; a.hidden = false; }
  }
  document.querySelectorAll("a.example").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      history.replaceState(null, "", "?example=" + a.dataset.name);
      load(a.dataset.name);
    });
  });
  var prefixButton = document.getElementById("insert-prefixes");
  if (prefixButton) {
    prefixButton.hidden = false;
    prefixButton.addEventListener("click", function () {
      var t = tab();
      t.setQuery(document.getElementById("prefixes").textContent + t.getQuery());
    });
  }
  // ---- chart of the results: first text column as labels, numeric columns as series
  var chartBox = document.getElementById("chart");
  var kind = "none";
  document.querySelectorAll("button.chart-kind").forEach(function (b) {
    b.addEventListener("click", function () { kind = b.dataset.kind; draw(); });
  });
  function numeric(v) {
    return v && v.type !== "uri" && v.value !== "" && !isNaN(Number(v.value)) && !/(gYear|date|dateTime|string)$/.test(v.datatype || "");
  }
  function draw() {
    if (!chartBox) { return; }
    chartBox.textContent = "";
    var yasr = tab().getYasr();
    if (kind === "none" || !yasr || !yasr.results || !yasr.results.getBindings) { return; }
    var rows = yasr.results.getBindings() || [];
    var vars = yasr.results.getVariables() || [];
    if (!rows.length) { return; }
    var labelVar = vars.find(function (v) { return rows[0][v] && !numeric(rows[0][v]); }) || vars[0];
    var series = vars.filter(function (v) { return v !== labelVar && rows.every(function (r) { return !r[v] || numeric(r[v]); }) && rows.some(function (r) { return r[v]; }); }).slice(0, 4);
    if (!series.length) { chartBox.textContent = "No numeric column to chart."; return; }
    rows = rows.slice(0, 60);
    var max = 0;
    rows.forEach(function (r) { series.forEach(function (s) { if (r[s]) { max = Math.max(max, Number(r[s].value)); } }); });
    max = max || 1;
    var W = 900, H = 280, L = 90, B = 70, colours = ["#2b6cb0", "#2f855a", "#b7791f", "#6b46c1"];
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + (H + B));
    svg.setAttribute("class", "result-chart");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", kind + " chart of " + series.join(", ") + " by " + labelVar);
    function add(tag, attrs, text) {
      var e = document.createElementNS(ns, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text !== undefined) { e.textContent = text; }
      svg.appendChild(e); return e;
    }
    for (var k = 0; k <= 4; k++) {
      var yv = max * k / 4, yy = H - (H - 10) * k / 4;
      add("line", { x1: L, x2: W - 10, y1: yy, y2: yy, stroke: "#e2e8f0" });
      add("text", { x: L - 6, y: yy + 4, "text-anchor": "end", "font-size": 11, fill: "#4a5568" }, Number(yv.toPrecision(3)).toLocaleString());
    }
    var group = (W - L - 10) / rows.length;
    series.forEach(function (s, j) {
      var pts = [];
      rows.forEach(function (r, i) {
        if (!r[s]) { return; }
        var v = Number(r[s].value), h = (H - 10) * Math.max(v, 0) / max;
        if (kind === "bar") {
          var bw = group / (series.length + 1);
          var rect = add("rect", { x: L + i * group + bw / 2 + j * bw, y: H - h, width: bw * 0.9, height: h, fill: colours[j] });
          var title = document.createElementNS(ns, "title"); title.textContent = (r[labelVar] ? r[labelVar].value : "") + " " + s + ": " + v.toLocaleString(); rect.appendChild(title);
        } else { pts.push((L + i * group + group / 2) + "," + (H - h)); }
      });
      if (kind === "line") { add("polyline", { points: pts.join(" "), fill: "none", stroke: colours[j], "stroke-width": 2 }); }
      add("text", { x: L + j * 160, y: H + B - 8, "font-size": 12, fill: colours[j] }, "■ " + s);
    });
    var every = Math.ceil(rows.length / 20);
    rows.forEach(function (r, i) {
      if (i % every) { return; }
      var lab = r[labelVar] ? r[labelVar].value.replace(/^.*[\/#]/, "") : "";
      add("text", { x: L + i * group + group / 2, y: H + 14, "font-size": 11, "text-anchor": "middle", fill: "#1a202c" }, lab.slice(0, 14));
    });
    add("line", { x1: L, x2: W - 10, y1: H, y2: H, stroke: "#4a5568" });
    chartBox.appendChild(svg);
  }
  yasgui.on("query", function (y, t) { share(t.getQuery()); });
  yasgui.on("query", compact);
  yasgui.on("queryResponse", function () { setTimeout(draw, 50); setTimeout(labelControls, 60); });
  if (params.get("sparql")) { run(params.get("sparql")); }
  else if (params.get("example")) { load(params.get("example")); }
  else if (location.hash.length > 1) { load(location.hash.slice(1)); }
  window.cbkgYasgui = yasgui;
})();
