/*
 * Iris — passkey and security-key ceremonies for Kratos-compatible UIs (served at /.well-known/ory/webauthn.js).
 * A UI that renders a flow's nodes calls these by the names in the nodes' onclickTrigger / onloadTrigger
 * attributes (window[name]()). Each reads the options Iris put in a hidden input, asks the browser's authenticator,
 * writes the result as JSON into the hidden input Iris expects, and submits that input's form.
 * Written for Iris; the function names and inputs are Kratos's, so UIs built for Kratos work unchanged.
 */
(function () {
  "use strict";
  if (!window.PublicKeyCredential || window.oryWebAuthnInitialized) {
    return;
  }

  function fromBase64Url(text) {
    var base64 = String(text).replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function toBase64Url(buffer) {
    if (!buffer) {
      return "";
    }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function byName(name) {
    return document.getElementsByName(name)[0] || null;
  }

  /** The publicKey options with their binary members decoded. */
  function decodeOptions(publicKey) {
    var options = Object.assign({}, publicKey);
    options.challenge = fromBase64Url(publicKey.challenge);
    if (publicKey.user) {
      options.user = Object.assign({}, publicKey.user, { id: fromBase64Url(publicKey.user.id) });
    }
    ["allowCredentials", "excludeCredentials"].forEach(function (list) {
      if (Array.isArray(publicKey[list])) {
        options[list] = publicKey[list].map(function (credential) {
          return Object.assign({}, credential, { id: fromBase64Url(credential.id) });
        });
      }
    });
    return options;
  }

  function assertionJson(credential) {
    return JSON.stringify({
      id: credential.id,
      rawId: toBase64Url(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: toBase64Url(credential.response.authenticatorData),
        clientDataJSON: toBase64Url(credential.response.clientDataJSON),
        signature: toBase64Url(credential.response.signature),
        userHandle: toBase64Url(credential.response.userHandle)
      }
    });
  }

  function attestationJson(credential) {
    var transports = typeof credential.response.getTransports === "function"
      ? credential.response.getTransports() : [];
    return JSON.stringify({
      id: credential.id,
      rawId: toBase64Url(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: toBase64Url(credential.response.attestationObject),
        clientDataJSON: toBase64Url(credential.response.clientDataJSON),
        transports: transports
      }
    });
  }

  function submitWith(input, value) {
    input.value = value;
    input.form.submit();
  }

  function stopAutofill() {
    if (window.abortPasskeyConditionalUI) {
      window.abortPasskeyConditionalUI.abort("another passkey ceremony started");
      window.abortPasskeyConditionalUI = null;
    }
  }

  /** Autofill: the browser offers passkeys in the identifier field's suggestions (conditional mediation). */
  async function passkeyLoginAutocompleteInit() {
    var challenge = byName("passkey_challenge");
    var result = byName("passkey_login");
    if (!challenge || !result || !byName("identifier")) {
      return;
    }
    if (!PublicKeyCredential.isConditionalMediationAvailable
        || !(await PublicKeyCredential.isConditionalMediationAvailable())) {
      return;
    }
    stopAutofill();
    var controller = new AbortController();
    window.abortPasskeyConditionalUI = controller;
    try {
      var options = JSON.parse(challenge.value);
      var credential = await navigator.credentials.get({
        publicKey: decodeOptions(options.publicKey), mediation: "conditional", signal: controller.signal
      });
      if (credential) {
        submitWith(result, assertionJson(credential));
      }
    } catch (error) {
      if (error && error.name !== "AbortError") {
        console.warn("passkey autofill:", error);
      }
    }
  }

  /** The "Sign in with a passkey" button. */
  async function passkeyLogin() {
    var challenge = byName("passkey_challenge");
    var result = byName("passkey_login");
    if (!challenge || !result) {
      return;
    }
    stopAutofill();
    try {
      var options = JSON.parse(challenge.value);
      var credential = await navigator.credentials.get({ publicKey: decodeOptions(options.publicKey) });
      submitWith(result, assertionJson(credential));
    } catch (error) {
      console.warn("passkey sign-in:", error);
      passkeyLoginAutocompleteInit();
    }
  }

  /** Sign-up: "Sign up with passkey". The passkey is named after the address typed, which must be filled in. */
  async function passkeyRegistration() {
    var data = byName("passkey_create_data");
    var result = byName("passkey_register");
    if (!data || !result) {
      return;
    }
    try {
      var createData = JSON.parse(data.value);
      var names = Array.isArray(createData.displayNameFieldNames) && createData.displayNameFieldNames.length
        ? createData.displayNameFieldNames : [createData.displayNameFieldName];
      var field = null;
      names.forEach(function (name) {
        var candidate = name && result.form.querySelector("[name='" + name + "']");
        if (!field && candidate) {
          field = candidate;
        }
      });
      if (!field || !field.value) {
        if (field && field.reportValidity) {
          field.reportValidity();
        }
        return;
      }
      var publicKey = decodeOptions(createData.credentialOptions.publicKey);
      publicKey.user = Object.assign({}, publicKey.user, { name: field.value, displayName: field.value });
      var credential = await navigator.credentials.create({ publicKey: publicKey });
      submitWith(result, attestationJson(credential));
    } catch (error) {
      console.warn("passkey sign-up:", error);
    }
  }

  /** Settings: "Add passkey". */
  async function passkeySettingsRegistration() {
    var data = byName("passkey_create_data");
    var result = byName("passkey_settings_register");
    if (!data || !result) {
      return;
    }
    try {
      var options = JSON.parse(data.value);
      var credential = await navigator.credentials.create({ publicKey: decodeOptions(options.publicKey) });
      submitWith(result, attestationJson(credential));
    } catch (error) {
      console.warn("passkey registration:", error);
    }
  }

  /** The options a security-key trigger carries: passed in (Kratos's onclick) or in the trigger's value. */
  function triggerOptions(options, triggerName) {
    if (options && options.publicKey) {
      return options;
    }
    var trigger = byName(triggerName);
    return trigger && trigger.value ? JSON.parse(trigger.value) : null;
  }

  /** Second factor: "Sign in with a hardware key" (one of the identity's security keys). */
  async function webAuthnLogin(options) {
    var result = byName("webauthn_login");
    var chosen = triggerOptions(options, "webauthn_login_trigger");
    if (!result || !chosen) {
      return;
    }
    try {
      var credential = await navigator.credentials.get({ publicKey: decodeOptions(chosen.publicKey) });
      submitWith(result, assertionJson(credential));
    } catch (error) {
      console.warn("security key sign-in:", error);
    }
  }

  /** Settings: "Add security key". */
  async function webAuthnRegistration(options) {
    var result = byName("webauthn_register");
    var chosen = triggerOptions(options, "webauthn_register_trigger");
    if (!result || !chosen) {
      return;
    }
    try {
      var credential = await navigator.credentials.create({ publicKey: decodeOptions(chosen.publicKey) });
      submitWith(result, attestationJson(credential));
    } catch (error) {
      console.warn("security key registration:", error);
    }
  }

  var functions = {
    oryPasskeyLoginAutocompleteInit: passkeyLoginAutocompleteInit,
    oryPasskeyLogin: passkeyLogin,
    oryPasskeySettingsRegistration: passkeySettingsRegistration,
    oryPasskeyRegistration: passkeyRegistration,
    oryWebAuthnLogin: webAuthnLogin,
    oryWebAuthnRegistration: webAuthnRegistration
  };
  Object.keys(functions).forEach(function (name) {
    window[name] = functions[name];
    window["__" + name] = functions[name];
  });
  window.oryWebAuthnInitialized = true;
  window.__oryWebAuthnInitialized = true;
  window.dispatchEvent(new CustomEvent("oryWebAuthnInitialized"));
})();
