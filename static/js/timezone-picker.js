// Time-zone fields: a search box above the drop-down that narrows it to the zones whose name
// matches (a city or a region), and, where a person picks their own zone (sign-up), the browser's
// own zone preselected while they have not chosen one. Without this script the drop-down works as
// it is: common zones first, then every zone by area.
(function () {
  "use strict";

  function normalise(text) {
    return text.toLowerCase().replace(/[_/]+/g, " ").replace(/\s+/g, " ").trim();
  }

  function guessZone(select) {
    if (!select.hasAttribute("data-guess-timezone") || !window.Intl || !Intl.DateTimeFormat) {
      return;
    }
    var guess;
    try {
      guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch (error) {
      return;
    }
    var untouched = select.selectedIndex < 0 || select.options[select.selectedIndex].defaultSelected;
    if (guess && untouched) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === guess) {
          select.selectedIndex = i;
          return;
        }
      }
    }
  }

  // Shows the options matching `query`, each zone once (a common zone is listed twice), and hides
  // groups left empty. Returns how many zones match.
  function narrow(select, query) {
    var wanted = normalise(query);
    var seen = {};
    var count = 0;
    var groups = select.querySelectorAll("optgroup");
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      var match = !wanted || (normalise(option.text).indexOf(wanted) !== -1 && !seen[option.value]);
      if (wanted && match) {
        seen[option.value] = true;
      }
      option.hidden = !match;
      if (match) {
        count += 1;
      }
    }
    for (var j = 0; j < groups.length; j++) {
      groups[j].hidden = !groups[j].querySelector("option:not([hidden])");
    }
    return wanted ? count : null;
  }

  function firstShown(select) {
    for (var i = 0; i < select.options.length; i++) {
      if (!select.options[i].hidden) {
        return i;
      }
    }
    return -1;
  }

  function addSearch(select, index) {
    var id = (select.id || "timezone-" + index) + "-search";
    var box = document.createElement("div");
    box.className = "mb-2";
    box.innerHTML =
      '<label class="form-label small text-body-secondary mb-1"></label>' +
      '<input type="search" class="form-control form-control-sm" autocomplete="off">' +
      '<div class="visually-hidden" aria-live="polite"></div>';
    var label = box.querySelector("label");
    var input = box.querySelector("input");
    var status = box.querySelector("[aria-live]");
    label.textContent = select.getAttribute("data-timezone-search");
    label.htmlFor = id;
    input.id = id;
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);

    input.addEventListener("input", function () {
      var count = narrow(select, input.value);
      var selected = select.options[select.selectedIndex];
      if (count && (!selected || selected.hidden)) {
        select.selectedIndex = firstShown(select);
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      status.textContent = count === null ? "" : select.getAttribute("data-timezone-matches").replace("%s", count);
    });
    // Enter in the search box picks the first match and moves on to the list instead of sending the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  var selects = document.querySelectorAll("select[data-timezone-search]");
  for (var i = 0; i < selects.length; i++) {
    guessZone(selects[i]);
    addSearch(selects[i], i);
  }
})();
