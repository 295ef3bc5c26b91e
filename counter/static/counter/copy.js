/* "Copy" buttons: <button data-copy="<id of an input>" data-copied="Copied">. The clipboard API
   where the page is a secure context (https, localhost), else the browser's copy command. */
(function () {
  'use strict';
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute('data-copied');
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var input = document.getElementById(button.getAttribute('data-copy'));
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { copied(button); });
        return;
      }
      input.focus();
      input.select();
      if (document.execCommand('copy')) { copied(button); }
    });
  });
}());
