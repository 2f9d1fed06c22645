// Refreshes the progress of a newsletter being sent, from its JSON endpoint. The page reads
// right without it (the numbers are rendered on the server; "Oppdater" reloads).
(function () {
  "use strict";
  var section = document.getElementById("newsletter-progress");
  if (!section || !window.fetch) return;
  var url = section.getAttribute("data-progress-url");
  var bar = section.querySelector("progress");
  function set(name, value) {
    var el = section.querySelector('[data-count="' + name + '"]');
    if (el) el.textContent = value;
  }
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        set("sent", data.sent);
        set("failed", data.failed);
        set("remaining", data.remaining);
        set("minutes_left", Math.ceil(data.seconds_left / 60));
        if (bar) {
          bar.max = data.total;
          bar.value = data.sent + data.failed;
        }
        if (data.status === "sending") window.setTimeout(tick, 3000);
      })
      .catch(function () { window.setTimeout(tick, 10000); });
  }
  window.setTimeout(tick, 3000);
})();
