/* Paging of the kiosk's lists (agency tiles, services): as many items as fit the screen, never
   a hidden scroll, with "Halaman 1 dari 3" and previous/next buttons; and keeping the focus on
   the same button when a list is drawn again. Loaded after dialogs.js, before kiosk.js; uses
   AntreKiosk.state.page, renderHome, renderServices and focusScreen from kiosk.js when called. */
(function () {
  "use strict";

  var K = window.AntreKiosk;
  var $ = K.$;

  /* Fills the list item by item until the next one would pass the bottom of the screen (less
     the pager's row), so pages follow the real sizes: orientation, font, long names. */
  function splitPages(box, pager, nodes) {
    var main = $("kiosk").querySelector(".kiosk-main");
    pager.hidden = false; /* its row is kept free while measuring, with a label as wide as any */
    pager.querySelector(".pager-label").textContent = K.S.page.replace("{n}", "9").replace("{total}", "9");
    var limit = main.getBoundingClientRect().bottom -
      parseFloat(getComputedStyle(main).paddingBottom) - pager.offsetHeight -
      parseFloat(getComputedStyle(pager).marginTop);
    var pages = [], start = 0;
    while (start < nodes.length) {
      box.textContent = "";
      var end = start;
      while (end < nodes.length) {
        box.appendChild(nodes[end]);
        if (end > start && nodes[end].getBoundingClientRect().bottom > limit) {
          box.removeChild(nodes[end]);
          break;
        }
        end++;
      }
      pages.push(nodes.slice(start, end));
      start = end;
    }
    return pages.length ? pages : [[]];
  }
  /* Shows the current page of kind ("agency" or "service") in box, and its pager. */
  function renderPaged(kind, box, nodes) {
    var pager = $(kind + "-pager");
    var pages = splitPages(box, pager, nodes);
    var page = Math.max(0, Math.min(K.state.page[kind], pages.length - 1));
    K.state.page[kind] = page;
    box.textContent = "";
    pages[page].forEach(function (node) { box.appendChild(node); });
    pager.hidden = pages.length < 2;
    pager.querySelector(".pager-label").textContent =
      K.S.page.replace("{n}", String(page + 1)).replace("{total}", String(pages.length));
    pager.querySelector(".pager-prev").disabled = page === 0;
    pager.querySelector(".pager-next").disabled = page === pages.length - 1;
  }
  function turnPage(kind, step, button) {
    K.state.page[kind] += step;
    if (kind === "agency") { K.renderHome(); } else { K.renderServices(); }
    /* A disabled button loses focus: go on with the first item of the new page. */
    if (button.disabled) {
      var first = $(kind === "agency" ? "agency-tiles" : "service-list").querySelector("button");
      if (first) { first.focus(); }
    }
  }
  /* A re-render (live figures, a resize) replaces the buttons: keep focus on the same one. */
  function focusedKey(box) {
    var active = document.activeElement;
    return box.contains(active) ? active.getAttribute("data-focus-key") : null;
  }
  function refocus(box, key) {
    var again = key && box.querySelector('[data-focus-key="' + key + '"]');
    if (again) { again.focus(); } else if (key) { K.focusScreen(); }
  }

  K.renderPaged = renderPaged;
  K.focusedKey = focusedKey;
  K.refocus = refocus;

  /* Called by kiosk.js in its wiring, where the pager buttons always got their listeners. */
  K.wirePagers = function () {
    ["agency", "service"].forEach(function (kind) {
      $(kind + "-pager").querySelectorAll("[data-step]").forEach(function (button) {
        button.addEventListener("click", function () {
          turnPage(kind, parseInt(button.getAttribute("data-step"), 10), button);
        });
      });
    });
  };
})();
