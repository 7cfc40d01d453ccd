// django-otp-webauthn's script saves the passkey and only reports success; go on to the overview,
// which lists the new passkey and offers recovery codes.
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var button = event.target.closest("[data-done-url]");
    if (button) {
      window.location.assign(button.getAttribute("data-done-url"));
    }
  });
})();
