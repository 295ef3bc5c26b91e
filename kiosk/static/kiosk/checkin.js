/* Checking in an online booking at the kiosk: the code keypad, a USB QR scanner (it types the
   booking's URL and Enter), the check-in call, and the offer of an ordinary ticket when the
   booking is too late. Loaded after dialogs.js and pages.js, before kiosk.js; the screens,
   notices and the ticket it shows are kiosk.js's, through AntreKiosk when an event fires. */
(function () {
  "use strict";

  var K = window.AntreKiosk;
  var root = K.root, S = K.S, $ = K.$;
  var openDialog = K.openDialog, closeDialog = K.closeDialog;
  var ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  var CODE_LENGTH = 8;
  var state; /* kiosk.js's one state object, taken when kiosk.js wires this part */

  function openBooking() {
    state.code = "";
    renderCode();
    K.show("booking");
    K.focusScreen();
  }
  function renderCode() {
    var shown = state.code;
    for (var i = shown.length; i < CODE_LENGTH; i++) { shown += "_"; }
    $("code-display").textContent = shown;
    $("code-submit").disabled = state.code.length !== CODE_LENGTH;
  }
  function addKey(ch) {
    ch = ch.toUpperCase();
    if (ALPHABET.indexOf(ch) < 0 || state.code.length >= CODE_LENGTH) { return; }
    state.code += ch;
    renderCode();
  }

  /* What a USB QR scanner types: the booking's URL (…/kiosk/booking/CODE), or a bare code. */
  function codeFrom(text) {
    var m = /\/kiosk\/booking\/([0-9A-Za-z-]{8,10})/.exec(text);
    var code = (m ? m[1] : text).replace(/[\s-]/g, "").toUpperCase();
    return code.length === CODE_LENGTH ? code : null;
  }

  /* A network failure sends it again (Antre.send retries twice): a repeat from this kiosk within
     two minutes gives back the same ticket, unprinted twice. */
  function checkIn(code) {
    if (state.busy) { return; }
    state.busy = true;
    $("busy-text").textContent = S.checking_in;
    $("busy").hidden = false;
    var url = root.getAttribute("data-checkin-url").replace("CODE", encodeURIComponent(code));
    Antre.send("POST", url, null, function (status, body) {
      state.busy = false;
      $("busy").hidden = true;
      $("busy-text").textContent = S.printing;
      if (status === 200 || status === 201) { K.showTicket(body); return; }
      if (state.screen !== "booking") { openBooking(); }
      if (body.error === "booking_too_late" && body.service_id) {
        state.lateServiceId = body.service_id;
        $("late-text").textContent = body.message;
        openDialog($("late-offer"), "late-take");
        return;
      }
      K.notice(body.message || S.offline);
    }, function () {
      state.busy = false;
      $("busy").hidden = true;
      $("busy-text").textContent = S.printing;
      K.notice(S.offline);
    });
  }

  function takeInstead() {
    closeDialog($("late-offer"));
    var s = state.services.filter(function (x) { return x.id === state.lateServiceId; })[0];
    if (!s) { K.notice(S.closed); return; }
    if (!s.open) { K.notice(s.closed_reason ? s.closed_reason.message : S.closed); return; }
    state.agencyId = null;
    K.openPriority(s);
  }

  function onKey(event) {
    var now = Date.now();
    if (now - state.typedAt > 1000) { state.typed = ""; }
    state.typedAt = now;
    if (event.key === "Enter") {
      /* A scanned code always goes; the typed one not while a dialog is open, where Enter
         presses the focused button (e.g. "Ambil tiket biasa"), not the code again. */
      var code = codeFrom(state.typed) || (state.screen === "booking" &&
        !document.querySelector("dialog[open]") && codeFrom(state.code));
      state.typed = "";
      if (code && !state.busy) { event.preventDefault(); state.code = code; checkIn(code); }
      return;
    }
    if (event.key === "Backspace" && state.screen === "booking") {
      state.code = state.code.slice(0, -1);
      renderCode();
      return;
    }
    if (event.key.length !== 1) { return; }
    state.typed += event.key;
    /* Keys typed by hand go into the code; a scanned URL is taken whole at its Enter. */
    if (state.screen === "booking" && !/^h/i.test(state.typed)) { addKey(event.key); }
  }

  /* Called by kiosk.js in its wiring, where these listeners always were. */
  K.wireCheckIn = function () {
    state = K.state;
    $("booking-entry").addEventListener("click", openBooking);
    document.querySelectorAll("[data-key]").forEach(function (button) {
      button.addEventListener("click", function () { addKey(button.getAttribute("data-key")); });
    });
    $("key-back").addEventListener("click", function () {
      state.code = state.code.slice(0, -1);
      renderCode();
    });
    $("key-clear").addEventListener("click", function () { state.code = ""; renderCode(); });
    $("code-submit").addEventListener("click", function () {
      if (state.code.length === CODE_LENGTH) { checkIn(state.code); }
    });
    $("late-take").addEventListener("click", takeInstead);
    $("late-close").addEventListener("click", function () { K.goHome(); });
    document.addEventListener("keydown", onKey);
  };
})();
