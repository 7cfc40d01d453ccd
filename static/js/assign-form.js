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

// Assign and template forms: show only the fields the chosen kind uses. Reflection questions belong
// to reflection homework, the cadence to practice and observation, the creative format to creative
// homework. Hidden fields keep their values; without this script every field stays visible.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) {
    return;
  }
  var kindsOfField = {
    div_id_questions: ["reflection"],
    div_id_cadence: ["behavioural", "observation"],
    div_id_creative_format: ["creative"],
  };
  function update() {
    Object.keys(kindsOfField).forEach(function (id) {
      var field = document.getElementById(id);
      if (field) {
        field.hidden = kindsOfField[id].indexOf(kind.value) === -1;
      }
    });
  }
  kind.addEventListener("change", update);
  update();
})();
