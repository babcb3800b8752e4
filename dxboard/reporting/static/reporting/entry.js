// Data entry: Enter moves to the next field (like a spreadsheet) instead of submitting.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) return;
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || target.tagName !== "INPUT" || target.type === "submit") return;
    event.preventDefault();
    var inputs = Array.prototype.filter.call(
      form.querySelectorAll("input[type=text]:not([readonly])"),
      function (el) { return el.offsetParent !== null; }
    );
    var index = inputs.indexOf(target);
    if (index >= 0 && index + 1 < inputs.length) inputs[index + 1].focus();
  });
})();
