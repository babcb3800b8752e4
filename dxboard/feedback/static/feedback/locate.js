// The field-report form: where the browser can tell the position, a button fills in the
// latitude and longitude (the button stays hidden otherwise).
(function () {
  "use strict";
  var button = document.getElementById("locate");
  if (!button || !navigator.geolocation) return;
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("id_lat").value = p.coords.latitude.toFixed(6);
      document.getElementById("id_long").value = p.coords.longitude.toFixed(6);
    });
  });
})();
