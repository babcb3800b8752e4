// Behaviour every page shares, kept out of the templates so that the Content-Security-Policy
// can forbid inline script (issue 18). Loaded at the end of <body> by base.html, before the
// page's own scripts, so the DOM above it is already there.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (the language picker,
  // the period and unit pickers). Each such form has a submit button inside <noscript>.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
      select.form.submit();
    }
  });

  // [data-height="N"]: an element whose height depends on its data (a chart with one bar per
  // unit) gets N pixels through the CSSOM, which CSP allows, instead of a style="" attribute.
  function applyHeights(root) {
    root.querySelectorAll("[data-height]").forEach(function (element) {
      var pixels = parseInt(element.getAttribute("data-height"), 10);
      if (pixels > 0) element.style.height = pixels + "px";
    });
  }
  applyHeights(document);
  // Content htmx swaps in: before htmx:afterSettle, where the pages draw their charts.
  document.addEventListener("htmx:afterSwap", function () { applyHeights(document); });
})();
