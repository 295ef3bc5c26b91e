/* What every Antre page may need, before its own script: a DOM builder, JSON over HTTP (the CSRF
   token, retries), the live stream's resync rule and the site's clock. Plain ES5 for old TV
   browsers and Android WebViews: XMLHttpRequest and callbacks at the core; the promise forms
   (Antre.api) only for the staff screens, whose browsers have Promise. */
var Antre = (function () {
  "use strict";
  var DAYS = {
    id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
  };
  var MONTHS = {
    id: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
      "Oktober", "November", "Desember"],
    en: ["January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December"]
  };

  function pad(n) { return n < 10 ? "0" + n : "" + n; }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* One request. done(status, body) for any answer from the server (body {} when it is not
     JSON); fail() when the server could not be reached (or did not answer in time). */
  function xhr(method, url, body, done, fail, timeout) {
    var req = new window.XMLHttpRequest();
    var over = false;
    req.open(method, url, true);
    req.setRequestHeader("Accept", "application/json");
    if (method !== "GET" && csrfToken()) { req.setRequestHeader("X-CSRFToken", csrfToken()); }
    if (body !== undefined && body !== null) { req.setRequestHeader("Content-Type", "application/json"); }
    if (timeout) { req.timeout = timeout; }
    req.onreadystatechange = function () {
      if (req.readyState !== 4 || over) { return; }
      over = true;
      if (!req.status) { fail(String(req.statusText || "network error")); return; }
      var data = null;
      try { data = JSON.parse(req.responseText); } catch (e) { data = null; }
      done(req.status, data || {}, data !== null);
    };
    req.send(body !== undefined && body !== null ? JSON.stringify(body) : null);
  }

  /* A GET of JSON, never from a cache (old TV browsers cache XHR GETs): ok(data) or fail(). */
  function getJSON(url, ok, fail, timeout) {
    var fresh = url + (url.indexOf("?") < 0 ? "?" : "&") + "_=" + new Date().getTime();
    xhr("GET", fresh, null, function (status, data, parsed) {
      if (status === 200 && parsed) { ok(data); } else if (fail) { fail(status, data); }
    }, function () { if (fail) { fail(0, {}); } }, timeout || 8000);
  }

  /* A POST or PUT with the CSRF token. A network failure sends the same body again (the server
     treats a repeat as done: idempotency keys, request ids) after opts.delay(attempt) ms, up to
     opts.retries times; then fail(). An answer from the server, any status, is done(status, body). */
  function send(method, url, body, done, fail, opts) {
    opts = opts || {};
    var retries = opts.retries === undefined ? 2 : opts.retries;
    function attempt(n) {
      xhr(method, url, body, done, function (why) {
        if (n >= retries) { fail(why); return; }
        if (opts.onRetry) { opts.onRetry(n); }
        window.setTimeout(function () { attempt(n + 1); },
          opts.delay ? opts.delay(n) : 800);
      });
    }
    attempt(0);
  }

  /* Promises over send() for the staff screens: resolve with the body of a 2xx; reject with
     {status, code, message, detail, field}, or {network: true} when the server stays away.
     A 401 (the session ended) reloads the page, which leads to sign-in. */
  function apiCall(method, url, body, onRetry) {
    return new window.Promise(function (resolve, reject) {
      send(method, url, body, function (status, data) {
        if (status === 401) { window.location.reload(); }
        if (status >= 200 && status < 300) { resolve(data); return; }
        reject({ status: status, code: data.error, message: data.message, detail: data.detail,
                 field: data.field });
      }, function (why) {
        reject({ message: null, detail: why, network: true });
      }, { retries: 5, onRetry: onRetry,
           delay: function (n) { return Math.min(8000, 500 * Math.pow(2, n)); } });
    });
  }

  function requestId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(new Date().getTime()) + Math.random().toString(16).slice(2);
  }

  /* The site's wall clock at ms (UTC) in its fixed offset (Indonesia has no summer time):
     {date: "Senin, 7 Juli 2025", time: "08.05"}, in Bahasa Indonesia unless lang is "en". */
  function siteClock(ms, offsetMinutes, lang) {
    var d = new Date(ms + (offsetMinutes || 0) * 60000);
    return {
      date: dayText(d, lang) + " " + d.getUTCFullYear(),
      time: pad(d.getUTCHours()) + "." + pad(d.getUTCMinutes())
    };
  }
  /* "Senin, 7 Juli" of a date read in UTC, or of a calendar day "2025-07-07". */
  function dayText(d, lang) {
    if (typeof d === "string") {
      var p = d.split("-");
      d = new Date(Date.UTC(Number(p[0]), Number(p[1]) - 1, Number(p[2])));
    }
    var words = lang === "en" ? "en" : "id";
    return DAYS[words][d.getUTCDay()] + ", " + d.getUTCDate() + " " + MONTHS[words][d.getUTCMonth()];
  }

  /* A live stream of events over Socket.IO, kept in step with snapshots. The rule, the same on
     every screen: a snapshot carries each room's last sequence number (seqs); an event is
     applied when its seq is the next of its room; an old seq (<= the last applied) is ignored;
     a gap, or a room the snapshot did not know, takes one fresh snapshot (events that come
     meanwhile wait and are applied after it); every reconnect takes one too. Options:
       socket      a socket.io-client socket (null: snapshots only, e.g. no library loaded)
       events      the event names to follow
       join        the join payload, or a function returning it (omitted: no join)
       onJoin      (answer) -> false to stop (a refused join)
       snapshot    (done(data), fail()) fetches one; seqsOf(data) reads its seqs (data.seqs)
       onSnapshot  (data) applies it;  onEvent (name, msg) applies one event
       onGap       (name, msg) before the resync, for an event complete in itself
       retryMs     a failed snapshot is tried again after this long (omitted: not retried)
       initial     a snapshot already in the page (else one is fetched at once) */
  function stream(o) {
    var seqs = null, syncing = false, again = false, pending = [], joined = null;
    var connectedBefore = false, askedFor = {};
    var seqsOf = o.seqsOf || function (data) { return data.seqs || {}; };

    function behind(known) {
      for (var room in known) {
        if (known.hasOwnProperty(room) && (!seqs || seqs[room] === undefined || known[room] > seqs[room])) {
          return true;
        }
      }
      return false;
    }
    function apply(data) {
      seqs = {};
      var fresh = seqsOf(data);
      for (var room in fresh) { if (fresh.hasOwnProperty(room)) { seqs[room] = fresh[room]; } }
      o.onSnapshot(data);
    }
    function resync() {
      if (syncing) { again = true; return; }
      syncing = true;
      again = false;
      o.snapshot(function (data) {
        syncing = false;
        apply(data);
        var queued = pending;
        pending = [];
        for (var i = 0; i < queued.length; i++) { handle(queued[i][0], queued[i][1]); }
        var join = joined;
        joined = null;
        if (again || (join && behind(join))) { resync(); }
      }, function () {
        syncing = false;
        if (again) { resync(); } else if (o.retryMs) { window.setTimeout(resync, o.retryMs); }
      });
    }
    function handle(name, msg) {
      if (syncing || !seqs) {
        // Kept for after the snapshot; past a bound the gap rule takes over (a fresh snapshot).
        if (pending.length < 500) { pending.push([name, msg]); } else { again = true; }
        return;
      }
      if (typeof msg.seq !== "number") { o.onEvent(name, msg); return; }
      var last = seqs[msg.room];
      if (last === undefined) {
        if (askedFor[msg.room]) { return; } // the fresh snapshot did not know it either
        askedFor[msg.room] = true;
      } else if (msg.seq <= last) {
        return;
      } else if (msg.seq === last + 1) {
        seqs[msg.room] = msg.seq;
        o.onEvent(name, msg);
        return;
      }
      if (o.onGap) { o.onGap(name, msg); }
      resync();
    }
    function join(force) {
      if (!o.join) { resync(); return; }
      var payload = typeof o.join === "function" ? o.join() : o.join;
      o.socket.emit("join", payload, function (answer) {
        if (o.onJoin && o.onJoin(answer) === false) { return; }
        var known = seqsOf(answer || {});
        // Events sent between the snapshot and the join are in no snapshot: the join's seqs tell.
        if (force) { resync(); } else if (syncing) { joined = known; } else if (!seqs || behind(known)) { resync(); }
      });
    }

    if (o.initial) { apply(o.initial); } else { resync(); }
    if (o.socket) {
      o.socket.on("connect", function () {
        join(connectedBefore);
        connectedBefore = true;
      });
      for (var i = 0; i < o.events.length; i++) {
        (function (name) { o.socket.on(name, function (msg) { handle(name, msg); }); })(o.events[i]);
      }
    }
    return {
      resync: resync,          // take a fresh snapshot now (one at a time)
      rejoin: function () { if (o.socket && o.socket.connected) { join(true); } else { resync(); } },
      apply: apply             // a snapshot got elsewhere
    };
  }

  return {
    // A DOM element: el("li", {"class": "x", text: "…"}, [children]); text is never parsed as HTML.
    el: function (tag, attrs, children) {
      var node = document.createElement(tag);
      var keys = Object.keys(attrs || {});
      for (var i = 0; i < keys.length; i++) {
        var k = keys[i];
        if (k === "text") {
          if (attrs[k] !== null && attrs[k] !== undefined) { node.textContent = attrs[k]; }
        } else if (k === "class") {
          if (attrs[k]) { node.className = attrs[k]; }
        } else { node.setAttribute(k, attrs[k]); }
      }
      for (var j = 0; j < (children || []).length; j++) { node.appendChild(children[j]); }
      return node;
    },
    // Where this server's Socket.IO listens: /socket.io, or /<app>/socket.io for one app alone.
    socketPath: function () {
      var meta = document.querySelector('meta[name="socketio-path"]');
      return (meta && meta.content) || "/socket.io";
    },
    csrfToken: csrfToken,
    getJSON: getJSON,
    send: send,
    api: {
      get: function (url) { return apiCall("GET", url); },
      post: function (url, body, onRetry) { return apiCall("POST", url, body || {}, onRetry); },
      put: function (url, body, onRetry) { return apiCall("PUT", url, body || {}, onRetry); },
      requestId: requestId
    },
    siteClock: siteClock,
    dayText: dayText,
    stream: stream
  };
}());
