/* After the ticket, optional: "Kirim pemberitahuan ke WhatsApp". A large numeric keypad in a
   modal dialog, the consent line, and POST /kiosk/api/tickets/<code>/notify. The ticket is
   printed and shown before this is offered, and nothing waits for it: while the dialog is open
   the ticket screen's countdown pauses and the kiosk's idle question (dialogs.js) takes over;
   closing it (sent, cancelled, Escape) starts the countdown again. Loaded after dialogs.js. */
(function () {
  "use strict";

  var K = window.AntreKiosk;
  var $ = K.$;
  var MAX_DIGITS = 13;  /* 08xx xxxx xxxxx */
  var MIN_DIGITS = 10;
  var code = null;
  var digits = "";
  var sending = false;

  function grouped(text) { return text.replace(/(\d{4})(?=\d)/g, "$1 "); }
  function say(text) {
    $("notify-error").textContent = text || "";
    $("notify-error").hidden = !text;
  }
  function render() {
    $("notify-phone").textContent = grouped(digits) || "—";
    $("notify-send").disabled = sending || digits.length < MIN_DIGITS;
  }
  function type(digit) {
    if (digits.length < MAX_DIGITS) { digits += digit; }
    say("");
    render();
  }

  /* A new ticket on the screen: offer the opt-in for it. */
  function offer(ticket) {
    code = ticket.code;
    $("ticket-notify").hidden = !code;
    $("ticket-notified").hidden = true;
    $("ticket-notified").textContent = "";
  }

  function open() {
    K.stopCountdown();  /* the ticket screen waits while the number is typed */
    digits = "08";
    sending = false;
    say("");
    render();
    K.openDialog($("notify"));
    $("notify").querySelector("[data-digit='1']").focus();
  }

  function restartTicketCountdown() {
    if (K.state.screen === "ticket") {
      K.countdown($("ticket-countdown"), K.TIMES.ticket, K.goHome);
    }
  }

  function send() {
    if (sending || digits.length < MIN_DIGITS || !code) { return; }
    sending = true;
    render();
    var url = K.root.getAttribute("data-notify-url").replace("CODE", encodeURIComponent(code));
    var body = { channel: "whatsapp", phone: digits,
                 language: document.documentElement.lang === "en" ? "en" : "id" };
    Antre.send("POST", url, body, function (status, answer) {
      sending = false;
      if (status !== 201) {
        say(answer.message || K.S.notify_failed);
        render();
        return;
      }
      digits = "";
      $("ticket-notified").textContent = K.fill(K.S.notified, answer.to);
      $("ticket-notified").hidden = false;
      $("ticket-notify").hidden = true;
      K.closeDialog($("notify"));
      $("ticket-done").focus();
    }, function () {
      sending = false;
      say(K.S.offline);
      render();
    }, { retries: 0 });
  }

  function wire() {
    $("ticket-notify").addEventListener("click", open);
    $("notify").querySelectorAll("[data-digit]").forEach(function (key) {
      key.addEventListener("click", function () { type(key.getAttribute("data-digit")); });
    });
    $("notify-back").addEventListener("click", function () {
      digits = digits.slice(0, -1);
      render();
    });
    $("notify-clear").addEventListener("click", function () { digits = ""; say(""); render(); });
    $("notify-send").addEventListener("click", send);
    $("notify-cancel").addEventListener("click", function () { K.closeDialog($("notify")); });
    /* Sent, cancelled or Escape: the ticket screen counts down again (not after goHome). */
    $("notify").addEventListener("close", function () {
      digits = "";
      restartTicketCountdown();
    });
  }

  K.notify = { offer: offer, wire: wire };
})();
