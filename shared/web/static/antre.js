/* What every Antre page may need, before its own script. Plain ES5 for old TV browsers. */
var Antre = (function () {
  "use strict";
  return {
    // Where this server's Socket.IO listens: /socket.io, or /<app>/socket.io for one app alone.
    socketPath: function () {
      var meta = document.querySelector('meta[name="socketio-path"]');
      return (meta && meta.content) || "/socket.io";
    }
  };
}());
