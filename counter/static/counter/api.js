/* JSON calls to the counter API with the CSRF token; network failures are retried with the
   same body (the server treats a repeated action as done), HTTP errors are reported. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]').content;

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function request(method, url, body, onRetry) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    for (var attempt = 0; ; attempt++) {
      var response;
      try {
        response = await fetch(url, options);
      } catch (err) {
        // The page says "cannot reach the server" in the user's words; the browser's own behind it.
        if (attempt >= 5) { throw { message: null, detail: String(err), network: true }; }
        if (onRetry) { onRetry(attempt); }
        await sleep(Math.min(8000, 500 * Math.pow(2, attempt)));
        continue;
      }
      if (response.status === 401) { window.location.reload(); }
      var data = await response.json().catch(function () { return {}; });
      if (!response.ok) {
        throw { status: response.status, code: data.error, message: data.message, detail: data.detail, field: data.field };
      }
      return data;
    }
  }

  function requestId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }

  window.AntreApi = {
    get: function (url) { return request("GET", url); },
    post: function (url, body, onRetry) { return request("POST", url, body || {}, onRetry); },
    put: function (url, body, onRetry) { return request("PUT", url, body || {}, onRetry); },
    requestId: requestId
  };
})();
