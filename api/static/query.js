// Wires the bundled YASGUI to /sparql and the example gallery (no inline script: CSP allows 'self' only).
(function () {
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") { return; }
  var yasgui = new Yasgui(el, {
    requestConfig: { endpoint: el.dataset.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    yasqe: { autocompleters: [] }
  });
  var form = document.getElementById("plain-query");
  if (form) { form.style.display = "none"; }
  function load(name) {
    var pre = document.querySelector('pre.example-query[data-name="' + name + '"]');
    if (!pre) { return; }
    var tab = yasgui.getTab();
    tab.setQuery(pre.textContent);
    tab.query();
  }
  document.querySelectorAll("a.example").forEach(function (a) {
    a.addEventListener("click", function (ev) { ev.preventDefault(); history.replaceState(null, "", "#" + a.dataset.name); load(a.dataset.name); });
  });
  if (location.hash.length > 1) { load(location.hash.slice(1)); }
  window.cbkgYasgui = yasgui;
})();
