/* Finishing a step of a visit on a pathway: the Finish button names the default next step, and a
   dialog lets the clerk choose otherwise: the poli and its doctor's session (places left shown),
   the prescription at a poli step, a later step, back to an earlier one, or the end of the visit.
   Keys: Enter sends, 1–9 choose a step, 0 ends the visit, T/N/R the prescription, Esc cancels.
   Loaded before console.js, which calls window.AntreFinish. */
(function () {
  "use strict";
  var text = JSON.parse(document.getElementById("console-text").textContent).finish;
  var el = Antre.el;
  var dialog = document.getElementById("finish-dialog");
  var cache = { id: null, choices: null };
  var open = { ticket: null, choices: null, send: null, byHand: false, options: [] };

  function $(id) { return document.getElementById(id); }

  function targetLabel(found) {
    return found ? text.to.replace("{target}", found.service.name) : text.ends;
  }

  /* The choices for a ticket, fetched from the server (fresh each time the dialog opens). */
  function load(url, ticketId) {
    cache = { id: ticketId, choices: null };  /* asked once per ticket, even if it fails */
    return Antre.api.get(url).then(function (choices) {
      cache = { id: ticketId, choices: choices };
      return choices;
    });
  }

  /* The Finish button's words for the current ticket: "Selesai → Poli Anak" once known. */
  function buttonLabel(ticket) {
    if (!ticket || ticket.step === null || ticket.step === undefined) { return text.plain; }
    if (cache.id !== ticket.id || !cache.choices) { return text.plain; }
    return targetLabel(cache.choices.default);
  }
  function knows(ticket) { return cache.id === ticket.id; }

  function prescription() {
    var checked = dialog.querySelector('input[name="finish-prescription"]:checked');
    return checked ? checked.value : null;
  }
  function defaultNow() {
    var c = open.choices, p = prescription();
    return p && c.defaults ? c.defaults[p] : c.default;
  }
  function chosenOption() {
    var checked = dialog.querySelector('input[name="finish-next"]:checked');
    if (!checked || checked.value === "end") { return null; }
    return open.options[Number(checked.dataset.index)];
  }

  function whereWord(step) {
    if (step.where === "back") { return text.back; }
    if (step.where === "here") { return text.here; }
    return "";
  }

  /* One radio per service of every step (the served one left out), numbered for the keys. */
  function renderOptions() {
    var box = $("finish-options");
    var groups = [];
    open.options = [];
    open.choices.steps.forEach(function (step) {
      var services = step.services.filter(function (s) { return s.id !== open.ticket.service.id; });
      if (!services.length) { return; }
      var title = el("div", { "class": "finish-step-name", id: "finish-step-" + step.position,
                              text: step.name + (whereWord(step) ? " · " + whereWord(step) : "") });
      var group = el("div", { role: "group", "class": "finish-group finish-" + step.where,
                              "aria-labelledby": "finish-step-" + step.position }, [title]);
      services.forEach(function (service) {
        var index = open.options.length;
        open.options.push({ step: step, service: service });
        var input = el("input", { type: "radio", name: "finish-next", value: String(service.id),
                                  "data-index": String(index) });
        var label = el("label", { "class": "check" }, [input]);
        label.appendChild(document.createTextNode(" " + service.name + " "));
        label.appendChild(el("span", { "class": "muted", text: service.agency }));
        if (index < 9) { label.appendChild(el("kbd", { text: String(index + 1) })); }
        group.appendChild(label);
      });
      groups.push(group);
    });
    box.replaceChildren.apply(box, groups);
  }

  /* The default of the moment (it follows the prescription until the clerk picks by hand). */
  function selectDefault() {
    var found = defaultNow();
    var input = null;
    if (found) {
      var index = open.options.findIndex(function (o) {
        return o.service.id === found.service.id && o.step.position === found.position;
      });
      input = index >= 0 ? dialog.querySelector('input[name="finish-next"][data-index="' + index + '"]') : null;
    }
    (input || $("finish-end")).checked = true;
  }

  function sessionText(d) {
    var left = d.places_left > 0 ? text.left.replace("{n}", d.places_left) : text.full;
    return d.name + " · " + d.session + " · " + left + (d.held ? " · " + text.held : "");
  }

  /* A poli with doctors: its sessions, the full ones shown but not choosable. */
  function renderDoctors() {
    var option = chosenOption();
    var doctors = option ? option.service.doctors || [] : [];
    var select = $("finish-doctor");
    $("finish-doctor-box").hidden = doctors.length === 0;
    var held = doctors.find(function (d) { return d.held; });
    var first = held || doctors.find(function (d) { return d.places_left > 0; });
    select.replaceChildren.apply(select, doctors.map(function (d) {
      var o = el("option", { value: String(d.id), text: sessionText(d) });
      if (d.places_left <= 0 && !d.held) { o.disabled = true; }
      if (first && d.id === first.id) { o.selected = true; }
      return o;
    }));
    if (doctors.length && !first) {
      select.appendChild(el("option", { value: "", text: text.no_session, selected: "selected" }));
    }
  }

  function renderButton() {
    var option = chosenOption();
    $("finish-ok").textContent = targetLabel(option ? { service: option.service } : null);
  }

  function update() { renderDoctors(); renderButton(); }

  function show(ticket, choices, send) {
    if (dialog.open) { return; }  /* F pressed twice while the choices were on their way */
    open = { ticket: ticket, choices: choices, send: send, byHand: false, options: [] };
    $("finish-number").textContent = ticket.number;
    var asks = !!choices.asks_prescription;
    $("finish-prescription").hidden = !asks;
    dialog.querySelectorAll('input[name="finish-prescription"]').forEach(function (input) {
      input.checked = asks && input.value === choices.prescription;
    });
    renderOptions();
    selectDefault();
    update();
    dialog.returnValue = "";  /* Esc keeps the last value: never let it send twice */
    dialog.showModal();
    var focus = asks ? (dialog.querySelector('input[name="finish-prescription"]:checked') ||
                        dialog.querySelector('input[name="finish-prescription"]')) : $("finish-ok");
    focus.focus();
  }

  function pick(input) {
    if (!input) { return; }
    input.checked = true;
    input.focus();
    if (input.name === "finish-next") { open.byHand = true; }
    else if (!open.byHand) { selectDefault(); }
    update();
  }

  dialog.addEventListener("change", function (event) {
    if (event.target.name === "finish-next") { open.byHand = true; update(); }
    if (event.target.name === "finish-prescription" && !open.byHand) { selectDefault(); update(); }
  });

  var letters = { t: "none", n: "non_racikan", r: "racikan" };
  dialog.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    var key = (event.key || "").toLowerCase();
    var onSelect = (event.target.tagName || "").toLowerCase() === "select";
    if (key === "enter" && (event.target.tagName || "").toLowerCase() !== "button") {
      event.preventDefault();
      $("finish-ok").click();
    } else if (!onSelect && /^[0-9]$/.test(key)) {
      event.preventDefault();
      pick(key === "0" ? $("finish-end") :
        dialog.querySelector('input[name="finish-next"][data-index="' + (Number(key) - 1) + '"]'));
    } else if (!onSelect && letters[key] && !$("finish-prescription").hidden) {
      event.preventDefault();
      pick(dialog.querySelector('input[name="finish-prescription"][value="' + letters[key] + '"]'));
    }
  });

  dialog.addEventListener("close", function () {
    if (dialog.returnValue !== "ok" || !open.send) { return; }
    var body = {};
    var option = chosenOption();
    if (option) {
      body.next_service_id = option.service.id;
      var session = $("finish-doctor").value;
      if (!$("finish-doctor-box").hidden && session) { body.doctor_session_id = Number(session); }
    } else {
      body.end_visit = true;
    }
    if (open.choices.asks_prescription && prescription()) { body.prescription = prescription(); }
    var send = open.send;
    open.send = null;
    send(body);
  });

  window.AntreFinish = {
    load: load,
    knows: knows,
    buttonLabel: buttonLabel,
    /* Fetch fresh choices (places left change all morning), then ask; send(body) on Enter. */
    ask: function (url, ticket, send) {
      return load(url, ticket.id).then(function (choices) {
        if (!choices.on_pathway) { return send({}); }
        show(ticket, choices, send);
      });
    }
  };
})();
