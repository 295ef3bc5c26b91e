/* "Copy" buttons: <button data-copy="<id of an input>" data-copied="Copied">. The clipboard API
   where the browser allows it (https, localhost), else the browser's copy command. */
(function () {
  'use strict';
  function copied(button) {
    var label = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', label);
    button.textContent = button.getAttribute('data-copied');
    window.setTimeout(function () { button.textContent = label; }, 3000);
  }
  function selectAndCopy(input, button) {
    input.focus();
    input.select();
    if (document.execCommand('copy')) { copied(button); }
  }
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var input = document.getElementById(button.getAttribute('data-copy'));
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(
          function () { copied(button); },
          function () { selectAndCopy(input, button); }
        );
        return;
      }
      selectAndCopy(input, button);
    });
  });
}());
