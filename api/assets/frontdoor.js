// The residents' filing form (api/frontdoor): a live category/emergency suggestion from the same
// understanding rules as the bot (/r/suggest), and photos shrunk in the browser before upload.
// Without this script the forms still post as they are.
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var text = document.getElementById("description");
  var out = document.getElementById("suggestion");
  var emergency = document.getElementById("emergency");
  var timer = null;
  var asked = "";
  function pick(name, value) {
    var el = document.querySelector('input[name="' + name + '"][value="' + value + '"]');
    if (el && !el.dataset.touched) el.checked = true;
  }
  function suggest() {
    var v = text.value.trim();
    if (v.length < 2 || v === asked) return;
    asked = v;
    fetch("/r/suggest?text=" + encodeURIComponent(v.slice(0, 2000)), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s || v !== asked) return;
        out.textContent = s.label ? out.dataset.label + ": " + s.label : "";
        emergency.hidden = !s.emergency;
        if (s.category) pick("category", s.category);
        if (s.kind) pick("kind", s.kind);
        if (s.emergency) document.getElementById("urgent").checked = true;
      })
      .catch(function () {});
  }
  if (text) {
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(suggest, 400);
    });
    // A chip the resident tapped is theirs: suggestions no longer move it.
    document.querySelectorAll(".chip input").forEach(function (el) {
      el.addEventListener("change", function () {
        document.querySelectorAll('input[name="' + el.name + '"]').forEach(function (x) { x.dataset.touched = "1"; });
      });
    });
  }

  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png)$/.test(file.type) || !window.createImageBitmap) return resolve(file);
      createImageBitmap(file).then(function (img) {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
        if (scale === 1 && file.size < 600000) return resolve(file);
        var c = document.createElement("canvas");
        c.width = Math.round(img.width * scale);
        c.height = Math.round(img.height * scale);
        c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
        c.toBlob(function (b) { resolve(b ? new File([b], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file); }, "image/jpeg", 0.82);
      }, function () { resolve(file); });
    });
  }

  document.querySelectorAll("form[enctype='multipart/form-data']").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files || input.files.length === 0 || !window.fetch || !window.FormData) return;
      e.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      var data = new FormData(form);
      data.delete("photos");
      Promise.all(Array.prototype.map.call(input.files, shrink))
        .then(function (files) {
          files.forEach(function (f) { data.append("photos", f, f.name); });
          return fetch(form.action, { method: "POST", body: data, credentials: "same-origin" });
        })
        .then(function (r) {
          if (r.redirected) { location.href = r.url; return; }
          return r.text().then(function (html) { document.open(); document.write(html); document.close(); });
        })
        .catch(function () { if (button) button.disabled = false; form.submit(); });
    });
  });
})();

// Opened as a Telegram Mini App (/r/app): Telegram's signed launch data is in the hash; the server
// checks it and signs the resident in.
(function () {
  "use strict";
  if (location.pathname !== "/r/app") return;
  var data = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
  var say = document.getElementById("message");
  fetch("/r/tg", { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" }, body: JSON.stringify({ initData: data || "" }) })
    .then(function (r) { return r.json(); })
    .then(function (j) {
      if (j.ok) location.replace(j.next);
      else if (say) say.textContent = j.message;
    })
    .catch(function () {});
})();
