package dev.iris.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every user-facing string of the built-in pages ("Hera"), in English; {@code messages/page_<language>.properties}
 * translate them (German and French ship; {@code BundlesCompleteTest} fails the build when a file lacks a key, has an
 * unknown one, or drops a parameter). Templates use them as {@code {page:signInHeading}}; a message is a Qute template
 * itself, so plural forms are sections of the message, never concatenated fragments. A deployment overrides any of
 * them without rebuilding (README, Languages).
 */
@MessageBundle(value = "page", locale = "en")
public interface PageMessages {

    // The language switcher (each language names itself, in every language).
    @Message("Language")
    String language();

    // Login, registration, recovery, verification: the email form.
    @Message("Sign in")
    String loginHeading();

    @Message("We'll email you a sign-in link and a code. No password needed.")
    String loginIntro();

    @Message("Send sign-in link")
    String loginSubmit();

    @Message("New here? Create an account")
    String loginOther();

    @Message("Create your account")
    String registrationHeading();

    @Message("We'll email you a link and a code to confirm your address.")
    String registrationIntro();

    @Message("Send sign-up link")
    String registrationSubmit();

    @Message("Already have an account? Sign in")
    String registrationOther();

    @Message("Recover your account")
    String recoveryHeading();

    @Message("Enter your account's email address. We'll email you a link and a code that sign you in, then you can "
            + "review your sign-in methods.")
    String recoveryIntro();

    @Message("Send recovery link")
    String recoverySubmit();

    @Message("Remembered how to get in? Sign in")
    String recoveryOther();

    @Message("Verify your email address")
    String verificationHeading();

    @Message("We'll email you a link and a code to confirm the address is yours.")
    String verificationIntro();

    @Message("Send verification link")
    String verificationSubmit();

    @Message("Back to sign in")
    String verificationOther();

    @Message("Email")
    String emailLabel();

    @Message("Sign up with a passkey")
    String passkeySignUp();

    @Message("With a passkey, we still email you a code first: your account starts once you prove the address.")
    String passkeySignUpHint();

    @Message("Sign in with a passkey")
    String passkeySignIn();

    // "Check your email".
    @Message("Check your email")
    String sentHeading();

    /** {@code address}: markup (the address, escaped, in {@code <strong>}). */
    @Message("We sent a link and a code to {address}.")
    String sentTo(Object address);

    @Message("Click the link in the email on any device, or enter the 6-digit code here.")
    String sentHint();

    @Message("Your passkey is added to the new account when you enter the code here, or open the link in this "
            + "browser.")
    String passkeyKept();

    @Message("6-digit code")
    String codeLabel();

    @Message("The code expires in {minutes} {#if minutes == 1}minute{#else}minutes{/if}.")
    String codeExpires(long minutes);

    @Message("Continue")
    String continueButton();

    @Message("Resend")
    String resend();

    /** {@code seconds}: the countdown, as markup the page's script updates. */
    @Message("Didn't receive it? You can resend in {seconds} s.")
    String resendWait(Object seconds);

    @Message("Didn't receive it? Send a new code.")
    String resendReady();

    @Message("Use a different email")
    String differentEmail();

    @Message("Address verified")
    String verifiedHeading();

    @Message("Your email address is verified. Thank you.")
    String verifiedText();

    // The link's confirmation page (a GET never signs in; the button does).
    @Message("Sign in")
    String loginConfirmHeading();

    @Message("Continue signing in as {address}?")
    String loginConfirmQuestion(String address);

    @Message("Continue signing in")
    String loginConfirmButton();

    @Message("Finish signing up")
    String registrationConfirmHeading();

    @Message("Continue signing up as {address}?")
    String registrationConfirmQuestion(String address);

    @Message("Continue signing up")
    String registrationConfirmButton();

    @Message("Recover your account")
    String recoveryConfirmHeading();

    @Message("Continue recovering the account of {address}?")
    String recoveryConfirmQuestion(String address);

    @Message("Recover my account")
    String recoveryConfirmButton();

    @Message("Verify your email address")
    String verificationConfirmHeading();

    @Message("Continue verifying {address}?")
    String verificationConfirmQuestion(String address);

    @Message("Verify my address")
    String verificationConfirmButton();

    @Message("Opened this link by mistake? Just close this page; nothing happens until you press the button.")
    String confirmHint();

    // Errors.
    @Message("Something went wrong")
    String errorTitle();

    @Message("That didn't work")
    String errorHeading();

    @Message("This link or page has expired. Start again to get a new one.")
    String errorExpired();

    @Message("We couldn't find this sign-in. It may have expired; start again.")
    String errorNotFound();

    @Message("This request came from somewhere we can't trust. Start again.")
    String errorCsrf();

    @Message("Something went wrong. Please start again.")
    String errorOther();

    @Message("Start again")
    String startAgain();

    // Welcome.
    @Message("Signed in")
    String welcomeTitle();

    @Message("You're signed in")
    String welcomeHeading();

    /** {@code email}: markup (the address, escaped, in {@code <strong>}). */
    @Message("Signed in as {email}.")
    String signedInAs(Object email);

    @Message("Your session expires on {date}.")
    String sessionExpires(String date);

    @Message("Sign in faster next time")
    String passkeyOfferHeading();

    @Message("Add a passkey: next time, your fingerprint, face or screen lock signs you in — no email to wait for.")
    String passkeyOfferText();

    @Message("Add a passkey")
    String addPasskey();

    @Message("Account settings (email address, authenticator app, backup codes)")
    String settingsLink();

    @Message("Sign out")
    String signOut();

    // The second factor at sign-in.
    @Message("Two-step verification")
    String secondFactorHeading();

    @Message("Your account is protected by a second factor. Use your security key.")
    String secondFactorSecurityKey();

    @Message("Your account is protected by a second factor. Use your security key, or a code.")
    String secondFactorSecurityKeyOrCode();

    @Message("Your account is protected by a second factor. Enter the 6-digit code from your authenticator app.")
    String secondFactorTotp();

    @Message("Your account is protected by a second factor. Enter one of your backup codes.")
    String secondFactorBackupCode();

    @Message("Use your security key")
    String useSecurityKey();

    @Message("Security keys need JavaScript; use a code below.")
    String securityKeyNeedsScript();

    @Message("Authentication code")
    String totpLabel();

    @Message("Verify")
    String verify();

    @Message("Use a backup code instead")
    String useBackupCodeInstead();

    @Message("Backup code")
    String backupCodeLabel();

    @Message("Use backup code")
    String useBackupCode();

    // Account settings.
    @Message("Account settings")
    String settingsHeading();

    @Message("Email address")
    String emailHeading();

    @Message("We sent a code to {newEmail}. Enter it to make it your sign-in address; until then you keep signing in "
            + "with {email}.")
    String emailChangePending(String newEmail, String email);

    @Message("Confirm new address")
    String confirmNewAddress();

    @Message("Keep {email}")
    String keepAddress(String email);

    @Message("Change email address")
    String changeAddress();

    @Message("Language of our emails")
    String preferredLanguage();

    @Message("As my browser asks")
    String browserLanguage();

    @Message("Save language")
    String saveLanguage();

    @Message("Passkeys")
    String passkeysHeading();

    @Message("Sign in with your fingerprint, face or screen lock — no email to wait for. Your email address keeps "
            + "working too.")
    String passkeysHint();

    @Message("Added {added} · last used {lastUsed}")
    String credentialDates(String added, String lastUsed);

    @Message("never")
    String never();

    @Message("Remove {name}…")
    String removeAsk(String name);

    @Message("This device will no longer sign you in with {name}; your email address keeps working.")
    String removePasskeyHint(String name);

    @Message("Yes, remove {name}")
    String removeConfirm(String name);

    @Message("Security keys")
    String securityKeysHeading();

    @Message("A hardware key you touch after the email sign-in: a second factor, like an authenticator app.")
    String securityKeysHint();

    @Message("Signing in will no longer ask for {name}.")
    String removeSecurityKeyHint(String name);

    @Message("Signing in will no longer ask for {name}; without another second factor, the email alone will sign you "
            + "in.")
    String removeLastSecurityKeyHint(String name);

    @Message("Name of the security key")
    String securityKeyNameLabel();

    @Message("My security key")
    String securityKeyNamePlaceholder();

    @Message("Add security key")
    String addSecurityKey();

    @Message("Authenticator app")
    String totpHeading();

    @Message("An authenticator app is linked to your account.")
    String totpLinked();

    @Message("Unlink authenticator app")
    String totpUnlink();

    @Message("Scan this QR code with an authenticator app, then enter the code it shows.")
    String totpScan();

    @Message("QR code for your authenticator app")
    String totpQrAlt();

    @Message("Can't scan it? Enter this key instead:")
    String totpManual();

    @Message("Code from the app")
    String totpCodeLabel();

    @Message("Link authenticator app")
    String totpLink();

    @Message("Backup codes")
    String codesHeading();

    @Message("Save these codes somewhere safe. Each works once. They are shown only now.")
    String codesSave();

    @Message("Copy codes")
    String codesCopy();

    @Message("Copied")
    String codesCopied();

    @Message("Print")
    String codesPrint();

    @Message("I saved them — turn them on")
    String codesConfirm();

    @Message("Backup codes are turned on.")
    String codesOn();

    @Message("No backup codes yet.")
    String codesNone();

    @Message("Generate new backup codes")
    String codesRegenerate();

    @Message("Turn off backup codes")
    String codesDisable();

    @Message("Back")
    String back();
}
