// Session mode: a review recorded on the agenda is sent in the background and only its item is
// replaced with what the server sends back (the item reviewed, or the form with its errors); the
// focus goes to the item's note so a screen reader says what happened. Without this script the form
// is sent as any form and the agenda comes back at the item.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-review-inplace]") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var item = form.closest(".agenda-item");
    var button = form.querySelector("[type=submit]");
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then(function (response) {
        var goTo = response.headers.get("X-Go-To");
        if (goTo) {
          window.location.assign(goTo);
          return null;
        }
        // A login that has expired answers with the login page: send the form the usual way.
        if (response.redirected || !response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        item.replaceWith(fresh);
        var target =
          fresh.querySelector(".review-saved") || fresh.querySelector(".has-error input, .is-invalid") || fresh;
        if (!target.matches("input, textarea, select")) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus();
      })
      .catch(function () {
        // Sent the usual way instead: the server answers with the page (after a login, too).
        form.removeAttribute("data-review-inplace");
        form.submit();
      });
  });
})();
