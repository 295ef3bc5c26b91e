/* "Beri tahu saya" on the ticket page: WhatsApp or SMS to a phone number, or push to this phone
   through the ticket page's service worker (/t/sw.js). Only the channels that can work are
   offered: the server's answer (ticket.alerts.channels) when it gives one, and push only where
   the browser has service workers and the Push API. What was asked is listed with its masked
   number and a way to stop; the list comes from the server (ticket.alerts.subscribed) or, where
   the server does not say, from this phone's memory (localStorage). ES5 with promises. */
(function (window, document) {
  'use strict';

  var section = document.getElementById('tk-optin');
  if (!section) { return; }
  var form = document.getElementById('tk-optin-form');
  var phone = document.getElementById('tk-phone');
  var error = document.getElementById('tk-optin-error');
  var list = document.getElementById('tk-optin-list');
  var send = document.getElementById('tk-optin-send');
  var ticket = JSON.parse(document.getElementById('tk-data').textContent);
  var code = document.getElementById('ticket').getAttribute('data-code');
  var MEMORY = 'antre-optin-' + code;
  var PUSH_WAIT = 20000;  // an offline LAN never answers a subscription: give up, say so
  var subscribed = [];    // [{channel, to}]

  function t(key) { return section.getAttribute('data-t-' + key) || key; }
  function show(node, on) {
    node.className = node.className.replace(/ ?hidden/g, '') + (on ? '' : ' hidden');
  }
  function say(text) { error.textContent = text || ''; show(error, !!text); }

  function pushWorks() {
    return !!(window.navigator.serviceWorker && window.PushManager && window.Notification &&
      window.isSecureContext !== false);
  }

  /* The server says which channels this site can send (a gateway set up, push keys); where it
     does not say, WhatsApp and SMS are offered (the message waits in the outbox if need be). */
  function offered(channel) {
    var alerts = ticket.alerts || {};
    var channels = alerts.channels || {};
    if (channels[channel] === false) { return false; }
    return channel === 'push' ? pushWorks() : true;
  }

  function remembered() {
    var alerts = ticket.alerts || {};
    if (alerts.subscribed) {
      return alerts.subscribed.map(function (item) {
        return typeof item === 'string' ? { channel: item, to: '' } : item;
      });
    }
    try { return JSON.parse(window.localStorage.getItem(MEMORY) || '[]'); } catch (e) { return []; }
  }

  function remember() {
    try { window.localStorage.setItem(MEMORY, JSON.stringify(subscribed)); } catch (e) { /* private mode */ }
  }

  function chosen() {
    var checked = form.querySelector('input[name=channel]:checked');
    return checked ? checked.value : '';
  }

  function render() {
    list.textContent = '';
    subscribed.forEach(function (item) {
      var row = document.getElementById('tk-optin-item').content.firstElementChild.cloneNode(true);
      row.setAttribute('data-channel', item.channel);
      row.querySelector('.tk-optin-to').textContent = item.channel === 'push' ? t('push-on') :
        t('to').replace('{channel}', t(item.channel)).replace('{to}', item.to || '');
      var stop = row.querySelector('.tk-optin-stop');
      stop.setAttribute('aria-label', stop.textContent + ' ' + t(item.channel));
      stop.onclick = function () { stopChannel(item.channel); };
      list.appendChild(row);
    });
    show(list, subscribed.length > 0);
    show(document.getElementById('tk-phone-row'), chosen() !== 'push');
    section.setAttribute('data-subscribed', subscribed.map(function (s) { return s.channel; }).join(' '));
  }

  function postJson(url, body) {
    return window.fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin'
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.message || t('failed')); }
        return data;
      });
    }, function () { throw new Error(t('offline')); });
  }

  function added(answer) {
    subscribed = subscribed.filter(function (s) { return s.channel !== answer.channel; });
    subscribed.push({ channel: answer.channel, to: answer.to || '' });
    remember();
    phone.value = '';
    say('');
    render();
    list.querySelector('[data-channel="' + answer.channel + '"] .tk-optin-stop').focus();
  }

  function keyBytes(base64url) {
    var text = window.atob(base64url.replace(/-/g, '+').replace(/_/g, '/') +
      '===='.slice((base64url.length % 4) || 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i += 1) { bytes[i] = text.charCodeAt(i); }
    return bytes;
  }

  function permission() {
    return new Promise(function (resolve) {
      var asked = window.Notification.requestPermission(resolve);
      if (asked && asked.then) { asked.then(resolve); }
    });
  }

  function withTimeout(promise) {
    return Promise.race([promise, new Promise(function (resolve, reject) {
      window.setTimeout(function () { reject(new Error(t('offline'))); }, PUSH_WAIT);
    })]);
  }

  /* Permission first (it must follow the tap), then the worker, the server's key, the
     subscription, and the server keeps it. */
  function subscribePush() {
    if (!pushWorks()) { return Promise.reject(new Error(t('no-push'))); }
    var nav = window.navigator;
    return permission().then(function (answer) {
      if (answer !== 'granted') { throw new Error(t('denied')); }
      return nav.serviceWorker.register(section.getAttribute('data-worker-url'), { scope: '/t/' });
    }).then(function () {
      return Promise.all([nav.serviceWorker.ready, window.fetch(section.getAttribute('data-key-url'))
        .then(function (r) { if (!r.ok) { throw new Error(t('no-push')); } return r.json(); })]);
    }).then(function (both) {
      var registration = both[0];
      return withTimeout(registration.pushManager.getSubscription().then(function (found) {
        return found || registration.pushManager.subscribe({
          userVisibleOnly: true, applicationServerKey: keyBytes(both[1].public_key)
        });
      }));
    }).then(function (subscription) {
      return postJson(section.getAttribute('data-notify-url'), {
        channel: 'push', subscription: subscription.toJSON(), language: document.documentElement.lang
      });
    });
  }

  function stopChannel(channel) {
    postJson(section.getAttribute('data-stop-url'), { channel: channel }).then(function () {
      subscribed = subscribed.filter(function (s) { return s.channel !== channel; });
      remember();
      render();
      send.focus();
      if (channel === 'push' && window.navigator.serviceWorker) {
        window.navigator.serviceWorker.getRegistration('/t/').then(function (registration) {
          return registration && registration.pushManager.getSubscription();
        }).then(function (subscription) {
          if (subscription) { subscription.unsubscribe(); }
        }).catch(function () { /* nothing left to stop */ });
      }
    }, function (failure) { say(failure.message); });
  }

  form.onsubmit = function (event) {
    event.preventDefault();
    var channel = chosen();
    send.disabled = true;
    say('');
    var asked = channel === 'push' ? subscribePush() :
      postJson(section.getAttribute('data-notify-url'), {
        channel: channel, phone: phone.value, language: document.documentElement.lang
      });
    asked.then(added, function (failure) {
      say(failure.message || t('failed'));
      if (channel !== 'push') { phone.focus(); }
    }).then(function () { send.disabled = false; });
  };

  var any = false;
  ['whatsapp', 'sms', 'push'].forEach(function (channel) {
    var label = form.querySelector('.tk-channel[data-channel="' + channel + '"]');
    var on = offered(channel);
    any = any || on;
    show(label, on);
    label.querySelector('input').disabled = !on;
    label.querySelector('input').onchange = render;
  });
  if (!chosen() || form.querySelector('input[name=channel]:checked').disabled) {
    var first = form.querySelector('input[name=channel]:not(:disabled)');
    if (first) { first.checked = true; }
  }
  show(form, any);
  subscribed = remembered();
  render();
  section.setAttribute('data-ready', '1');
})(window, document);
