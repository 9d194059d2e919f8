/* Shows the "Print this list" button (hidden without JavaScript, where the browser's own Print still works). */
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (!button || typeof window.print !== "function") {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
})();
