/* The query page of `migkg serve`: YASGUI on this server's /sparql, plus the named queries
   (from /queries.json) as one-click examples. No network access beyond this server. */
(function () {
  "use strict";

  var endpoint = new URL("sparql", window.location.href).href;
  document.getElementById("endpoint").textContent = endpoint;

  // The "class" and "property" autocompleters ask the LOV web API; keep the offline ones.
  // (Yasgui merges array options index by index, so the defaults are replaced, not merged.)
  var completers = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.autocompleters = completers.slice();
  Yasgui.defaults.yasqe.autocompleters = completers.slice();
  Yasgui.defaults.yasqe.value = [
    "# Classes in the graph, by number of instances",
    "PREFIX mig: <https://w3id.org/migkg/ontology#>",
    "SELECT ?class (COUNT(?thing) AS ?instances) WHERE {",
    "  ?thing a ?class .",
    "}",
    "GROUP BY ?class",
    "ORDER BY DESC(?instances)",
  ].join("\n");
  Yasgui.defaults.endpointCatalogueOptions.getData = function () {
    return [{ endpoint: endpoint }];
  };

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // one saved state per server address, so another port never restores a stale endpoint
    persistenceId: "migkg-sparql-" + window.location.host,
  });

  // Bind each parameter the way `migkg query --param` does: a VALUES block right after the
  // first "WHERE {", holding the value as a string literal (JSON string escapes are valid
  // SPARQL string escapes, so a value cannot end the literal).
  function bind(text, values) {
    var names = Object.keys(values);
    if (!names.length) return text;
    var match = /\bWHERE\s*\{/i.exec(text);
    if (!match) return text;
    var end = match.index + match[0].length;
    var block = names.map(function (name) {
      return "VALUES ?" + name + "_param { " + JSON.stringify(values[name]) + " }";
    }).join("\n");
    return text.slice(0, end) + "\n" + block + "\n" + text.slice(end);
  }

  function tabNamed(name) {
    var tabs = yasgui._tabs || {};
    for (var id in tabs) {
      if (Object.prototype.hasOwnProperty.call(tabs, id) && tabs[id].getName() === name) {
        return tabs[id];
      }
    }
    return null;
  }

  function run(query, inputs) {
    var values = {};
    var missing = null;
    inputs.forEach(function (input) {
      var value = input.value.trim();
      input.classList.toggle("missing", !value);
      if (!value && !missing) missing = input;
      values[input.name] = value;
    });
    if (missing) {
      missing.focus();
      return;
    }
    var tab = tabNamed(query.name);
    if (tab) {
      yasgui.selectTabId(tab.getId());
    } else {
      tab = yasgui.addTab(true, { name: query.name });
    }
    tab.setEndpoint(endpoint);
    tab.setQuery(bind(query.text, values));
    tab.query().catch(function () { /* YASR shows the error */ });
  }

  function render(queries) {
    var list = document.getElementById("query-list");
    queries.forEach(function (query) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "query";
      button.textContent = query.name;
      button.title = "Load and run " + query.name;
      item.appendChild(button);
      var summary = document.createElement("span");
      summary.className = "summary";
      summary.textContent = query.summary;
      item.appendChild(summary);
      var inputs = query.params.map(function (param) {
        var label = document.createElement("label");
        label.textContent = param;
        var input = document.createElement("input");
        input.name = param;
        input.placeholder = "value for " + param;
        input.addEventListener("keydown", function (event) {
          if (event.key === "Enter") run(query, inputs);
        });
        label.appendChild(input);
        item.appendChild(label);
        return input;
      });
      button.addEventListener("click", function () { run(query, inputs); });
      list.appendChild(item);
    });
  }

  fetch("queries.json")
    .then(function (response) {
      if (!response.ok) throw new Error("queries.json: HTTP " + response.status);
      return response.json();
    })
    .then(render)
    .catch(function (error) {
      var box = document.getElementById("examples-error");
      box.textContent = "Could not load the named queries: " + error.message;
      box.hidden = false;
    });
}());
