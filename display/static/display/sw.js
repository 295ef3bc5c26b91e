/* The ticket page's service worker (served as /t/sw.js, scope /t/): it shows the alerts the
   server pushes (shared/alerts/push.py) even when the phone is locked or the page closed, and a
   tap on the notification opens (or brings back) the ticket page. It caches nothing: the page
   itself must always be live. ES5. */
/* global self, clients */
(function () {
  'use strict';

  function read(event) {
    var fallback = { title: 'Antre', body: '', tag: 'antre', data: { url: '/' } };
    if (!event.data) { return fallback; }
    try {
      var message = event.data.json();
      return message && message.body !== undefined ? message : fallback;
    } catch (e) {
      fallback.body = event.data.text();  // not JSON: show the text as it came
      return fallback;
    }
  }

  self.addEventListener('install', function () { self.skipWaiting(); });
  self.addEventListener('activate', function (event) { event.waitUntil(clients.claim()); });

  self.addEventListener('push', function (event) {
    var message = read(event);
    var options = {
      body: message.body,
      tag: message.tag || 'antre',   // one notification per ticket: a newer alert replaces it
      renotify: true,                // ...and rings again
      vibrate: [400, 150, 400, 150, 800],
      requireInteraction: message.event === 'call',  // "your turn" stays until seen
      data: message.data || {},
      lang: message.lang || ''
    };
    event.waitUntil(self.registration.showNotification(message.title || 'Antre', options));
  });

  self.addEventListener('notificationclick', function (event) {
    event.notification.close();
    var url = (event.notification.data && event.notification.data.url) || '/';
    event.waitUntil(clients.matchAll({ type: 'window', includeUncontrolled: true })
      .then(function (windows) {
        var path = new URL(url, self.location.origin).pathname;
        for (var i = 0; i < windows.length; i += 1) {
          if (new URL(windows[i].url).pathname === path && windows[i].focus) {
            return windows[i].focus();
          }
        }
        return clients.openWindow ? clients.openWindow(url) : null;
      }));
  });
}());
