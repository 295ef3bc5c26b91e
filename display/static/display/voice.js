/* Announcements, one after the other: chime, the call (server audio: recorded clips or
   espeak-ng; else the browser's speechSynthesis), repeated, optionally in English.
   Plain ES5 for old smart-TV browsers. */
(function (window) {
  'use strict';
  var STORAGE_KEY = 'antre.sound';
  var STEP_TIMEOUT_MS = 20000;

  function Announcer(options) {
    this.chimeUrl = options.chimeUrl;
    this.announceUrl = options.announceUrl;
    this.onBlocked = options.onBlocked || function () {};
    this.voice = { enabled: false, repeat: 1, english: false, server: null };
    this.queue = [];
    this.busy = false;
  }

  Announcer.soundAllowed = function () {
    try { return window.localStorage.getItem(STORAGE_KEY) === 'on'; } catch (e) { return false; }
  };

  Announcer.prototype.configure = function (voice) { this.voice = voice; };

  /* Called from the "Aktifkan suara" click: a user gesture lets the page play sound later. */
  Announcer.prototype.unlock = function () {
    try { window.localStorage.setItem(STORAGE_KEY, 'on'); } catch (e) { /* private mode */ }
    var audio = new window.Audio(this.chimeUrl);
    audio.volume = 0.01;
    var played = audio.play();
    if (played && played['catch']) { played['catch'](function () {}); }
    if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      window.speechSynthesis.speak(new window.SpeechSynthesisUtterance(' '));
    }
  };

  Announcer.prototype.enqueue = function (call) {
    if (!this.voice.enabled || !call.counter) { return; }
    this.queue.push(call);
    if (!this.busy) { this.next(); }
  };

  Announcer.prototype.steps = function (call) {
    /* the address may already carry the TV's site (?site=<slug>) */
    var query = (this.announceUrl.indexOf('?') < 0 ? '?' : '&') +
      'prefix=' + encodeURIComponent(call.prefix) + '&number=' + call.sequence +
      '&counter=' + call.counter.number;
    var letters = call.prefix.split('').join(' ');
    var textId = 'Nomor antrean, ' + letters + ', ' + call.sequence +
      ', silakan menuju loket ' + call.counter.number;
    var textEn = 'Ticket number ' + letters + ', ' + call.sequence +
      ', please go to counter ' + call.counter.number;
    if (call.poli) {
      /* A consulting room (payloads.room_service): the poli's name, then the room. The server
         looks the name up by the service's id, so the address carries no free text. */
      query += '&poli=' + call.service.id;
      textId = 'Nomor antrean, ' + letters + ', ' + call.sequence +
        ', silakan ke ' + call.poli + ', ruang ' + call.counter.number;
      textEn = 'Ticket number ' + letters + ', ' + call.sequence +
        ', please go to ' + call.poli + ', room ' + call.counter.number;
    }
    var steps = [{ url: this.chimeUrl }];
    for (var i = 0; i < Math.max(1, this.voice.repeat || 1); i++) {
      steps.push({ url: this.voice.server ? this.announceUrl + query + '&lang=id' : null,
        text: textId, lang: 'id-ID' });
    }
    if (this.voice.english) {
      steps.push({ url: this.voice.server_english ? this.announceUrl + query + '&lang=en' : null,
        text: textEn, lang: 'en-US' });
    }
    return steps;
  };

  Announcer.prototype.next = function () {
    var self = this;
    var call = this.queue.shift();
    if (!call) { this.busy = false; return; }
    this.busy = true;
    var steps = this.steps(call);
    var index = 0;
    function step() {
      if (index >= steps.length) { self.next(); return; }
      var current = steps[index++];
      if (current.url) { self.play(current, step); } else { self.speak(current, step); }
    }
    step();
  };

  Announcer.prototype.play = function (current, done) {
    var self = this;
    var finished = false;
    var audio = new window.Audio(current.url);
    var timer = window.setTimeout(function () { finish(false); }, STEP_TIMEOUT_MS);
    function finish(failed) {
      if (finished) { return; }
      finished = true;
      window.clearTimeout(timer);
      if (failed && current.text) { self.speak(current, done); } else { done(); }
    }
    audio.onended = function () { finish(false); };
    audio.onerror = function () { finish(true); };
    var played = audio.play();
    if (played && played['catch']) {
      played['catch'](function (error) {
        if (error && error.name === 'NotAllowedError') { self.onBlocked(); finish(false); }
        else { finish(true); }
      });
    }
  };

  Announcer.prototype.speak = function (current, done) {
    var synth = window.speechSynthesis;
    if (!synth || !window.SpeechSynthesisUtterance) { done(); return; }
    var utterance = new window.SpeechSynthesisUtterance(current.text);
    utterance.lang = current.lang;
    utterance.rate = 0.9;
    var voices = synth.getVoices ? synth.getVoices() : [];
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.replace('_', '-').indexOf(current.lang) === 0) {
        utterance.voice = voices[i];
        break;
      }
    }
    var finished = false;
    var timer = window.setTimeout(finish, STEP_TIMEOUT_MS);
    function finish() {
      if (finished) { return; }
      finished = true;
      window.clearTimeout(timer);
      done();
    }
    utterance.onend = finish;
    utterance.onerror = finish;
    synth.speak(utterance);
  };

  window.AntreAnnouncer = Announcer;
})(window);
