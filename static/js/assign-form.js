// Assign form: the due date is only needed when the coach chooses "On a date I pick".
(function () {
  "use strict";
  var dateInput = document.getElementById("id_due_date");
  var choices = document.querySelectorAll('input[type="radio"][name="due"]');
  if (!dateInput || choices.length === 0) {
    return;
  }
  function update() {
    var picked = document.querySelector('input[type="radio"][name="due"]:checked');
    var byDate = picked !== null && picked.value === "date";
    dateInput.disabled = !byDate;
    if (!byDate) {
      dateInput.value = "";
    }
  }
  choices.forEach(function (choice) {
    choice.addEventListener("change", update);
  });
  update();
})();

// Assign and template forms: the creative format matters only for creative homework.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var format = document.querySelector(".creative-format-field");
  if (!kind || !format) {
    return;
  }
  function update() {
    format.hidden = kind.value !== "creative";
  }
  kind.addEventListener("change", update);
  update();
})();
