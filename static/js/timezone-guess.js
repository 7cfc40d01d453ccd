// Sign-up: start the time-zone field at the browser's own time zone instead of UTC, as long as the
// person has not chosen one. Without this script the field simply starts at UTC.
(function () {
  "use strict";
  var select = document.querySelector("select[data-guess-timezone]");
  if (!select || !window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var guess;
  try {
    guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  var untouched = select.selectedIndex < 0 || select.options[select.selectedIndex].defaultSelected;
  if (!guess || !untouched) {
    return;
  }
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === guess) {
      select.value = guess;
      return;
    }
  }
})();
