/* The lobby TV. Snapshot from /display/api/state, then live Socket.IO events on /display, kept
   in step by Antre.stream (antre.js): an old seq is ignored, a gap, an unknown room or a
   reconnect fetches a fresh snapshot. Polling only while Socket.IO is down.
   Plain ES5: old smart-TV browsers, no build step. */
(function (window, document) {
  'use strict';
  var root = document.getElementById('tv');
  var zone = parseInt(root.getAttribute('data-zone'), 10);
  var lang = root.getAttribute('data-lang');
  var stateUrl = root.getAttribute('data-state-url');
  var mediaUrl = root.getAttribute('data-media-url');
  var logoUrl = root.getAttribute('data-logo-url');
  var RECENT = 6;
  // The waiting list shows what fits and turns its pages by itself (?page_seconds=N to change).
  var PAGE_SECONDS = Math.max(1, parseInt(
    (/[?&]page_seconds=(\d+)/.exec(window.location.search) || [])[1], 10) || 10);
  var waitingPage = 0;
  var state = null;
  var live = null;
  var skew = 0;
  var shownDate = '';
  var pollTimer = null;
  var offlineTimer = null;
  var socket = null;

  function $(id) { return document.getElementById(id); }
  function t(key) { return root.getAttribute('data-t-' + key) || key; }
  function el(tag, cls, text) { return Antre.el(tag, { 'class': cls, text: text }); }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  var announcer = new window.AntreAnnouncer({
    chimeUrl: root.getAttribute('data-chime-url'),
    announceUrl: root.getAttribute('data-announce-url'),
    onBlocked: function () { askForSound(); }
  });

  /* The badge takes the focus: a TV remote's OK is an Enter on the focused button. */
  function askForSound() {
    var badge = $('sound-on');
    badge.className = 'tv-sound';
    root.setAttribute('data-sound', 'ask');
    try { badge.focus(); } catch (e) { /* an old browser without focus() on buttons */ }
  }

  /* ---- events, applied in order by Antre.stream ---- */
  function handle(name, msg) {
    if (name === 'ticket.called') { called(msg); }
    else if (name === 'queue.changed') { queueChanged(msg); }
    else if (name === 'counter.changed') { counterChanged(msg.counter); }
    else if (name === 'counter.cleared') { counterCleared(msg); }
    else if (name === 'config.changed') { live.rejoin(); } // the zone's rooms may have changed
  }

  /* Missed something: the stream resyncs. A call is complete in itself: still shown and spoken. */
  function gap(name, msg) {
    if (name === 'ticket.called' && state) { called(msg); }
  }

  /* ---- applying state and events ---- */
  function apply(data) {
    state = data;
    skew = data.server_ms - Date.now();
    announcer.configure(data.zone.voice);
    $('mall-name').textContent = data.site.name;
    $('ticker-text').textContent = data.site.running_text;
    $('ticker').style.webkitAnimationDuration = $('ticker').style.animationDuration =
      Math.max(20, Math.round(data.site.running_text.length / 6)) + 's';
    if (data.site.logo) {
      /* the image id in the address: a new logo is a new address, never a stale cached one */
      $('mall-logo').src = logoUrl + '?v=' + data.site.logo;
      $('mall-logo').className = 'tv-logo';
      $('mall-mark').className = 'hidden';
    } else {
      $('mall-logo').className = 'tv-logo hidden';
      $('mall-mark').className = 'tv-mark';
    }
    renderHero(data.recent_calls[0], false);
    renderRecent();
    renderServing(null);
    renderWaiting();
    startMedia(data.zone.media);
    tick();
  }

  function inZone(counterId) {
    for (var i = 0; i < state.counters.length; i++) {
      if (state.counters[i].id === counterId) { return state.counters[i]; }
    }
    return null;
  }

  function called(call) {
    /* The call's queue.changed rides inside it (one frame per TV): docs/events.md */
    if (call.queue) { queueChanged(call.queue); }
    var counter = call.counter && inZone(call.counter.id);
    if (!counter) { return; }
    counter.current = call;
    var recent = [call];
    for (var i = 0; i < state.recent_calls.length && recent.length < RECENT; i++) {
      if (state.recent_calls[i].ticket_id !== call.ticket_id) { recent.push(state.recent_calls[i]); }
    }
    state.recent_calls = recent;
    renderHero(call, true);
    renderRecent();
    renderServing(counter.id);
    announcer.enqueue(call);
  }

  function queueChanged(summary) {
    for (var i = 0; i < state.services.length; i++) {
      var service = state.services[i];
      if (service.id === summary.service_id) {
        service.waiting = summary.waiting;
        service.eta_minutes = summary.eta_minutes;
        service.open = summary.open;
      }
    }
    renderWaiting();
  }

  /* The ticket left its counter (finished, no-show, cancelled, transferred): the tile empties. */
  function counterCleared(msg) {
    if (msg.queue) { queueChanged(msg.queue); }
    var counter = inZone(msg.counter_id);
    if (!counter || !counter.current || counter.current.ticket_id !== msg.ticket_id) { return; }
    counter.current = null;
    renderServing(null);
  }

  function counterChanged(changed) {
    var counter = inZone(changed.id);
    if (!counter) { return; }
    counter.status = changed.status;
    counter.name = changed.name;
    renderServing(null);
  }

  /* ---- rendering ---- */
  function counterLabel(counter) { return counter ? counter.name || t('counter') + ' ' + counter.number : ''; }
  /* Where a call sends the citizen: "Loket 3", or for a consulting room "Poli Anak, Ruang 3". */
  function placeLabel(call) {
    var counter = counterLabel(call.counter);
    return call.poli ? call.poli + ', ' + counter : counter;
  }

  /* The priority group and "Booking": why a number may be called before earlier ones. */
  function tagOf(call) {
    var parts = [];
    var label = call && call.priority_label;
    if (label) { parts.push(label[lang] || label.id); }
    if (call && call.booked) { parts.push(t('booking')); }
    return parts.join(' · ');
  }

  function renderHero(call, flash) {
    var number = $('hero-number');
    number.textContent = call ? call.number : t('none');
    fit(number);
    var tag = tagOf(call);
    $('hero-tag').textContent = tag;
    $('hero-tag').className = tag ? 'tv-tag' : 'tv-tag hidden';
    $('hero-counter').textContent = call ? placeLabel(call) : '';
    $('hero-counter').className = 'tv-hero-counter' + (call && call.poli ? ' is-room' : '');
    $('hero-service').textContent = call ? call.agency.short_name + ' · ' + call.service.name : '';
    if (flash) {
      var hero = $('hero-number').parentNode;
      hero.className = 'tv-hero';
      void hero.offsetWidth; // restart the animation for a call right after another
      hero.className = 'tv-hero flash';
    }
  }

  /* A long number (two-letter prefix, four digits) shrinks to fit instead of overflowing. */
  function fit(node) {
    node.style.fontSize = '';
    var size = parseFloat(window.getComputedStyle(node).fontSize);
    while (node.scrollWidth > node.clientWidth && size > 40) {
      size = size * 0.92;
      node.style.fontSize = size + 'px';
    }
  }

  function renderRecent() {
    var list = $('recent');
    clear(list);
    for (var i = 1; i < state.recent_calls.length; i++) {
      var call = state.recent_calls[i];
      var item = el('li');
      item.appendChild(el('span', 'num', call.number));
      var tag = tagOf(call);
      if (tag) { item.appendChild(el('span', 'tv-tag', tag)); }
      item.appendChild(el('span', 'ctr', counterLabel(call.counter)));  // short: the hero names the poli
      list.appendChild(item);
    }
  }

  function agencyColour(id) {
    for (var i = 0; i < state.agencies.length; i++) {
      if (state.agencies[i].id === id) { return state.agencies[i]; }
    }
    return { colour: '#1d4ed8', short_name: '' };
  }

  function renderServing(newId) {
    var grid = $('serving');
    clear(grid);
    grid.className = 'tv-serving-grid' + (state.counters.length > 16 ? ' dense' : '');
    for (var i = 0; i < state.counters.length; i++) {
      var counter = state.counters[i];
      var agency = agencyColour(counter.agency_id);
      var tile = el('div', 'tv-tile' + (counter.status !== 'open' ? ' is-closed' : '') +
        (counter.id === newId ? ' is-new' : ''));
      tile.style.borderLeftColor = agency.colour;
      var head = el('div', 'tv-tile-head');
      head.appendChild(el('span', 'ctr', counterLabel(counter)));
      head.appendChild(el('span', null, counter.status === 'open' ? agency.short_name : t(counter.status)));
      tile.appendChild(head);
      tile.appendChild(el('div', 'tv-tile-num', counter.current ? counter.current.number : t('none')));
      grid.appendChild(tile);
    }
    if (newId) {
      window.setTimeout(function () { renderServing(null); }, 4000);
    }
  }

  /* Splits the rows into pages of what fits the list's height (filled row by row). */
  function waitingPages(list, items) {
    var pages = [];
    var start = 0;
    while (start < items.length) {
      clear(list);
      var end = start;
      var bottom = list.getBoundingClientRect().bottom;
      while (end < items.length) {
        list.appendChild(items[end]);
        if (end > start && items[end].getBoundingClientRect().bottom > bottom + 0.5) {
          list.removeChild(items[end]);
          break;
        }
        end++;
      }
      pages.push(items.slice(start, end));
      start = end;
    }
    return pages;
  }

  function renderWaiting() {
    var list = $('waiting');
    var items = [];
    for (var i = 0; i < state.services.length; i++) {
      var service = state.services[i];
      var item = el('li', service.open ? '' : 'is-closed');
      item.appendChild(el('span', 'svc', service.prefix + ' · ' + service.name));
      item.appendChild(el('span', 'count', service.open ? '' + service.waiting : t('closed')));
      items.push(item);
    }
    var pages = waitingPages(list, items);
    if (waitingPage >= pages.length) { waitingPage = 0; }
    clear(list);
    var shown = pages[waitingPage] || [];
    for (var j = 0; j < shown.length; j++) { list.appendChild(shown[j]); }
    $('waiting-page').textContent = pages.length > 1 ?
      t('page').replace('{n}', waitingPage + 1).replace('{total}', pages.length) : '';
    root.setAttribute('data-waiting-pages', pages.length);
  }

  function nextWaitingPage() {
    if (!state) { return; }
    waitingPage++;
    renderWaiting(); // past the last page: back to the first
  }

  /* ---- clock in the mall's time zone (fixed offsets: Indonesia has no summer time) ---- */
  function tick() {
    if (!state) { return; }
    var clock = Antre.siteClock(Date.now() + skew, state.site.utc_offset_minutes, lang);
    $('tv-clock').textContent = clock.time + ' ' + state.site.zone_name;
    if (shownDate && clock.date !== shownDate) { live.resync(); } // a new business day
    shownDate = clock.date;
    $('tv-date').textContent = clock.date;
  }

  /* ---- media area: images for 10 s each, videos until they end ---- */
  var mediaTimer = null;
  var mediaKey = '';
  function startMedia(files) {
    var box = $('media');
    if (files.join('|') === mediaKey) { return; }
    mediaKey = files.join('|');
    window.clearTimeout(mediaTimer);
    clear(box);
    box.className = files.length ? 'tv-media' : 'tv-media hidden';
    var index = 0;
    function show() {
      if (!files.length) { return; }
      var name = files[index % files.length];
      index++;
      clear(box);
      if (/\.(mp4|webm|ogv)$/i.test(name)) {
        var video = el('video');
        video.muted = true;
        video.autoplay = true;
        video.loop = files.length === 1;
        video.onended = show;
        video.onerror = function () { mediaTimer = window.setTimeout(show, 3000); };
        video.src = mediaUrl + name;
        box.appendChild(video);
      } else {
        var image = el('img');
        image.alt = '';
        image.src = mediaUrl + name;
        box.appendChild(image);
        if (files.length > 1) { mediaTimer = window.setTimeout(show, 10000); }
      }
    }
    show();
  }

  /* ---- connection ---- */
  function polling(on) {
    window.clearInterval(pollTimer);
    pollTimer = on ? window.setInterval(function () { live.resync(); }, 15000) : null;
  }

  function connect() {
    if (typeof window.io === 'function') {
      socket = window.io('/display', {
        path: Antre.socketPath(), reconnectionDelay: 500, reconnectionDelayMax: 2000
      });
    }
    live = Antre.stream({
      socket: socket,
      events: ['ticket.called', 'queue.changed', 'counter.changed', 'counter.cleared',
        'config.changed'],
      join: { zone: zone },
      onJoin: function (answer) {
        if (!answer || !answer.ok) { return false; }
        root.setAttribute('data-live', 'true');
      },
      snapshot: function (done, fail) { Antre.getJSON(stateUrl, done, fail); },
      retryMs: 2000,
      onSnapshot: apply,
      onEvent: handle,
      onGap: gap
    });
    if (!socket) { polling(true); return; }
    socket.on('connect', function () {
      window.clearTimeout(offlineTimer);
      $('offline').className = 'tv-offline hidden';
      polling(false);
    });
    socket.on('disconnect', function () {
      root.setAttribute('data-live', 'false');
      offlineTimer = window.setTimeout(function () {
        $('offline').className = 'tv-offline';
        polling(true);
      }, 5000);
    });
  }

  $('sound-on').onclick = function () {
    announcer.unlock();
    $('sound-on').className = 'tv-sound hidden';
    root.setAttribute('data-sound', 'on');
  };
  document.addEventListener('keydown', function (event) {
    var key = event.key || '';
    var badge = $('sound-on');
    // OK on a remote: Enter (13) on most TVs; "Accept"/"Select" on some.
    if (badge.className === 'tv-sound' && document.activeElement !== badge &&
        (event.keyCode === 13 || key === 'Enter' || key === 'Accept' || key === 'Select')) {
      badge.onclick();
    }
  });
  /* A browser started with --autoplay-policy=no-user-gesture-required plays at once: a quiet
     chime tells, and then nobody is asked. Without a play promise (old TVs), ask. */
  function probeSound() {
    var audio = new window.Audio(root.getAttribute('data-chime-url'));
    audio.volume = 0.01;
    var played = null;
    try { played = audio.play(); } catch (e) { played = null; }
    if (!played || !played.then) { askForSound(); return; }
    played.then(function () {
      audio.pause();
      root.setAttribute('data-sound', 'on');
    }, function () { askForSound(); });
  }
  if (window.AntreAnnouncer.soundAllowed()) { root.setAttribute('data-sound', 'on'); }
  else { probeSound(); }
  window.setInterval(tick, 1000);
  window.setInterval(nextWaitingPage, PAGE_SECONDS * 1000);
  connect();
})(window, document);
