/* The kiosk: home (agencies) -> services -> priority -> ticket, and home -> booking code ->
   ticket (check-in of an online booking): its screens, their rendering, the API calls and the
   socket. Plain JS, no build step. Last of the kiosk's scripts: dialogs.js (dialogs, idle
   timers), pages.js (paging of the lists) and checkin.js (the booking code) come first and
   share window.AntreKiosk with it.
   Live figures come over Socket.IO (/kiosk), kept in step by Antre.stream (antre.js): a gap in
   a room's sequence numbers, an unknown room or a reconnect reloads them. */
(function () {
  "use strict";

  var K = window.AntreKiosk;
  var root = K.root, S = K.S, $ = K.$, fill = K.fill, TIMES = K.TIMES;
  var openDialog = K.openDialog, closeDialog = K.closeDialog, resetIdle = K.resetIdle;
  var renderPaged = K.renderPaged, focusedKey = K.focusedKey, refocus = K.refocus;
  var live = null;
  var state = K.state = {
    services: [], agencyId: null, service: null, key: null, screen: "home", busy: false,
    code: "", typed: "", typedAt: 0, lateServiceId: null, page: { agency: 0, service: 0 }
  };
  /* "about 0 min" reads as a promise of no wait at all. */
  function eta(minutes) { return minutes < 1 ? S.eta_soon : fill(S.eta, minutes); }
  function make(tag, className, text) { return Antre.el(tag, { "class": className, text: text }); }

  /* WCAG contrast: white or near-black text, whichever reads better on the agency colour. */
  function luminance(hex) {
    var m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
    if (!m) { return 0.1; }
    var rgb = [0, 2, 4].map(function (i) {
      var c = parseInt(m[1].substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  function textOn(hex) {
    var l = luminance(hex);
    var onWhite = 1.05 / (l + 0.05);          /* contrast of white text */
    var onDark = (l + 0.05) / (0.0089 + 0.05); /* contrast of #0f172a text */
    return onWhite >= onDark ? "#ffffff" : "#0f172a";
  }

  /* ---------- screens ---------- */
  function show(name) {
    state.screen = name;
    document.querySelectorAll(".screen").forEach(function (s) {
      s.hidden = s.getAttribute("data-screen") !== name;
    });
    $("nav-back").disabled = name === "home";
    $("kiosk").setAttribute("data-current", name);
    closeDialog($("standard"));
    closeDialog($("more-time"));
  }
  /* After a change of screen, focus its heading (the ticket card on the ticket screen), so a
     keyboard or screen reader user starts there instead of at the top of the page. */
  function focusScreen() {
    var screen = document.querySelector('.screen[data-screen="' + state.screen + '"]');
    (state.screen === "ticket" ? $("ticket-card") : screen.querySelector(".screen-title")).focus();
  }
  function goHome() {
    K.stopCountdown();
    state.agencyId = null;
    state.service = null;
    state.choice = {};
    state.key = null;
    state.code = "";
    state.page.agency = 0;
    closeDialog($("late-offer"));
    closeDialog($("notice"));
    closeDialog($("notify"));
    show("home");
    renderHome();
    focusScreen();
  }
  function goBack() {
    if (K.choices.back()) { return; } /* back through the doctor and payer choices */
    var chosen = state.screen === "priority" || state.screen === "doctor" || state.screen === "payer";
    if (chosen && state.agencyId === null) { goHome(); }
    else if (chosen) { show("services"); renderServices(); focusScreen(); }
    else { goHome(); }
  }

  function agencies() {
    var seen = {}, list = [];
    state.services.forEach(function (s) {
      var a = seen[s.agency.id];
      if (!a) {
        a = seen[s.agency.id] = { agency: s.agency, waiting: 0, services: [], open: false, reasons: [] };
        list.push(a);
      }
      a.waiting += s.waiting;
      a.services.push(s);
      a.open = a.open || s.open;
      var reason = s.closed_reason ? s.closed_reason.message : S.closed;
      if (!s.open && a.reasons.indexOf(reason) < 0) { a.reasons.push(reason); }
    });
    return list;
  }

  function renderHome() {
    var box = $("agency-tiles");
    var list = agencies();
    var tiles = [];
    var key = focusedKey(box);
    $("kiosk-empty").hidden = list.length > 0;
    list.forEach(function (entry) {
      var a = entry.agency;
      var tile = make("button", "tile" + (entry.open ? "" : " tile-closed"));
      tile.type = "button";
      tile.setAttribute("data-agency", a.id);
      tile.setAttribute("data-focus-key", "agency-" + a.id);
      tile.style.backgroundColor = a.colour;
      tile.style.color = textOn(a.colour);
      var head = make("span", "tile-head");
      if (a.logo_url) {
        var img = make("img", "tile-logo");
        img.src = a.logo_url;
        img.alt = "";
        head.appendChild(img);
      } else {
        /* a picture for the eye; the short name next to it says the same to a screen reader */
        var badge = make("span", "tile-badge", a.short_name.slice(0, 3).toUpperCase());
        badge.setAttribute("aria-hidden", "true");
        head.appendChild(badge);
      }
      head.appendChild(make("span", "tile-short", a.short_name));
      tile.appendChild(head);
      tile.appendChild(make("span", "tile-name", a.name));
      /* A closed agency says why (the services' one reason, e.g. its hours), not "0 waiting". */
      tile.appendChild(entry.open ? make("span", "tile-waiting", fill(S.waiting, entry.waiting))
        : make("span", "tile-waiting tile-reason",
               S.agency_closed + (entry.reasons.length === 1 ? " · " + entry.reasons[0] : "")));
      tile.addEventListener("click", function () { openAgency(a.id); });
      var item = make("li", "tile-item");
      item.appendChild(tile);
      tiles.push(item);
    });
    renderPaged("agency", box, tiles);
    refocus(box, key);
  }

  function openAgency(agencyId) {
    state.agencyId = agencyId;
    state.page.service = 0;
    show("services");
    renderServices();
    focusScreen();
  }

  function renderServices() {
    var box = $("service-list");
    var rows = [];
    var key = focusedKey(box);
    var entry = agencies().filter(function (e) { return e.agency.id === state.agencyId; })[0];
    if (!entry) { goHome(); return; }
    $("services-title").textContent = entry.agency.name;
    entry.services.forEach(function (s) {
      var row = make("div", "service" + (s.open ? "" : " closed"));
      row.setAttribute("role", "listitem");
      var take = make("button", "service-take");
      take.type = "button";
      take.setAttribute("data-service", s.id);
      take.setAttribute("data-focus-key", "take-" + s.id);
      take.setAttribute("aria-disabled", s.open ? "false" : "true");
      take.appendChild(make("span", "service-name", s.name));
      var meta = fill(S.waiting, s.waiting) + " · " + eta(s.eta_minutes);
      if (s.quota_left !== null && s.open) { meta += " · " + fill(S.quota, s.quota_left); }
      take.appendChild(make("span", "service-meta", meta));
      if (!s.open) {
        take.appendChild(make("span", "service-reason",
          s.closed_reason ? s.closed_reason.message : S.closed));
      }
      take.addEventListener("click", function () { if (s.open) { K.choices.open(s); } });
      var info = make("button", "service-info", S.requirements);
      info.type = "button";
      info.setAttribute("data-focus-key", "info-" + s.id);
      info.addEventListener("click", function () { openStandard(s); });
      row.appendChild(take);
      row.appendChild(info);
      rows.push(row);
    });
    renderPaged("service", box, rows);
    refocus(box, key);
  }

  function openStandard(s) {
    $("standard-title").textContent = s.name;
    $("standard-requirements").textContent = s.standard.requirements || "-";
    $("standard-procedure").textContent = s.standard.procedure || "-";
    $("standard-duration").textContent = s.standard.duration || "-";
    $("standard-cost").textContent = s.standard.cost || "-";
    openDialog($("standard"));
    resetIdle(); /* reading takes longer */
  }

  function newKey() {
    /* crypto.getRandomValues works on plain http too (randomUUID needs a secure context). */
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function openPriority(s) {
    state.service = s;
    state.key = newKey(); /* one key for this choice: a double tap reuses it */
    var doctor = (state.choice || {}).doctor;
    $("priority-service").textContent = s.agency.short_name + " · " + s.name +
      (doctor ? " · " + doctor.name : "");
    show("priority");
    focusScreen();
  }

  /* ---------- taking a ticket ---------- */
  function notice(text) {
    $("notice-text").textContent = text;
    openDialog($("notice"), "notice-close");
  }

  /* A network failure sends the same key again (Antre.send retries twice): if the first request
     got through, the server returns its ticket. */
  function take(priority) {
    if (!state.service || state.busy) { return; }
    state.busy = true;
    $("busy").hidden = false;
    var body = Object.assign({ service_id: state.service.id, priority: priority,
                               idempotency_key: state.key }, K.choices.fields());
    Antre.send("POST", root.getAttribute("data-tickets-url"), body, function (status, answer) {
      state.busy = false;
      $("busy").hidden = true;
      if (status === 200 || status === 201) { showTicket(answer); return; }
      loadServices();
      goHome();
      notice(answer.message || S.offline);  /* a full doctor's session: its 409 says so */
    }, function () {
      state.busy = false;
      $("busy").hidden = true;
      notice(S.offline);
    });
  }

  function showTicket(body) {
    var t = body.ticket;
    $("ticket-number").textContent = t.number;
    /* The priority group and "Booking", as on the paper, the phone and the TV. */
    var tag = [];
    if (t.priority_label) { tag.push(t.priority_label[document.documentElement.lang] || t.priority_label.id); }
    if (t.booked) { tag.push(S.booking); }
    $("ticket-tag").textContent = tag.join(" · ");
    $("ticket-tag").hidden = !tag.length;
    $("ticket-service").textContent = t.agency + " · " + t.service;
    /* A poli chosen for later: the ticket queues first elsewhere (registration) and says so. */
    var planned = t.planned;
    $("ticket-goto").hidden = !planned;
    $("ticket-goto").textContent = planned ? fill(S.go_to, t.service) : "";
    $("ticket-planned").hidden = !planned;
    $("ticket-planned").textContent = !planned ? "" : fill(S.then_to, planned.service) +
      (planned.doctor ? " · " + planned.doctor + " " + planned.session.replace(/:/g, ".") : "");
    $("ticket-ahead").textContent = t.people_ahead;
    $("ticket-eta").textContent = t.eta_minutes;
    $("ticket-wait").hidden = t.eta_minutes < 1;
    $("ticket-wait-soon").hidden = t.eta_minutes >= 1;
    $("ticket-qr").src = t.qr_url;
    $("ticket-booked").hidden = t.source !== "booking";
    var printNote = $("ticket-print");
    printNote.hidden = body.print.ok || !body.print.error;
    printNote.textContent = body.print.error || "";
    state.key = null;
    show("ticket");
    focusScreen();
    K.notify.offer(t); /* the optional WhatsApp opt-in (notify.js), never before the ticket */
    /* A citizen who must photograph the ticket gets twice as long; "Done" ends it earlier. */
    K.countdown($("ticket-countdown"), body.print.ok ? TIMES.ticket : 2 * TIMES.ticket, goHome);
  }

  /* ---------- live figures ---------- */
  /* On a failure what is shown stays; the next event or the timer retries. */
  function fetchServices(done, fail) {
    Antre.getJSON(root.getAttribute("data-services-url"), function (data) {
      if (data.services) { done(data); } else { fail(); }
    }, fail);
  }
  function applyServices(data) {
    state.services = data.services;
    if (state.screen === "home") { renderHome(); }
    if (state.screen === "services") { renderServices(); }
    K.choices.refresh(data.services);
  }
  function loadServices() { live.resync(); }

  function onQueueChanged(msg) {
    var s = state.services.filter(function (x) { return x.id === msg.service_id; })[0];
    if (!s) { return; }
    var reasonChanged = s.open !== msg.open ||
      (s.closed_reason ? s.closed_reason.code : null) !== (msg.closed_reason ? msg.closed_reason.code : null);
    s.waiting = msg.waiting;
    s.eta_minutes = msg.eta_minutes;
    s.quota_left = msg.quota_left;
    if (reasonChanged) { loadServices(); return; } /* the server words the reason */
    if (state.screen === "home") { renderHome(); }
    if (state.screen === "services") { renderServices(); }
  }

  function onEvent(name, msg) {
    if (name === "queue.changed") { onQueueChanged(msg); } else { loadServices(); } /* config */
  }

  function connect() {
    live = Antre.stream({
      socket: typeof io === "undefined" ? null : io("/kiosk", { path: Antre.socketPath() }),
      events: ["queue.changed", "config.changed"],
      join: {},
      snapshot: fetchServices,
      onSnapshot: applyServices,
      onEvent: onEvent
    });
  }

  /* ---------- clock, idle, heartbeat ---------- */
  function tick() {
    var clock = Antre.siteClock(Date.now(), Number(root.getAttribute("data-utc-offset")),
                                document.documentElement.lang);
    $("kiosk-date").textContent = clock.date;
    $("kiosk-clock").textContent = clock.time + " " + root.getAttribute("data-zone");
  }
  function heartbeat() {
    Antre.send("POST", root.getAttribute("data-heartbeat-url"), null,
               function () {}, function () {}, { retries: 0 });
  }

  /* ---------- wiring ---------- */
  /* what dialogs.js, pages.js and checkin.js call back when their events fire */
  K.focusScreen = focusScreen;
  K.goHome = goHome;
  K.renderHome = renderHome;
  K.renderServices = renderServices;
  K.show = show;
  K.notice = notice;
  K.openPriority = openPriority;
  K.showTicket = showTicket;
  K.loadServices = loadServices;
  document.querySelectorAll("[data-priority]").forEach(function (button) {
    button.addEventListener("click", function () { take(button.getAttribute("data-priority")); });
  });
  $("nav-home").addEventListener("click", goHome);
  K.wirePagers();
  window.addEventListener("resize", function () {
    if (state.screen === "home") { renderHome(); }
    if (state.screen === "services") { renderServices(); }
  });
  K.wireChoices();
  K.notify.wire();
  K.wireCheckIn(); /* its keydown (a scanned or typed code) before the idle one below */
  $("nav-back").addEventListener("click", goBack);
  $("ticket-done").addEventListener("click", goHome);
  K.wireDialogs(); /* after the keydown above: a key is read as a code before the idle restarts */
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });

  show("home");
  tick();
  setInterval(tick, 1000);
  resetIdle();
  connect();
  setInterval(loadServices, 120000); /* a safety net if the socket is down for long */
  heartbeat();
  setInterval(heartbeat, 60000);
})();
