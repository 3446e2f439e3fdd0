// A dependency-free API reference rendered from /api/openapi.json.
(function () {
  var root = document.getElementById("docs");
  fetch("/api/openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
    var html = "";
    Object.keys(doc.paths).forEach(function (p) {
      Object.keys(doc.paths[p]).forEach(function (m) {
        var op = doc.paths[p][m];
        html += '<div class="card"><h2><span class="badge">' + m.toUpperCase() + "</span> " + p + "</h2><p>" + (op.summary || "") + "</p>";
        (op.parameters || []).forEach(function (x) {
          html += "<div><code>" + x.in + " " + x.name + "</code>" + (x.required ? " *" : "") + " — " + (x.description || (x.schema && (x.schema.enum ? x.schema.enum.join(" | ") : x.schema.type)) || "") + "</div>";
        });
        if (op.requestBody) html += "<details><summary>body</summary><pre>" + JSON.stringify(op.requestBody.content["application/json"].schema, null, 2) + "</pre></details>";
        html += "<div>→ " + Object.keys(op.responses).join(", ") + "</div></div>";
      });
    });
    html += '<h2>Schemas</h2><pre>' + JSON.stringify(doc.components.schemas, null, 2).replace(/</g, "&lt;") + "</pre>";
    root.innerHTML = html;
  });
})();
