// Shortcuts for the opening-hours widget (templates/hours/_widget.html). The form works without them: each day
// shows all its time boxes, and the server checks what is posted. With them, a day shows only the periods in use
// and an "Add a period" button, and "Copy Monday to Tuesday-Friday" fills the weekdays.
(function () {
  "use strict";

  function slotEmpty(slot) {
    return Array.prototype.every.call(slot.querySelectorAll('input[type="time"]'), function (box) {
      return !box.value;
    });
  }

  function setUpDay(day, announce) {
    var slots = day.querySelectorAll(".hours-slot");
    var name = day.querySelector("legend").textContent;
    var add = document.createElement("button");
    add.type = "button";
    add.className = "hours-add";
    add.textContent = "Add a period";
    add.setAttribute("aria-label", "Add a period to " + name);
    function refresh() {
      var hidden = day.querySelectorAll(".hours-slot[hidden]");
      add.hidden = hidden.length === 0;
    }
    for (var i = 1; i < slots.length; i++) {
      if (slotEmpty(slots[i]) && !day.classList.contains("has-error")) slots[i].hidden = true;
    }
    add.addEventListener("click", function () {
      var next = day.querySelector(".hours-slot[hidden]");
      if (!next) return;
      next.hidden = false;
      next.querySelector('input[type="time"]').focus();
      announce("Period added to " + name + ".");
      refresh();
    });
    day.appendChild(add);
    refresh();
    return refresh;
  }

  function copyMonday(days, refreshers, announce) {
    var monday = days[0];
    var from = monday.querySelectorAll('input[type="time"]');
    for (var d = 1; d <= 4; d++) {
      var day = days[d];
      day.querySelector('input[type="checkbox"]').checked = monday.querySelector('input[type="checkbox"]').checked;
      var to = day.querySelectorAll('input[type="time"]');
      for (var i = 0; i < to.length; i++) to[i].value = i < from.length ? from[i].value : "";
      var slots = day.querySelectorAll(".hours-slot");
      var mondaySlots = monday.querySelectorAll(".hours-slot");
      for (var s = 0; s < slots.length; s++) slots[s].hidden = s > 0 && (!mondaySlots[s] || mondaySlots[s].hidden);
      refreshers[d]();
    }
    announce("Monday's hours were copied to Tuesday, Wednesday, Thursday and Friday.");
  }

  document.querySelectorAll("[data-hours-widget]").forEach(function (widget) {
    var days = widget.querySelectorAll(".hours-day");
    if (days.length !== 7) return;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    widget.appendChild(status);
    function announce(text) { status.textContent = text; }
    var refreshers = Array.prototype.map.call(days, function (day) { return setUpDay(day, announce); });
    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "hours-copy";
    copy.textContent = "Copy Monday to Tuesday–Friday";
    copy.addEventListener("click", function () { copyMonday(days, refreshers, announce); });
    widget.insertBefore(copy, widget.querySelector(".hours-days"));
  });
})();
