// The coachee's homework page: keep the work as a draft on the server while they type, warn before
// leaving with unsaved text, and bring the first error into view after a form came back.
(function () {
  "use strict";

  var firstError = document.querySelector("main .is-invalid, main .invalid-feedback, main .alert-danger");
  if (firstError) {
    firstError.scrollIntoView({ block: "center" });
    var field = firstError.matches("input, textarea, select") ? firstError : null;
    if (field) {
      field.focus({ preventScroll: true });
    }
  }

  var form = document.getElementById("work-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var status = form.querySelector("[data-autosave-status]");
  var WAIT_MS = 2000;
  var timer = null;
  var dirty = false;
  var saving = false;
  var submitting = false;

  function show(message) {
    if (status && message) {
      status.textContent = message;
    }
  }

  function save() {
    timer = null;
    if (!dirty || saving) {
      return;
    }
    saving = true;
    dirty = false;
    var data = new FormData(form);
    data.set("action", "draft");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            // A server hiccup is retried; a refusal (too long, logged out, submitted) waits for the person.
            if (response.status >= 500) {
              dirty = true;
            }
            show(body.message);
          });
      })
      .catch(function () {
        dirty = true;
      })
      .finally(function () {
        saving = false;
        if (dirty && timer === null && !submitting) {
          timer = window.setTimeout(save, WAIT_MS * 5);
        }
      });
  }

  form.addEventListener("input", function () {
    dirty = true;
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, WAIT_MS);
  });
  form.addEventListener("submit", function () {
    submitting = true;
    if (timer !== null) {
      window.clearTimeout(timer);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
