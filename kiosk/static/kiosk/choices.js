/* choices.js: a service that comes with choices, decided by its data only: one with doctors (a poli) asks
   for the doctor's session (name, hours, places left for JKN and umum), then the payer when
   it changes something (the doctors' quotas, a registration per payer), before the priority
   group as every service. Loaded after dialogs.js and pages.js, before kiosk.js, whose
   state, show, focusScreen and openPriority it uses when a citizen taps. */
(function () {
  "use strict";

  var K = window.AntreKiosk;
  var S = K.S, $ = K.$, fill = K.fill;

  function make(tag, className, text) { return Antre.el(tag, { "class": className, text: text }); }
  function hours(label) { return label.replace(/:/g, "."); }
  function placesLine(d) {
    return fill(S.places_jkn, d.quota_jkn_left) + " · " + fill(S.places_umum, d.quota_nonjkn_left);
  }
  function hasDoctors(s) { return !!(s.doctors && s.doctors.length); }

  /* The choices made so far for this service: {doctor, payer}; reset for each service. */
  function choice() { return K.state.choice || (K.state.choice = {}); }

  function open(s) {
    K.state.choice = {};
    if (hasDoctors(s)) { openDoctors(s); }
    else if (s.asks_payer) { openPayer(s); }
    else { K.openPriority(s); }
  }

  function openDoctors(s) {
    K.state.service = s;
    $("doctor-service").textContent = s.agency.short_name + " · " + s.name;
    renderDoctors();
    K.show("doctor");
    K.focusScreen();
    /* Places are taken at every kiosk and on the booking page, and no event carries them:
       read them afresh (refresh() below redraws the list, focus kept on its button). */
    K.loadServices();
  }

  /* Drawn again when the list is reloaded, so that places left stay true while choosing. */
  function renderDoctors() {
    var s = K.state.service, box = $("doctor-list");
    box.innerHTML = "";
    s.doctors.forEach(function (d) {
      var full = d.quota_jkn_left + d.quota_nonjkn_left < 1;
      var button = make("button", "doctor" + (full ? " doctor-full" : ""));
      button.type = "button";
      button.setAttribute("role", "listitem");
      button.setAttribute("data-doctor-session", d.id);
      button.setAttribute("data-focus-key", "doctor-" + d.id);
      button.setAttribute("aria-disabled", full ? "true" : "false");
      button.appendChild(make("span", "doctor-name", d.name));
      button.appendChild(make("span", "doctor-hours", fill(S.session_hours, hours(d.session))));
      button.appendChild(make("span", "doctor-places", full ? S.session_full : placesLine(d)));
      button.addEventListener("click", function () {
        if (full) { return; }
        choice().doctor = d;
        if (s.asks_payer) { openPayer(s); } else { K.openPriority(s); }
      });
      box.appendChild(button);
    });
  }

  function openPayer(s) {
    K.state.service = s;
    var d = choice().doctor;
    $("payer-service").textContent = s.agency.short_name + " · " + s.name +
      (d ? " · " + d.name + " " + hours(d.session) : "");
    document.querySelectorAll("[data-payer]").forEach(function (button) {
      var payer = button.getAttribute("data-payer");
      var left = d ? (payer === "jkn" ? d.quota_jkn_left : d.quota_nonjkn_left) : null;
      var first = s.first_step && s.first_step[payer];
      var detail = [];
      if (left !== null) { detail.push(left > 0 ? fill(S.places_left, left) : S.session_full); }
      if (first) { detail.push(fill(S.first_step, first.service)); }
      button.querySelector(".choice-detail").textContent = detail.join(" · ");
      button.setAttribute("aria-disabled", left === 0 ? "true" : "false");
    });
    K.show("payer");
    K.focusScreen();
  }

  function pickPayer(button) {
    if (button.getAttribute("aria-disabled") === "true") { return; }
    choice().payer = button.getAttribute("data-payer");
    K.openPriority(K.state.service);
  }

  /* Back from a choice screen to the one before it; false when kiosk.js decides. */
  function back() {
    var s = K.state.service, screen = K.state.screen;
    if (!s) { return false; }
    if (screen === "priority" && s.asks_payer) { openPayer(s); return true; }
    if (screen === "priority" && hasDoctors(s)) { openDoctors(s); return true; }
    if (screen === "payer" && hasDoctors(s)) { openDoctors(s); return true; }
    return false;
  }

  /* What the ticket request carries besides the service. */
  function fields() {
    var c = K.state.choice || {}, extra = {};
    if (c.payer) { extra.payer = c.payer; }
    if (c.doctor) { extra.doctor_session_id = c.doctor.id; }
    return extra;
  }

  /* The service reloaded (places changed): show its fresh doctors on the doctor screen. */
  function refresh(services) {
    var s = K.state.service;
    if (!s || K.state.screen !== "doctor") { return; }
    var fresh = services.filter(function (x) { return x.id === s.id; })[0];
    if (!fresh || !hasDoctors(fresh)) { return; }
    K.state.service = fresh;
    var key = K.focusedKey($("doctor-list"));
    renderDoctors();
    K.refocus($("doctor-list"), key);
  }

  K.choices = { open: open, back: back, fields: fields, refresh: refresh };
  K.wireChoices = function () {
    document.querySelectorAll("[data-payer]").forEach(function (button) {
      button.addEventListener("click", function () { pickPayer(button); });
    });
  };
})();
