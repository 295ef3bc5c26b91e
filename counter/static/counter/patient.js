/* The serving panel's patient identity: for the console's current ticket (the event
   "antre:current-ticket" from console.js) whose visit is on a pathway, a form for the BPJS card
   number, NIK and medical record number. Once saved, the values are shown masked and the
   inputs emptied: the screen does not keep them in clear. */
(function () {
  "use strict";
  var box = document.getElementById("patient-identity");
  if (!box) { return; }
  var text = JSON.parse(document.getElementById("patient-text").textContent);
  var form = document.getElementById("patient-form");
  var fields = ["card_number", "nik", "medical_record"];
  var ticketId = null;

  function $(id) { return document.getElementById(id); }
  function mask(value) {
    if (!value) { return text.none; }
    if (value.length <= 4) { return value.replace(/./g, "*"); }
    return value.slice(0, -4).replace(/./g, "*") + value.slice(-4);
  }
  function clearErrors() {
    fields.forEach(function (f) {
      $("patient-error-" + f).hidden = true;
      $("patient-" + f).removeAttribute("aria-invalid");
    });
  }
  function showError(field, message) {
    var input = $("patient-" + field);
    if (!input) { $("patient-status").textContent = message; return; }
    var error = $("patient-error-" + field);
    error.textContent = message;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
  function showSaved(data) {
    var any = fields.some(function (f) { return data[f]; });
    $("patient-saved").hidden = !any;
    $("patient-summary").textContent = any ? text.recorded : text.none;
    fields.forEach(function (f) {
      $("patient-saved-" + f).textContent = mask(data[f]);  /* masked already for others */
    });
  }
  function reset() {
    form.reset();
    clearErrors();
    $("patient-status").textContent = "";
  }

  async function load(id) {
    try {
      var data = await Antre.api.get(box.dataset.tickets + id + "/patient");
      if (ticketId !== id) { return; }  /* the console moved on meanwhile */
      box.hidden = !data.on_pathway;
      showSaved(data);
    } catch (err) { box.hidden = true; }
  }

  document.addEventListener("antre:current-ticket", function (event) {
    var t = event.detail;
    var id = t ? t.id : null;
    if (id === ticketId) { return; }
    ticketId = id;
    reset();
    $("patient-saved").hidden = true;
    box.hidden = true;
    box.open = false;  /* folded for each new ticket: the console's buttons stay in view */
    if (id !== null) { load(id); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (ticketId === null) { return; }
    clearErrors();
    var body = {};
    fields.forEach(function (f) { body[f] = $("patient-" + f).value.trim() || null; });
    Antre.api.put(box.dataset.tickets + ticketId + "/patient", body).then(function (data) {
      reset();
      showSaved(data);
      $("patient-summary").textContent = text.saved;
      box.open = false;  /* saved: folded again, the summary says so */
    }, function (err) {
      if (err.field) { showError(err.field, err.message); }
      else { $("patient-status").textContent = err.message || text.network; }
    });
  });
})();
