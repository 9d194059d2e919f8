/* "Use my location": asks the browser for the position once, puts it in the search box and searches.
   Nothing is stored: the coordinates go only into this one search's address, like a typed place. */
(function () {
  "use strict";

  var button = document.getElementById("use-my-location");
  if (!button || !("geolocation" in navigator)) {
    return;
  }
  var input = document.getElementById(button.dataset.target);
  var status = document.getElementById("use-my-location-status");
  if (!input || !input.form) {
    return;
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    say("Asking your browser for your location…");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        input.value = position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
        say("Searching near your location…");
        input.form.submit();
      },
      function (error) {
        button.disabled = false;
        say(error.code === error.PERMISSION_DENIED
          ? "Your browser did not share your location. Type a ZIP code or a city instead."
          : "Your location could not be found. Type a ZIP code or a city instead.");
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
    );
  });
})();
