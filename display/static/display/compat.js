/* Small polyfills for old smart-TV browsers (ES5 engines): socket.io-client 4 calls
   Object.assign, which ES5 lacks. Loaded before any other script. */
(function () {
  'use strict';
  if (typeof Object.assign !== 'function') {
    Object.assign = function (target) {
      var to = Object(target);
      for (var i = 1; i < arguments.length; i++) {
        var source = arguments[i];
        if (source === null || source === undefined) { continue; }
        for (var key in source) {
          if (Object.prototype.hasOwnProperty.call(source, key)) { to[key] = source[key]; }
        }
      }
      return to;
    };
  }
  if (!Date.now) { Date.now = function () { return new Date().getTime(); }; }
})();
