// Enhancements only: every page works without this file.
(function () {
  // The link token must not linger in the address bar, history or a shared screenshot.
  var url = new URL(window.location.href);
  if (url.searchParams.has('code')) {
    url.searchParams.delete('code');
    window.history.replaceState(null, '', url.pathname + url.search);
  }
  // Resend countdown: the server refuses early resends anyway; this only shows the wait.
  var button = document.getElementById('resend');
  if (button && button.dataset.resendAt) {
    var until = Date.parse(button.dataset.resendAt);
    var status = document.getElementById('resend-status');
    var tick = function () {
      var left = Math.ceil((until - Date.now()) / 1000);
      if (left > 0) {
        button.disabled = true;
        var countdown = document.getElementById('countdown');
        if (countdown) { countdown.textContent = String(left); }
        window.setTimeout(tick, 1000);
      } else {
        button.disabled = false;
        status.textContent = button.dataset.readyText; // the page's own words, in its language
      }
    };
    if (!isNaN(until)) { tick(); }
  }
  // Backup codes: copy and print buttons (the codes are on the page either way).
  var codes = document.getElementById('backup-codes');
  var copy = document.getElementById('copy-codes');
  var print = document.getElementById('print-codes');
  if (codes && copy && print) {
    copy.hidden = false;
    print.hidden = false;
    copy.addEventListener('click', function () {
      var text = Array.prototype.map.call(codes.querySelectorAll('code'), function (c) { return c.textContent; });
      if (navigator.clipboard) { navigator.clipboard.writeText(text.join('\n')); copy.textContent = copy.dataset.doneText; }
    });
    print.addEventListener('click', function () { window.print(); });
  }
  // Passkeys (/.well-known/ory/webauthn.js runs the ceremonies): the sign-in button, autofill in the email field,
  // and "Add a passkey" in settings. Without JavaScript or WebAuthn the buttons stay hidden; email works as ever.
  var whenWebAuthn = function (run) {
    if (window.oryWebAuthnInitialized) { run(); } else { window.addEventListener('oryWebAuthnInitialized', run); }
  };
  var signIn = document.getElementById('passkey-button');
  if (signIn && window.PublicKeyCredential) {
    signIn.hidden = false;
    signIn.addEventListener('click', function () { whenWebAuthn(function () { window.oryPasskeyLogin(); }); });
    whenWebAuthn(function () { window.oryPasskeyLoginAutocompleteInit(); });
  }
  // Each button names its webauthn.js function (security keys: the second-factor prompt and settings).
  [['add-passkey', 'oryPasskeySettingsRegistration'], ['passkey-signup', 'oryPasskeyRegistration'],
   ['security-key-button', 'oryWebAuthnLogin'],
   ['add-security-key', 'oryWebAuthnRegistration']].forEach(function (pair) {
    var button = document.getElementById(pair[0]);
    if (button && window.PublicKeyCredential) {
      button.hidden = false;
      button.addEventListener('click', function () { whenWebAuthn(function () { window[pair[1]](); }); });
    }
  });
})();
