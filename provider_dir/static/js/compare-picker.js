/* The "Compare" ticks on search results: says how many are chosen and, at the limit, disables the rest.
   Without this script the form still works; the server refuses more than the limit with a message. */
(function () {
  "use strict";

  var form = document.getElementById("compare-form");
  if (!form) {
    return;
  }
  var max = parseInt(form.dataset.max, 10) || 3;
  var status = document.getElementById("compare-status");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][name=c]"));
  var button = form.querySelector("button[type=submit]");

  function update() {
    var chosen = boxes.filter(function (box) { return box.checked; }).length;
    boxes.forEach(function (box) {
      box.disabled = !box.checked && chosen >= max;
    });
    form.classList.toggle("has-choice", chosen > 0);
    if (button) {
      button.setAttribute("aria-disabled", chosen === 0 ? "true" : "false");
    }
    if (status) {
      status.textContent = chosen === 0
        ? "Tick “Compare” on up to " + max + " clinics to see them side by side."
        : chosen + " of " + max + " chosen" + (chosen >= max ? " (the most a comparison holds)." : ".");
    }
  }

  boxes.forEach(function (box) { box.addEventListener("change", update); });
  form.addEventListener("submit", function (event) {
    if (!boxes.some(function (box) { return box.checked; })) {
      event.preventDefault();
      if (status) {
        status.textContent = "Tick “Compare” on at least one clinic first.";
      }
    }
  });
  // Back and forward restore ticked boxes from the page cache: count them again.
  window.addEventListener("pageshow", update);
  update();
})();
