// qawl network: a small force-directed layout on SVG (no library). Data from /api/network.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function start() {
    var box = document.getElementById("graph");
    if (!box) return;
    var params = new URLSearchParams();
    params.set("limit", box.getAttribute("data-limit") || "80");
    if (box.getAttribute("data-speaker")) params.set("speaker", box.getAttribute("data-speaker"));
    fetch("/api/network?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) { draw(box, data); })
      .catch(function (err) { box.textContent = String(err); });
  }

  function draw(box, data) {
    var W = box.clientWidth || 900, H = box.clientHeight || 600;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "network" }, box);
    var defs = el("defs", {}, svg);
    var mk = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7",
                            markerHeight: "7", orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#7b2cbf" }, mk);
    var gEdges = el("g", {}, svg), gNodes = el("g", {}, svg);

    var count = (data.nodes || []).length || 1;
    var nodes = (data.nodes || []).map(function (n, i) {
      // Golden-angle spiral filling the box (an ellipse): a deterministic, already spread start.
      var a = i * 2.39996, r = Math.sqrt((i + 0.5) / count) * 0.45;
      return { id: n.id, name: n.name || String(n.id), type: n.type || "PERSON", s: n.statements || 1,
               x: W / 2 + r * W * Math.cos(a), y: H / 2 + r * H * Math.sin(a), vx: 0, vy: 0, fixed: false };
    });
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var edges = (data.edges || []).filter(function (e) { return byId[e.source] && byId[e.target]; })
      .map(function (e) { return { s: byId[e.source], t: byId[e.target], kind: e.kind, w: e.weight || 1 }; });
    var maxS = nodes.reduce(function (m, n) { return Math.max(m, n.s); }, 1);
    nodes.forEach(function (n) { n.r = 4 + 14 * Math.sqrt(n.s / maxS); });
    var labelled = nodes.slice().sort(function (a, b) { return b.s - a.s; }).slice(0, 30);
    labelled.forEach(function (n) { n.label = true; });

    edges.forEach(function (e) {
      e.el = el("line", { class: "edge " + e.kind, "stroke-width": String(Math.min(1 + Math.log2(e.w), 5)) }, gEdges);
      if (e.kind === "addresses") e.el.setAttribute("marker-end", "url(#arrow)");
    });
    nodes.forEach(function (n) {
      n.g = el("g", { class: "node " + n.type, tabindex: "0" }, gNodes);
      el("circle", { r: String(n.r) }, n.g);
      var title = el("title", {}, n.g); title.textContent = n.name + " (" + n.s + ")";
      if (n.label) { var t = el("text", { x: "0", y: String(n.r + 12), "text-anchor": "middle" }, n.g); t.textContent = n.name; }
      n.g.addEventListener("keydown", function (ev) { if (ev.key === "Enter") go(n); });
    });
    function go(n) {
      // Addressees that are not speakers have no page; search for their name instead.
      if (String(n.id).indexOf("name:") === 0) location.href = "/search?q=" + encodeURIComponent(n.name);
      else location.href = "/speaker/" + encodeURIComponent(n.id);
    }

    // --- filters
    var fAddr = document.getElementById("n-addr"), fCo = document.getElementById("n-co");
    var fMin = document.getElementById("n-min"), fMinV = document.getElementById("n-min-v");
    var fName = document.getElementById("n-filter");
    var maxW = edges.reduce(function (m, e) { return Math.max(m, e.w); }, 1);
    if (fMin) fMin.max = String(Math.max(maxW, 2));
    function visible(e) {
      if (e.kind === "addresses" && fAddr && !fAddr.checked) return false;
      if (e.kind !== "addresses" && fCo && !fCo.checked) return false;
      return e.w >= (fMin ? +fMin.value : 1);
    }
    function applyFilters() {
      if (fMinV && fMin) fMinV.textContent = fMin.value;
      var q = fName ? fName.value.trim() : "";
      edges.forEach(function (e) { e.on = visible(e); e.el.style.display = e.on ? "" : "none"; });
      nodes.forEach(function (n) {
        var hit = q && n.name.indexOf(q) >= 0;
        n.g.classList.toggle("hit", !!hit);
        n.g.classList.toggle("dim", !!q && !hit);
      });
      edges.forEach(function (e) {
        e.el.classList.toggle("dim", !!q && e.s.name.indexOf(q) < 0 && e.t.name.indexOf(q) < 0);
      });
      heat = Math.max(heat, 0.3);
      if (!running) loop();
    }
    [fAddr, fCo, fMin, fName].forEach(function (f) { if (f) f.addEventListener("input", applyFilters); });

    // --- simulation
    var heat = 1, running = false;
    function tick() {
      var i, j, a, b, dx, dy, d2, d, f;
      for (i = 0; i < nodes.length; i++) {
        a = nodes[i];
        for (j = i + 1; j < nodes.length; j++) {
          b = nodes[j]; dx = a.x - b.x; dy = a.y - b.y; d2 = dx * dx + dy * dy + 0.01;
          if (d2 > 360000) continue;
          f = 4000 / d2; d = Math.sqrt(d2);
          a.vx += f * dx / d; a.vy += f * dy / d; b.vx -= f * dx / d; b.vy -= f * dy / d;
        }
      }
      edges.forEach(function (e) {
        if (!e.on) return;
        dx = e.t.x - e.s.x; dy = e.t.y - e.s.y; d = Math.sqrt(dx * dx + dy * dy) + 0.01;
        f = 0.015 * (d - 110) * Math.min(e.w, 4) / 2;
        e.s.vx += f * dx / d; e.s.vy += f * dy / d; e.t.vx -= f * dx / d; e.t.vy -= f * dy / d;
      });
      nodes.forEach(function (n) {
        n.vx += (W / 2 - n.x) * 0.0007; n.vy += (H / 2 - n.y) * 0.004;
        if (!n.fixed) {
          n.x += Math.max(-20, Math.min(20, n.vx * heat)); n.y += Math.max(-20, Math.min(20, n.vy * heat));
          n.x = Math.max(n.r, Math.min(W - n.r, n.x)); n.y = Math.max(n.r, Math.min(H - n.r, n.y));
        }
        n.vx *= 0.5; n.vy *= 0.5;
      });
      heat *= 0.985;
    }
    function paint() {
      edges.forEach(function (e) {
        if (!e.on) return;
        var dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
        e.el.setAttribute("x1", e.s.x.toFixed(1)); e.el.setAttribute("y1", e.s.y.toFixed(1));
        e.el.setAttribute("x2", (e.t.x - dx / d * (e.t.r + 2)).toFixed(1));
        e.el.setAttribute("y2", (e.t.y - dy / d * (e.t.r + 2)).toFixed(1));
      });
      nodes.forEach(function (n) { n.g.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
    }
    function loop() {
      running = true;
      for (var k = 0; k < 3; k++) tick();
      paint();
      if (heat > 0.02) requestAnimationFrame(loop); else running = false;
    }

    // --- dragging and clicking
    var drag = null, moved = false;
    function pt(ev) {
      var r = svg.getBoundingClientRect();
      return { x: (ev.clientX - r.left) * W / r.width, y: (ev.clientY - r.top) * H / r.height };
    }
    nodes.forEach(function (n) {
      n.g.addEventListener("pointerdown", function (ev) {
        drag = n; moved = false; n.fixed = true; n.g.setPointerCapture(ev.pointerId);
      });
      n.g.addEventListener("pointermove", function (ev) {
        if (drag !== n) return;
        var p = pt(ev); n.x = p.x; n.y = p.y; moved = true; heat = Math.max(heat, 0.2);
        if (!running) loop(); else paint();
      });
      n.g.addEventListener("pointerup", function () {
        if (drag === n && !moved) go(n);
        drag = null;
      });
    });

    applyFilters();
    box.setAttribute("data-ready", String(nodes.length));
  }

  document.addEventListener("DOMContentLoaded", start);
})();
