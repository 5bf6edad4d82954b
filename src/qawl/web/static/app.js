// qawl: link highlights in the article text to the statement list (no framework, no inline code).
(function () {
  "use strict";
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function select(aid, scroll) {
    $all(".h.active, .att.active").forEach(function (el) { el.classList.remove("active"); });
    if (!aid) return;
    $all(".h[data-a]").forEach(function (el) {
      if (el.getAttribute("data-a").split(" ").indexOf(aid) >= 0) el.classList.add("active");
    });
    var li = document.getElementById("att-" + aid);
    if (li) {
      li.classList.add("active");
      var d = li.querySelector("details");
      if (d) d.open = true;
      if (scroll) li.scrollIntoView({ block: "nearest" });
    }
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;
    var h = t.closest(".text [data-a]");
    if (h) {
      // The innermost statement is listed first in data-a.
      var aid = h.getAttribute("data-a").split(" ")[0];
      select(aid, true);
      if (history.replaceState) history.replaceState(null, "", "#att-" + aid);
      return;
    }
    var s = t.closest(".att summary");
    if (s) {
      var li2 = s.closest(".att");
      var aid2 = li2 && li2.getAttribute("data-a");
      var first = null;
      $all(".text [data-a]").some(function (el) {
        if (el.getAttribute("data-a").split(" ").indexOf(aid2) >= 0) { first = el; return true; }
        return false;
      });
      setTimeout(function () { select(aid2, false); if (first) first.scrollIntoView({ block: "center" }); }, 0);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var m = /^#att-(.+)$/.exec(location.hash || "");
    if (m) select(decodeURIComponent(m[1]), true);
    var r = /^#r-(\d+)$/.exec(location.hash || "");
    if (r) {
      var li = document.querySelector('.att[data-r="' + r[1] + '"]');
      if (li) select(li.getAttribute("data-a"), true);
    }
  });
})();
