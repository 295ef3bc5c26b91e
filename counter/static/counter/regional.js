/* The regional dashboard: the table of sites rebuilt from /counter/api/regional every 15 s
   (plain polling: one request, however many sites, instead of a socket room per site). */
(function () {
  "use strict";
  var root = document.getElementById("regional");
  var text = JSON.parse(document.getElementById("regional-text").textContent);
  var el = Antre.el;
  var status = document.getElementById("regional-status");
  var PERIOD = 15000;

  function cell(value) { return el("td", { "class": "num", text: String(value) }); }

  function row(s) {
    var state = s.trouble
      ? el("td", { "class": "state" }, [el("strong", { text: "⚠ " + text.trouble })])
      : el("td", { "class": "state", text: "✓ " + text.ok });
    var link = el("a", { href: root.dataset.dashboard + "?site=" + encodeURIComponent(s.slug), text: s.name });
    var name = el("th", { scope: "row" }, [link, document.createTextNode(" "),
      el("span", { "class": "muted", text: s.kind_label + " · " + (s.open_now ? text.open_now : text.closed_now) })]);
    var reasons = el("ul", { "class": "reasons" }, s.reasons.map(function (r) { return el("li", { text: r.text }); }));
    return el("tr", { "class": s.trouble ? "trouble" : "calm", "data-site": s.slug }, [
      state, name, el("td", { text: s.zone }), cell(s.waiting), cell(s.serving), cell(s.served),
      cell(s.longest_wait_minutes), cell(s.counters_open), cell(s.kiosks.total), cell(s.kiosks.offline),
      cell(s.kiosks.printer_faults), el("td", {}, [reasons])
    ]);
  }

  function tiles(t) {
    var values = [t.sites, t.sites_in_trouble, t.waiting, t.serving, t.served, t.counters_open];
    var shown = document.querySelectorAll("#regional-tiles .tile");
    values.forEach(function (v, i) { shown[i].querySelector(".tile-value").textContent = String(v); });
    shown[1].classList.toggle("trouble", t.sites_in_trouble > 0);
  }

  async function refresh() {
    try {
      var data = await Antre.api.get(root.dataset.api);
      var body = document.getElementById("regional-sites");
      var rows = data.sites.map(row);
      if (!rows.length) { rows = [el("tr", {}, [el("td", { colspan: "12", text: text.none })])]; }
      body.replaceChildren.apply(body, rows);
      tiles(data.totals);
      status.textContent = text.updated + " " + new Date(data.now).toLocaleTimeString();
      status.className = "connection online";
    } catch (err) {
      status.textContent = text.lost;
      status.className = "connection offline";
    }
  }
  setInterval(refresh, PERIOD);
})();
