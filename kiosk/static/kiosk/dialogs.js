/* The kiosk's modal dialogs and its idle timers: native <dialog>s whose focus returns to the
   opener and whose Tab wraps around inside, the "Perlu waktu lagi?" question after a while
   without a touch, and the visible countdowns back to the start.
   First of the kiosk's scripts (then pages.js, kiosk.js): it creates window.AntreKiosk, the one
   object they share. kiosk.js adds state, focusScreen and goHome to it, used here only when an
   event fires, so after every script has loaded. */
(function () {
  "use strict";

  var root = document.getElementById("kiosk");
  function $(id) { return document.getElementById(id); }
  function fill(text, n) { return text.replace("{n}", String(n)); }
  var K = window.AntreKiosk = {
    root: root,
    S: JSON.parse($("kiosk-strings").textContent),
    $: $,
    fill: fill
  };
  /* Timings in seconds from the page's data-*-seconds, or from the address (?idle=2&warn=3) so
     that tests and a trial at a real panel can use other times. */
  function seconds(name) {
    var asked = new URLSearchParams(window.location.search).get(name);
    var value = parseFloat(asked !== null ? asked : root.getAttribute("data-" + name + "-seconds"));
    return value > 0 ? Math.min(value, 86400) * 1000 : null; /* setTimeout overflows past 24.8 days */
  }
  var TIMES = K.TIMES = {
    idle: seconds("idle") || 30000,       /* no touch for this long: ask "Need more time?" */
    reading: seconds("reading") || 90000, /* the same while the requirements are open */
    warn: seconds("warn") || 15000,       /* the question's countdown before starting over */
    ticket: seconds("ticket") || 10000    /* the ticket on screen (twice as long unprinted) */
  };
  var timers = { idle: null, countdown: null, counting: null };

  /* ---------- dialogs: native modal <dialog>, focus returns to the opener ---------- */
  function openDialog(dialog, focusId) {
    if (!dialog.open) {
      dialog.returnTo = document.activeElement;
      dialog.showModal();
    }
    if (focusId) { $(focusId).focus(); }
  }
  function closeDialog(dialog) {
    if (dialog.open) {
      dialog.close();
      giveFocusBack(dialog);
    }
  }
  function usable(node) {
    return node && node.isConnected && !node.disabled && node.getClientRects().length > 0;
  }
  /* Focus is nowhere a key can act from: on the page itself, or on what the close just hid. */
  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !usable(active);
  }
  /* close() itself gives focus back to the opener (Chromium, as the HTML standard says), but
     not when a live re-render replaced the opener while the dialog was open: then to the same
     button drawn anew (data-focus-key), else to the screen. Only while focus is lost, so that
     it never moves away from where the citizen (or the browser) has already put it. */
  function giveFocusBack(dialog) {
    var back = dialog.returnTo;
    dialog.returnTo = null;
    if (!focusLost()) { return; }
    var key = back && !back.isConnected && back.getAttribute("data-focus-key");
    if (key) { back = document.querySelector('[data-focus-key="' + key + '"]'); } /* re-rendered */
    var open = document.querySelector("dialog[open]");
    if (usable(back) && (!open || open.contains(back))) { back.focus(); }
    else if (!open) { K.focusScreen(); }
  }
  /* showModal() makes the page behind inert, but Tab past the last button still leaves the
     document (to the browser, or to nothing on a kiosk): wrap around inside the dialog. */
  function trapTab(event) {
    var dialog = event.currentTarget;
    if (event.key !== "Tab") { return; }
    var stops = Array.prototype.filter.call(dialog.querySelectorAll("button, a[href]"), usable);
    if (!stops.length) { return; }
    var first = stops[0], last = stops[stops.length - 1];
    if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      first.focus();
    }
  }
  /* Closed by the browser (Escape) rather than by closeDialog. The "close" event is a queued
     task: keys pressed meanwhile (Shift+Tab right after the close) may already have moved focus
     on, so it is not taken back (giveFocusBack acts only on lost focus); and a dialog opened
     again before the event came has a new opener, which this event must not consume. */
  function onDialogClosed(event) {
    var dialog = event.target;
    if (dialog.open || !dialog.returnTo) { return; }
    giveFocusBack(dialog);
  }

  /* ---------- idle: ask before starting over ---------- */
  /* Shows "Back to the start in n s" in node until ms have passed, then calls done. */
  function countdown(node, ms, done) {
    clearInterval(timers.countdown);
    timers.counting = node.id;
    var end = Date.now() + ms;
    function step() {
      var left = Math.ceil((end - Date.now()) / 1000);
      if (left <= 0) { clearInterval(timers.countdown); done(); return; }
      node.textContent = fill(K.S.home_in, left);
    }
    step();
    timers.countdown = setInterval(step, 250);
  }
  function stopCountdown() {
    clearInterval(timers.countdown);
  }
  /* Every touch or key restarts the wait; only the question's own buttons answer it. */
  function resetIdle() {
    if ($("more-time").open) { return; }
    clearTimeout(timers.idle);
    timers.idle = setTimeout(onIdle, $("standard").open ? TIMES.reading : TIMES.idle);
  }
  function onIdle() {
    var state = K.state;
    if (state.busy) { resetIdle(); return; }
    var halfway = (state.screen !== "home" && state.screen !== "ticket") ||
      $("standard").open || $("late-offer").open || $("notify").open;
    if (!halfway) { closeDialog($("notice")); return; }
    /* Never start over without warning: ask, and count down where it can be seen. */
    openDialog($("more-time"), "more-time-yes");
    countdown($("more-time-countdown"), TIMES.warn, K.goHome);
  }
  /* Closed by its button or by Escape: the citizen is still there. */
  function onMoreTimeClosed() {
    if (timers.counting === "more-time-countdown") { clearInterval(timers.countdown); }
    resetIdle();
  }

  K.openDialog = openDialog;
  K.closeDialog = closeDialog;
  K.countdown = countdown;
  K.stopCountdown = stopCountdown;
  K.resetIdle = resetIdle;

  /* Called by kiosk.js where its own wiring ends, so that the listeners keep their order. */
  K.wireDialogs = function () {
    $("standard-close").addEventListener("click", function () { closeDialog($("standard")); });
    $("notice-close").addEventListener("click", function () { closeDialog($("notice")); });
    $("more-time-yes").addEventListener("click", function () { closeDialog($("more-time")); });
    $("more-time-no").addEventListener("click", function () { K.goHome(); });
    document.querySelectorAll("dialog").forEach(function (dialog) {
      dialog.addEventListener("close", onDialogClosed);
      dialog.addEventListener("keydown", trapTab);
    });
    $("more-time").addEventListener("close", onMoreTimeClosed);
    $("standard").addEventListener("close", resetIdle); /* back to the shorter wait */
    document.addEventListener("pointerdown", resetIdle, { passive: true });
    document.addEventListener("keydown", resetIdle);
  };
})();
