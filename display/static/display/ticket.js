/* The ticket page, live: connect to /ticket with socket.io-client, "join" with the code, listen.
   The join answer is a fresh snapshot; Antre.stream (antre.js) keeps the events in step: a gap
   in an event's sequence number, an unknown room, a transfer, or a reconnect joins again. While
   the connection is down the page polls its JSON every 20 s.
   The "your turn" alert follows the ticket's state: it is shown while the ticket is called and
   goes away when it is served, finished, missed, cancelled or transferred. A phone only plays
   sound and vibrates after a tap, so the page asks for one tap first ("Aktifkan suara & getar").
   ES5, no framework. */
(function (window, document) {
  'use strict';

  var NS = '/ticket';
  var root = document.getElementById('ticket');
  var code = root.getAttribute('data-code');
  var ticket = JSON.parse(document.getElementById('tk-data').textContent);
  var socket = null;
  var live = null;
  var pollTimer = null;
  var lastAlert = '';
  var FINAL = { done: 1, no_show: 1, cancelled: 1, transferred: 1 };
  var sound = null;        // { context, chime } once the tap unlocked Web Audio
  var vibrateOk = false;   // vibration is refused until the page has been tapped
  var notice = null;       // the Notification shown for the current call, closed when it ends
  var notifyOffered = false;

  function $(id) { return document.getElementById(id); }
  function t(key) { return root.getAttribute('data-t-' + key) || key; }
  /* Text is written only when it changes: the wait is a live region, and a screen reader
     would otherwise repeat "2 orang di depan Anda" on every event of the queue. */
  function setText(id, text) {
    var node = $(id);
    if (node.textContent !== String(text)) { node.textContent = text; }
  }
  function show(id, on) {
    var node = $(id);
    node.className = node.className.replace(/ ?hidden/g, '') + (on ? '' : ' hidden');
  }

  function counterText(counter) {
    return counter ? (counter.name || t('counter') + ' ' + counter.number) : '';
  }

  /* The priority group and "Booking", as on the paper and the TV. */
  function tagText() {
    var parts = [];
    var label = ticket.priority_label;
    if (label) { parts.push(label[document.documentElement.lang] || label.id); }
    if (ticket.booked) { parts.push(t('booking')); }
    return parts.join(' · ');
  }

  /* The path: the visit's tickets (the last is where it stands), then the planned steps. */
  function here(path) {
    for (var i = path.length - 1; i >= 0; i--) { if (path[i].number) { return i; } }
    return -1;
  }

  function renderPath() {
    var path = ticket.path || [], list = $('tk-path-list'), at = here(path);
    if (at >= 0 && FINAL[path[at].status]) { at = -1; }
    var key = JSON.stringify(path) + at;
    show('tk-path', path.length > 1);
    if (list.getAttribute('data-key') === key) { return; }
    list.innerHTML = '';
    for (var i = 0; i < path.length; i++) {
      var row = path[i], item = document.createElement('li');
      item.className = 'is-' + row.status + (i === at ? ' is-here' : '');
      if (i === at) { item.setAttribute('aria-current', 'step'); }
      item.innerHTML = '<i></i><b></b><span></span>';
      item.children[1].textContent = row.step || row.service;
      item.children[2].textContent = [row.step && row.service, row.number].join(' · ')
        .replace(/^ · | · $/, '');
      item.children[0].textContent = i === at ? t('here') : t(row.status);
      list.appendChild(item);
    }
    list.setAttribute('data-key', key);
  }

  function render() {
    var status = ticket.status;
    setText('tk-number', ticket.number);
    setText('tk-tag', tagText());
    show('tk-tag', !!tagText());
    setText('tk-service', ticket.service.name);
    setText('tk-agency', ticket.agency.short_name);
    setText('tk-agency-name', ticket.agency.name);
    setText('tk-status', t(status));
    $('tk-status').className = 'tk-status is-' + status;
    setText('tk-from-number', ticket.transferred_from || '');
    show('tk-from', !!ticket.transferred_from);
    show('tk-wait', status === 'waiting');
    setText('tk-ahead', ticket.people_ahead);
    show('tk-ahead', ticket.people_ahead > 0);
    setText('tk-ahead-label', ticket.people_ahead > 0 ? t('ahead') : t('next'));
    setText('tk-eta', ticket.people_ahead > 0 ?
      t('minutes').replace('{n}', ticket.eta_minutes) : '');
    var atCounter = (status === 'called' || status === 'serving') && ticket.counter;
    setText('tk-counter', atCounter ? t('go') + ' ' + counterText(ticket.counter) : '');
    show('tk-counter', !!atCounter);
    show('tk-survey', status === 'done');
    show('tk-notify', notifyOffered && !FINAL[status] && !ticket.expired);
    if ($('tk-optin')) { show('tk-optin', !FINAL[status] && !ticket.expired); }  // ticket_optin.js
    if (FINAL[status]) { show('tk-sound', false); }
    renderPath();
    document.title = ticket.number + ' · ' + t(status);
    if (status !== 'called') { endAlert(); }
  }

  /* The alert belongs to one call of one ticket: anything else ends it (and a later call of the
     same ticket, after a reactivation, alerts again). */
  function endAlert() {
    lastAlert = '';
    show('tk-alert', false);
    if (notice) { try { notice.close(); } catch (e) { /* already gone */ } notice = null; }
  }

  /* ---- Sound and vibration: unlocked by one tap ---- */
  function unlockSound() {
    vibrateOk = true;
    show('tk-sound', false);
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || sound) { return; }
    var context = new Context();
    sound = { context: context, chime: null };
    // A short silent buffer played inside the tap is what lets this context sound later.
    var silent = context.createBufferSource();
    silent.buffer = context.createBuffer(1, 1, 22050);
    silent.connect(context.destination);
    silent.start(0);
    if (context.resume) { context.resume(); }
    var xhr = new window.XMLHttpRequest();
    xhr.open('GET', root.getAttribute('data-chime-url'), true);
    xhr.responseType = 'arraybuffer';
    xhr.onload = function () {
      if (xhr.status !== 200) { return; }
      context.decodeAudioData(xhr.response, function (buffer) {
        sound.chime = buffer;
        root.setAttribute('data-sound', 'ready');
        if (lastAlert) { playChime(); }  // opened while already called: ring now
      }, function () { root.setAttribute('data-sound', 'undecodable'); });
    };
    xhr.send();
  }

  function playChime() {
    if (!sound || !sound.chime) { return; }
    var context = sound.context;
    if (context.state === 'suspended' && context.resume) { context.resume(); }
    var source = context.createBufferSource();
    source.buffer = sound.chime;
    source.connect(context.destination);
    source.onended = function () {
      var played = parseInt(root.getAttribute('data-chimes-played') || '0', 10);
      root.setAttribute('data-chimes-played', String(played + 1));
    };
    source.start(0);
    root.setAttribute('data-chime', context.state);
  }

  function vibrate() {
    var activated = window.navigator.userActivation ?
      window.navigator.userActivation.hasBeenActive : vibrateOk;
    if (activated && window.navigator.vibrate) {
      window.navigator.vibrate([400, 150, 400, 150, 800]);
    }
  }

  /* "Notify me" only where a page may show a Notification by itself: Android's Chrome refuses
     the constructor ("Illegal constructor", it wants a service worker), as do mobile browsers. */
  function notificationsWork() {
    var N = window.Notification;
    if (!N || N.permission !== 'default') { return false; }
    if (window.navigator.userAgentData && window.navigator.userAgentData.mobile) { return false; }
    try {
      var probe = new N('', { silent: true, tag: 'antre-probe' });  // not shown: no permission yet
      if (probe.close) { probe.close(); }
      return true;
    } catch (e) {
      return false;
    }
  }

  function alertCalled(recall) {
    var text = t('go') + ' ' + counterText(ticket.counter);
    var key = ticket.id + ':' + recall;
    if (key === lastAlert) { return; }
    lastAlert = key;
    $('tk-alert-text').textContent = text;
    show('tk-alert', true);
    document.title = t('turn') + ' ' + text;
    playChime();
    vibrate();
    if (window.Notification && window.Notification.permission === 'granted') {
      try { notice = new window.Notification(t('turn'), { body: text, tag: 'antre-' + ticket.id }); }
      catch (e) { /* Android wants a service worker for this: sound, vibration, screen remain */ }
    }
  }

  function applySnapshot(data) {
    var wasCalled = ticket.status === 'called';
    ticket = data;
    render();
    if (ticket.status === 'called' && !wasCalled) { alertCalled(0); }
  }

  /* ---- events, in order (Antre.stream) ---- */
  function onEvent(name, msg) {
    if (name === 'ticket.changed') { ticketChanged(msg); }
    else if (name === 'queue.changed' && msg.service_id === ticket.service.id) { placeInQueue(msg); }
  }

  function ticketChanged(msg) {
    var changed = msg.ticket;
    if (changed.id !== ticket.id) { live.resync(); return; }  // the visit's newer ticket (next step)
    if (here(ticket.path || []) >= 0) { ticket.path[here(ticket.path)].status = changed.status; }
    if (msg.action === 'transfer') {
      // Never the old counter: show "transferred" at once; the join brings the new ticket.
      ticket.status = changed.status;
      ticket.counter = null;
      render();
      live.resync();
      return;
    }
    ticket.status = changed.status;
    ticket.counter = (changed.status === 'called' || changed.status === 'serving') ?
      changed.counter : null;
    if (changed.status !== 'waiting') { ticket.people_ahead = 0; ticket.eta_minutes = 0; }
    render();
    if (msg.action === 'call' || msg.action === 'recall') { alertCalled(changed.recall_count); }
  }

  /* In the head: exact; behind it: minus the calls since (docs/events.md). */
  function placeInQueue(msg) {
    var head = msg.head || [], i = 0, n = Math.max(0, msg.called - (ticket.called || 0));
    ticket.called = msg.called;
    while (head[i] && head[i].id !== ticket.id) { i++; }
    if (ticket.status !== 'waiting') { return; }
    ticket.people_ahead = head[i] ? head[i].people_ahead :
      Math.max(msg.window, ticket.people_ahead - n);
    ticket.eta_minutes = head[i] ? head[i].eta_minutes :
      Math.ceil(ticket.people_ahead * msg.minutes_per_ticket / Math.max(1, msg.open_counters));
    render();
  }

  /* ---- Live updates through socket.io-client (from npm, served locally) ---- */
  /* A snapshot: the join's answer while connected, else the page's JSON. */
  function snapshot(done, fail) {
    if (socket && socket.connected) {
      socket.emit('join', { code: code }, function (answer) {
        if (answer && answer.ok) { done(answer); } else { fail(); }
      });
    } else {
      Antre.getJSON(root.getAttribute('data-json-url'), done, fail);
    }
  }

  function online(on) {
    $('tk-link').textContent = on ? t('live') : t('offline');
    $('tk-link').className = on ? 'tk-link' : 'tk-link is-off';
    window.clearInterval(pollTimer);
    pollTimer = on ? null : window.setInterval(function () { live.resync(); }, 20000);
  }

  function connect() {
    if (window.io) {
      socket = window.io(NS, { path: Antre.socketPath(), transports: ['websocket', 'polling'] });
    }
    live = Antre.stream({
      socket: socket,
      events: ['ticket.changed', 'queue.changed'],
      snapshot: snapshot,
      initial: ticket,
      onSnapshot: applySnapshot,
      onEvent: onEvent
    });
    if (!socket) { online(false); return; } // the library did not load: poll instead
    socket.on('connect', function () { online(true); });
    socket.on('disconnect', function () { online(false); });
  }

  $('tk-alert-ok').onclick = function () { show('tk-alert', false); };
  $('tk-sound-on').onclick = unlockSound;
  $('tk-sound-skip').onclick = function () { show('tk-sound', false); };
  notifyOffered = notificationsWork();
  $('tk-notify').onclick = function () {
    window.Notification.requestPermission(function () {
      notifyOffered = false;
      render();
    });
  };
  show('tk-sound', !FINAL[ticket.status]);
  render();
  if (ticket.status === 'called') { alertCalled(0); }
  connect();
})(window, document);
