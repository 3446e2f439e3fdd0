// Survey page: refreshes the progress numbers every 5 s while a push is pending or running.
// The URL and state come from data- attributes, the status labels from a JSON block (no inline
// script, so the CSP stays 'self').
(function () {
  var box = document.getElementById("survey-progress");
  if (!box || box.getAttribute("data-active") !== "true" || !window.fetch) return;
  var url = box.getAttribute("data-url");
  var labelsEl = document.getElementById("survey-progress-labels");
  var labels = labelsEl ? JSON.parse(labelsEl.textContent || "{}") : {};
  var keys = ["total", "pending", "sent", "delivered", "answered", "partial", "undeliverable"];
  function fill(row, p) {
    if (!row) return;
    keys.forEach(function (k) {
      var cell = row.querySelector('[data-k="' + k + '"]');
      if (cell && typeof p[k] === "number") cell.textContent = String(p[k]);
    });
    var st = row.querySelector('[data-k="status"]');
    if (st && p.status) st.textContent = labels[p.status] || p.status;
  }
  var timer = setInterval(function () {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        (data.pushes || []).forEach(function (p) {
          fill(box.querySelector('tr[data-push="' + p.id + '"]'), p);
        });
        fill(box.querySelector('tr[data-push="all"]'), data.overall || {});
        box.setAttribute("data-updated", String(Date.now()));
        if (!data.active) {
          clearInterval(timer);
          box.setAttribute("data-active", "false");
          var note = document.getElementById("refresh-note");
          if (note) note.hidden = true;
        }
      })
      .catch(function () {
        // Logged out or the server is away: stop rather than hammer it.
        clearInterval(timer);
      });
  }, 5000);
})();
