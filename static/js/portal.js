// Strategiportalen: the little JavaScript the pages need, in a file so CSP stays 'self'.
// Everything here is progressive: every action also works as a plain link or form post.
(function () {
  "use strict";

  // After an htmx swap, move focus where the new content asks for it (data-focus or
  // autofocus), so keyboard and screen-reader users are not left on a removed element.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    if (!root || !root.querySelector) return;
    var target = root.matches && root.matches("[data-focus]") ? root : root.querySelector("[data-focus], [autofocus]");
    if (!target) return;
    if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  });

  // When an htmx request fails (403, 404, 500, network), nothing is swapped: say so, instead
  // of leaving a button that seems to do nothing. The text comes translated from the page.
  function showError() {
    var box = document.getElementById("workspace-error");
    if (!box) return;
    box.textContent = box.getAttribute("data-message");
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", showError);
  document.addEventListener("htmx:sendError", showError);
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("workspace-error");
    if (box) box.hidden = true;
  });
})();
