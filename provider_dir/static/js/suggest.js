/* Suggestions as you type, for every input with data-suggest (the URL of /api/v1/suggest), following the ARIA
   combobox pattern: the input is the combobox, it controls a listbox of options, the active option is named by
   aria-activedescendant (focus stays in the box), a polite live region announces how many there are.
   Down and Up move through the options, Enter opens the active one, Escape closes the list. Without this script
   the boxes are plain inputs of a GET form, which works as before. */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_LETTERS = 2;
  var KIND_LABELS = { clinic: "Clinic", clinician: "Clinician", place: "Place" };

  function enhance(input, index) {
    var listId = "suggest-list-" + index;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    var label = input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "Search";
    list.setAttribute("aria-label", "Suggestions for " + label);
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var anchor = input.parentNode;
    anchor.classList.add("suggest-anchor");
    anchor.appendChild(list);
    anchor.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastAsked = "";

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function setActive(next) {
      var all = options();
      if (active >= 0 && all[active]) {
        all[active].setAttribute("aria-selected", "false");
      }
      active = next;
      if (active >= 0 && all[active]) {
        all[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open() {
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function go(item) {
      close();
      window.location.assign(item.url);
    }

    function render(found) {
      items = found;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.textContent = "";
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.className = "suggest-option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.kind = item.kind;
        var kind = document.createElement("span");
        kind.className = "suggest-kind";
        kind.textContent = (KIND_LABELS[item.kind] || item.kind) + ": ";
        var name = document.createElement("span");
        name.className = "suggest-label";
        name.textContent = item.label;
        var detail = document.createElement("span");
        detail.className = "suggest-detail";
        detail.textContent = item.detail ? " (" + item.detail + ")" : "";
        option.appendChild(kind);
        option.appendChild(name);
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        option.addEventListener("click", function () {
          go(item);
        });
        list.appendChild(option);
      });
      status.textContent = found.length ? found.length + (found.length === 1 ? " suggestion" : " suggestions") +
        ". Use the up and down arrows to choose." : "No suggestions";
      if (found.length) {
        open();
      } else {
        close();
      }
    }

    function ask() {
      var typed = input.value.trim();
      if (typed.length < MIN_LETTERS) {
        items = [];
        list.textContent = "";
        close();
        return;
      }
      if (typed === lastAsked) {
        open();
        return;
      }
      lastAsked = typed;
      if (pending) {
        pending.abort();
      }
      pending = window.AbortController ? new AbortController() : null;
      var url = input.dataset.suggest + "?q=" + encodeURIComponent(typed);
      fetch(url, { headers: { Accept: "application/json" }, signal: pending ? pending.signal : undefined })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (input.value.trim() === typed) {
            render(body.suggestions || []);
          }
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (list.hidden) {
          open();
        }
        if (count) {
          setActive(active + 1 >= count ? 0 : active + 1);
        }
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        event.preventDefault();
        if (list.hidden) {
          open();
        }
        if (count) {
          setActive(active <= 0 ? count - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && items[active]) {
          event.preventDefault();
          go(items[active]);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  var boxes = document.querySelectorAll("input[data-suggest]");
  for (var i = 0; i < boxes.length; i += 1) {
    enhance(boxes[i], i);
  }
})();
