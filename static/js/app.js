// Behaviour that templates would otherwise write inline, which the Content-Security-Policy forbids.
(function () {
  "use strict";

  function each(root, selector, action) {
    if (root.matches && root.matches(selector)) action(root);
    if (root.querySelectorAll) root.querySelectorAll(selector).forEach(action);
  }

  // <select data-submit-on-change> submits its form when the choice changes (filters without a button).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) field.form.submit();
  });

  // Bootstrap progress bars: the width comes from the container's aria-valuenow (set through the CSSOM,
  // which the policy allows, rather than a style="" attribute). Runs on the page and on every htmx swap.
  htmx.onLoad(function (root) {
    each(root, ".progress[aria-valuenow] > .progress-bar", function (bar) {
      var percent = Math.max(0, Math.min(100, parseFloat(bar.parentElement.getAttribute("aria-valuenow")) || 0));
      bar.style.width = percent + "%";
    });
  });
})();
