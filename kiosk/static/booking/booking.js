/* Booking page: service -> day -> time -> (name, phone) -> booked; for a poli with doctors,
   day -> doctor's session -> payer (JKN or umum: the quota the place comes from) instead of a
   time. Plain ES5, no build step. */
(function () {
  "use strict";
  var root = document.getElementById("booking");
  var list = document.getElementById("choices");
  var hint = document.getElementById("hint");
  var form = document.getElementById("contact");
  var chosen = document.getElementById("chosen");
  var message = document.getElementById("message");
  var back = document.getElementById("back");
  var t = root.dataset;
  var state = { services: [], service: null, date: null, slot: null, doctor: null, payer: null };
  var steps = [];

  function request(method, url, body, done) {
    Antre.send(method, url, body, function (status, data) {
      if (status >= 200 && status < 300) { done(data); } else { say(data.message || t.tError); }
    }, function () { say(t.tOffline); }, { retries: 0 });
  }

  function say(text) { message.textContent = text || ""; }

  function dayLabel(iso) { return Antre.dayText(iso, t.locale); }

  function show(title, items) {
    hint.textContent = title;
    form.hidden = true;
    list.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      button.disabled = !!item.disabled;
      var main = document.createElement("span");
      main.className = "choice-main";
      main.textContent = item.label;
      button.appendChild(main);
      if (item.detail) {
        var detail = document.createElement("span");
        detail.className = "choice-detail";
        detail.textContent = item.detail;
        button.appendChild(detail);
      }
      button.addEventListener("click", item.pick);
      li.appendChild(button);
      list.appendChild(li);
    });
    back.hidden = steps.length < 2;
  }

  function go(step) { steps.push(step); say(""); step(); }

  function services() {
    show(t.tService, state.services.map(function (s) {
      return { label: s.name, detail: s.agency.name,
               pick: function () { state.service = s; go(days); } };
    }));
  }

  function days() {
    show(t.tDate, state.service.dates.map(function (iso) {
      return { label: dayLabel(iso), pick: function () { state.date = iso; go(slots); } };
    }));
  }

  function slots() {
    var url = t.slots + "?service_id=" + state.service.id + "&date=" + state.date;
    request("GET", url, null, function (data) {
      state.doctor = null;
      state.payer = null;
      if (data.doctors && data.doctors.length) { go(function () { doctors(data.doctors); }); return; }
      if (!data.slots.length) { show(t.tSlot, []); say(t.tNone); return; }
      show(t.tSlot, data.slots.map(function (s) {
        return {
          label: s.start.replace(":", ".") + "–" + s.end.replace(":", "."),
          detail: s.left > 0 ? s.left + " " + t.tLeft : t.tFull,
          disabled: !s.bookable,
          pick: function () { state.slot = s; go(contact); }
        };
      }));
    });
  }

  function hours(label) { return label.replace(/:/g, "."); }

  /* A poli: the day's doctors' sessions, each with its places left per payer. */
  function doctors(sessions) {
    show(t.tDoctor, sessions.map(function (d) {
      var left = d.quota_jkn_left + d.quota_nonjkn_left;
      return {
        label: d.name + " · " + hours(d.session),
        detail: left > 0 ? "JKN: " + d.quota_jkn_left + " · " + t.tUmum + ": " +
          d.quota_nonjkn_left + " " + t.tLeft : t.tFull,
        disabled: left < 1,
        pick: function () { state.doctor = d; go(payers); }
      };
    }));
  }

  function payers() {
    var d = state.doctor;
    show(t.tPayer, [["jkn", t.tJkn, d.quota_jkn_left], ["umum", t.tUmumLong, d.quota_nonjkn_left]]
      .map(function (p) {
        return {
          label: p[1],
          detail: p[2] > 0 ? p[2] + " " + t.tLeft : t.tFull,
          disabled: p[2] < 1,
          pick: function () { state.payer = p[0]; go(contact); }
        };
      }));
  }

  function contact() {
    list.innerHTML = "";
    hint.textContent = "";
    chosen.textContent = state.service.name + " · " + dayLabel(state.date) + " · " +
      (state.doctor ? state.doctor.name + " " + hours(state.doctor.session) + " · " +
        (state.payer === "jkn" ? t.tJkn : t.tUmumLong)
        : state.slot.start.replace(":", "."));
    form.hidden = false;
    back.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    var body = { service_id: state.service.id, date: state.date,
                 name: form.elements.name.value, phone: form.elements.phone.value };
    if (state.doctor) { body.doctor_session_id = state.doctor.id; body.payer = state.payer; }
    else { body.start = state.slot.start; }
    /* Alerts, where the site offers them: the channel chosen and the consent ticked. */
    var notify = form.elements.notify ? form.elements.notify.value : "";
    if (notify) {
      body.notify = notify;
      body.consent = form.elements.consent.checked;
      body.language = t.locale === "en" ? "en" : "id";
    }
    request("POST", t.create, body, function (data) {
      window.location.href = t.show.replace("CODE", data.booking.code);
    });
    setTimeout(function () { button.disabled = false; }, 1500);
  });

  back.addEventListener("click", function () {
    steps.pop();
    var previous = steps[steps.length - 1];
    say("");
    if (previous) { previous(); }
  });

  request("GET", t.api, null, function (data) {
    state.services = data.services;
    go(services);
  });
}());
