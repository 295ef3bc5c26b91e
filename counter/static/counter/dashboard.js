/* Supervisors' dashboard: figures from /counter/api/dashboard, refreshed (at most every 2 s)
   when the agency rooms report a change, and every 30 s for the kiosks' health. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  var text = JSON.parse(document.getElementById("dashboard-text").textContent);
  var agencyIds = root.dataset.agencies ? root.dataset.agencies.split(",").map(Number) : [];
  var timer = null;

  function $(id) { return document.getElementById(id); }
  var el = Antre.el;
  function tile(label, value) {
    return el("div", { "class": "tile" }, [el("span", { "class": "tile-value", text: String(value) }), el("span", { text: label })]);
  }
  function table(headers, rows) {
    var head = el("tr", {}, headers.map(function (h) { return el("th", { text: h }); }));
    var body = rows.map(function (r) {
      return el("tr", {}, r.map(function (c) {
        if (c instanceof Node) { return el("td", {}, [c]); }
        return el("td", { text: c === null || c === undefined ? "–" : String(c) });
      }));
    });
    return el("table", { "class": "list" }, [el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  // The longest wait against the service's target: an icon and words as well as the colour.
  function targetCell(s) {
    if (!s.wait_state) { return null; }
    var mark = { ok: "\u2713 ", amber: "\u26a0 ", red: "\u2716 " }[s.wait_state];
    return el("span", { "class": "target target-" + s.wait_state, text: mark + text.target_state[s.wait_state] });
  }

  function agencyCard(a) {
    var t = a.totals;
    return el("section", { "class": "card agency", "data-agency": a.id }, [
      el("h2", { text: a.short_name + " — " + a.name }),
      el("div", { "class": "tiles" }, [tile(text.waiting, t.waiting), tile(text.longest, t.longest_wait_minutes),
        tile(text.past_target, t.past_target), tile(text.served, t.served), tile(text.no_shows, t.no_shows)]),
      table([text.service, text.waiting, text.longest, text.target, text.target_status, text.past_target, text.served, text.no_shows],
        a.services.map(function (s) {
          return [s.prefix + " " + s.name, s.waiting, s.longest_wait_minutes, s.wait_target_minutes, targetCell(s), s.past_target, s.served, s.no_shows];
        })),
      table([text.counter, text.state, text.clerk, text.current],
        a.counters.map(function (c) {
          return [c.number + " · " + c.name, (text.counter_status[c.status] || c.status) + (c.pause_reason ? " — " + c.pause_reason : ""), c.clerk, c.current];
        })),
      el("p", { text: text.on_duty + ": " + (a.clerks_on_duty.join(", ") || text.none) })
    ]);
  }

  // The printer's technical words (English, from its driver): folded away behind a label.
  function detailCell(detail) {
    if (!detail) { return el("td", {}); }
    return el("td", {}, [el("details", {}, [el("summary", { text: text.detail }), el("code", { text: detail })])]);
  }

  async function refresh() {
    timer = null;
    var data = await Antre.api.get(root.dataset.api);
    if (data.site) {
      $("mall").hidden = false;
      $("mall-tiles").replaceChildren(tile(text.waiting, data.site.waiting), tile(text.longest, data.site.longest_wait_minutes),
        tile(text.past_target, data.site.past_target), tile(text.served, data.site.served), tile(text.no_shows, data.site.no_shows),
        tile(text.open, data.site.counters_open));
    }
    $("agencies").replaceChildren.apply($("agencies"), data.agencies.map(agencyCard));
    $("kiosks").replaceChildren.apply($("kiosks"), data.kiosks.map(function (k) {
      return el("tr", { "class": k.online ? "" : "offline-row" }, [el("td", { text: k.name }), el("td", { text: k.online ? text.yes : text.no }),
        el("td", { text: text.printer_state[k.printer_state] || k.printer_state }), detailCell(k.printer_detail)]);
    }));
    var failed = data.failed_prints.map(function (t) { return el("li", { text: t.number + " · " + t.service.name }); });
    if (!failed.length) { failed = [el("li", { text: text.none })]; }
    $("failed-prints").replaceChildren.apply($("failed-prints"), failed);
  }
  function soon() { if (!timer) { timer = setTimeout(refresh, 2000); } }

  var socket = io("/counter", { path: Antre.socketPath(), transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    $("connection").textContent = text.online;
    $("connection").className = "connection online";
    agencyIds.forEach(function (id) { socket.emit("join", { agency_id: id }); });
    refresh();
  });
  socket.on("disconnect", function (reason) {
    $("connection").textContent = text.offline;
    $("connection").className = "connection offline";
    // Dropped by the server (sessions revoked, account changed): the reload leads to sign-in.
    if (reason === "io server disconnect") { window.location.reload(); }
  });
  socket.on("session.revoked", function () { window.location.reload(); });
  socket.on("ticket.changed", soon);
  socket.on("counter.changed", soon);
  setInterval(refresh, 30000);
})();
