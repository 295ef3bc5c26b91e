/* What every Antre page may need, before its own script. Plain ES5 for old TV browsers. */
var Antre = (function () {
  "use strict";
  return {
    // A DOM element: el("li", {"class": "x", text: "…"}, [children]); text is never parsed as HTML.
    el: function (tag, attrs, children) {
      var node = document.createElement(tag);
      Object.keys(attrs || {}).forEach(function (k) {
        if (k === "text") { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
      });
      (children || []).forEach(function (c) { node.appendChild(c); });
      return node;
    },
    // Where this server's Socket.IO listens: /socket.io, or /<app>/socket.io for one app alone.
    socketPath: function () {
      var meta = document.querySelector('meta[name="socketio-path"]');
      return (meta && meta.content) || "/socket.io";
    }
  };
}());
