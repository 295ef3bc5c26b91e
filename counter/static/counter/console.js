/* The clerk's console: one snapshot from the API, then live events from Socket.IO room
   agency:<id>, kept in step by Antre.stream (antre.js): a gap in the room's seq, an unknown
   room or a reconnect fetches a fresh snapshot. */
(function () {
  "use strict";
  var root = document.getElementById("console");
  var text = JSON.parse(document.getElementById("console-text").textContent);
  var counterId = Number(root.dataset.counter);
  var ticketsUrl = root.dataset.tickets;
  var room = "agency:" + root.dataset.agency;  // the room the join puts this console in
  var state = { counter: null, current: null, waiting: [], served: [], failed: [] };
  var live = null;
  var busy = false;

  function $(id) { return document.getElementById(id); }
  var el = Antre.el;
  function minutesSince(iso) {
    if (!iso) { return ""; }
    var n = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60000));
    return text.minutes.replace("{n}", n);
  }
  function say(message, kind, detail) {
    var box = $("message");
    box.textContent = message || "";
    if (detail) {  // the technical words, for whoever fixes it: behind the message, not as it
      box.appendChild(el("details", {}, [el("summary", { text: text.detail }), el("code", { text: detail })]));
    }
    box.className = "message " + (kind || "");
    box.hidden = !message;
  }

  /* The priority group (the admin's name for it) and "Booking", as on the paper and the TV. */
  function tagOf(t) {
    var parts = [];
    if (t.priority_label) { parts.push(t.priority_label[document.documentElement.lang] || t.priority_label.id); }
    if (t.booked) { parts.push(text.booking); }
    return parts.join(" · ");
  }
  function numberWithTag(t) {
    var tag = tagOf(t);
    return tag ? t.number + " ★ " + tag : t.number;
  }

  function renderCurrent() {
    var t = state.current;
    $("current").hidden = !t;
    $("current-empty").hidden = !!t;
    if (t) {
      $("current-number").textContent = t.number;
      $("current-service").textContent = t.service.name;
      var pr = $("current-priority");
      pr.textContent = tagOf(t);
      pr.hidden = !pr.textContent;
      $("current-status").textContent = text.status[t.status] || t.status;
      $("current-waited").textContent = t.waited_minutes === null ? "" : text.minutes.replace("{n}", t.waited_minutes);
      $("current-recalls").textContent = t.recall_count + " / " + (t.recall_limit === undefined ? "" : t.recall_limit);
      var history = t.history || [];
      $("current-history").hidden = history.length === 0;
      $("history-list").replaceChildren.apply($("history-list"), history.map(function (h) {
        return el("li", { text: h.number + " · " + h.agency + " · " + h.service + (h.note ? " — " + h.note : "") });
      }));
    }
    renderFinish(t);
    var status = t ? t.status : null;
    var open = state.counter && state.counter.status === "open";
    $("btn-call-next").disabled = !open || !!t;
    $("btn-recall").disabled = status !== "called";
    $("btn-start").disabled = status !== "called";
    $("btn-finish").disabled = status !== "serving";
    $("btn-no-show").disabled = status !== "called";
    $("btn-transfer").disabled = status !== "serving";
    $("btn-open").disabled = open;
    $("btn-pause").disabled = !!t || !state.counter || state.counter.status === "paused";
    $("btn-close").disabled = !!t || !state.counter || state.counter.status === "closed";
    /* Panels in their own files (patient.js) follow the current ticket. */
    document.dispatchEvent(new CustomEvent("antre:current-ticket", { detail: t || null }));
  }

  /* On a pathway the Finish button names where the visit goes next ("Selesai → Poli Anak"). */
  function onPathway(t) { return !!t && t.step !== null && t.step !== undefined; }
  function nextStepsUrl(t) { return ticketsUrl + t.id + "/next-steps"; }
  function renderFinish(t) {
    if (onPathway(t) && !AntreFinish.knows(t)) {
      AntreFinish.load(nextStepsUrl(t), t.id).then(function () { renderFinish(state.current); },
                                                   function () {});
    }
    $("finish-label").textContent = AntreFinish.buttonLabel(t);
  }

  function renderCounter() {
    var c = state.counter;
    var badge = $("counter-status");
    badge.textContent = (text.counter[c.status] || c.status) + (c.pause_reason ? " — " + c.pause_reason : "");
    badge.className = "status status-" + c.status;
  }

  function row(t, cells, button) {
    var tr = el("tr", { "data-ticket": t.id, "class": tagOf(t) ? "priority-row" : "" });
    /* title: a cell cut to one line still tells its whole text on hover */
    cells.forEach(function (c) { tr.appendChild(el("td", { text: c, title: c })); });
    var td = el("td");
    if (button) { td.appendChild(button); }
    tr.appendChild(td);
    return tr;
  }
  function actionButton(label, handler) {
    var b = el("button", { "class": "small secondary", type: "button", text: label });
    b.addEventListener("click", handler);
    return b;
  }

  function renderLists() {
    var canCall = state.counter && state.counter.status === "open" && !state.current;
    $("waiting-count").textContent = state.waiting.length;
    var rows = state.waiting.map(function (t, i) {
      var b = canCall ? actionButton(text.call, function () { act(t.id, "call", { counter_id: counterId }); }) : null;
      return row(t, [String(i + 1), numberWithTag(t), t.service.name, minutesSince(t.queued_at)], b);
    });
    if (!rows.length) { rows = [el("tr", {}, [el("td", { colspan: "5", text: text.nobody })])]; }
    $("waiting").replaceChildren.apply($("waiting"), rows);
    $("failed-box").hidden = state.failed.length === 0;
    $("failed").replaceChildren.apply($("failed"), state.failed.map(function (t) {
      return row(t, [numberWithTag(t), t.service.name], actionButton(text.reprint, function () { act(t.id, "reprint"); }));
    }));
    $("served-count").textContent = state.served.length;
    $("served").replaceChildren.apply($("served"), state.served.map(function (t) {
      var b = t.status === "no_show" ? actionButton(text.reactivate, function () { act(t.id, "reactivate"); }) : null;
      return row(t, [numberWithTag(t), t.service.name, text.status[t.status] || t.status], b);
    }));
  }

  function render() { renderCounter(); renderCurrent(); renderLists(); }

  /* The snapshot and the join answer carry the room's one seq. */
  function seqsOf(data) {
    var seqs = {};
    if (typeof data.seq === "number") { seqs[data.room || room] = data.seq; }
    return seqs;
  }
  function fetchSnapshot(done, fail) {
    Antre.api.get(root.dataset.api).then(done, function (err) {
      say(err.message || text.network, "bad", err.detail);
      fail();
    });
  }
  function applySnapshot(snap) {
    state.counter = snap.counter;
    state.current = snap.current;
    state.waiting = snap.waiting;
    state.served = snap.served;
    state.failed = snap.failed_prints;
    render();
  }
  function refresh() { live.resync(); }

  var reorderTimer = null;
  function reorderSoon() {
    if (reorderTimer) { return; }
    reorderTimer = setTimeout(function () { reorderTimer = null; refresh(); }, 500);
  }

  /* Live: apply a ticket change to the lists without a round trip. */
  function applyTicket(t) {
    var serves = state.counter.service_ids.indexOf(t.service.id) >= 0;
    state.waiting = state.waiting.filter(function (w) { return w.id !== t.id; });
    state.failed = state.failed.filter(function (w) { return w.id !== t.id; });
    if (t.status === "waiting" && serves) {
      state.waiting.push(t);
      /* Shown at the end at once; the order call next takes (priority ratio, across services)
         is the server's, so fetch it shortly after, once for a burst of new tickets. */
      reorderSoon();
    }
    if (t.status === "waiting" && t.print_state === "failed") { state.failed.push(t); }
    if (t.counter && t.counter.id === counterId) {
      if (t.status === "called" || t.status === "serving") {
        if (!state.current || state.current.id !== t.id) { return refresh(); }  /* need history */
        state.current = Object.assign({}, state.current, t);
      } else {
        if (state.current && state.current.id === t.id) { state.current = null; }
        state.served = [t].concat(state.served.filter(function (s) { return s.id !== t.id; }));
      }
    }
    render();
  }

  function onEvent(name, message) {
    if (name === "ticket.changed") { applyTicket(message.ticket); }
    else if (message.counter.id === counterId) {
      state.counter = Object.assign({}, state.counter, message.counter);
      render();
    }
  }

  var socket = io("/counter", { path: Antre.socketPath(), transports: ["websocket", "polling"] });
  live = Antre.stream({
    socket: socket,
    events: ["ticket.changed", "counter.changed"],
    join: { counter_id: counterId },
    seqsOf: seqsOf,
    snapshot: fetchSnapshot,
    onSnapshot: applySnapshot,
    onEvent: onEvent
  });
  socket.on("connect", function () {
    $("connection").textContent = text.online;
    $("connection").className = "connection online";
  });
  socket.on("disconnect", function (reason) {
    $("connection").textContent = text.offline;
    $("connection").className = "connection offline";
    // Dropped by the server (sessions revoked, account changed): the reload leads to sign-in.
    if (reason === "io server disconnect") { window.location.reload(); }
  });
  socket.on("session.revoked", function () { window.location.reload(); });

  function afterAction(data) {
    say("");
    if (data.counter) { state.counter = data.counter; }
    if (data.next) {  /* a step finished: where the visit went */
      say(text.finish.sent.replace("{number}", data.next.number).replace("{service}", data.next.service.name), "ok");
    }
    if (data.counter && data.ticket && data.ticket.counter && data.ticket.counter.id === counterId &&
        (data.ticket.status === "called" || data.ticket.status === "serving")) {
      state.current = data.ticket;
    }
    refresh();
  }
  function failed(err) {
    say(err.message || text.network, "bad", err.detail);
    if (err.code === "recall_limit") { say(text.recall_limit, "warn"); }
    refresh();
  }
  function onRetry() { say(text.network, "warn"); }

  /* One action at a time; aria-busy tells assistive technology (and the browser tests) when the
     console takes keys again. */
  function setBusy(flag) {
    busy = flag;
    root.setAttribute("aria-busy", flag ? "true" : "false");
  }
  function run(url, body) {
    if (busy) { return; }
    setBusy(true);
    Antre.api.post(url, body, onRetry).then(afterAction, failed).finally(function () { setBusy(false); });
  }
  function act(ticketId, action, body) { run(ticketsUrl + ticketId + "/" + action, body); }
  function onCurrent(action, body) {
    if (state.current) { act(state.current.id, action, body); }
  }

  var actions = {
    "call-next": function () { run(root.dataset.api + "/call-next", { request_id: Antre.api.requestId() }); },
    "recall": function () { onCurrent("recall", { recall_count: state.current && state.current.recall_count }); },
    "start": function () { onCurrent("start"); },
    "finish": finish,
    "no-show": function () { onCurrent("no-show"); },
    "transfer": openTransfer,
    "open": function () { run(root.dataset.api + "/status", { status: "open" }); },
    "pause": function () { $("pause-dialog").showModal(); },
    "close": function () { run(root.dataset.api + "/status", { status: "closed" }); }
  };
  Object.keys(actions).forEach(function (name) {
    $("btn-" + name).addEventListener("click", actions[name]);
  });

  /* Off a pathway: finish at once, as always. On one: ask where the visit goes next. */
  function finish() {
    var t = state.current;
    if (!t) { return; }
    var note = $("note").value;
    var send = function (body) {
      body.note = note;
      $("note").value = "";
      act(t.id, "finish", body);
    };
    if (!onPathway(t)) { return send({}); }
    AntreFinish.ask(nextStepsUrl(t), t, send).catch(function (err) {
      say(err.message || text.network, "bad", err.detail);
    });
  }

  async function openTransfer() {
    if (!state.current) { return; }
    var select = $("transfer-service");
    if (!select.options.length) {
      var data = await Antre.api.get(root.dataset.services);
      data.services.forEach(function (s) {
        if (s.id !== state.current.service.id) {
          select.appendChild(el("option", { value: s.id, text: s.agency + " · " + s.prefix + " " + s.name }));
        }
      });
    }
    $("transfer-dialog").showModal();
  }
  $("transfer-dialog").addEventListener("close", function () {
    if ($("transfer-dialog").returnValue !== "ok") { return; }
    onCurrent("transfer", { service_id: Number($("transfer-service").value), note: $("transfer-note").value });
    $("transfer-note").value = "";
  });
  $("pause-dialog").addEventListener("close", function () {
    if ($("pause-dialog").returnValue !== "ok") { return; }
    run(root.dataset.api + "/status", { status: "paused", reason: $("pause-reason").value });
  });

  /* A booked citizen at the counter: the code becomes a ticket in this agency's queue. */
  $("booking-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = $("booking-code").value.replace(/[\s-]/g, "").toUpperCase();
    var url = root.dataset.bookingCheckin.replace("CODE", encodeURIComponent(code));
    Antre.api.post(url, {}).then(function (data) {
      $("booking-code").value = "";
      say(text.checked_in.replace("{number}", data.ticket.number), "ok");
      refresh();
    }, function (err) { say(err.message || text.network, "bad", err.detail); });
  });

  var keys = { "F1": "call-next", " ": "call-next", "r": "recall", "s": "start", "f": "finish",
               "n": "no-show", "t": "transfer", "o": "open", "b": "pause", "c": "close" };
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || document.querySelector("dialog[open]")) { return; }
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    var name = keys[event.key] || keys[(event.key || "").toLowerCase()];
    if (!name) { return; }
    event.preventDefault();
    var button = $("btn-" + name);
    if (button && !button.disabled) { actions[name](); }
  });

  setInterval(function () { renderLists(); }, 30000);  /* waited minutes tick */
  setInterval(refresh, 120000);  /* the server's queue order (priority ratio) is authoritative */
})();
