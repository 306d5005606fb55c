// Aduan desk: live updates. The pages work without this file; with it, a change made on a
// phone (or another desk) refreshes the inbox, or the complaint page being read.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  if (!status || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var en = document.documentElement.lang === "en";
  var kind = status.getAttribute("data-live");
  var complaint = status.getAttribute("data-complaint");
  var busy = false;

  function typing() {
    // Never throw away what someone is typing: offer the refresh instead.
    var fields = document.querySelectorAll("main form.action textarea, main form.action input[type=file], main form.action input[type=text]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value) return true;
    }
    var a = document.activeElement;
    return !!(a && a.closest && a.closest("main form.action"));
  }

  function say(text) {
    var s = document.getElementById("live-status");
    if (s) s.textContent = text;
  }

  function refresh(selector) {
    if (busy) return;
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(selector);
        var old = document.querySelector(selector);
        if (fresh && old) old.innerHTML = fresh.innerHTML;
        say(en ? "Updated just now." : "Baru saja diperbarui.");
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  var source = new EventSource("/desk/events");
  function changed(ids) {
    if (kind === "inbox") {
      refresh("#inbox-rows");
    } else if (kind === "complaint" && (!ids || ids.indexOf(complaint) >= 0)) {
      if (typing()) {
        say(en ? "This report changed elsewhere; reload the page to see it." : "Laporan ini berubah di tempat lain; muat ulang halaman untuk melihatnya.");
      } else {
        refresh("main");
      }
    }
  }
  source.addEventListener("changed", function (e) {
    var ids = null;
    try { ids = JSON.parse(e.data).complaints; } catch (err) { ids = null; }
    changed(ids);
  });
  source.addEventListener("resync", function () { changed(null); });
})();
